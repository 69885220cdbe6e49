# End-to-end: basic builds, zero configuration, the command line.
. tests/e2e/lib.sh

# zero configuration: only Markdown, nested folders, accented names
z=$T/zero
mkdir -p "$z/Livre Ier/Titre IX" "$z/Équipes"
printf '# Article 375\n\nTexte.\n' >"$z/Livre Ier/Titre IX/Article 375.md"
printf 'Bienvenue.\n' >"$z/index-general.md"
printf -- '---\ntitle: Crèches et relais\n---\nLes *crèches*.\n' >"$z/Équipes/Crèches.md"
run_paraphe build -C "$z" --content . -o "$T/zero-out" -q
[ $status -eq 0 ] && pass zero_config_builds || fail zero_config_builds "exit $status: $(cat "$T/stderr")"
[ -f "$T/zero-out/livre-ier/titre-ix/article-375/index.html" ] &&
	pass zero_config_slug_path || fail zero_config_slug_path "$(cd "$T/zero-out" && find .)"
[ -f "$T/zero-out/equipes/creches/index.html" ] && grep -q 'Crèches et relais' "$T/zero-out/equipes/creches/index.html" &&
	pass zero_config_accents || fail zero_config_accents
[ -f "$T/zero-out/index.html" ] && [ -f "$T/zero-out/style.css" ] &&
	pass zero_config_home_and_theme || fail zero_config_home_and_theme
grep -q '<h1[^>]*>Article 375</h1>' "$T/zero-out/livre-ier/titre-ix/article-375/index.html" &&
	pass title_from_first_heading || fail title_from_first_heading

# every page: one h1, lang="fr", landmarks, a skip link
ok=1
for f in $(find "$T/zero-out" -name index.html); do
	[ "$(grep -o '<h1[ >]' "$f" | wc -l)" -eq 1 ] || { ok=0; echo "h1 count: $f" >&2; }
	grep -q '<html lang="fr"' "$f" || { ok=0; echo "lang: $f" >&2; }
	grep -q '<main' "$f" || { ok=0; echo "main: $f" >&2; }
	grep -q 'href="#pp_contenu"' "$f" || { ok=0; echo "skip link: $f" >&2; }
done
[ $ok -eq 1 ] && pass pages_one_h1_lang_landmarks || fail pages_one_h1_lang_landmarks

# links are relative: no href starting with "/"
if grep -rq 'href="/' "$T/zero-out"; then fail links_relative "$(grep -rho 'href="/[^"]*"' "$T/zero-out" | head -3)"; else pass links_relative; fi

# command line
run_paraphe --version
[ $status -eq 0 ] && grep -q '^paraphe [0-9]' "$T/stdout" && pass cli_version || fail cli_version
run_paraphe --help
[ $status -eq 0 ] && grep -q 'paraphe build' "$T/stdout" && pass cli_help || fail cli_help
run_paraphe help build
[ $status -eq 0 ] && grep -q -- '--content' "$T/stdout" && pass cli_help_build || fail cli_help_build
run_paraphe build --no-such-option
[ $status -eq 2 ] && grep -q "unknown option '--no-such-option'" "$T/stderr" && pass cli_unknown_option_exit_2 || fail cli_unknown_option_exit_2 "exit $status"
run_paraphe frobnicate
[ $status -eq 2 ] && pass cli_unknown_command_exit_2 || fail cli_unknown_command_exit_2
run_paraphe build -j 0
[ $status -eq 2 ] && pass cli_bad_jobs_exit_2 || fail cli_bad_jobs_exit_2
run_paraphe build -C "$T/does-not-exist"
[ $status -eq 3 ] && pass cli_missing_dir_exit_3 || fail cli_missing_dir_exit_3 "exit $status"

# summary line on success, silence with -q
run_paraphe build -C "$z" --content . -o "$T/zero-out"
[ $status -eq 0 ] && grep -q 'pages' "$T/stderr" && pass summary_line || fail summary_line "$(cat "$T/stderr")"

# site.yaml and flags: the flag wins
s=$T/cfg
mksite "$s"
printf 'title: "Titre du fichier"\noutput: sortie\n' >"$s/site.yaml"
printf -- '---\ntitle: Accueil\n---\nTexte.\n' >"$s/content/_index.md"
printf 'Une page.\n' >"$s/content/page.md"
run_paraphe build -C "$s" -q
[ $status -eq 0 ] && [ -f "$s/sortie/index.html" ] && grep -q 'Titre du fichier' "$s/sortie/page/index.html" &&
	pass config_from_site_yaml || fail config_from_site_yaml "$(cat "$T/stderr")"
run_paraphe build -C "$s" -o autre -q
[ $status -eq 0 ] && [ -f "$s/autre/index.html" ] && pass config_flag_wins || fail config_flag_wins

# the demo site of this repository builds without warnings
run_paraphe build -C "$TOP" -o "$T/demo" --history none
[ $status -eq 0 ] && pass demo_builds || fail demo_builds "$(cat "$T/stderr")"
grep -q ': warning:' "$T/stderr" && fail demo_no_warning "$(cat "$T/stderr")" || pass demo_no_warning
n=$(find "$T/demo" -name index.html | wc -l)
[ "$n" -ge 8 ] && pass demo_pages || fail demo_pages "only $n pages"
