#!/bin/sh
# make bench: generates the benchmark corpora under build/bench/ by script
# (never committed) and prints one table. Not part of make test: timings
# belong here, not in tests.
set -eu
TOP=$(pwd)
PARAPHE=${PARAPHE:-$TOP/paraphe}
B=$TOP/build/bench
mkdir -p "$B"

# median TIMES...: the median of three numbers
median() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# wall CMD...: the wall time of one run, in seconds
wall() {
	s=$(date +%s.%N)
	"$@" >/dev/null 2>&1
	e=$(date +%s.%N)
	awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }'
}
# peak_rss CMD...: the peak resident set of one run, in MiB
peak_rss() {
	/usr/bin/time -v "$@" 2>&1 >/dev/null |
		awk -F: '/Maximum resident set size/ { printf "%.1f", $2 / 1024 }'
}
row() { printf '%-44s %12s %12s %10s\n' "$@"; }

echo "paraphe bench — $(nproc) cores, $(date -u +%Y-%m-%d)"
row "measure" "paraphe" "reference" "ratio"

# --- history: 2,000 bundles × 6 signed versions = 12,000 commits ---------
H=$B/history
if [ ! -d "$H/.git" ] || [ "$TOP/tests/bench/make-history-corpus.sh" -nt "$H/.git" ]; then
	sh "$TOP/tests/bench/make-history-corpus.sh" "$H" 2000 6
fi
g1=$(cd "$H" && wall git log --raw --no-renames)
g2=$(cd "$H" && wall git log --raw --no-renames)
g3=$(cd "$H" && wall git log --raw --no-renames)
git_log=$(median "$g1" "$g2" "$g3")
stage() {
	"$PARAPHE" build -C "$H" -o "$B/history-out" -v 2>&1 |
		awk -v s="$1" '$0 ~ "stage " s ":" { print $(NF - 1) }'
}
h1=$(stage history)
h2=$(stage history)
h3=$(stage history)
hist=$(median "$h1" "$h2" "$h3")
row "history stage (12,000 commits), s" "$hist" "$git_log" \
	"$(awk -v a="$hist" -v b="$git_log" 'BEGIN { printf "%.2f×", a / b }')"
echo "  reference: git log --raw --no-renames on the same repository; target ≤ 2×"
f1=$(wall "$PARAPHE" build -C "$H" -o "$B/history-out")
f2=$(wall "$PARAPHE" build -C "$H" -o "$B/history-out")
f3=$(wall "$PARAPHE" build -C "$H" -o "$B/history-out")
row "history corpus full build, wall s" "$(median "$f1" "$f2" "$f3")" "" ""
row "history corpus full build, peak RSS MiB" \
	"$(peak_rss "$PARAPHE" build -C "$H" -o "$B/history-out")" "" ""
