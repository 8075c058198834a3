#!/usr/bin/env bash
# How good is ./echolab check? Runs the gate against candidates whose answer is known, and tallies:
#   SLOW10 runs with an injected +10% CPU per echo      (power: each should FAIL)
#   SLOW25 runs with an injected +25%                    (power: each should FAIL)
#   SYSCALL runs with one more write system call per echo (power: each should FAIL, on its counter)
#   AA runs against an unchanged candidate               (false alarms: none should FAIL; NOISY is counted)
#   SLOW5 runs with an injected +5%                      (power at the smallest slowdown the gate is built to catch)
# The injections are test-only and outside the teaching files (echolab.common.Connections). Run it from a
# clean checkout: the candidate is the working tree, the base is HEAD.
#   bench/check-power.sh [SLOW10] [SLOW25] [SYSCALL] [AA] [SLOW5] [extra check options...]   (defaults: 10 0 10 20 10,
#   selector only unless --servers is given; e.g. 'bench/check-power.sh 0 0 0 5 --servers sync,thread-per-conn,selector,virtual-thread')
set -uo pipefail
cd "$(dirname "$0")/.."
COUNTS=()                                            # the leading numbers; what follows goes to check
while [[ $# -gt 0 && ${#COUNTS[@]} -lt 5 && "$1" =~ ^[0-9]+$ ]]; do COUNTS+=("$1"); shift; done
SLOW10="${COUNTS[0]:-10}"; SLOW25="${COUNTS[1]:-0}"; SYSCALL="${COUNTS[2]:-10}"; AA="${COUNTS[3]:-20}"; SLOW5="${COUNTS[4]:-10}"
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "check-power: the working tree differs from HEAD; commit or stash first (A/A needs them equal)" >&2
  exit 2
fi
OUT="${CHECK_POWER_OUT:-$(mktemp -d)}"
ARGS=(--base HEAD "$@")                              # otherwise the defaults: --budget 5m, --target 5
[[ " $* " == *" --servers "* ]] || ARGS+=(--servers selector)
declare -A FAILED=() NOISY=() RUNS=()
run() {   # run KIND SEED [injection...]
  local kind="$1" seed="$2"; shift 2
  local start end rc
  start=$(date +%s)
  ./echolab check "${ARGS[@]}" --seed "$seed" "$@" --json "$OUT/$kind-$seed.json" > "$OUT/$kind-$seed.md" 2> "$OUT/$kind-$seed.log"
  rc=$?; end=$(date +%s)
  RUNS[$kind]=$(( ${RUNS[$kind]:-0} + 1 ))
  [[ $rc -eq 1 ]] && FAILED[$kind]=$(( ${FAILED[$kind]:-0} + 1 ))
  [[ $rc -eq 3 ]] && NOISY[$kind]=$(( ${NOISY[$kind]:-0} + 1 ))
  echo "$kind run $seed: exit $rc in $(( end - start ))s; $(grep -m1 -o '\*\*Gate: [A-Z]*\*\*[^.]*' "$OUT/$kind-$seed.md" | head -c 300)"
}
for i in $(seq 1 "$SLOW10"); do run slow10 "$i" --inject-slowdown 10; done
for i in $(seq 1 "$SLOW25"); do run slow25 "$((100 + i))" --inject-slowdown 25; done
for i in $(seq 1 "$SYSCALL"); do run syscall "$((200 + i))" --inject-syscall; done
for i in $(seq 1 "$AA"); do run aa "$((1000 + i))"; done
for i in $(seq 1 "$SLOW5"); do run slow5 "$((300 + i))" --inject-slowdown 5; done
for kind in slow5 slow10 slow25 syscall aa; do
  [[ -n "${RUNS[$kind]:-}" ]] && echo "$kind: FAIL in ${FAILED[$kind]:-0} of ${RUNS[$kind]} runs, NOISY in ${NOISY[$kind]:-0}"
done
if [[ "$AA" -gt 0 && -f bench/cli/target/bench.jar ]]; then
  echo "round-to-round spread over the A/A runs (per server and metric):"
  java -cp bench/cli/target/bench.jar bench/check-spread.java "$OUT"/aa-*.json | grep -E "metric|UsPerMessage" || true
fi
echo "details (each run's table, JSON and log): $OUT"
