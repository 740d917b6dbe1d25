#!/usr/bin/env bash
# GoMap's performance in one sitting: the JMH comparison of GoMap, java.util.HashMap and fastutil's
# Object2ObjectOpenHashMap (get hit/miss, put growing/presized, remove, iterate; Integer and String keys;
# 1K and 1M entries; allocation through -prof gc), the same maps with Long keys at 1M, GoLongMap (long keys
# inline, Go's fast64 paths) on Go's benchmark operation for operation, then Go's own map on the same work
# (int64 keys, 1M entries) with Debian's golang-go. Prints all of it, a table of ratios against HashMap and
# one of GoLongMap against Go.
#
#   scripts/bench-gomap.sh                    # the full run recorded in docs/GOMAP.md (about 15 minutes)
#   JMH_ARGS='-f 1 -wi 1 -i 1 -w 1s -r 1s' scripts/bench-gomap.sh   # a quicker, rougher run
#
#   ONLY_GO_LONG=1 scripts/bench-gomap.sh  # only GoLongMap against Go (about 3 minutes)
#
# Results also land in mapscope-bench/target/bench-gomap/ (jmh.csv, jmh-long.csv, jmh-golong.csv, go.txt,
# ratios.md, vs-go.md). Go's build cache stays in Go's own cache directory, nothing is written to the tree.
set -euo pipefail
cd "$(dirname "$0")/.."

JMH_ARGS=${JMH_ARGS:-"-f 1 -wi 2 -i 3 -w 1s -r 1s"}
out=mapscope-bench/target/bench-gomap
command -v go >/dev/null || { echo "bench-gomap: the Go benchmark needs Go: apt-get install -y golang-go" >&2; exit 2; }

mvn -B -ntp -q -pl mapscope-bench -am package -DskipTests
mkdir -p "$out"
jar=mapscope-bench/target/benchmarks.jar

echo "== machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
golong() {
  echo "== JMH: GoLongMap, Go's benchmark operation for operation ($JMH_ARGS, fixed heap)"
  # shellcheck disable=SC2086
  java -jar "$jar" 'dev.mapscope.bench.GoLongMapBench' $JMH_ARGS -jvmArgs '-Xms2g -Xmx2g -XX:+UseParallelGC' \
    -rf csv -rff "$out/jmh-golong.csv" | tee "$out/jmh-golong.txt" | grep -E '^(Benchmark|GoLongMapBench)'
  echo "== Go $(go env GOVERSION): the built-in map, int64 keys, 1M entries"
  (cd mapscope-bench/go && GOPROXY=off GOFLAGS=-mod=mod go test -run '^$' -bench . -benchtime 1s -count 3) \
    | tee "$out/go.txt"
  # GoLongMap against Go: Go's median ns/op divided by GoLongMap's score (above 1.0: GoLongMap is faster).
  awk -F, '
    function unq(s) { gsub(/"/, "", s); return s }
    { sub(/\r$/, "") }
    FILENAME ~ /csv$/ && FNR > 1 { n = unq($1); sub(/.*\./, "", n); java[n] = unq($5) + 0; next }
    FILENAME ~ /go.txt$/ && /^Benchmark/ {
      split($0, f, /[ \t]+/)
      n = f[1]; sub(/^Benchmark/, "", n); sub(/1M(-[0-9]+)?$/, "", n)
      n = tolower(substr(n, 1, 1)) substr(n, 2)
      go[n, ++cnt[n]] = f[3] + 0
    }
    END {
      print "| 1M int64 keys | GoLongMap ns/op | Go ns/op (median of runs) | Go time / GoLongMap time |"
      print "|---|---|---|---|"
      split("getHit getMiss putGrowing putPresized remove", names, " ")
      for (i = 1; i <= 5; i++) {
        b = names[i]; k = cnt[b]
        for (x = 1; x <= k; x++) v[x] = go[b, x]
        for (x = 1; x <= k; x++) for (y = x + 1; y <= k; y++) if (v[y] < v[x]) { t = v[x]; v[x] = v[y]; v[y] = t }
        med = k ? v[int((k + 1) / 2)] : 0
        if (b in java && med > 0) printf "| %s | %.1f | %.1f | %.2f |\n", b, java[b], med, med / java[b]
      }
    }' "$out/jmh-golong.csv" "$out/go.txt" | tee "$out/vs-go.md"
}

if [ -n "${ONLY_GO_LONG:-}" ]; then
  golong
  echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
  exit 0
fi

echo "== JMH: GoMap vs HashMap vs fastutil ($JMH_ARGS -prof gc)"
# shellcheck disable=SC2086
java -jar "$jar" 'dev.mapscope.bench.GoMap(Get|Put|Iterate)Bench' $JMH_ARGS -prof gc \
  -rf csv -rff "$out/jmh.csv" | tee "$out/jmh.txt" | grep -E '^(Benchmark|GoMap)' | grep -v '·gc\.' | grep -v ':gc\.'

echo "== JMH: Long keys, 1M entries (the Java side of the Go comparison)"
# shellcheck disable=SC2086
java -jar "$jar" 'dev.mapscope.bench.GoMap(Get|Put)Bench' $JMH_ARGS -p keyType=Long -p size=1000000 \
  -rf csv -rff "$out/jmh-long.csv" | tee "$out/jmh-long.txt" | grep -E '^(Benchmark|GoMap)'

golong

# Ratios: HashMap's time divided by GoMap's (above 1.0 means GoMap is faster), and bytes allocated per op
# (-prof gc counts the whole iteration on the benchmark thread, so put/remove include the maps' tables and the
# untimed refills; "-" where the run had no -prof gc).
awk -F, '
  function unq(s) { gsub(/"/, "", s); return s }
  { sub(/\r$/, "") }   # JMH writes its CSV with CRLF line ends; the last field would keep the CR
  FNR == 1 { next }
  {
    name = unq($1); score = unq($5) + 0; impl = unq($8); kt = unq($9); size = unq($10)
    split(name, parts, ":"); sub(/.*\./, "", parts[1]); bench = parts[1]
    key = bench " | " kt " | " size
    if (!(key in seen)) { seen[key] = 1; order[++n] = key }
    if (name ~ /alloc\.rate\.norm/) { alloc[key, impl] = score } else if (parts[2] == "") { s[key, impl] = score }
  }
  END {
    print "| benchmark | keys | entries | GoMap | HashMap | fastutil | HashMap time / GoMap time | B/op GoMap | B/op HashMap |"
    print "|---|---|---|---|---|---|---|---|---|"
    for (i = 1; i <= n; i++) {
      k = order[i]
      if (s[k, "GoMap"] == "") continue
      ga = ((k, "GoMap") in alloc) ? sprintf("%.1f", alloc[k, "GoMap"]) : "-"
      ha = ((k, "HashMap") in alloc) ? sprintf("%.1f", alloc[k, "HashMap"]) : "-"
      printf "| %s | %.1f | %.1f | %.1f | %.2f | %s | %s |\n", k, s[k, "GoMap"], s[k, "HashMap"], s[k, "fastutil"],
        s[k, "HashMap"] / s[k, "GoMap"], ga, ha
    }
  }' "$out/jmh.csv" "$out/jmh-long.csv" | tee "$out/ratios.md"
echo "(scores: ns per operation, iterate: us per full iteration; lower is better)"
echo "== load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
