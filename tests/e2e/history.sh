# End-to-end: versions from git (SPEC §3, §4), on fixture repositories made
# by tests/fixtures/make-repo.sh — never on this repository's own history.
. tests/e2e/lib.sh

FX=$TOP/tests/fixtures/make-repo.sh
# Repositories outside any other repository: "not a git repository" must
# not find this project's .git above build/tmp.
R=$(mktemp -d "${TMPDIR:-/tmp}/paraphe-e2e-history.XXXXXX")
trap 'rm -rf "$T" "$R"' EXIT
fixture() { sh "$FX" "$1" "$R/$1" >/dev/null 2>&1 || echo "fixture $1 failed" >&2; }

fixture ctg
b=ctg-val-ambreuse-2026-2030
run_paraphe build -C "$R/ctg" -o "$T/ctg"
o=$T/ctg/$b
[ $status -eq 0 ] && pass ctg_builds || fail ctg_builds "exit $status: $(cat "$T/stderr")"
[ -f "$o/versions/0/index.html" ] && [ -f "$o/versions/1/index.html" ] && [ -f "$o/versions/2/index.html" ] && [ ! -e "$o/versions/3" ] &&
	pass signed_versions_only || fail signed_versions_only "$(ls "$o/versions")"
[ -f "$o/versions/1/annexe-1/index.html" ] && grep -q '52 places' "$o/versions/1/annexe-1/index.html" &&
	pass version_subpages_at_commit || fail version_subpages_at_commit
grep -q '60 places' "$o/annexe-1/index.html" && ! grep -q '64 places' "$o/annexe-1/index.html" &&
	pass current_is_last_signed_subpage || fail current_is_last_signed_subpage
grep -q 'Une micro-crèche est créée' "$o/index.html" && ! grep -q 'de 12 places' "$o/index.html" &&
	pass current_is_last_signed_text || fail current_is_last_signed_text
grep -Eq "content/$b/index.md: warning: unsigned changes after avenant n°2: [0-9a-f]{7}, [0-9a-f]{7}" "$T/stderr" &&
	pass unsigned_changes_warning || fail unsigned_changes_warning "$(cat "$T/stderr")"

# the timeline: labels, dates from trailers (never commit dates), acte
t=$o/versions/index.html
grep -q 'Convention initiale' "$t" && grep -q 'Avenant n°1' "$t" && grep -q 'Avenant n°2' "$t" && pass timeline_labels || fail timeline_labels
grep -q '15 mars 2027' "$t" && ! grep -q '1er mars 2027' "$t" && pass legal_dates_from_trailers || fail legal_dates_from_trailers
grep -q '063-216300699-20270301-270301004-DE' "$t" && pass timeline_acte || fail timeline_acte

# data.json has the contract's shape
if python3 - "$o/data.json" <<'PY' >&2
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) >= {"title", "type", "path", "meta", "versions"}, d.keys()
assert d["type"] == "convention" and d["path"] == "ctg-val-ambreuse-2026-2030/"
vs = d["versions"]
assert [v["id"] for v in vs] == [0, 1, 2], vs
for v in vs:
    assert set(v) >= {"id", "label", "date", "commit", "signed", "trailers"}, v
    assert v["signed"] is True and len(v["commit"]) == 40
assert vs[1]["date"] == "2027-03-15" and vs[2]["trailers"]["Effet"] == "2028-03-01"
assert vs[0]["label"] == "Convention initiale" and vs[2]["label"] == "Avenant n°2"
PY
then pass data_json_shape; else fail data_json_shape; fi

# banners: at HEAD's date (2028-07-01) avenant 2 is in force, avenant 1
# was superseded; with an earlier reference date avenant 2 is to come
grep -q 'class="bandeau bandeau-en-vigueur"' "$o/index.html" && pass banner_current_in_force || fail banner_current_in_force
grep -q 'class="bandeau bandeau-remplacee"' "$o/versions/1/index.html" && pass banner_superseded || fail banner_superseded
grep -q 'data-debut="2028-03-01"' "$o/index.html" && pass banner_dates_for_script || fail banner_dates_for_script
SOURCE_DATE_EPOCH=1771200000 run_paraphe build -C "$R/ctg" -o "$T/ctg-early" -q
grep -q 'class="bandeau bandeau-a-venir"' "$T/ctg-early/$b/index.html" && pass source_date_epoch_reference || fail source_date_epoch_reference

# a bilan inside the signed bundle has its own history, and is not signed
[ -f "$o/bilan-2027/versions/2/index.html" ] && grep -q 'Bilan final' "$o/bilan-2027/index.html" &&
	pass bilan_own_history || fail bilan_own_history
