#!/usr/bin/env bash
# What the map profile costs a whole process: the Jackson workload of agent-jackson.sh (4 MB of JSON read
# into maps, 60 rounds, the last 30 timed, 4 documents kept, -Xmx1g) without the agent, with the agent
# (mode=overlap, then mode=full), and with the same agent plus a profile from the start (profile=DIR, default
# sampling unless PROFILE_SAMPLE is set). The variants take turns, RUNS times (default 3), so that a load
# change on the machine hits all of them; the table gives the median ms per round and its ratio to the
# variant without the profile.
# Usage: scripts/agent-profile-overhead.sh [RUNS]   (after: mvn -B -ntp -pl mapscope-bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
jar=${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
bench=mapscope-bench/target/benchmarks.jar
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sample=${PROFILE_SAMPLE:+,profile-sample=$PROFILE_SAMPLE}
variants=(none overlap overlap+profile full full+profile)
declare -A times
for run in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    args=(-Xmx1g)
    case "$v" in
      none) ;;
      *+profile) args+=("-javaagent:$jar=mode=${v%+profile},stderr=false,profile=$out/$v-$run$sample") ;;
      *) args+=("-javaagent:$jar=mode=$v,stderr=false") ;;
    esac
    line=$( { /usr/bin/time -f 'wall %es maxRSS %MkB' java "${args[@]}" -cp "$bench" dev.mapscope.bench.AgentJacksonWorkload; } 2>&1 \
      | grep -v '^OpenJDK' | tr '\n' ' ')
    ms=$(sed -n 's/.*ms\/round \([0-9.]*\).*/\1/p' <<<"$line")
    times[$v]="${times[$v]:-} $ms"
    printf 'run %d  %-16s %s\n' "$run" "$v" "$line"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
printf '%-16s %12s %10s\n' variant 'ms/round' ratio
for v in "${variants[@]}"; do
  m=$(median "${times[$v]}")
  base=$(median "${times[${v%+profile}]}")
  printf '%-16s %12s %10s\n' "$v" "$m" "$(awk -v a="$m" -v b="$base" 'BEGIN {printf "%.3f", a / b}')"
done
echo "(ratio: to the same variant without the profile; none is 1.000 by definition)"
for f in "$out"/*-1/run.json; do
  [ -e "$f" ] && printf '%s: %s\n' "$(basename "$(dirname "$f")")" "$(head -c 200 "$f")"
done
