# lib.sh - shared by the reliability tests (sourced, not run).
#
# Each test is `sh TEST.sh KGSH` run by CTest. This file gives it a private
# temp folder (removed on exit unless KG_KEEP=1), an environment that cannot
# reach the user's own files (HOME, XDG_*, git config), the tools it needs,
# and a small vocabulary: ok / fail / note / figure. A test ends with
# `finish`, which exits 1 when any check failed. Figures are printed as
# "FIGURE name: value" lines so that a run can be summed up by grep.
#
# KG_SLOW=1 asks for the long variants (more kills, more files, bigger
# notes); the defaults keep the whole `reliability` label near 3 minutes
# on two cores.
set -u

KGSH=${1:?usage: sh TEST.sh KGSH}
case $KGSH in /*) ;; *) KGSH=$(pwd)/$KGSH ;; esac
HERE=$(cd "$(dirname "$0")" && pwd)
GEN="python3 $HERE/gen_repo.py"
SLOW=${KG_SLOW:-0}
FAILS=0
CHECKS=0

T=$(mktemp -d "${TMPDIR:-/tmp}/kgsh-rel.XXXXXX") || exit 2
cleanup() {
    [ -n "${CLEANUP_EXTRA:-}" ] && eval "$CLEANUP_EXTRA"
    if [ "${KG_KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$T/home"
export HOME="$T/home" XDG_DATA_HOME="$T/home/data" XDG_STATE_HOME="$T/home/state"
export XDG_CACHE_HOME="$T/home/cache" XDG_CONFIG_HOME="$T/home/config"
export TZ=UTC LC_ALL=C.UTF-8 PAGER=cat KGSH_HISTFILE=""
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
export GIT_AUTHOR_NAME=Rel GIT_AUTHOR_EMAIL=rel@example.com
export GIT_COMMITTER_NAME=Rel GIT_COMMITTER_EMAIL=rel@example.com
unset NO_COLOR KGSH_DATASET_REPO KGSH_DATASET_SUBDIR

ok() { CHECKS=$((CHECKS + 1)); }
fail() {
    CHECKS=$((CHECKS + 1))
    FAILS=$((FAILS + 1))
    echo "FAIL: $*"
}
note() { echo "  $*"; }
figure() { echo "FIGURE $1: $2"; }
# check COND-DESCRIPTION COMMAND...: run the command, fail with the text.
check() {
    what=$1
    shift
    if "$@"; then ok; else fail "$what"; fi
}
# known ID WHAT COMMAND...: a check that fails today because of a bug
# reported to the module's owner. It is run and its outcome printed
# (KNOWN FAIL / XPASS) but does not fail the test, unless KG_STRICT=1.
# When it passes, drop the `known` and make it a `check`.
KNOWN=0
known() {
    id=$1 what=$2
    shift 2
    if "$@"; then
        ok
        echo "XPASS [$id]: $what (the known bug is fixed: make this a check)"
    elif [ "${KG_STRICT:-0}" = 1 ]; then
        fail "[$id] $what"
    else
        CHECKS=$((CHECKS + 1))
        KNOWN=$((KNOWN + 1))
        echo "KNOWN FAIL [$id]: $what"
    fi
}
# one_of VALUE A B...: VALUE is one of the others.
one_of() {
    v=$1
    shift
    for w in "$@"; do [ "$v" = "$w" ] && return 0; done
    return 1
}
need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null 2>&1 && continue
        echo "SKIP: $tool is not installed"
        exit 0
    done
}
finish() {
    echo "$CHECKS checks, $FAILS failed, $KNOWN known failures (reported)"
    [ "$FAILS" -eq 0 ]
    exit $?
}

# Milliseconds since the epoch (GNU date).
now_ms() { date +%s%3N; }

# md5 of the whole graph of store $1 as the JSON export writes it (sorted,
# so equal graphs give equal bytes); extra arguments go to kgsh (--at N).
graph_hash() {
    db=$1
    shift
    "$KGSH" --db "$db" "$@" export --format json 2>/dev/null | md5sum | cut -c1-32
}

# The newest version number of store $1, read with sqlite3 (no kgsh, so a
# store with no version is not synced by the reading).
latest_version() {
    sqlite3 -readonly "$1" 'SELECT coalesce(max(id), 0) FROM versions' 2>/dev/null
}

# Bytes that must never reach a terminal raw from note text: C0 controls
# other than tab and newline, DEL, and C1 controls in UTF-8 (C2 80..9F).
has_raw_ctrl() {
    LC_ALL=C grep -qaP '[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]' "$1"
}
