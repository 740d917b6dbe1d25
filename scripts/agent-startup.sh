#!/usr/bin/env bash
# Start-up cost of the agent on a program that does almost nothing: the wall time of a JVM without the
# agent, with mode=overlap and with mode=full, alternating, RUNS rounds (default 5), then the median of each;
# and, for mode=full, the happens-before rewrite's counters (classes seen and rewritten, retransformed at
# install, install and transform milliseconds) from the session's status.json.
# Usage: scripts/agent-startup.sh [RUNS]   (after: mvn -B -ntp -pl mapscope-bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
bench=mapscope-bench/target/benchmarks.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
declare -A times
for ((i = 0; i < runs; i++)); do
  for agent in none overlap full; do
    args=()
    [ "$agent" != none ] && args+=("-javaagent:$jar=mode=$agent,stderr=false")
    [ "$agent" = full ] && args[0]+=",session=$tmp/session"
    t0=$(date +%s%N)
    java "${args[@]}" -cp "$bench" dev.mapscope.bench.AgentStartup 2>/dev/null
    t1=$(date +%s%N)
    times[$agent]+="$(( (t1 - t0) / 1000000 )) "
  done
done
for agent in none overlap full; do
  printf '%-8s median %5s ms   runs: %s\n' "$agent" \
    "$(tr ' ' '\n' <<<"${times[$agent]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" "${times[$agent]}"
done
grep -o '"happensBefore":{[^}]*}' "$tmp/session/status.json" || true
