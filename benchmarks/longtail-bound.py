#!/usr/bin/env python3
"""Ideal makespans of a long-tail batch: fair sharing (EEVDF idealised) against long-work-first.

No scheduler overhead, no start-up, CPUs shared exactly. A batch driver forks its tasks in order into a pool of
J slots (all at once when the pool is as large as the batch, as `./batch` does; `xargs -P J` otherwise); the
long tasks sit at random positions. With the whole batch forked at once, long first reaches the lower bound
max(total work / CPUs, longest task), so its gain is the most any scheduler can have over ideal fair sharing; a measured
win above it comes from EEVDF's overhead, not from the order.

    python3 benchmarks/longtail-bound.py
"""
import random


def makespan(work, jobs, cpus, long_first, step=0.5):
    """Runs `work` (a list of (ms, is_long) in fork order) and returns when the last task ends, in ms."""
    queue, left, running, now = list(range(len(work))), [ms for ms, _ in work], [], 0.0
    while queue or running:
        while queue and len(running) < jobs:
            running.append(queue.pop(0))
        rates, free = {}, float(cpus)
        groups = ([i for i in running if work[i][1]], [i for i in running if not work[i][1]]) if long_first else (running,)
        for group in groups:
            if group and free > 0:
                for i in group:
                    rates[i] = min(1.0, free / len(group))
                free -= min(free, len(group))
        for i in list(running):
            left[i] -= rates.get(i, 0.0) * step
            if left[i] <= 1e-9:
                running.remove(i)
        now += step
    return now


def batch(short, long, short_ms, long_ms, seed):
    random.seed(seed)
    work = [(short_ms, False)] * short
    for _ in range(long):
        work.insert(random.randrange(len(work) + 1), (long_ms, True))
    return work


print("| vCPUs | short × ms | long × ms | pool | fair (ms) | long first (ms) | long first, gain |")
print("|---|---|---|---|---|---|---|")
for cpus, short, long, short_ms in [(2, 16, 1, 30), (4, 16, 1, 30), (2, 24, 3, 30), (4, 24, 3, 30), (4, 10, 3, 30), (4, 30, 3, 10)]:
    for jobs in (short + long, 2 * cpus, cpus + 1):
        runs = [batch(short, long, short_ms, 300, seed) for seed in range(10)]
        fair = sum(makespan(w, jobs, cpus, False) for w in runs) / len(runs)
        first = sum(makespan(w, jobs, cpus, True) for w in runs) / len(runs)
        pool = "all at once" if jobs == short + long else f"{jobs} slots"
        print(f"| {cpus} | {short} × {short_ms} | {long} × 300 | {pool} | {fair:.0f} | {first:.0f} | {100 * (1 - first / fair):.1f} % |")
