package dev.scaler.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns one rule's reading into a replica recommendation. Pure: the readings, the running count and
 * "now" are arguments, so every rule is table-tested ({@code MetricJudgeTest}).
 */
public final class MetricJudge {

    /** Same guard as the decider's: floating error must not push ceil() one replica too high. */
    private static final double EPSILON = 1e-9;

    private MetricJudge() {
    }

    /** Target tracking on one instant value, with the arithmetic of {@link Decider}. */
    public static RuleResult tracking(MetricRule.Tracking rule, MetricReading reading, int current, Policy policy) {
        if (!reading.state().hasValue()) {
            return RuleResult.failure(rule.name(), reading);
        }
        double capacity = rule.capacity(policy);
        double value = reading.value();
        int raw = (int) Math.max(0, Math.min(Integer.MAX_VALUE, Math.ceil(value / capacity - EPSILON)));
        boolean within = current > 0
                && Math.abs(value / (current * capacity) - 1.0) <= rule.tolerance(policy) + EPSILON;
        int recommendation = within ? current : raw;
        return new RuleResult(rule.name(), reading, recommendation, MetricRule.number(value) + " / "
                + MetricRule.number(capacity) + " per replica -> " + recommendation
                + (within ? " (within tolerance of " + current + ")" : ""));
    }

    /**
     * Threshold bands on range data. OUT when the samples cover the whole out-duration and every one of
     * them is above the out-threshold; IN likewise below the in-threshold over the in-duration; otherwise
     * HOLD at the running count. A window the data does not cover is "not enough data": hold, and say so.
     * A sample exactly at a threshold is not beyond it.
     */
    public static RuleResult bands(MetricRule.Bands rule, RangeReading range, int current, Instant now) {
        if (!range.state().hasValue()) {
            return RuleResult.failure(rule.name(), MetricReading.failed(range.state(), range.detail()));
        }
        RangeReading.Sample latest = range.samples().get(range.samples().size() - 1);
        if (!Double.isFinite(latest.value()) || latest.value() < 0) {
            return RuleResult.failure(rule.name(), MetricReading.failed(MetricState.NOT_A_NUMBER,
                    "the latest sample is " + latest.value() + " at " + latest.at()));
        }
        MetricReading reading = range.state() == MetricState.DEGRADED
                ? MetricReading.degraded(latest.value(), latest.at(), range.detail())
                : MetricReading.healthy(latest.value(), latest.at());
        String value = MetricRule.number(latest.value());

        Window out = window(range.samples(), now, rule.outDuration(), rule.resolution());
        if (out.gap == null && out.allAbove(rule.outThreshold())) {
            int to = current + rule.stepOut().amount(current);
            return new RuleResult(rule.name(), reading, to, value + ", above " + MetricRule.number(rule.outThreshold())
                    + " for the whole " + Decider.seconds(rule.outDuration()) + " (lowest "
                    + MetricRule.number(out.lowest()) + "): out +" + (to - current) + " -> " + to);
        }
        Window in = window(range.samples(), now, rule.inDuration(), rule.resolution());
        if (in.gap == null && in.allBelow(rule.inThreshold())) {
            int to = Math.max(0, current - rule.stepIn().amount(current));
            return new RuleResult(rule.name(), reading, to, value + ", below " + MetricRule.number(rule.inThreshold())
                    + " for the whole " + Decider.seconds(rule.inDuration()) + " (highest "
                    + MetricRule.number(in.highest()) + "): in -" + (current - to) + " -> " + to);
        }
        String why = out.gap != null && in.gap != null && out.gap.equals(in.gap)
                ? "not enough data: " + out.gap
                : outWhy(rule, out) + "; " + inWhy(rule, in);
        return new RuleResult(rule.name(), reading, current, value + ", hold at " + current + ": " + why);
    }

    private static String outWhy(MetricRule.Bands rule, Window out) {
        if (out.gap != null) {
            return "not enough data for the " + Decider.seconds(rule.outDuration()) + " out-window: " + out.gap;
        }
        return "not above " + MetricRule.number(rule.outThreshold()) + " for all of "
                + Decider.seconds(rule.outDuration()) + " (lowest " + MetricRule.number(out.lowest()) + ")";
    }

    private static String inWhy(MetricRule.Bands rule, Window in) {
        if (in.gap != null) {
            return "not enough data for the " + Decider.seconds(rule.inDuration()) + " in-window: " + in.gap;
        }
        return "not below " + MetricRule.number(rule.inThreshold()) + " for all of "
                + Decider.seconds(rule.inDuration()) + " (highest " + MetricRule.number(in.highest()) + ")";
    }

    /**
     * The samples of [now - duration, now], and why they do not cover it, if they do not: the first sample
     * must be no later than one resolution after the window starts, the last no earlier than two resolutions
     * before now (else the data is stale), and no two neighbours further apart than two resolutions.
     */
    static Window window(List<RangeReading.Sample> samples, Instant now, Duration duration, Duration resolution) {
        Instant from = now.minus(duration);
        List<RangeReading.Sample> in = new ArrayList<>();
        for (RangeReading.Sample s : samples) {
            if (!s.at().isBefore(from) && !s.at().isAfter(now)) {
                in.add(s);
            }
        }
        if (in.isEmpty()) {
            return new Window(in, "no sample since " + from);
        }
        Duration twoSteps = resolution.multipliedBy(2);
        RangeReading.Sample first = in.get(0);
        if (first.at().isAfter(from.plus(resolution))) {
            return new Window(in, "the data starts at " + first.at() + ", after " + from.plus(resolution));
        }
        RangeReading.Sample last = in.get(in.size() - 1);
        if (last.at().isBefore(now.minus(twoSteps))) {
            return new Window(in, "the latest sample is from " + last.at() + ", stale by now " + now);
        }
        for (int i = 1; i < in.size(); i++) {
            Duration gap = Duration.between(in.get(i - 1).at(), in.get(i).at());
            if (gap.compareTo(twoSteps) > 0) {
                return new Window(in, "no data from " + in.get(i - 1).at() + " to " + in.get(i).at());
            }
        }
        return new Window(in, null);
    }

    /** A window's samples; {@code gap} says why they do not cover it, null when they do. */
    record Window(List<RangeReading.Sample> samples, String gap) {

        /** NaN compares false both ways, so a NaN sample makes a window neither above nor below. */
        boolean allAbove(double threshold) {
            return samples.stream().allMatch(s -> s.value() > threshold);
        }

        boolean allBelow(double threshold) {
            return samples.stream().allMatch(s -> s.value() < threshold);
        }

        double lowest() {
            return samples.stream().mapToDouble(RangeReading.Sample::value).min().orElse(Double.NaN);
        }

        double highest() {
            return samples.stream().mapToDouble(RangeReading.Sample::value).max().orElse(Double.NaN);
        }
    }
}
