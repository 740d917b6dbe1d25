#!/usr/bin/env bash
# What the map profile costs a whole process: the Jackson workload of agent-jackson.sh (4 MB of JSON read
# into maps, 60 rounds, the last 30 timed, 4 documents kept, -Xmx1g) without the agent, with the agent
# (mode=overlap, then mode=full), and with the same agent plus a profile from the start (profile=DIR, default
# sampling unless PROFILE_SAMPLE is set). The variants take turns, RUNS times (default 5), so that a load
# change on the machine hits all of them. The table gives, per variant, the best and the median ms per round
# and CPU seconds of the whole process, and the ratios of the best figures to the same variant without the
# profile: on a shared machine other jobs only ever add time, so the best of several runs is the steadier
# figure. VARIANTS="none overlap overlap+profile full full+profile" adds mode=full.
# Usage: scripts/agent-profile-overhead.sh [RUNS]   (after: mvn -B -ntp -pl mapscope-bench -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
jar=${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
# workloads.jar, not benchmarks.jar: the latter holds a copy of the agent that would run instead of $jar
bench=mapscope-bench/target/workloads.jar
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
sample=${PROFILE_SAMPLE:+,profile-sample=$PROFILE_SAMPLE}
read -r -a variants <<<"${VARIANTS:-none overlap overlap+profile}"
declare -A times cpus
for run in $(seq 1 "$runs"); do
  for v in "${variants[@]}"; do
    args=(-Xmx1g)
    case "$v" in
      none) ;;
      *+profile) args+=("-javaagent:$jar=mode=${v%+profile},stderr=false,profile=$out/$v-$run$sample") ;;
      *) args+=("-javaagent:$jar=mode=$v,stderr=false") ;;
    esac
    line=$( { /usr/bin/time -f 'wall %es cpu %U+%S s maxRSS %MkB' java "${args[@]}" -cp "$bench" dev.mapscope.bench.AgentJacksonWorkload; } 2>&1 \
      | grep -v '^OpenJDK' | tr '\n' ' ')
    ms=$(sed -n 's/.*ms\/round \([0-9.]*\).*/\1/p' <<<"$line")
    times[$v]="${times[$v]:-} $ms"
    cpu=$(sed -n 's/.*cpu \([0-9.]*\)+\([0-9.]*\) s.*/\1 \2/p' <<<"$line" | awk '{print $1 + $2}')
    cpus[$v]="${cpus[$v]:-} $cpu"
    printf 'run %d  %-16s %s\n' "$run" "$v" "$line"
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
best() { tr ' ' '\n' <<<"$1" | grep . | sort -n | head -1; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo
printf '%-16s %10s %10s %8s %10s %10s %8s\n' variant 'best ms' 'median ms' ratio 'best cpu s' 'median cpu' ratio
for v in "${variants[@]}"; do
  base=${v%+profile}
  printf '%-16s %10s %10s %8s %10s %10s %8s\n' "$v" "$(best "${times[$v]}")" "$(median "${times[$v]}")" \
    "$(ratio "$(best "${times[$v]}")" "$(best "${times[$base]}")")" "$(best "${cpus[$v]}")" "$(median "${cpus[$v]}")" \
    "$(ratio "$(best "${cpus[$v]}")" "$(best "${cpus[$base]}")")"
done
echo "(ms: per round of the last 30; cpu: user+sys of the whole process, start-up, profile files and JFR included;"
echo " ratio: best to best, against the same variant without the profile)"
for f in "$out"/*-1/run.json; do
  [ -e "$f" ] && printf '%s: %s\n' "$(basename "$(dirname "$f")")" "$(head -c 200 "$f")"
done
