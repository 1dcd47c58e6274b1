package dev.scaler.loop;

import dev.scaler.policy.LabelOverrides;
import dev.scaler.target.Observation;
import dev.scaler.target.Target;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy of a target with the {@code scaler.*} labels its driver read beside the count applied: the one
 * place that applies them, so the loop and a manual scale hold a target to the same bounds.
 */
public final class TargetLabels {

    private static final Logger LOG = LoggerFactory.getLogger(TargetLabels.class);

    private TargetLabels() {
    }

    public static LabelOverrides.Effective effective(Target target, String tickId, Observation seen) {
        LabelOverrides.Effective effective = LabelOverrides.apply(target.policy(), target.forecast(),
                target.query() != null && target.metrics().size() == 1, seen.scalerLabels());
        if (!effective.problems().isEmpty()) {
            LOG.warn("tick={} target={} label problems: {}", tickId, target.name(), effective.problems());
        }
        return effective;
    }
}
