# End-to-end: Lua hooks and derive blocks (SPEC §6, issue 5), with the
# real binary and its default limits. Every hostile hook ends the build
# with exit 1, a diagnostic naming the script and line, no output and no
# side effect, within seconds; derive blocks become Markdown, a table, raw
# HTML. Skipped while the binary does not run the derive stage yet.
. tests/e2e/lib.sh

s=$T/site

# Does this binary run derive blocks at all?
mksite "$s"
printf '```derive\nreturn "derive-" .. "ok"\n```\n' >"$s/content/p.md"
run_paraphe build -C "$s" -q
if [ $status -ne 0 ] || ! grep -q 'derive-ok' "$s/public/p/index.html" 2>/dev/null; then
	for n in os_execute io_open infinite_loop memory_bomb string_dump \
		require_os derive_markdown derive_table derive_html \
		derive_error on_site_page; do
		echo "SKIP hooks_$n"
	done
	exit 0
fi

# hostile NAME LUA PATTERN: on_page runs LUA at line 2 of scripts/h.lua.
hostile() {
	name=$1 code=$2 pattern=$3
	mksite "$s"
	printf 'Une page.\n' >"$s/content/p.md"
	mkdir -p "$s/scripts"
	printf 'function on_page(page)\n  %s\nend\n' "$code" >"$s/scripts/h.lua"
	start=$(date +%s)
	run_paraphe build -C "$s"
	elapsed=$(($(date +%s) - start))
	if [ $status -ge 124 ]; then fail "hooks_$name" "crash or hang: exit $status"; return; fi
	if [ $status -ne 1 ]; then fail "hooks_$name" "exit $status, expected 1: $(cat "$T/stderr")"; return; fi
	if ! grep -Eq "^scripts/h\.lua:2: error: $pattern \(while processing content" "$T/stderr"; then
		fail "hooks_$name" "no diagnostic matching '$pattern' in: $(cat "$T/stderr")"; return
	fi
	if [ -e "$s/public" ] || [ -e "$s/pwned" ] || [ -e "$T/pwned" ]; then
		fail "hooks_$name" "something was written"; return
	fi
	if [ $elapsed -gt 20 ]; then fail "hooks_$name" "took $elapsed s"; return; fi
	pass "hooks_$name"
}

hostile os_execute "os.execute('touch pwned')" "attempt to call a nil value \(field 'execute'\)"
hostile io_open "io.open('pwned', 'w'):write('x')" "attempt to index a nil value \(global 'io'\)"
hostile infinite_loop "while true do end" "instruction limit of 100000000 exceeded"
hostile memory_bomb "local t = {} while true do t[#t + 1] = ('x'):rep(4096) .. #t end" "memory limit of 256 MiB exceeded"
hostile string_dump "local f = function() end load(string.dump(f))" "attempt to call a nil value \(field 'dump'\)"
hostile require_os "local os2 = require('os') os2.execute('touch pwned')" "module 'os' not found \(only the files of scripts/ can be required\)"

# derive blocks: Markdown, a table of rows, raw HTML
mksite "$s"
cat >"$s/content/p.md" <<'EOF'
---
title: Blocs
---
```derive
return "Un **total** de " .. paraphe.fmt_number(1234.5) .. " places."
```

```derive
return {{"Commune", "Places"}, {"Vernasse", 226}}
```

```derive
return paraphe.html('<p class="brut">HTML</p>')
```
EOF
run_paraphe build -C "$s"
out=$s/public/p/index.html
if [ $status -ne 0 ]; then
	fail hooks_derive_markdown "exit $status: $(cat "$T/stderr")"
else
	# 1 234,5 with U+202F, the narrow no-break space
	grep -q "<p>Un <strong>total</strong> de 1$(printf '\342\200\257')234,5 places.</p>" "$out" &&
		pass hooks_derive_markdown || fail hooks_derive_markdown "$(cat "$out")"
	grep -q '<td>Vernasse</td>' "$out" && grep -q '<td align="right">226</td>' "$out" &&
		pass hooks_derive_table || fail hooks_derive_table "$(cat "$out")"
	grep -q '<p class="brut">HTML</p>' "$out" && ! grep -q 'derive' "$out" &&
		pass hooks_derive_html || fail hooks_derive_html "$(cat "$out")"
fi

# an error in a derive block names the page's file and line; nothing written
mksite "$s"
printf -- '---\ntitle: x\n---\nTexte.\n\n```derive\nlocal t = nil\nreturn t.x\n```\n' >"$s/content/p.md"
run_paraphe build -C "$s"
[ $status -eq 1 ] && grep -q "^content/p.md:8: error: attempt to index a nil value (local 't') (while processing content/p.md)" "$T/stderr" &&
	[ ! -e "$s/public" ] && pass hooks_derive_error || fail hooks_derive_error "exit $status: $(cat "$T/stderr")"

# on_site adds a page, whose own derive block runs
mksite "$s"
printf 'x\n' >"$s/content/a.md"
mkdir -p "$s/scripts"
cat >"$s/scripts/tableau.lua" <<'EOF'
function on_site(site)
  return {{path = "tableau", title = "Tableau", content = "```derive\nreturn 'pages ' .. #site.pages\n```\n"}}
end
EOF
run_paraphe build -C "$s"
[ $status -eq 0 ] && grep -q '<p>pages 3</p>' "$s/public/tableau/index.html" &&
	pass hooks_on_site_page || fail hooks_on_site_page "exit $status: $(cat "$T/stderr")"

# the messages of a failing build are the same for any -j: a hook error on
# every page (a message of two lines) is given once, for the first page;
# a slow hook error on one page stops only that page's rendering; the
# template errors of the other pages are all given
mksite "$s"
mkdir -p "$s/scripts" "$s/themes/t/templates"
printf 'title: T\ntheme: t\n' >"$s/site.yaml"
for i in 1 2 3 4 5 6 7 8 9; do
	printf -- '---\ntitle: P%s\ntype: t%s\n---\nTexte.\n' "$i" "$i" >"$s/content/p$i.md"
done
cat >"$s/scripts/h.lua" <<'EOF2'
function on_page(page)
  if page.title == "P1" then
    local x = 0
    for i = 1, 2000000 do x = x + i end
    error("slow failure")
  end
  if page.title == "P2" or page.title == "P7" then error("two\nlines") end
end
EOF2
for t in t5 t6 t9; do printf '{{ nosuch.field }}\n' >"$s/themes/t/templates/$t.html"; done
run_paraphe build -C "$s" -j 1 --history none -q
cp "$T/stderr" "$T/j1.err"
run_paraphe build -C "$s" -j 4 --history none -q
if [ $status -eq 1 ] && cmp -s "$T/j1.err" "$T/stderr" &&
	[ "$(grep -c 'error: two' "$T/stderr")" = 1 ] && grep -q 'lines (while processing content/p2.md)' "$T/stderr" &&
	[ "$(grep -c 'nosuch' "$T/stderr")" = 3 ] && grep -q 'build failed: 5 error(s)' "$T/stderr"; then
	pass hooks_messages_any_jobs
else
	fail hooks_messages_any_jobs "$(diff "$T/j1.err" "$T/stderr"; cat "$T/stderr")"
fi
