#!/bin/sh
# install.sh - `cmake --install` gives a kgsh that works on its own.
#
# Usage: install.sh BUILD_DIR SOURCE_DIR WORK_DIR
#
# Installs the build into a fresh prefix and runs the installed kgsh with a
# clean environment (no KGSH_DATASET_REPO, HOME and XDG folders in the work
# folder): its first run must sync the bundled dataset from the bare
# repository the install made (not from the source checkout), with one
# version per commit that changed the dataset, and answer a query from it.
# Then the same with DESTDIR staging, moved elsewhere (a relocated install
# finds its dataset beside its executable). The man page must be installed
# when the sources have one.
set -eu

B=${1:?usage: install.sh BUILD_DIR SOURCE_DIR WORK_DIR}
S=${2:?usage: install.sh BUILD_DIR SOURCE_DIR WORK_DIR}
W=${3:?usage: install.sh BUILD_DIR SOURCE_DIR WORK_DIR}
SUB=dataset/aws-ml
mkdir -p "$W"
T=$(mktemp -d "$W/install-XXXXXX")
[ -n "${KG_TEST_KEEP:-}" ] || trap 'rm -rf "$T"' EXIT

fail() { echo "install.sh: $*" >&2; exit 1; }

# kgsh PREFIX ARGS...: the installed kgsh, with nothing of the caller's
# environment but PATH (and the sanitizer settings of a KG_SANITIZE build).
kgsh() {
    p=$1
    shift
    env -i PATH="$PATH" HOME="$T/home" XDG_DATA_HOME="$T/home/data" \
        XDG_CACHE_HOME="$T/home/cache" XDG_CONFIG_HOME="$T/home/config" \
        ${LSAN_OPTIONS:+LSAN_OPTIONS="$LSAN_OPTIONS"} \
        ${ASAN_OPTIONS:+ASAN_OPTIONS="$ASAN_OPTIONS"} \
        "$p/bin/kgsh" "$@"
}

# What the installed kgsh must find, from the source checkout's commits:
# the Layer notes at HEAD, and the first-parent commits that changed the
# dataset (the versions a first run imports).
layers=$(git -C "$S" grep -l -E '^kind: *(\[ *)?Layer *(\]|,|$)' HEAD -- "$SUB" |
         wc -l | tr -d ' ')
commits=$(git -C "$S" log --first-parent --format=%H HEAD -- "$SUB" |
          wc -l | tr -d ' ')
newest=$(git -C "$S" log --first-parent -1 --format=%h HEAD -- "$SUB")
[ "$layers" -gt 0 ] || fail "no Layer notes in $S/$SUB at HEAD"

check_prefix() { # PREFIX WHAT
    p=$1
    repo=$p/share/kgsh/aws-ml.git
    [ -x "$p/bin/kgsh" ] || fail "$2: no $p/bin/kgsh"
    [ "$(git --git-dir "$repo" rev-parse --is-bare-repository)" = true ] ||
        fail "$2: $repo is not a bare repository"
    [ "$(git --git-dir "$repo" rev-parse HEAD)" = \
      "$(git -C "$S" rev-parse HEAD)" ] ||
        fail "$2: $repo is not at the checkout's HEAD"
    git --git-dir "$repo" remote | grep -q . &&
        fail "$2: $repo still has a remote"
    rm -rf "$T/home" "$T/x.db"
    out=$(kgsh "$p" --db "$T/x.db" -c 'MATCH (n:Layer) RETURN count(n) AS n' \
          2>"$T/err") || { cat "$T/err" >&2; fail "$2: kgsh failed"; }
    [ "$out" = "n
$layers" ] || { cat "$T/err" >&2; fail "$2: expected $layers layers, got: $out"; }
    grep -q "^First run: syncing the bundled dataset ($repo/$SUB)" "$T/err" ||
        { cat "$T/err" >&2; fail "$2: not synced from $repo"; }
    grep -q "^Synced .*(commit $newest)" "$T/err" ||
        { cat "$T/err" >&2; fail "$2: the newest version is not $newest"; }
    n=$(kgsh "$p" --db "$T/x.db" log --no-headers | wc -l | tr -d ' ')
    [ "$n" = "$commits" ] ||
        fail "$2: $n versions in the log, expected $commits (one a commit)"
    if [ -f "$S/docs/kgsh.1" ]; then
        cmp -s "$S/docs/kgsh.1" "$p/share/man/man1/kgsh.1" ||
            fail "$2: the man page is not installed"
    fi
}

cmake --install "$B" --prefix "$T/prefix" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log" >&2; fail "cmake --install failed"; }
check_prefix "$T/prefix" "--prefix"

# A second install replaces the repository rather than adding to it.
echo stale >"$T/prefix/share/kgsh/aws-ml.git/refs/heads/stale-branch"
cmake --install "$B" --prefix "$T/prefix" >"$T/install.log" 2>&1 ||
    { cat "$T/install.log" >&2; fail "second cmake --install failed"; }
[ ! -e "$T/prefix/share/kgsh/aws-ml.git/refs/heads/stale-branch" ] ||
    fail "the old repository was not removed"

# DESTDIR staging, then moved: found beside the executable.
DESTDIR="$T/stage" cmake --install "$B" --prefix /opt/kgsh \
    >"$T/install.log" 2>&1 ||
    { cat "$T/install.log" >&2; fail "DESTDIR install failed"; }
[ -d "$T/stage/opt/kgsh/share/kgsh/aws-ml.git" ] ||
    fail "DESTDIR was not honoured"
mv "$T/stage/opt/kgsh" "$T/moved"
check_prefix "$T/moved" "DESTDIR, moved"
echo "install.sh: ok ($layers layers, $commits versions)"
