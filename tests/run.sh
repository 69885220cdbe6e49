#!/bin/sh
# Runs every unit-test binary and every end-to-end script, counts the
# "PASS name" / "FAIL name" / "SKIP name" lines they print, and ends with
# one line "N passed, N failed, N skipped". Exits 1 on any failure.
# Environment: BUILD (object dir, default build), PARAPHE (binary to test).
BUILD=${BUILD:-build}
PARAPHE=${PARAPHE:-$(pwd)/paraphe}
export BUILD PARAPHE
log=$BUILD/test.log
: >"$log"
pass=0 fail=0 skip=0
count() {
	# $1: name of the suite; stdin: its output
	while IFS= read -r line; do
		echo "$line" >>"$log"
		case $line in
		"PASS "*) pass=$((pass + 1)) ;;
		"FAIL "*) fail=$((fail + 1)); echo "$1: $line" ;;
		"SKIP "*) skip=$((skip + 1)); echo "$1: $line" ;;
		esac
	done
}
run_suite() {
	# $1 name, then the command; a suite that crashes counts as a failure
	name=$1; shift
	out=$BUILD/suite.out
	"$@" >"$out" 2>"$out.err"
	status=$?
	count "$name" <"$out"
	if [ $status -ne 0 ] && ! grep -q '^FAIL ' "$out"; then
		fail=$((fail + 1))
		echo "$name: FAIL (exit $status)"
		sed 's/^/    /' "$out.err" | tail -n 20
	elif grep -q '^FAIL ' "$out"; then
		sed 's/^/    /' "$out.err" | tail -n 40
	fi
}
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_suite "$(basename "$t")" "$t"
done
for t in tests/e2e/*.sh; do
	[ -f "$t" ] || continue
	[ "$(basename "$t")" = lib.sh ] && continue # sourced by the others
	run_suite "$(basename "$t")" sh "$t"
done
echo "$pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
