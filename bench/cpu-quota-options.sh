#!/bin/bash
# Measures what holding a server to a share of a CPU does to who saturates first: each server pinned to CPU 0
# in a cgroup v1 cpu group of its own with a CFS quota, loaded at 100 connections x 64 B (closed loop) from CPU 1
# by the minimal native client (CLIENT native) or echo-lab's generator (CLIENT java), one line per server and
# setting: msg/s, the CPU the server used (cpuacct) and the client's user+system seconds over its run, and how
# many periods the kernel stopped the server early. Needs root, cgroup v1 cpu and cpuacct, and a built checkout.
#   bench/cpu-quota-options.sh CLIENT "SETTINGS" SERVER...
#   bench/cpu-quota-options.sh native "none 50:100000 50:10000 50:2000" selector native native-uring thread-per-conn
# A setting is none (no quota) or PERCENT:PERIOD_US. The servers: the teaching servers' names, native, native-uring.
set -euo pipefail
cd "$(dirname "$0")/.."
client=$1; settings=$2; shift 2
java=$(ls -d /usr/lib/jvm/*25*/bin/java 2>/dev/null | head -1)
G=echolab-quota-options
CPU=/sys/fs/cgroup/cpu/$G; ACCT=/sys/fs/cgroup/cpuacct/$G
mkdir -p "$CPU" "$ACCT"
trap 'kill $(cat "$CPU/tasks" 2>/dev/null) 2>/dev/null; sleep 0.5; rmdir "$CPU" "$ACCT" 2>/dev/null || true' EXIT
port=7400
for server in "$@"; do
  for setting in $settings; do
    port=$((port + 1))
    echo -1 > "$CPU/cpu.cfs_quota_us"
    if [ "$setting" != none ]; then
      echo "${setting##*:}" > "$CPU/cpu.cfs_period_us"
      echo $(( ${setting##*:} * ${setting%%:*} / 100 )) > "$CPU/cpu.cfs_quota_us"
    fi
    case $server in
      native) cmd=(bench/target/native/echo-server --port $port) ;;
      native-uring) cmd=(bench/target/native/echo-uring --port $port) ;;
      *) cmd=("$java" -Xms64m -Xmx1g -XX:+UseG1GC -jar "$server-echo/target/$server-echo.jar" --port $port) ;;
    esac
    out=$(mktemp)
    taskset -c 0 bash -c 'echo $$ > "$1/tasks"; echo $$ > "$2/tasks"; shift 2; exec timeout 60 "$@"' _ "$CPU" "$ACCT" "${cmd[@]}" > "$out" 2>&1 &
    pid=$!
    for _ in $(seq 100); do grep -q listening "$out" && break; sleep 0.1; done
    throttled0=$(awk '/^nr_throttled/{print $2}' "$CPU/cpu.stat")
    if [ "$client" = native ]; then warm=2; load=(bench/target/native/echo-client --port $port --connections 100 --size 64 --seconds 6 --warmup 2)
    else warm=4; load=(./echolab load --port $port --connections 100 --size 64 --duration 6s --warmup 3s); fi
    (sleep $warm; cat "$ACCT/cpuacct.usage" > "$out.u0"; sleep 6; cat "$ACCT/cpuacct.usage" > "$out.u1") &
    result=$( { /usr/bin/time -f "client %U %S" taskset -c 1 timeout 60 "${load[@]}"; } 2>&1 )
    wait $!
    throttled=$(( $(awk '/^nr_throttled/{print $2}' "$CPU/cpu.stat") - throttled0 ))
    kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
    rate=$(echo "$result" | grep -oE '^[0-9]+ round trips/s|[0-9,]+ msg/s' | head -1)
    busy=$(echo "$result" | awk '/^client /{printf "%.2f", $2 + $3}')
    share=$(awk -v a="$(cat "$out.u0")" -v b="$(cat "$out.u1")" 'BEGIN{printf "%.2f", (b - a) / 6e9}')
    echo "$server $setting client=$client: $rate; server CPU $share of a CPU; client $busy s user+system; throttled $throttled periods"
    rm -f "$out" "$out.u0" "$out.u1"
  done
done
