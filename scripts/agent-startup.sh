#!/usr/bin/env bash
# Start-up cost of the agent on a small program (it puts one key in a HashMap and prints the map), whole
# process: no agent, mode=overlap and mode=full, alternating, RUNS rounds (default 7) after one warm-up round
# (the first JVM of a new agent build or JDK weaves the JDK classes and fills the woven cache); then the median
# of each: wall time, CPU (user + system), peak RSS; the classes loaded (one -Xlog:class+load run each) and any
# JVM warning on stderr. The load average is printed first and last: wall times are only comparable at low load.
# Usage: scripts/agent-startup.sh [RUNS]   (after: mvn -B -ntp -pl mapscope-agent -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
jar=$(pwd)/${MAPSCOPE_JAR:-mapscope-agent/target/mapscope-agent.jar}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/Small.java" <<'JAVA'
import java.util.HashMap;

public class Small {
    public static void main(String[] args) {
        HashMap<String, Integer> m = new HashMap<>();
        m.put("k", 1);
        System.out.println(m);
    }
}
JAVA
javac -d "$tmp" "$tmp/Small.java"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)   $(java -version 2>&1 | head -1)"
args_for() {
  case $1 in
    none) ;;
    *) echo "-javaagent:$jar=mode=$1,stderr=false" ;;
  esac
}
declare -A wall cpu rss
for ((i = -1; i < runs; i++)); do
  for agent in none overlap full; do
    /usr/bin/time -f '%e %U %S %M' -o "$tmp/t" java $(args_for $agent) -cp "$tmp" Small >/dev/null 2>"$tmp/err"
    read -r w u s m <"$tmp/t"
    if ((i >= 0)); then
      wall[$agent]+="$w "
      cpu[$agent]+="$(echo "$u + $s" | bc) "
      rss[$agent]+="$((m / 1024)) "
    fi
  done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf '%-8s %8s %8s %9s %8s  %s\n' agent wall_s cpu_s peak_MB classes 'stderr warnings'
for agent in none overlap full; do
  classes=$(java -Xlog:class+load $(args_for $agent) -cp "$tmp" Small 2>/dev/null | grep -c 'class,load')
  warnings=$(java $(args_for $agent) -cp "$tmp" Small 2>&1 >/dev/null | grep -ci warning || true)
  printf '%-8s %8s %8s %9s %8s  %s\n' $agent "$(median "${wall[$agent]}")" "$(median "${cpu[$agent]}")" \
    "$(median "${rss[$agent]}")" "$classes" "$warnings"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
