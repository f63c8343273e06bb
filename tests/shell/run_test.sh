#!/bin/sh
# run_test.sh - run one kgsh transcript test: sh run_test.sh KGSH FILE.test
#
# A transcript is the real kgsh binary run against a real git repository
# (made here with the git CLI) and a real SQLite store, with stdout and
# stderr compared byte for byte against the expected text.
#
# Format, one directive or block after another:
#   # text                a comment, anywhere but in %%FILE (so expected
#                         output cannot start with '#')
#   %%FILE path           write path in the test repository: the lines up
#   ...                   to %%END, as written
#   %%END
#   %%RM path             delete path from the test repository
#   %%COMMIT message      git add -A and commit; each commit is one day
#                         after the last (2024-01-01 first), by "Test
#                         Author", so commit ids are the same on every run
#   %%FAIL [N]            the next block must exit with N (default 1);
#                         without it a block must exit 0
#   > line                a block of statements: consecutive "> " lines (">"
#                         alone is an empty line) are fed on stdin to
#                         `kgsh --db "$DB"`; any other line ends them
#   $ command             a block that runs one sh command line, with kgsh
#                         on PATH and $REPO, $DB, $TMP set, in $TMP
#   anything else         the expected output of the block above it:
#                         stdout and stderr as they interleave, exactly;
#                         trailing empty lines of a block do not count
# Every block runs a new kgsh; settings (.mode) do not carry over.
set -u

kgsh=$1
file=$2
name=$(basename "$file")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/kgsh-test.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT INT TERM

W=$TMP/.runner # the runner's own files, out of the tests' way
mkdir -p "$TMP/bin" "$TMP/home" "$TMP/repo" "$W"
ln -s "$kgsh" "$TMP/bin/kgsh"
REPO=$TMP/repo
DB=$TMP/test.db
export TMP REPO DB
export PATH="$TMP/bin:$PATH" HOME="$TMP/home" XDG_DATA_HOME="$TMP/home/data"
export XDG_STATE_HOME="$TMP/home/state" XDG_CACHE_HOME="$TMP/home/cache"
export XDG_CONFIG_HOME="$TMP/home/config" TZ=UTC LC_ALL=C.UTF-8 PAGER=cat
export KGSH_DATASET_REPO="$REPO" KGSH_DATASET_SUBDIR=""
unset NO_COLOR COLUMNS LINES KGSH_HISTFILE
export GIT_AUTHOR_NAME="Test Author" GIT_AUTHOR_EMAIL=test@example.com
export GIT_COMMITTER_NAME="Test Author" GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
git init -q -b main "$REPO" || exit 2

day=0
failures=0
blocks=0
kind=""        # "" no block, ">" statements, "$" command
want=0         # exit status the pending block must have
next_want=0
block_line=0
lineno=0
in_file=""
input_open=0   # the last line was a "> " line of the pending block

# Drop trailing empty lines (the separators between blocks).
trim() {
    awk '{ a[NR] = $0; if (length($0) > 0) last = NR }
         END { for (i = 1; i <= last; i++) print a[i] }' "$1"
}

run_block() {
    [ -n "$kind" ] || return 0
    blocks=$((blocks + 1))
    if [ "$kind" = ">" ]; then
        (cd "$TMP" && kgsh --db "$DB" <"$W/in" >"$W/out" 2>&1)
    else
        (cd "$TMP" && sh -c "$(cat "$W/in")" </dev/null >"$W/out" 2>&1)
    fi
    rc=$?
    trim "$W/out" >"$W/got"
    trim "$W/want" >"$W/exp"
    if ! cmp -s "$W/got" "$W/exp" || [ "$rc" -ne "$want" ]; then
        failures=$((failures + 1))
        echo "FAIL $name:$block_line: exit status $rc (expected $want)"
        sed 's/^/    | /' "$W/in"
        diff -u "$W/exp" "$W/got" | sed '1,2d; s/^/    /'
    fi
    kind=""
}

start_block() {
    run_block
    kind=$1
    block_line=$lineno
    want=$next_want
    next_want=0
    : >"$W/in"
    : >"$W/want"
}

while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    [ -n "$in_file" ] || case $line in "> "* | ">") ;; *) input_open=0 ;; esac
    if [ -n "$in_file" ]; then
        if [ "$line" = "%%END" ]; then
            in_file=""
        else
            printf '%s\n' "$line" >>"$REPO/$in_file"
        fi
        continue
    fi
    case $line in
    "%%FILE "*)
        run_block
        in_file=${line#%%FILE }
        mkdir -p "$(dirname "$REPO/$in_file")"
        : >"$REPO/$in_file"
        ;;
    "%%RM "*)
        run_block
        rm -f "$REPO/${line#%%RM }"
        ;;
    "%%COMMIT "*)
        run_block
        day=$((day + 1))
        d=$(printf '2024-01-%02d 12:00:00 +0000' "$day")
        (cd "$REPO" && git add -A &&
            GIT_AUTHOR_DATE="$d" GIT_COMMITTER_DATE="$d" \
                git commit -q -m "${line#%%COMMIT }") || exit 2
        ;;
    "%%FAIL"*)
        run_block
        n=${line#%%FAIL}
        next_want=${n:-1}
        next_want=$((next_want + 0))
        ;;
    "> "* | ">")
        [ "$input_open" = 1 ] || start_block ">"
        input_open=1
        if [ "$line" = ">" ]; then echo >>"$W/in"; else
            printf '%s\n' "${line#> }" >>"$W/in"; fi
        continue
        ;;
    '$ '*)
        start_block '$'
        printf '%s\n' "${line#\$ }" >>"$W/in"
        ;;
    "#"*)
        ;;
    *)
        if [ -n "$kind" ]; then
            printf '%s\n' "$line" >>"$W/want"
        elif [ -n "$line" ]; then
            echo "$name:$lineno: text outside a block: $line"
            exit 2
        fi
        ;;
    esac
done <"$file"
run_block

if [ "$failures" -gt 0 ]; then
    echo "$name: $failures of $blocks blocks failed"
    exit 1
fi
echo "$name: $blocks blocks passed"
exit 0