# an ordinary page keeps its history across a rename
[ -f "$T/ctg/guide/versions/2/index.html" ] && grep -q 'Première version' "$T/ctg/guide/versions/0/index.html" &&
	pass rename_followed || fail rename_followed

# --strict: unsigned changes fail the build and write nothing
run_paraphe build -C "$R/ctg" -o "$T/ctg-strict" --strict
[ $status -eq 1 ] && [ ! -e "$T/ctg-strict" ] && pass strict_unsigned_fails || fail strict_unsigned_fails "exit $status"
# --drafts: the unsigned changes are published as a marked draft
run_paraphe build -C "$R/ctg" -o "$T/ctg-drafts" --drafts -q
d=$T/ctg-drafts/$b/versions/3
[ $status -eq 0 ] && grep -q 'Projet d’avenant' "$d/index.html" && grep -q '64 places' "$d/annexe-1/index.html" &&
	pass drafts_published_marked || fail drafts_published_marked
grep -q '60 places' "$T/ctg-drafts/$b/annexe-1/index.html" && pass drafts_current_still_signed || fail drafts_current_still_signed

# reproducible with history
run_paraphe build -C "$R/ctg" -o "$T/ctg2" -q
diff -r "$T/ctg" "$T/ctg2" >&2 && pass reproducible_with_history || fail reproducible_with_history

# degraded cases: a warning that says what is missing, never a crash
mkdir -p "$R/nogit/content" && printf 'Texte.\n' >"$R/nogit/content/a.md"
run_paraphe build -C "$R/nogit" -o "$T/nogit"
[ $status -eq 0 ] && grep -q 'warning: .*not a git repository' "$T/stderr" && [ -f "$T/nogit/a/index.html" ] &&
	pass not_a_repository || fail not_a_repository "exit $status: $(cat "$T/stderr")"
fixture empty
run_paraphe build -C "$R/empty" -o "$T/empty"
[ $status -eq 0 ] && grep -q 'warning: ' "$T/stderr" && pass repository_without_commits || fail repository_without_commits "exit $status: $(cat "$T/stderr")"
fixture shallow
run_paraphe build -C "$R/shallow" -o "$T/shallow"
[ $status -lt 124 ] && grep -qi 'shallow' "$T/stderr" && pass shallow_clone_warns || fail shallow_clone_warns "exit $status: $(cat "$T/stderr")"
run_paraphe build -C "$R/ctg" -o "$T/none" --history none
[ $status -eq 0 ] && [ ! -e "$T/none/$b/versions" ] && grep -q '64 places' "$T/none/$b/annexe-1/index.html" &&
	pass history_none_working_tree || fail history_none_working_tree "exit $status"
printf 'Nouveau.\n' >"$R/ctg/content/nouveau.md"
run_paraphe build -C "$R/ctg" -o "$T/untracked"
[ $status -eq 0 ] && grep -q 'nouveau.md' "$T/stderr" && [ -f "$T/untracked/nouveau/index.html" ] &&
	pass untracked_file_warns || fail untracked_file_warns "$(cat "$T/stderr")"
rm -f "$R/ctg/content/nouveau.md"
for k in gap duplicate; do
	fixture $k
	run_paraphe build -C "$R/$k" -o "$T/$k"
	[ $status -eq 1 ] && grep -q 'error: .*avenant' "$T/stderr" && [ ! -e "$T/$k" ] &&
		pass "avenant_${k}_is_error" || fail "avenant_${k}_is_error" "exit $status: $(cat "$T/stderr")"
done
for k in merge nonutf8 epoch0; do
	fixture $k
	run_paraphe build -C "$R/$k" -o "$T/$k"
	[ $status -eq 0 ] && pass "degraded_$k" || fail "degraded_$k" "exit $status: $(cat "$T/stderr")"
done
if find "$T/nonutf8" -name '*.html' -exec iconv -f UTF-8 -t UTF-8 {} + >/dev/null 2>&1; then pass nonutf8_output_valid; else fail nonutf8_output_valid; fi

# the site in a sub-directory of the repository
fixture subdir
run_paraphe build -C "$R/subdir/site" -o "$T/subdir" -q
[ $status -eq 0 ] && [ -f "$T/subdir/a/versions/1/index.html" ] && [ ! -e "$T/subdir/a/versions/2" ] &&
	pass site_in_subdirectory || fail site_in_subdirectory "exit $status: $(cat "$T/stderr")"

# the shape of a real CTG: an unsigned commit between two avenants is
# folded into the second; only the unsigned commit at the end is reported
fixture real
run_paraphe build -C "$R/real" -o "$T/real"
o=$T/real/ctg
[ $status -eq 0 ] && [ -d "$o/versions/2" ] && [ ! -e "$o/versions/3" ] && pass real_three_versions || fail real_three_versions "exit $status $(ls "$o/versions" 2>&1)"
grep -q '>52<' "$o/versions/2/annexe-2/index.html" && grep -q '>40<' "$o/versions/1/annexe-2/index.html" &&
	pass real_unsigned_commit_folded || fail real_unsigned_commit_folded
