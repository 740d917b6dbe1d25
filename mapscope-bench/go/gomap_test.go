// Package gomapbench measures Go's own built-in map on the work that GoMap's JMH benchmarks give the Java
// maps: one million distinct random int64 keys; lookups of present keys (hit) and absent keys (miss) in
// random order; insertion into a growing map and into a map made with a size hint; removal. Scores are
// ns per operation, like the JMH scores of GoMapGetBench and GoMapPutBench.
//
// Run: go test -run '^$' -bench . -benchtime 1s -count 3 (scripts/bench-gomap.sh does, beside the JMH run).
// The classic bucket map that GoMap ports is Go's map up to Go 1.23; Go 1.24 replaced it by Swiss tables.
package gomapbench

import (
	"math/rand"
	"testing"
)

const size = 1_000_000

// lookups is a power of two at least size, so that a cursor can wrap with a mask.
const lookups = 1 << 20

var keys, hits, misses []int64

// sink keeps results alive so that the compiler cannot drop the lookups.
var sink int64

func init() {
	r := rand.New(rand.NewSource(20260526))
	seen := make(map[int64]bool, 2*size)
	next := func() int64 {
		for {
			k := r.Int63() - r.Int63()
			if !seen[k] {
				seen[k] = true
				return k
			}
		}
	}
	keys = make([]int64, size)
	for i := range keys {
		keys[i] = next()
	}
	hits = make([]int64, lookups)
	for i := range hits {
		hits[i] = keys[r.Intn(size)]
	}
	misses = make([]int64, lookups)
	for i := range misses {
		misses[i] = next()
	}
}

func filled() map[int64]int64 {
	m := make(map[int64]int64)
	for _, k := range keys {
		m[k] = k
	}
	return m
}

func BenchmarkGetHit1M(b *testing.B) {
	m := filled()
	b.ResetTimer()
	var s int64
	for i := 0; i < b.N; i++ {
		s += m[hits[i&(lookups-1)]]
	}
	sink = s
}

func BenchmarkGetMiss1M(b *testing.B) {
	m := filled()
	b.ResetTimer()
	var s int64
	for i := 0; i < b.N; i++ {
		s += m[misses[i&(lookups-1)]]
	}
	sink = s
}

// BenchmarkPutGrowing1M inserts into a map made without a hint, which pays for every growth; a fresh map
// replaces it, outside the timed region, once it holds all the keys.
func BenchmarkPutGrowing1M(b *testing.B) {
	m := make(map[int64]int64)
	c := 0
	for i := 0; i < b.N; i++ {
		if c == size {
			b.StopTimer()
			m = make(map[int64]int64)
			c = 0
			b.StartTimer()
		}
		k := keys[c]
		m[k] = k
		c++
	}
	sink = int64(len(m))
}

// BenchmarkPutPresized1M inserts into make(map[int64]int64, size).
func BenchmarkPutPresized1M(b *testing.B) {
	m := make(map[int64]int64, size)
	c := 0
	for i := 0; i < b.N; i++ {
		if c == size {
			b.StopTimer()
			m = make(map[int64]int64, size)
			c = 0
			b.StartTimer()
		}
		k := keys[c]
		m[k] = k
		c++
	}
	sink = int64(len(m))
}

// BenchmarkRemove1M deletes keys from a full map, refilled outside the timed region when empty.
func BenchmarkRemove1M(b *testing.B) {
	b.StopTimer()
	m := filled()
	b.StartTimer()
	c := 0
	for i := 0; i < b.N; i++ {
		if c == size {
			b.StopTimer()
			m = filled()
			c = 0
			b.StartTimer()
		}
		delete(m, keys[c])
		c++
	}
	sink = int64(len(m))
}
