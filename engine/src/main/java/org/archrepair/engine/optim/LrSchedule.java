package org.archrepair.engine.optim;

/** A learning rate as a function of the base rate and the (possibly fractional) epoch. */
@FunctionalInterface
public interface LrSchedule {
    double lr(double baseLr, double epoch);

    /** The base rate throughout. */
    static LrSchedule constant() {
        return (base, epoch) -> base;
    }

    /** CosineAnnealingLR: etaMin + (base - etaMin) (1 + cos(pi epoch / tMax)) / 2, held at etaMin after tMax. */
    static LrSchedule cosine(double tMax, double etaMin) {
        if (tMax <= 0) throw new IllegalArgumentException("cosine schedule needs tMax > 0, got " + tMax);
        return (base, epoch) -> etaMin + (base - etaMin) * (1 + Math.cos(Math.PI * Math.min(epoch, tMax) / tMax)) / 2;
    }

    /** StepLR: base gamma^floor(epoch / stepSize). */
    static LrSchedule step(int stepSize, double gamma) {
        if (stepSize <= 0) throw new IllegalArgumentException("step schedule needs stepSize > 0, got " + stepSize);
        return (base, epoch) -> base * Math.pow(gamma, Math.floor(epoch / stepSize));
    }
}
