# End-to-end: what the site publishes beside its pages (SPEC §4, issue 6):
# feed.xml, sitemap.xml, search.json, deliberations.csv, accessibilite/,
# recherche/, 404.html, SHA-256 of resources, schema.org JSON-LD, dates put
# online, French typography and links that work from file://. On the ctg
# fixture repository of tests/fixtures/make-repo.sh and on small sites.
. tests/e2e/lib.sh

FX=$TOP/tests/fixtures/make-repo.sh
R=$(mktemp -d "${TMPDIR:-/tmp}/paraphe-e2e-publication.XXXXXX")
trap 'rm -rf "$T" "$R"' EXIT
sh "$FX" ctg "$R/ctg" >/dev/null 2>&1 || echo "fixture ctg failed" >&2
b=ctg-val-ambreuse-2026-2030
cat >"$R/ctg/site.yaml" <<'YAML'
title: "CTG de test"
base_url: "https://ctg.example.fr/publications/"
collectivite:
  nom: 'Communauté de communes "du Val", Ambreuse'
  siret: "20009741800012"
accessibilite:
  statut: partiellement
  date_audit: 2026-06-30
  contact: accessibilite@example.fr
YAML
run_paraphe build -C "$R/ctg" -o "$T/ctg"
o=$T/ctg
[ $status -eq 0 ] && pass publication_builds || fail publication_builds "exit $status: $(cat "$T/stderr")"

# a signed version without a date put online is a warning, never a date
grep -q "content/$b/index.md: warning: signed version 1 'Avenant n°1' has no date put online" "$T/stderr" &&
	! grep -q "signed version 0 .* no date put online" "$T/stderr" &&
	pass publication_date_warning || fail publication_date_warning "$(cat "$T/stderr")"

# feed.xml: Atom, name-based ids, absolute links with base_url
if python3 - "$o/feed.xml" <<'PY' >&2
import sys, xml.etree.ElementTree as ET
ns = {"a": "http://www.w3.org/2005/Atom"}
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == "{http://www.w3.org/2005/Atom}feed"
entries = feed.findall("a:entry", ns)
assert entries, "no entry"
ids = [e.find("a:id", ns).text for e in entries]
assert all(i.startswith("urn:uuid:") and i[23] == "5" for i in ids), ids
assert len(set(ids)) == len(ids), "duplicate ids"
links = [e.find("a:link", ns).get("href") for e in entries]
assert all(l.startswith("https://ctg.example.fr/publications/") for l in links), links
titles = [e.find("a:title", ns).text for e in entries]
assert any("Avenant n°2" in t for t in titles), titles
# signed documents: signed versions only
assert not any("Correction d" in t for t in titles), titles
for e in entries:
    u = e.find("a:updated", ns).text
    assert len(u) == 20 and u.endswith("Z"), u
PY
then pass feed_atom; else fail feed_atom; fi

# the same sources give the same files (ids never random)
run_paraphe build -C "$R/ctg" -o "$T/ctg2"
if [ "$(tree_hash "$o")" = "$(tree_hash "$T/ctg2")" ]; then pass publication_reproducible; else
	fail publication_reproducible "$(diff -r "$o" "$T/ctg2" | head -5)"; fi

# sitemap.xml: absolute URLs, every page kind
if python3 - "$o/sitemap.xml" <<'PY' >&2
import sys, xml.etree.ElementTree as ET
ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
locs = [l.text for l in ET.parse(sys.argv[1]).getroot().findall("s:url/s:loc", ns)]
base = "https://ctg.example.fr/publications/"
assert all(l.startswith(base) for l in locs), locs
for p in ["", "ctg-val-ambreuse-2026-2030/", "ctg-val-ambreuse-2026-2030/versions/",
          "ctg-val-ambreuse-2026-2030/versions/1/", "accessibilite/", "recherche/"]:
    assert base + p in locs, p
PY
then pass sitemap_absolute; else fail sitemap_absolute; fi

# search.json: one entry per document but the home page
if python3 - "$o/search.json" <<'PY' >&2
import json, sys
docs = json.load(open(sys.argv[1]))
paths = [d["path"] for d in docs]
assert "ctg-val-ambreuse-2026-2030/" in paths and "" not in paths, paths
for d in docs:
    assert set(d) >= {"title", "path", "type", "section", "excerpt", "headings"}, d
c = [d for d in docs if d["path"] == "ctg-val-ambreuse-2026-2030/"][0]
assert c["type"] == "convention" and "Article 1 - Objet" in c["headings"], c
PY
then pass search_json; else fail search_json; fi

