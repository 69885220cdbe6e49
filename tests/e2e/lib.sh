# Shared helpers of the end-to-end tests: sourced by each tests/e2e/*.sh.
# Each check prints "PASS name" or "FAIL name" (tests/run.sh counts them);
# details of a failure go to stderr.
set -u
PARAPHE=${PARAPHE:-$(pwd)/paraphe}
TOP=$(pwd)
TMPROOT=$TOP/${BUILD:-build}/tmp
mkdir -p "$TMPROOT"
T=$(mktemp -d "$TMPROOT/e2e.XXXXXX")
trap 'rm -rf "$T"' EXIT

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1"; shift; [ $# -gt 0 ] && echo "  $*" >&2; return 0; }

# check NAME COMMAND...: passes when the command succeeds.
check() {
	name=$1; shift
	if "$@" >"$T/.check.out" 2>&1; then pass "$name"; else
		fail "$name" "command failed: $*"; sed 's/^/    /' "$T/.check.out" >&2
	fi
}

# run_paraphe ARGS...: runs paraphe with a time limit, stores its exit
# status in $status and stderr in $T/stderr; a crash (signal) or a hang
# shows as a status >= 124.
run_paraphe() {
	timeout 60 "$PARAPHE" "$@" >"$T/stdout" 2>"$T/stderr"
	status=$?
}

# A fresh site directory holding the given files: mksite DIR, then write
# files under it.
mksite() { rm -rf "$1"; mkdir -p "$1/content"; }

# Hash of every file of a directory tree, for byte-identity checks.
tree_hash() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum) | sha256sum | cut -d' ' -f1; }
