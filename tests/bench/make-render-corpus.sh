#!/bin/sh
# make-render-corpus.sh DIR [PAGES] [KB]: a site of PAGES Markdown pages
# (default 2000) of about KB kilobytes each (default 34), shaped like CTG
# texts (articles, sub-headings, lists, tables, emphasis, links), for make
# bench. DIR/content is the Markdown; DIR/hugo is a Hugo site over the same
# files with a minimal layout (title, table of contents, content).
set -eu
dir=$1
pages=${2:-2000}
kb=${3:-34}
rm -rf "$dir"
mkdir -p "$dir/content/conventions" "$dir/hugo/layouts/_default"
cd "$dir"
dir=$(pwd)
LC_ALL=C awk -v P="$pages" -v KB="$kb" -v D="$dir/content/conventions" '
function para(n,    s, i) {
	s = ""
	for (i = 0; i < n; i++)
		s = s "Les parties s’engagent à *développer* l’offre d’accueil du jeune enfant sur le territoire, " \
		      "en lien avec les **communes** et les [partenaires](https://example.org/p" i ") du schéma. "
	return s "\n\n"
}
BEGIN {
	for (p = 1; p <= P; p++) {
		f = sprintf("%s/convention-%04d.md", D, p)
		printf "---\ntitle: \"Convention %d\"\ntype: convention\n---\n\n", p > f
		size = 0
		for (a = 1; size < KB * 1024; a++) {
			t = sprintf("## Article %d - Objet de l’article %d\n\n", a, a)
			t = t para(4)
			t = t sprintf("### %d.1 Engagements\n\n", a)
			t = t "- recenser les besoins des familles ;\n- informer et accompagner les parents ;\n- planifier le développement des modes d’accueil.\n\n"
			t = t "| Commune | Places | Enfants de moins de 3 ans |\n|---|---:|---:|\n"
			t = t sprintf("| Vernasse | %d | %d |\n| Montaudière | %d | %d |\n\n", 40 + a, 398, 20 + a, 118)
			t = t para(3)
			printf "%s", t > f
			size += length(t)
		}
		close(f)
	}
}'
cat >hugo/hugo.toml <<'TOML'
baseURL = "https://example.org/"
disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]
[markup.goldmark.renderer]
unsafe = false
TOML
ln -s ../content hugo/content
cat >hugo/layouts/_default/single.html <<'HTML'
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}</main></body></html>
HTML
cat >hugo/layouts/_default/list.html <<'HTML'
<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>
<body><main><h1>{{ .Title }}</h1><ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul></main></body></html>
HTML
