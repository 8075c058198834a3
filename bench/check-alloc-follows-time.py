#!/usr/bin/env python3
"""Whether the gate's bytes allocated per message follow its time per message, round by round.

For each check.json given (./echolab check --json), and each server in it: the change the gate judged, the base's
and the candidate's mean bytes a message over the rounds, the paired log-ratios (candidate over
base) of allocBytesPerMessage and of usPerMessage, round by round, and their correlation; then how many servers'
runs correlate at 0.7 or more, the median correlation, and the range of the base's bytes per message. A server that
allocates nothing per echo shows the JVM's own allocation spread over the messages, which follows the time.

    python3 bench/check-alloc-follows-time.py results/check/budget10m-487e27a/*.json results/check/defaults-6bec07e/*.json
"""
import json
import math
import sys


def log_ratios(metric, n):
    return [math.log(c / b) for b, c in metric["pairs"][:n]]


def correlation(xs, ys):
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    vx, vy = sum((x - mx) ** 2 for x in xs), sum((y - my) ** 2 for y in ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / math.sqrt(vx * vy) if vx > 0 and vy > 0 else float("nan")


def main(files):
    correlations, bases = [], []
    for f in files:
        results = {(r["server"], r["metric"]): r for r in json.load(open(f))["results"]}
        for (server, metric), alloc in sorted(results.items()):
            time = results.get((server, "usPerMessage"))
            if metric != "allocBytesPerMessage" or time is None:
                continue
            n = min(len(alloc["pairs"]), len(time["pairs"]))
            c = correlation(log_ratios(alloc, n), log_ratios(time, n))
            correlations.append(c)
            bases += [b for b, _ in alloc["pairs"]]
            base, candidate = (sum(p[side] for p in alloc["pairs"]) / len(alloc["pairs"]) for side in (0, 1))
            print(f"{f} {server}: allocation {100 * alloc['change']:+.1f}% ({base:.0f} to {candidate:.0f} B a message, means of "
                  f"the rounds), time {100 * time['change']:+.1f}%, correlation {c:.2f}")
    ranked = sorted(c for c in correlations if not math.isnan(c))
    print(f"{len(files)} runs, {len(correlations)} servers' runs: correlation 0.7 or more in {sum(c >= 0.7 for c in ranked)}, "
          f"median {ranked[len(ranked) // 2]:.2f}; base {min(bases):.0f} to {max(bases):.0f} B a message")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: check-alloc-follows-time.py CHECK_JSON...")
    main(sys.argv[1:])
