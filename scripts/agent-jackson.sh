#!/usr/bin/env bash
# The Jackson workload (4 MB of JSON read into maps, 60 rounds, 4 documents kept) as a whole process:
# without the agent, with mode=overlap, with mode=full, alternating, ROUNDS times each (default 5), with a
# fixed heap (-Xms = -Xmx: otherwise heap growth decides the figure). Prints ms per round, heap after GC and
# peak RSS per run. Usage: scripts/agent-jackson.sh [ROUNDS]
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
  args=(-Xms1g -Xmx1g)
  [ "$agent" != none ] && args+=("-javaagent:$jar=mode=$agent,stderr=false")
  printf '%-8s ' "$agent"
  /usr/bin/time -f 'wall %es  maxRSS %MkB' java "${args[@]}" -cp "$bench" dev.mapscope.bench.AgentJacksonWorkload 2>&1 \
    | grep -v '^OpenJDK' | tr '\n' ' '
  echo
done
done
