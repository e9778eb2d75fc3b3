# bench-median.awk: reads `go test -bench` output and keeps each
# benchmark's ns/op of every run (and its last B/op and allocs/op), in the
# order benchmarks first appear. The bench-*.sh scripts add an END block of
# their own (a second -f) that prints their table with median(name).
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
	n[name]++; ns[name, n[name]] = $3
	for (i = 4; i <= NF; i++) { if ($(i) == "B/op") bop[name] = $(i-1); if ($(i) == "allocs/op") aop[name] = $(i-1) }
	if (!(name in seen)) { seen[name] = 1; order[++k] = name }
}

# median is the median ns/op of a benchmark's runs.
function median(name,   i, j, t, m, a) {
	m = n[name]
	for (i = 1; i <= m; i++) a[i] = ns[name, i] + 0
	for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
	if (m % 2) return a[(m + 1) / 2]
	return (a[m / 2] + a[m / 2 + 1]) / 2
}
