package dev.scaler.decision;

/**
 * How far one action may move the replica count. Zero means "no limit" for either bound. When
 * both are set the tighter one wins: a user who writes both expects neither to be exceeded.
 *
 * @param maxReplicas most replicas one action may add (or remove); 0 for unlimited
 * @param maxPercent  most percent of the current count one action may add (or remove); 0 for unlimited
 */
public record StepLimit(int maxReplicas, int maxPercent) {

    public static final StepLimit NONE = new StepLimit(0, 0);

    public StepLimit {
        if (maxReplicas < 0) {
            throw new IllegalArgumentException("max-replicas must be >= 0 (0 = unlimited), got " + maxReplicas);
        }
        if (maxPercent < 0) {
            throw new IllegalArgumentException("max-percent must be >= 0 (0 = unlimited), got " + maxPercent);
        }
    }

    /** Most replicas one scale-up from {@code current} may add; never less than one, so scaling never stalls. */
    public int maxAdded(int current) {
        int byPercent = maxPercent == 0 ? Integer.MAX_VALUE
                : Math.max(1, (int) Math.ceil(current * maxPercent / 100.0));
        return Math.min(byPercent, maxReplicas == 0 ? Integer.MAX_VALUE : maxReplicas);
    }

    /** Most replicas one scale-down from {@code current} may remove; never less than one. */
    public int maxRemoved(int current) {
        int byPercent = maxPercent == 0 ? Integer.MAX_VALUE
                : Math.max(1, (int) Math.floor(current * maxPercent / 100.0));
        return Math.min(byPercent, maxReplicas == 0 ? Integer.MAX_VALUE : maxReplicas);
    }

    public boolean limited() {
        return maxReplicas > 0 || maxPercent > 0;
    }
}
