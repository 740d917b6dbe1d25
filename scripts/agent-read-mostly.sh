#!/usr/bin/env bash
# A read-mostly workload as a whole process (AgentReadMostlyWorkload: three 50,000-entry tables built by
# main, then only read by 4 threads started after them, 20 rounds): without the agent, with mode=overlap,
# with mode=full, alternating, ROUNDS times each (default 5), with a fixed heap. Prints ms per round of the
# last half of the rounds, process CPU seconds, wall time and peak RSS per run.
# Usage: scripts/agent-read-mostly.sh [ROUNDS]
# (after: mvn -B -ntp -pl mapscope-bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
# workloads.jar, not benchmarks.jar: the latter holds a copy of the agent that would run instead of $jar
bench=mapscope-bench/target/workloads.jar
rounds=${1:-5}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
for round in $(seq 1 "$rounds"); do
for agent in none overlap full; do
  args=(-Xms512m -Xmx512m)
  [ "$agent" != none ] && args+=("-javaagent:$jar=mode=$agent,stderr=false")
  printf '%-8s ' "$agent"
  /usr/bin/time -f 'wall %es  maxRSS %MkB' java "${args[@]}" -cp "$bench" dev.mapscope.bench.AgentReadMostlyWorkload 2>&1 \
    | grep -v '^OpenJDK' | tr '\n' ' '
  echo
done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
