# End-to-end: bad input gets a diagnostic naming the file, never a crash,
# a hang or a half-written site.
. tests/e2e/lib.sh

# bad_case NAME FILE-SETUP-COMMAND EXPECTED-PATTERN
s=$T/site
bad_case() {
	name=$1 setup=$2 pattern=$3
	mksite "$s"
	printf 'Bonne page.\n' >"$s/content/ok.md"
	(cd "$s/content" && eval "$setup")
	run_paraphe build -C "$s" -o "$T/out-$name"
	if [ $status -ge 124 ]; then fail "$name" "crash or hang: exit $status"; return; fi
	if [ $status -ne 1 ]; then fail "$name" "exit $status, expected 1: $(cat "$T/stderr")"; return; fi
	if ! grep -Eq "$pattern" "$T/stderr"; then fail "$name" "no diagnostic matching '$pattern' in: $(cat "$T/stderr")"; return; fi
	if [ -e "$T/out-$name" ]; then fail "$name" "output written despite the error"; return; fi
	pass "$name"
}

bad_case malformed_yaml "printf -- '---\ntitle: [unclosed\n---\nx\n' >bad.md" '^content/bad\.md:[0-9]+:[0-9]+: error: '
bad_case yaml_not_a_map "printf -- '---\n- a\n- b\n---\nx\n' >bad.md" '^content/bad\.md:2:1: error: front matter must be a map'
bad_case yaml_wrong_type "printf -- '---\ntitle: [a, b]\n---\nx\n' >bad.md" "^content/bad\.md:2:8: error: 'title' must be a string"
bad_case unclosed_front_matter "printf -- '---\ntitle: x\n\nno end\n' >bad.md" '^content/bad\.md:1:1: error: front matter is not closed'
bad_case invalid_utf8 "printf 'ligne 1\ncaf\351 cr\350me\n' >bad.md" '^content/bad\.md:2:4: error: invalid utf-8'
bad_case nul_byte "printf 'abc\000def\n' >bad.md" '^content/bad\.md:1:4: error: binary file'
bad_case binary_file "head -c 4096 /bin/sh >bad.md" '^content/bad\.md:[0-9:]*: error: (binary file|invalid utf-8)'
bad_case lfs_pointer "printf 'version https://git-lfs.github.com/spec/v1\noid sha256:abc\nsize 12\n' >bad.md" '^content/bad\.md:1:1: error: git lfs pointer'
bad_case huge_file "head -c 52428800 /dev/zero | tr '\\000' a >bad.md" '^content/bad\.md: error: file too large'
bad_case duplicate_key "printf -- '---\ntitle: a\ntitle: b\n---\nx\n' >bad.md" '^content/bad\.md:3:1: error: .*title'
bad_case slug_collision "printf 'a\n' >'A b.md'; printf 'b\n' >a-b.md" "error: .*content/A b\.md.*content/a-b\.md|error: .*content/a-b\.md.*content/A b\.md"

# a bad site.yaml is reported with its position
mksite "$s"
printf 'title: ok\ndrafts: peut-etre\n' >"$s/site.yaml"
printf 'x\n' >"$s/content/a.md"
run_paraphe build -C "$s" -o "$T/out-cfg"
[ $status -eq 1 ] && grep -Eq '^site\.yaml:2:[0-9]+: error: ' "$T/stderr" && pass bad_site_yaml || fail bad_site_yaml "exit $status: $(cat "$T/stderr")"

# every error is reported, not only the first
mksite "$s"
printf -- '---\ntitle: [\n---\n' >"$s/content/one.md"
printf 'caf\351\n' >"$s/content/two.md"
run_paraphe build -C "$s" -o "$T/out-many"
[ $status -eq 1 ] && grep -q 'content/one.md' "$T/stderr" && grep -q 'content/two.md' "$T/stderr" && pass all_errors_reported || fail all_errors_reported "$(cat "$T/stderr")"

# a content directory named in site.yaml that does not exist
rm -rf "$s" && mkdir -p "$s"
printf 'content: textes\n' >"$s/site.yaml"
run_paraphe build -C "$s" -o "$T/out-none"
[ $status -eq 1 ] && grep -q "textes" "$T/stderr" && [ ! -e "$T/out-none" ] && pass missing_content_dir || fail missing_content_dir "exit $status: $(cat "$T/stderr")"
