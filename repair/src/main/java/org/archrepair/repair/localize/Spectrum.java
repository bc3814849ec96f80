package org.archrepair.repair.localize;

/**
 * How often one neuron was activated (spatial mean of its output > 0) or not, on examples the
 * model classified wrongly (failed) and rightly (passed): the paper's N_am, N_nm, N_ac, N_nc, and
 * DeepFault's num_cf, num_uf, num_cs, num_us.
 */
public record Spectrum(long failedActive, long failedInactive, long passedActive, long passedInactive) {

    public Spectrum {
        if (failedActive < 0 || failedInactive < 0 || passedActive < 0 || passedInactive < 0)
            throw new IllegalArgumentException("negative count in " + this);
    }

    public long failed() {
        return failedActive + failedInactive;
    }

    public long passed() {
        return passedActive + passedInactive;
    }
}
