#!/usr/bin/env bash
# Does ./echolab check catch real mistakes? Each patch in bench/check-mistakes/ makes one mistake in the
# three blocking servers alike (so that no test of one server's code catches it):
#   alloc-per-read.patch       a new 8 KiB buffer for every read       (should FAIL on bytes allocated per message)
#   two-writes-per-echo.patch  every echo written back in two writes   (should FAIL on write calls per message)
# For each, RUNS times: apply it to this clean checkout, run the gate against HEAD, revert it. Prints every
# run's verdict and what failed, then a tally.
#   bench/check-mistakes.sh [RUNS] [extra check options...]   (default: 3 runs, servers sync,thread-per-conn,virtual-thread)
set -uo pipefail
cd "$(dirname "$0")/.."
RUNS=3
if [[ $# -gt 0 && "$1" =~ ^[0-9]+$ ]]; then RUNS="$1"; shift; fi
if [[ -n "$(git status --porcelain --untracked-files=no)" ]]; then
  echo "check-mistakes: the working tree differs from HEAD; commit or stash first" >&2
  exit 2
fi
OUT="${CHECK_MISTAKES_OUT:-$(mktemp -d)}"
ARGS=(--base HEAD "$@")
[[ " $* " == *" --servers "* ]] || ARGS+=(--servers sync,thread-per-conn,virtual-thread)
APPLIED=""
trap '[[ -n "$APPLIED" ]] && git apply -R "$APPLIED"' EXIT
for patch in bench/check-mistakes/*.patch; do
  kind=$(basename "$patch" .patch)
  failed=0
  for i in $(seq 1 "$RUNS"); do
    git apply "$patch" && APPLIED="$patch"
    start=$(date +%s)
    ./echolab check "${ARGS[@]}" --seed "$((400 + i))" --json "$OUT/$kind-$i.json" > "$OUT/$kind-$i.md" 2> "$OUT/$kind-$i.log"
    rc=$?
    git apply -R "$patch" && APPLIED=""
    [[ $rc -eq 1 ]] && failed=$((failed + 1))
    echo "$kind run $i: exit $rc in $(( $(date +%s) - start ))s; $(grep -m1 -o '\*\*Gate: [A-Z]*\*\*[^.]*' "$OUT/$kind-$i.md" | head -c 300)"
  done
  echo "$kind: FAIL in $failed of $RUNS runs"
done
echo "details (each run's table, JSON and log): $OUT"
