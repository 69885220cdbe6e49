# End-to-end: the default theme in a real browser (tests/browser/run.mjs):
# every page kind of the demo site at 1280 and 375 px with 0 axe-core
# violations (WCAG 2.1 A and AA), no third-party request, no console
# error, reflow at 320 px, a keyboard walk, the search filter; screenshots
# in build/screenshots/. The site is opened through file:// URLs: nothing
# is served. Without Chromium, node or the npm packages (npm ci --prefix
# tests/browser), each check is reported as skipped, never as passed.
. tests/e2e/lib.sh

CHECKS="axe_pages keyboard_walk search_filters"
skip_all() {
	for c in $CHECKS; do echo "SKIP $c ($1)"; done
	exit 0
}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$CHROMIUM" ] || skip_all "no Chromium at $CHROMIUM"
command -v node >/dev/null 2>&1 || skip_all "no node"
[ -d tests/browser/node_modules/playwright-core ] &&
	[ -d tests/browser/node_modules/axe-core ] ||
	skip_all "no tests/browser/node_modules: run npm ci --prefix tests/browser"

run_paraphe build -C "$TOP" -o "$T/site"
if [ $status -ne 0 ]; then
	fail demo_for_browser "exit $status: $(cat "$T/stderr")"
	exit 0
fi
shots=$TOP/${BUILD:-build}/screenshots
rm -rf "$shots"
CHROMIUM=$CHROMIUM timeout 600 node tests/browser/run.mjs "$T/site" "$shots"
status=$?
[ $status -eq 0 ] || [ $status -eq 1 ] || fail browser_run "node exited with $status"
exit 0
