# End-to-end: the cache of rendered documents (.paraphe-cache/ beside the
# output) and the reuse of the previous output. A cached build must be
# byte-identical to a clean one (--no-cache, fresh directory), whatever
# changed in between: a new avenant, a theme file, an output file edited
# by hand, a removed page.
. tests/e2e/lib.sh

FX=$TOP/tests/fixtures/make-repo.sh
R=$(mktemp -d "${TMPDIR:-/tmp}/paraphe-e2e-cache.XXXXXX")
trap 'rm -rf "$T" "$R"' EXIT
sh "$FX" real "$R/site" >/dev/null 2>&1 || echo "fixture real failed" >&2
S=$R/site
O=$R/out/public
mkdir -p "$R/out"

# same_as_clean NAME: builds S with the cache into O, then without it into
# a fresh directory, and compares the two trees.
same_as_clean() {
	run_paraphe build -C "$S" -o "$O" -v
	st=$status
	cp "$T/stderr" "$T/cached.err"
	rm -rf "$R/clean"
	run_paraphe build -C "$S" -o "$R/clean" --no-cache -q
	if [ $st -eq 0 ] && [ $status -eq 0 ] && diff -r "$O" "$R/clean" >"$T/diff" 2>&1; then
		pass "$1"
	else
		fail "$1" "exit $st/$status: $(head -20 "$T/diff") $(cat "$T/cached.err")"
	fi
}
hits() { sed -n 's/.*note: cache: \([0-9]*\) of \([0-9]*\) documents.*/\1 \2/p' "$T/cached.err"; }

same_as_clean cold_cache_same_as_clean
[ -d "$R/out/.paraphe-cache/public/docs" ] &&
	pass cache_beside_output || fail cache_beside_output "$(ls -la "$R/out")"
grep -qx '\*' "$R/out/.paraphe-cache/.gitignore" && pass cache_ignored_by_git || fail cache_ignored_by_git
set -- $(hits)
[ "${1:-x}" = 0 ] && pass cold_cache_no_hits || fail cold_cache_no_hits "$(hits)"

same_as_clean warm_cache_same_as_clean
set -- $(hits)
[ "${1:-0}" -gt 0 ] && [ "$1" = "$2" ] && pass warm_cache_all_hits || fail warm_cache_all_hits "$(hits)"

# a new avenant: only its convention (and the listings) render again
b=$(cd "$S/content" && ls -d ctg* | head -1)
printf '\n## Article 99 - Ajout\n\nUn article ajouté par avenant.\n' >>"$S/content/$b/index.md"
(cd "$S" && git add -A && GIT_AUTHOR_DATE=2027-03-02T10:00:00Z GIT_COMMITTER_DATE=2027-03-02T10:00:00Z \
	git -c user.name=T -c user.email=t@example.org -c commit.gpgsign=false commit -q -m "Avenant n°9" \
	--trailer "Signature: 2027-03-01" --trailer "Avenant: $(($(cd "$S" && git log --format=%B | grep -c '^Avenant:') + 1))" \
	--trailer "Publication: 2027-03-02") >/dev/null 2>&1 || echo "commit failed" >&2
same_as_clean new_avenant_same_as_clean
set -- $(hits)
[ "${1:-0}" -gt 0 ] && [ "$1" -lt "$2" ] && pass new_avenant_partial_hits || fail new_avenant_partial_hits "$(hits)"
grep -q 'Article 99' "$O/$b/index.html" && pass new_avenant_shown || fail new_avenant_shown

# an output file edited in place (it shares its inode with the cache)
f=$(find "$O" -path '*versions/1/index.html' | head -1)
echo 'vandalised' >>"$f"
same_as_clean edited_output_repaired
! grep -q vandalised "$f" && ! grep -rq vandalised "$R/out/.paraphe-cache/public/docs" &&
	pass edited_output_not_cached || fail edited_output_not_cached

# a file added by hand, then a second build (the first one's output is the
# spare the second reuses): it must not come back
echo stray >"$O/stray.html"
same_as_clean stray_file_gone_1
same_as_clean stray_file_gone_2
[ ! -e "$O/stray.html" ] && pass stray_file_never_back || fail stray_file_never_back

# a theme file of the site overrides the built-in one: everything renders
mkdir -p "$S/themes/default/templates"
cp "$TOP/themes/default/templates/page.html" "$S/themes/default/templates/page.html"
sed -i 's|</main>|<p class="ajout-theme">ajout</p></main>|' "$S/themes/default/templates/page.html"
same_as_clean theme_change_same_as_clean
grep -rq 'ajout-theme' "$O" && pass theme_change_applied || fail theme_change_applied

# a removed page disappears, with its directory
p=$(cd "$S/content" && find . -name '*.md' ! -name 'index.md' ! -name '_index.md' -path './ctg*' | head -1)
rm -f "$S/content/$p"
same_as_clean removed_page_same_as_clean

# --no-cache neither reads nor writes the cache
rm -rf "$R/nc"
mkdir -p "$R/nc"
run_paraphe build -C "$S" -o "$R/nc/public" --no-cache -q
[ $status -eq 0 ] && [ ! -e "$R/nc/.paraphe-cache" ] && pass no_cache_writes_nothing || fail no_cache_writes_nothing

# identical for -j 1 and -j 3 with a warm cache
run_paraphe build -C "$S" -o "$O" -j 1 -q
h1=$(tree_hash "$O")
run_paraphe build -C "$S" -o "$O" -j 3 -q
[ "$h1" = "$(tree_hash "$O")" ] && pass cache_any_jobs || fail cache_any_jobs

# a failed build leaves the output and the kept tree usable
h0=$(tree_hash "$O")
printf -- '---\ntitle: [\n---\n' >"$S/content/casse.md"
run_paraphe build -C "$S" -o "$O" -q
rm -f "$S/content/casse.md"
[ $status -ne 0 ] && [ "$h0" = "$(tree_hash "$O")" ] && pass failed_build_keeps_output || fail failed_build_keeps_output
same_as_clean after_failure_same_as_clean
