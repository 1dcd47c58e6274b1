#!/usr/bin/env python3
"""Where a JFR recording's execution samples were (issue 11's tick profile). Prints the top frames by self
samples, by "inclusive" samples of dev.scaler/library methods, and by thread group.

    jfr print --json --events jdk.ExecutionSample tick.jfr > tick.json
    bench/jfr-top.py tick.json [top-n]

"By part" puts each sample in the first part of PARTS its thread or stack matches. "Self" is the sampled top frame; "inclusive" counts a sample once for every distinct method on its stack
(truncated stacks, JFR's default depth of 64, undercount the deep ones).
"""
import collections
import json
import re
import sys


def frame_name(frame):
    method = frame["method"]
    return method["type"]["name"].replace("/", ".") + "." + method["name"]


def thread_group(name):
    # worker pools and event loops numbered per thread: one row per pool
    return re.sub(r"[-#]?\d+$", "", name or "?")


# The parts of a tick, first match wins: (name, thread name part or None, frame prefix or None).
PARTS = [
    ("Prometheus query: the client's event loop (Micronaut, Netty)", "EventLoopGroup", None),
    ("Prometheus query: the worker's part (request, wait, JSON)", None, "dev.scaler.metrics.PrometheusMetricSource"),
    ("history: insert, commit, transaction (H2, Hikari, Micronaut Data)", None, "dev.scaler.history"),
    ("history: H2's own threads", "H2-", None),
    ("history: H2's own threads", "MVStore", None),
    ("log lines (logback)", None, "ch.qos.logback"),
    ("observing (Docker listing, compose files)", None, "dev.scaler.compose.ComposeDriver.observe"),
    ("the decision", None, "dev.scaler.decision.Decider"),
    ("metrics (Micrometer)", None, "dev.scaler.loop.LoopMetrics"),
    ("the rest of the evaluation", None, "dev.scaler.loop.TargetEvaluator"),
]


def part_of(thread, names):
    for name, thread_part, prefix in PARTS:
        if thread_part is not None and thread_part in (thread or ""):
            return name
        if prefix is not None and any(n.startswith(prefix) for n in names):
            return name
    return "other (the benchmark's own thread, JFR, surefire)"


def main():
    events = json.load(open(sys.argv[1]))["recording"]["events"]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    total = len(events)
    self_count = collections.Counter()
    inclusive = collections.Counter()
    threads = collections.Counter()
    parts = collections.Counter()
    for event in events:
        values = event["values"]
        frames = values["stackTrace"]["frames"] if values.get("stackTrace") else []
        thread = values["sampledThread"]
        threads[thread_group(thread.get("javaName") or thread.get("osName"))] += 1
        if frames:
            self_count[frame_name(frames[0])] += 1
        names = [frame_name(f) for f in frames]
        for name in set(names):
            inclusive[name] += 1
        parts[part_of(thread.get("javaName") or thread.get("osName"), names)] += 1
    print(f"{total} samples")
    print("\n# by part of the tick")
    for name, n in parts.most_common():
        print(f"{100.0 * n / total:5.1f}% {n:6d}  {name}")
    print("\n# by thread (pool)")
    for name, n in threads.most_common(top):
        print(f"{100.0 * n / total:5.1f}% {n:6d}  {name}")
    print("\n# self (top frame)")
    for name, n in self_count.most_common(top):
        print(f"{100.0 * n / total:5.1f}% {n:6d}  {name}")
    print("\n# inclusive, dev.scaler")
    for name, n in [(k, v) for k, v in inclusive.most_common() if k.startswith("dev.scaler")][:top]:
        print(f"{100.0 * n / total:5.1f}% {n:6d}  {name}")
    print("\n# inclusive, all")
    for name, n in inclusive.most_common(top):
        print(f"{100.0 * n / total:5.1f}% {n:6d}  {name}")


if __name__ == "__main__":
    main()