# deliberations.csv: the SCDL columns in order, one row per act, formats
if python3 - "$o/deliberations.csv" <<'PY' >&2
import csv, sys
raw = open(sys.argv[1], "rb").read()
assert raw.count(b"\r\n") == raw.count(b"\n"), "CRLF line ends"
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
assert rows[0] == ["COLL_NOM", "COLL_SIRET", "DELIB_ID", "DELIB_DATE",
    "DELIB_MATIERE_CODE", "DELIB_MATIERE_NOM", "DELIB_OBJET", "BUDGET_ANNEE",
    "BUDGET_NOM", "PREF_ID", "PREF_DATE", "VOTE_EFFECTIF", "VOTE_REEL",
    "VOTE_POUR", "VOTE_CONTRE", "VOTE_ABSTENTION", "DELIB_URL"], rows[0]
body = {r[2]: r for r in rows[1:]}
assert set(body) == {"063-216300699-20260115-260115001-CC",
                     "063-216300699-20270301-270301004-DE"}, list(body)
r = body["063-216300699-20260115-260115001-CC"]
assert r[0] == 'Communauté de communes "du Val", Ambreuse' and r[1] == "20009741800012", r
assert r[3] == "2026-01-15" and r[9] == "PREF063" and r[4] == "8.2", r
assert r[16] == "https://ctg.example.fr/publications/ctg-val-ambreuse-2026-2030/versions/0/", r
assert "Convention initiale" in r[6], r
r = body["063-216300699-20270301-270301004-DE"]
assert r[3] == "2027-03-01" and "micro-crèche" in r[6], r
PY
then pass deliberations_csv; else fail deliberations_csv; fi

# resources: size and SHA-256 shown and in data.json
sum=$(sha256sum "$R/ctg/content/$b/scan.pdf" | cut -d' ' -f1)
grep -q "$sum" "$o/$b/index.html" && grep -q "\"sha256\": \"$sum\"" "$o/$b/data.json" &&
	pass resource_sha256 || fail resource_sha256 "$sum"

# schema.org Legislation JSON-LD: the convention, then an avenant that
# amends it
if python3 - "$o/$b/index.html" "$o/$b/versions/1/index.html" <<'PY' >&2
import json, re, sys
def ld(f):
    m = re.search(r'<script type="application/ld\+json">(.*?)</script>', open(f).read(), re.S)
    assert m, f
    return json.loads(m.group(1))
cur, av = ld(sys.argv[1]), ld(sys.argv[2])
assert cur["@type"] == "Legislation" and cur["legislationIdentifier"] == "063-216300699-20260115-260115001-CC", cur
assert cur["legislationLegalForce"] in ("InForce", "NotInForce", "PartiallyInForce"), cur
assert av["legislationType"] == "Avenant" and av["legislationIdentifier"] == "063-216300699-20270301-270301004-DE", av
assert av["legislationAmends"]["legislationIdentifier"] == cur["legislationIdentifier"], av
assert av["url"] == "https://ctg.example.fr/publications/ctg-val-ambreuse-2026-2030/versions/1/", av
PY
then pass jsonld_legislation; else fail jsonld_legislation; fi

# the prefecture identifier shown parsed; a superseded version marked
grep -q 'Délibération n.*270301004' "$o/$b/index.html" && grep -q 'SIREN 216' "$o/$b/index.html" &&
	pass acte_parsed || fail acte_parsed
grep -q 'remplacée par l’avenant n°1' "$o/$b/index.html" && pass superseded_marked || fail superseded_marked

# accessibility: the déclaration, the mention on the home page, a footer
# link on every page
a=$o/accessibilite/index.html
[ -f "$a" ] && grep -q 'partiellement conforme' "$a" && grep -q 'Défenseur des droits' "$a" &&
	grep -q '30 juin 2026' "$a" && grep -q 'mailto:accessibilite@example.fr' "$a" &&
	pass accessibilite_page || fail accessibilite_page
nb=$(printf '\302\240') nnb=$(printf '\342\200\257')
grep -q "Accessibilité${nb}: partiellement conforme" "$o/index.html" && pass accessibilite_home || fail accessibilite_home
missing=$(find "$o" -name '*.html' | while read -r f; do grep -Eq 'accessibilite/(index.html)?">Accessibilité' "$f" || echo "$f"; done)
[ -z "$missing" ] && pass accessibilite_footer_everywhere || fail accessibilite_footer_everywhere "$missing"

