#!/bin/sh
# make-history-corpus.sh DIR [BUNDLES] [VERSIONS]: a git repository shaped
# like a national CTG site, for make bench: BUNDLES convention bundles
# (default 2000), each signed VERSIONS times (default 6: the initial
# convention and 5 avenants), one commit per signed version, written in one
# pass by git fast-import. Dates and identities are fixed.
set -eu
dir=$1
bundles=${2:-2000}
versions=${3:-6}
rm -rf "$dir"
mkdir -p "$dir"
cd "$dir"
git init -q -b main .
LC_ALL=C awk -v B="$bundles" -v V="$versions" '
function blob(text) {
	printf "data %d\n%s\n", length(text), text
}
function body(b, v,    t, a) {
	t = "---\ntitle: Convention territoriale globale " b "\ntype: convention\n"
	t = t "territoire: Territoire " b "\ndate_effet: 2026-01-01\ndate_fin: 2030-12-31\n---\n\n"
	t = t "## Préambule\n\nLa présente convention organise la coopération entre la Caf et le territoire " b ".\n\n"
	for (a = 1; a <= 14; a++) {
		t = t "## Article " a " - Objet " a "\n\nLes parties conviennent des engagements de l’article " a
		t = t ", pour une capacité de " (40 + a + (a == 5 ? v * 4 : 0)) " places.\n\n"
	}
	return t
}
BEGIN {
	n = 0
	# each version is committed after it was published (on the 21st of
	# month v + 1), as a real one is: the reference date (that of HEAD) is then
	# past every signature, and a new commit does not change any standing
	split("0 31 59 90 120 151 181 212 243 273 304 334", yday, " ")
	ts = 1767225600 # 2026-01-01T00:00:00Z
	for (v = 0; v < V; v++) {
		for (b = 1; b <= B; b++) {
			n++
			msg = (v == 0 ? "Convention initiale " b : "Avenant n°" v " de la convention " b) "\n\nSignature: " sprintf("2026-%02d-15", v + 1)
			msg = msg "\nPublication: " sprintf("2026-%02d-20", v + 1)
			if (v > 0) msg = msg "\nAvenant: " v
			msg = msg "\n"
			printf "commit refs/heads/main\n"
			printf "mark :%d\n", n
			printf "committer Bench <bench@example.org> %d +0000\n", ts + (yday[v % 12 + 1] + 20) * 86400 + b * 10
			printf "data %d\n%s\n", length(msg), msg
			if (n > 1) printf "from :%d\n", n - 1
			printf "M 100644 inline content/ctg-%04d/index.md\n", b
			blob(body(b, v))
			printf "\n"
		}
	}
}' | git fast-import --quiet
git checkout -q main
