#!/usr/bin/env bash
# Detection rate of the seed program (10 threads, each writes one key into one shared HashMap, started one
# after another) under the mapscope agent: RUNS runs with all CPUs and RUNS runs pinned to one CPU.
# Usage: scripts/agent-seed-rate.sh [RUNS] [MODE]   (defaults: 200 full; MODE=overlap keeps only tier 1)
# Needs: mvn -B -ntp -pl mapscope-agent -am verify (or package + test-compile) run first.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-200}
mode=${2:-full}
jar=${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
classes=${MAPSCOPE_CLASSES:-mapscope-agent/target/test-classes}
[ -f "$jar" ] && [ -d "$classes" ] || { echo "build first: mvn -B -ntp -pl mapscope-agent -am verify" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for pin in all one; do
  prefix=()
  [ "$pin" = one ] && prefix=(taskset -c 0)
  found=0
  for i in $(seq 1 "$runs"); do
    report="$tmp/$pin-$i.jsonl"
    # C1 only: each run is a short process; the detection does not depend on the JIT.
    "${prefix[@]}" java -XX:TieredStopAtLevel=1 "-javaagent:$jar=mode=$mode,stderr=false,report=$report" \
      -cp "$classes" dev.mapscope.agent.Patterns racySeed >/dev/null 2>&1
    if grep -q '"type":"finding"' "$report"; then found=$((found + 1)); fi
  done
  echo "mode=$mode cpus=$pin: found in $found of $runs runs"
done