# the list of every document, and a 404 page whose links work at any depth
grep -q "href=\"../$b/index.html\"" "$o/recherche/index.html" && pass search_page || fail search_page
[ -f "$o/404.html" ] && grep -q 'href="https://ctg.example.fr/publications/style.css"' "$o/404.html" &&
	pass page_404 || fail page_404

# no base_url: no sitemap (it needs absolute URLs), relative feed links
sed -i '/^base_url/d' "$R/ctg/site.yaml"
run_paraphe build -C "$R/ctg" -o "$T/nobase"
[ $status -eq 0 ] && [ ! -e "$T/nobase/sitemap.xml" ] && grep -q "href=\"$b/versions/2/\"" "$T/nobase/feed.xml" &&
	python3 -c 'import csv,sys; r=list(csv.reader(open(sys.argv[1],newline="")))[1:]; assert r and all(x[1]=="20009741800012" and x[16]=="" for x in r)' "$T/nobase/deliberations.csv" &&
	pass no_base_url || fail no_base_url "$(cat "$T/stderr")"

# French typography in text, never in code; links to directories end in
# index.html (file://), unless liens: dossiers
s=$T/typo
mksite "$s"
printf -- '---\ntitle: "Objet : essai"\n---\nBonjour : vous ! Et « mot » ; `a : b` et [lien](../autre/).\n' >"$s/content/page.md"
printf -- '---\ntitle: Autre\n---\nTexte.\n' >"$s/content/autre.md"
run_paraphe build -C "$s" -o "$T/typo-out" -q
f=$T/typo-out/page/index.html
grep -q "Bonjour${nb}: vous${nnb}! Et «${nb}mot${nb}»${nnb};" "$f" && grep -q '<code>a : b</code>' "$f" &&
	grep -q "<h1>Objet${nb}: essai</h1>" "$f" && grep -q "<title>Objet${nb}: essai" "$f" &&
	pass typography_text_only || fail typography_text_only "$(grep -o 'Bonjour.*' "$f")"
grep -q 'href="../autre/index.html"' "$f" && grep -q 'href="../index.html"' "$f" &&
	pass links_index_html || fail links_index_html
printf 'language: en\nliens: dossiers\n' >"$s/site.yaml"
run_paraphe build -C "$s" -o "$T/typo-en" -q
f=$T/typo-en/page/index.html
grep -q 'Bonjour : vous ! Et « mot » ;' "$f" && grep -q 'href="../autre/"' "$f" &&
	pass typography_off_in_english || fail typography_off_in_english

# a site's own accessibilite/ page wins over the generated one
printf -- '---\ntitle: Notre déclaration\n---\nTexte propre.\n' >"$s/content/accessibilite.md"
run_paraphe build -C "$s" -o "$T/own" -q
[ $status -eq 0 ] && grep -q 'Texte propre' "$T/own/accessibilite/index.html" && pass own_accessibilite_page ||
	fail own_accessibilite_page "exit $status: $(cat "$T/stderr")"

# a bilan: indicators (initial, target, reached) and actions by status from
# the front matter, unless its text has these sections already
s=$T/bilan
mksite "$s"
cat >"$s/content/bilan.md" <<'MD'
---
title: Bilan 2026
type: bilan
nature: point-etape
indicateurs:
  - {axe: Petite enfance, nom: Places en EAJE, unite: places, initial: 84, cible: 114, realise: 90}
actions:
  - {axe: Petite enfance, action: "1.1 – Multi-accueil", statut: en cours, avancement: 40}
  - {axe: Parentalité, action: "3.1 – LAEP itinérant", statut: réalisée, avancement: 100}
---
Texte du bilan.
MD
sed -e 's/^Texte du bilan.$/## Indicateurs\n\nTableau calculé.\n\n## Avancement des actions\n\nTableau calculé./' \
	"$s/content/bilan.md" >"$s/content/bilan-calcule.md"
run_paraphe build -C "$s" -o "$T/bilan-out" -q
f=$T/bilan-out/bilan/index.html
grep -q '<caption id="pp_indicateurs_legende">' "$f" && grep -q '>−24<' "$f" &&
	grep -q '<h3>En cours (1)</h3>' "$f" && grep -q '<h3>Réalisée (1)</h3>' "$f" &&
	grep -q 'value="40"' "$f" && pass bilan_tables || fail bilan_tables "exit $status: $(cat "$T/stderr")"
f=$T/bilan-out/bilan-calcule/index.html
! grep -q 'pp_indicateurs_legende' "$f" && grep -q 'href="#indicateurs"' "$f" &&
	grep -q 'href="#avancement-des-actions"' "$f" && pass bilan_tables_not_twice || fail bilan_tables_not_twice
