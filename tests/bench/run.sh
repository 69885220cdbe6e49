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

# --- render only: 2,000 pages of ~34 KB, against Hugo ---------------------
R=$B/render
if [ ! -d "$R/content" ] || [ "$TOP/tests/bench/make-render-corpus.sh" -nt "$R/content" ]; then
	sh "$TOP/tests/bench/make-render-corpus.sh" "$R" 2000 34
fi
# --no-cache: every page rendered, as Hugo does
pp() { "$PARAPHE" build -C "$R" --history none -o "$B/render-out" -q --no-cache; }
p1=$(wall pp); p2=$(wall pp); p3=$(wall pp)
pw=$(median "$p1" "$p2" "$p3")
prss=$(peak_rss "$PARAPHE" build -C "$R" --history none -o "$B/render-out" -q --no-cache)
if command -v hugo >/dev/null 2>&1; then
	hg() { hugo --quiet -s "$R/hugo" -d "$B/hugo-out"; }
	h1=$(wall hg); h2=$(wall hg); h3=$(wall hg)
	hw=$(median "$h1" "$h2" "$h3")
	hrss=$(peak_rss hugo --quiet -s "$R/hugo" -d "$B/hugo-out")
	row "render only, 2,000 × 34 KB, wall s" "$pw" "$hw" \
		"$(awk -v a="$pw" -v b="$hw" 'BEGIN { printf "%.2f×", a / b }')"
	row "render only, peak RSS MiB" "$prss" "$hrss" \
		"$(awk -v a="$prss" -v b="$hrss" 'BEGIN { printf "%.2f×", a / b }')"
	echo "  reference: Debian's hugo, minimal layout; targets ≤ 1/3 wall, ≤ 1/8 RSS"
else
	row "render only, 2,000 × 34 KB, wall s" "$pw" "(no hugo)" ""
	row "render only, peak RSS MiB" "$prss" "(no hugo)" ""
fi
"$PARAPHE" build -C "$R" --history none -o "$B/render-out" -v --no-cache 2>&1 |
	awk '/stage / { sub(/^paraphe: note: stage /, ""); printf "  stage %s\n", $0 }'

# --- the Markdown stage against the cmark-gfm command ----------------------
set -- "$R"/content/conventions/*.md
m1=$("$TOP/build/bench/bench_markdown" "$@" | cut -d' ' -f2)
m2=$("$TOP/build/bench/bench_markdown" "$@" | cut -d' ' -f2)
m3=$("$TOP/build/bench/bench_markdown" "$@" | cut -d' ' -f2)
mw=$(median "$m1" "$m2" "$m3")
if command -v cmark-gfm >/dev/null 2>&1; then
	cpu() {
		/usr/bin/time -f "%U %S" cmark-gfm -e table -e strikethrough \
			-e autolink -e tagfilter -e tasklist -e footnotes "$@" \
			2>&1 >/dev/null | awk '{ printf "%.3f", $1 + $2 }'
	}
	c1=$(cpu "$@"); c2=$(cpu "$@"); c3=$(cpu "$@")
	cw=$(median "$c1" "$c2" "$c3")
	row "Markdown stage, 68 MB, cpu s" "$mw" "$cw" \
		"$(awk -v a="$mw" -v b="$cw" 'BEGIN { printf "%.2f×", a / b }')"
	echo "  reference: the cmark-gfm command on the same files (one run); target ≤ 1.5×"
else
	row "Markdown stage, 68 MB, cpu s" "$mw" "(no cmark-gfm)" ""
fi

# --- diff of two 60 KB conventions that differ in five places -------------
row "diff, 2 × 60 KB, 5 changes, ms" \
	"$(cd "$TOP" && "$TOP/build/bench/bench_diff" 200 2>/dev/null |
		awk '$1 == "patience" { print $4; exit }')" "" "target ≤ 5"

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
		awk -v s="$1" '$0 ~ "stage " s ":" { sub(/.*: /, ""); print $1 }'
}
h1=$(stage history)
h2=$(stage history)
h3=$(stage history)
hist=$(median "$h1" "$h2" "$h3")
row "history stage (12,000 commits), s" "$hist" "$git_log" \
	"$(awk -v a="$hist" -v b="$git_log" 'BEGIN { printf "%.2f×", a / b }')"
echo "  reference: git log --raw --no-renames on the same repository; target ≤ 2×"
# full build: a first build, with no output and no cache yet
full() {
	rm -rf "$B/history-out" "$B/.paraphe-cache/history-out"
	wall "$PARAPHE" build -C "$H" -o "$B/history-out"
}
f1=$(full); f2=$(full); f3=$(full)
fw=$(median "$f1" "$f2" "$f3")
row "history corpus full build, wall s" "$fw" "" "target ≤ 30"
rm -rf "$B/history-out" "$B/.paraphe-cache/history-out"
row "history corpus full build, peak RSS MiB" \
	"$(peak_rss "$PARAPHE" build -C "$H" -o "$B/history-out")" "" "target ≤ 300"
"$PARAPHE" build -C "$H" -o "$B/history-out" -v 2>&1 |
	awk '/stage / { sub(/^paraphe: note: stage /, ""); printf "  stage %s (rebuild, warm cache)\n", $0 }'

# incremental: one new avenant on a clone of the corpus, after two builds
I=$B/history-incr
rm -rf "$I" "$B/incr-out" "$B/.paraphe-cache/incr-out"
git clone -q "$H" "$I"
"$PARAPHE" build -C "$I" -o "$B/incr-out" -q
"$PARAPHE" build -C "$I" -o "$B/incr-out" -q
f=$I/content/ctg-0001/index.md
[ -f "$f" ] || f=$(find "$I/content" -name index.md | sort | head -1)
printf '\n## Article 15 - Ajout\n\nUn article ajouté par avenant.\n' >>"$f"
(cd "$I" && git add -A && GIT_AUTHOR_DATE=2026-12-01T10:00:00Z GIT_COMMITTER_DATE=2026-12-01T10:00:00Z \
	git -c user.name=Bench -c user.email=bench@example.org -c commit.gpgsign=false \
	commit -q -m "Avenant de la convention 1" --trailer "Signature: 2026-11-30" \
	--trailer "Publication: 2026-12-01" --trailer "Avenant: $(($(git log -1 --format=%B -- "$f" |
		sed -n 's/^Avenant: //p') + 1))")
s=$(date +%s.%N)
"$PARAPHE" build -C "$I" -o "$B/incr-out" -v 2>"$B/incr.log" >/dev/null
e=$(date +%s.%N)
iw=$(awk -v s="$s" -v e="$e" 'BEGIN { printf "%.3f", e - s }')
row "incremental rebuild after one avenant, s" "$iw" "$fw" \
	"$(awk -v a="$iw" -v b="$fw" 'BEGIN { printf "%.0f %%", 100 * a / b }')"
echo "  reference: the full build above; target ≤ 10 %"
awk '/stage |cache:/ { sub(/^paraphe: note: /, ""); printf "  %s\n", $0 }' "$B/incr.log"
