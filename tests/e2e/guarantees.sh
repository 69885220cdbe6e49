# End-to-end: the guarantees of SPEC §9 — atomic, reproducible, contained,
# safe by default.
. tests/e2e/lib.sh

s=$T/site
mksite "$s"
mkdir -p "$s/content/ctg-2026" "$s/content/notes"
printf -- '---\ntitle: Accueil\n---\nBonjour.\n' >"$s/content/_index.md"
printf -- '---\ntitle: Convention\ntype: convention\n---\n## Article 1 - Objet\n\nTexte.\n' >"$s/content/ctg-2026/index.md"
printf -- '---\ntitle: Annexe 1\nweight: 1\n---\nTableau.\n' >"$s/content/ctg-2026/annexe-1.md"
printf '%%PDF-1.4 fake\n' >"$s/content/ctg-2026/scan.pdf"
printf 'Note.\n' >"$s/content/notes/note.md"

# reproducible: two builds are byte-identical, also -j 1 against -j 2
run_paraphe build -C "$s" -o "$T/a" -q -j 1
st1=$status
run_paraphe build -C "$s" -o "$T/b" -q -j 2
if [ $st1 -eq 0 ] && [ $status -eq 0 ] && diff -r "$T/a" "$T/b" >&2; then pass reproducible_j1_j2; else fail reproducible_j1_j2; fi
run_paraphe build -C "$s" -o "$T/a" -q
[ $status -eq 0 ] && diff -r "$T/a" "$T/b" >&2 && pass reproducible_rebuild || fail reproducible_rebuild
[ -f "$T/a/ctg-2026/scan.pdf" ] && [ -f "$T/a/ctg-2026/annexe-1/index.html" ] && pass bundle_resources_and_subpages || fail bundle_resources_and_subpages
[ -f "$T/a/.paraphe" ] && pass output_marker || fail output_marker
ls -a "$T" | grep -v '^\.paraphe-cache$' | grep -q 'paraphe-' && fail no_leftovers_beside_output "$(ls -a "$T")" || pass no_leftovers_beside_output

# atomic: a failing build (bad template) leaves the previous output as it was
before=$(tree_hash "$T/a")
mkdir -p "$s/themes/default/templates"
printf '<!DOCTYPE html>\n<p>{{ page.title }}</p>\n{{ no_such_function() }}\n' >"$s/themes/default/templates/page.html"
run_paraphe build -C "$s" -o "$T/a"
[ $status -eq 1 ] && pass bad_template_exit_1 || fail bad_template_exit_1 "exit $status"
grep -q 'themes/default/templates/page.html:3' "$T/stderr" && pass template_error_names_file_and_line || fail template_error_names_file_and_line "$(cat "$T/stderr")"
[ "$(tree_hash "$T/a")" = "$before" ] && pass atomic_failed_build_leaves_output || fail atomic_failed_build_leaves_output
ls -a "$T" | grep -v '^\.paraphe-cache$' | grep -q 'paraphe-' && fail failed_build_no_leftovers "$(ls -a "$T")" || pass failed_build_no_leftovers
rm -rf "$s/themes"

# a template that does not compile is reported with its line too
mkdir -p "$s/themes/default/templates"
printf '<p>\n{%% if x then %%}\n{{ page.title \n' >"$s/themes/default/templates/list.html"
run_paraphe build -C "$s" -o "$T/a"
[ $status -eq 1 ] && grep -q 'themes/default/templates/list.html:3' "$T/stderr" && pass template_syntax_error_position || fail template_syntax_error_position "$(cat "$T/stderr")"
[ "$(tree_hash "$T/a")" = "$before" ] && pass atomic_after_syntax_error || fail atomic_after_syntax_error
rm -rf "$s/themes"

# contained: a non-empty directory without the marker is refused and kept
mkdir -p "$T/foreign" && echo precious >"$T/foreign/data.txt"
run_paraphe build -C "$s" -o "$T/foreign"
[ $status -eq 3 ] && [ "$(cat "$T/foreign/data.txt")" = precious ] && [ "$(ls -A "$T/foreign")" = data.txt ] &&
	pass foreign_output_refused || fail foreign_output_refused "exit $status $(ls -A "$T/foreign")"

# contained: a symbolic link to /etc/passwd is not published
ln -s /etc/passwd "$s/content/passwd.md"
ln -s /etc/passwd "$s/content/ctg-2026/passwd.txt"
run_paraphe build -C "$s" -o "$T/c"
[ $status -eq 0 ] && pass symlink_build_ok || fail symlink_build_ok "$(cat "$T/stderr")"
if grep -rq 'root:' "$T/c" || [ -e "$T/c/passwd" ] || [ -e "$T/c/ctg-2026/passwd.txt" ]; then fail symlink_not_published; else pass symlink_not_published; fi
grep -q 'passwd' "$T/stderr" && pass symlink_warning || fail symlink_warning "$(cat "$T/stderr")"
rm -f "$s/content/passwd.md" "$s/content/ctg-2026/passwd.txt"

# contained: hidden files and .git are never published
mkdir -p "$s/content/.git" && echo secret >"$s/content/.git/config" && echo secret >"$s/content/.env"
printf 'x\n' >"$s/content/.brouillon.md"
run_paraphe build -C "$s" -o "$T/d" -q
[ $status -eq 0 ] && ! grep -rq secret "$T/d" && [ ! -e "$T/d/.git" ] && [ ! -e "$T/d/brouillon" ] && pass hidden_not_published || fail hidden_not_published
rm -rf "$s/content/.git" "$s/content/.env" "$s/content/.brouillon.md"

# safe by default: titles and raw HTML are escaped
printf -- '---\ntitle: "<script>alert(1)</script>"\n---\nTexte <script>alert(2)</script> et <b onclick="x()">gras</b>.\n\n<div onmouseover="alert(3)">bloc</div>\n\n[lien](javascript:alert(4))\n' >"$s/content/xss.md"
run_paraphe build -C "$s" -o "$T/e" -q
f=$T/e/xss/index.html
if [ $status -eq 0 ] && ! grep -q '<script>alert' "$f" && ! grep -q '<b onclick' "$f" && ! grep -q '<div onmouseover' "$f" && ! grep -q 'javascript:' "$f"; then pass escaped_by_default; else fail escaped_by_default "$(grep -n 'alert' "$f")"; fi
grep -q '&lt;script&gt;alert(1)&lt;/script&gt;' "$f" && pass title_escaped || fail title_escaped
grep -q '&lt;script&gt;alert(2)' "$f" && pass raw_html_shown_as_text || fail raw_html_shown_as_text
