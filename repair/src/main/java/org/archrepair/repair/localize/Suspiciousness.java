package org.archrepair.repair.localize;

/**
 * Spectrum-based suspiciousness of a neuron (higher: more to blame), as in DeepFault
 * (hfeniser/DeepFault: spectrum_analysis.py). With af = failedActive, nf = failedInactive,
 * ap = passedActive, np = passedInactive:
 * <ul>
 *   <li>TARANTULA (the paper's Eq. 5): (af / (af + nf)) / (af / (af + nf) + ap / (ap + np))</li>
 *   <li>OCHIAI: af / sqrt((af + nf) (af + ap))</li>
 *   <li>DSTAR (star 3, DeepFault's experiments): af^3 / (nf + ap)</li>
 * </ul>
 * The 0/0 policy, once for all three: a score whose value is undefined (a 0/0 anywhere in it,
 * NaN in DeepFault) is 0, as DeepFault sets NaN scores to 0; DStar's x/0 with x > 0 is +infinity
 * (a neuron active on every failure and on no passing example), which ranks first.
 */
public enum Suspiciousness {
    TARANTULA {
        @Override
        double raw(Spectrum s) {
            double failRate = (double) s.failedActive() / s.failed();
            double passRate = (double) s.passedActive() / s.passed();
            return failRate / (failRate + passRate);
        }
    },
    OCHIAI {
        @Override
        double raw(Spectrum s) {
            return s.failedActive() / Math.sqrt((double) s.failed() * (s.failedActive() + s.passedActive()));
        }
    },
    DSTAR {
        @Override
        double raw(Spectrum s) {
            double af = s.failedActive();
            return af * af * af / (s.failedInactive() + s.passedActive());
        }
    };

    abstract double raw(Spectrum s);

    /** The score, with undefined values (NaN) as 0. */
    public double score(Spectrum s) {
        double v = raw(s);
        return Double.isNaN(v) ? 0 : v;
    }
}