grep -q '>52<' "$o/annexe-2/index.html" && grep -q 'modifié par les avenants 1 et 2' "$o/index.html" &&
	pass real_current_page || fail real_current_page
n=$(grep -c 'warning:' "$T/stderr")
tail_id=$(cd "$R/real" && git rev-parse --short=7 HEAD)
[ "$n" -eq 1 ] && grep -q "unsigned changes after avenant n°2: $tail_id (" "$T/stderr" && pass real_warning_names_last_commit_only || fail real_warning_names_last_commit_only "$(cat "$T/stderr")"
[ -d "$o/point-etape/versions/1" ] && [ ! -e "$o/versions/0/point-etape" ] && pass real_bilan_apart || fail real_bilan_apart
if python3 - "$o/data.json" <<'PY' >&2
import json, sys
d = json.load(open(sys.argv[1]))
vs = d["versions"]
assert [(v["id"], v["label"], v["date"]) for v in vs] == [(0, "Convention initiale", "2026-01-15"), (1, "Avenant n°1", "2026-06-18"), (2, "Avenant n°2", "2026-10-20")], vs
assert vs[2]["trailers"] == {"Signature": "2026-10-20", "Avenant": "2", "Effet": "2027-01-01", "Publication": "2026-10-23"}, vs[2]
PY
then pass real_data_json; else fail real_data_json; fi
grep -q 'class="bandeau bandeau-a-venir"' "$o/index.html" && grep -q 'class="bandeau bandeau-en-vigueur"' "$o/versions/1/index.html" &&
	pass real_banners_at_head_date || fail real_banners_at_head_date

# worker threads: the same site, versions and changes pages, for any -j
run_paraphe build -C "$R/ctg" -o "$T/j1" -q -j 1
run_paraphe build -C "$R/ctg" -o "$T/j2" -q -j 2
run_paraphe build -C "$R/ctg" -o "$T/j3" -q -j 3
diff -r "$T/j1" "$T/j2" >&2 && diff -r "$T/j1" "$T/j3" >&2 && pass reproducible_any_jobs || fail reproducible_any_jobs

# a chain long enough to be compared in several runs on the workers
# (history_chain.c: 256 commits a run): 200 bundles signed 3 times
sh "$TOP/tests/bench/make-history-corpus.sh" "$R/long" 200 3 >/dev/null 2>&1 ||
	echo "long corpus failed" >&2
run_paraphe build -C "$R/long" -o "$T/l1" -q -j 1 --no-cache
run_paraphe build -C "$R/long" -o "$T/l3" -q -j 3 --no-cache
[ "$(git -C "$R/long" rev-list --count HEAD)" = 600 ] &&
	[ -f "$T/l1/ctg-0200/versions/2/changes/index.html" ] &&
	diff -r "$T/l1" "$T/l3" >&2 && pass long_chain_any_jobs || fail long_chain_any_jobs

# and the same diagnostics, in document order: broken texts in the working
# tree (load), then the same texts in an older commit (load versions)
D=$R/diag
mkdir -p "$D/content"
gitc() { git -C "$D" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "$@"; }
git -C "$D" init -q -b main .
for i in 1 2 3 4 5 6 7 8 9; do printf -- '---\ntitle: [\n---\nTexte %s.\n' $i >"$D/content/p$i.md"; done
printf 'Texte \377.\n' >"$D/content/p5.md"
gitc add -A && gitc commit -q -m broken
run_paraphe build -C "$D" -o "$T/d1" -j 1
cp "$T/stderr" "$T/d1.err"
run_paraphe build -C "$D" -o "$T/d3" -j 3
[ "$(grep -c 'error:' "$T/d1.err")" -ge 9 ] && cmp "$T/d1.err" "$T/stderr" >&2 &&
	pass load_diagnostics_any_jobs || fail load_diagnostics_any_jobs "$(cat "$T/d1.err")"
for i in 1 2 3 4 5 6 7 8 9; do printf 'Texte %s.\n' $i >"$D/content/p$i.md"; done
gitc add -A && gitc commit -q -m fixed
run_paraphe build -C "$D" -o "$T/d1" -j 1
cp "$T/stderr" "$T/d1.err"
run_paraphe build -C "$D" -o "$T/d3" -j 3
[ "$(grep -c '@[0-9a-f]\{7\}.*error:' "$T/d1.err")" -ge 9 ] && cmp "$T/d1.err" "$T/stderr" >&2 &&
	pass load_versions_diagnostics_any_jobs || fail load_versions_diagnostics_any_jobs "$(cat "$T/d1.err")"
