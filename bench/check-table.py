#!/usr/bin/env python3
"""The table of a study of the gate: what ./echolab check concluded over many runs, by candidate.

Reads check.json files (./echolab check --json FILE) and prints, for the unchanged candidate (A/A) and each
injection, a Markdown row: runs, FAIL, NOISY, PASS, the rounds each server had (fewest to most), the gate's time
(elapsedSeconds: from ./echolab's start to the verdict, the base's build included) and the bound the runs reached
(the largest regression of time or CPU per message they did not rule out); then one line per run with what FAILed.
docs/gate.md's tables of measured runs are its output:

    python3 bench/check-table.py results/check/budget10m-4f7021d/*.json
"""
import collections
import json
import sys


def candidate(check):
    injected = check.get("injected") or {}
    if injected.get("extraWriteCall"):
        return "one more write per echo"
    return f"injected +{injected['slowdownPercent']:g}%" if injected.get("slowdownPercent") else "unchanged (A/A)"


def span(values, fmt):
    lo, hi = min(values), max(values)
    return fmt.format(lo) if fmt.format(lo) == fmt.format(hi) else f"{fmt.format(lo)} to {fmt.format(hi)}"


def main(files):
    runs = collections.defaultdict(list)
    for f in files:
        check = json.load(open(f))
        runs[candidate(check)].append((f, check))
    print("| candidate | runs | FAIL | NOISY | PASS | rounds | gate's time | bound reached |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, group in sorted(runs.items(), key=lambda kv: (kv[0] != "unchanged (A/A)", kv[0])):
        verdicts = collections.Counter(c["verdict"] for _, c in group)
        rounds = [len(r) for _, c in group for r in c["roundSeconds"].values()]
        print(f"| {name} | {len(group)} | {verdicts['FAIL']} | {verdicts['NOISY']} | {verdicts['PASS']} | "
              f"{span(rounds, '{}')} | {span([c['elapsedSeconds'] for _, c in group], '{:.0f} s')} | "
              f"{span([c['boundPercent'] for _, c in group], '{:.1f}%')} |")
    for name, group in runs.items():
        for f, c in group:
            failed = [f"{r['server']} {r['metric']} {100 * r['change']:+.1f}% (from round {r['failedFirstAt']}, "
                      f"confirmed at {r['confirmedAt']})" for r in c["results"] if r["status"] == "FAIL"]
            print(f"{f}: {name}, seed {c['seed']}: {c['verdict']}, bound {c['boundPercent']:.1f}%"
                  + ("; " + "; ".join(failed) if failed else ""))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: check-table.py CHECK_JSON...")
    main(sys.argv[1:])
