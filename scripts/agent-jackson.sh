#!/usr/bin/env bash
# The Jackson workload (4 MB of JSON read into maps, 60 rounds, 4 documents kept) as a whole process:
# without the agent, with mode=overlap, with mode=full. Prints ms per round, heap after GC and peak RSS.
# Usage: scripts/agent-jackson.sh   (after: mvn -B -ntp -pl mapscope-bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
bench=mapscope-bench/target/benchmarks.jar
for agent in none overlap full; do
  args=(-Xmx1g)
  [ "$agent" != none ] && args+=("-javaagent:$jar=mode=$agent,stderr=false")
  printf '%-8s ' "$agent"
  /usr/bin/time -f 'wall %es  maxRSS %MkB' java "${args[@]}" -cp "$bench" dev.mapscope.bench.AgentJacksonWorkload 2>&1 \
    | grep -v '^OpenJDK' | tr '\n' ' '
  echo
done
