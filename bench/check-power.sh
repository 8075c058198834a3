#!/usr/bin/env bash
# How good is ./echolab check? Runs the gate N times against a candidate with an injected 25% slowdown
# (power: it should FAIL every time) and M times against an unchanged candidate (A/A: it should not FAIL),
# and prints the tally. Run from a clean checkout: the candidate is the working tree, the base is HEAD.
#   bench/check-power.sh [N] [M] [extra check options...]     (defaults: 10 20)
set -uo pipefail
cd "$(dirname "$0")/.."
N="${1:-10}"; M="${2:-20}"; shift $(( $# > 2 ? 2 : $# ))
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "check-power: the working tree differs from HEAD; commit or stash first (A/A needs them equal)" >&2
  exit 2
fi
OUT="${CHECK_POWER_OUT:-$(mktemp -d)}"
ARGS=(--base HEAD --servers selector "$@")            # otherwise the defaults: 6 to 18 rounds of 1 s runs
slow_fail=0; aa_fail=0
for i in $(seq 1 "$N"); do
  ./echolab check "${ARGS[@]}" --seed "$i" --inject-slowdown 25 --json "$OUT/slow-$i.json" > "$OUT/slow-$i.md" 2> "$OUT/slow-$i.log"
  rc=$?; [[ $rc -eq 1 ]] && slow_fail=$((slow_fail + 1))
  echo "injected 25% slowdown, run $i: exit $rc ($(grep -c '| \*\*FAIL\*\* |' "$OUT/slow-$i.md") FAIL rows)"
done
for i in $(seq 1 "$M"); do
  ./echolab check "${ARGS[@]}" --seed "$((1000 + i))" --json "$OUT/aa-$i.json" > "$OUT/aa-$i.md" 2> "$OUT/aa-$i.log"
  rc=$?; [[ $rc -eq 1 ]] && aa_fail=$((aa_fail + 1))
  echo "A/A, run $i: exit $rc ($(grep -c '| \*\*FAIL\*\* |' "$OUT/aa-$i.md") FAIL rows)"
done
echo "power: caught the injected 25% slowdown in $slow_fail of $N runs"
echo "false alarms: failed an unchanged candidate in $aa_fail of $M runs"
echo "details: $OUT"
