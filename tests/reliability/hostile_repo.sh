#!/bin/sh
# hostile_repo.sh - sync hostile repositories: diagnostics, no crash,
# bounded time and memory, nothing raw on the terminal, exports intact.
#
# gen_repo.py makes one repository per kind of hostile input (invalid YAML,
# alias bombs, a big note, binary files, invalid UTF-8, NUL bytes, a note
# with 60,000 links in its front matter and 60,000 in its body, link cycles
# and self-links, duplicate ids, names with quotes, newlines, backslashes,
# ESC [2J and OSC 52, odd path names, symlinks, submodules, a tree of
# 20,000 files, broken tables), each beside a few ordinary notes. For each:
#   - `kgsh sync` exits 0 or 3 (data errors), is not killed by a signal,
#     stays under a time, a CPU and a memory bound (measured with
#     /usr/bin/time when present; the address space is capped with
#     prlimit --as unless kgsh is built with a sanitizer, which needs a
#     huge one);
#   - the ordinary notes are there;
#   - `kgsh check` exits 0 or 3 and every diagnostic reads
#     file:line:col: error|warning: text; the cases that must produce one do;
#   - no C0/C1 control byte from a note reaches the output of `kgsh -c`
#     (every output mode), `show KEY` for up to 24 nodes, `check`, `status`
#     and `log`;
#   - the exports parse: `dot -Tsvg` prints no warning (graphs under 2,000
#     nodes), GraphML is well-formed XML, JSON loads (python3).
#
# Environment: KG_SLOW=1 adds a 100,000-file tree, a 100 MB note (over the
# 64 MB limit: skipped with a diagnostic) and a note with 200,000 links
# (over the 100,000-link limit). KG_HOSTILE_CASES limits the run to some
# cases: space-separated names, each optionally NAME:SIZE (gen_repo.py's
# --size), e.g. "many_files:100000 big_note:60".
. "$(dirname "$0")/lib.sh"
need git python3

MAX_SECS=${KG_HOSTILE_MAX_SECS:-120}   # per sync, on a loaded CI machine
MAX_RSS_KB=${KG_HOSTILE_MAX_RSS_KB:-786432}
MAX_CPU=${KG_HOSTILE_MAX_CPU:-10}        # user CPU seconds per sync
ASLIMIT=""
if grep -q __asan_init "$KGSH"; then
    MAX_CPU=$((MAX_CPU * 5)) # a sanitizer build runs several times slower
elif command -v prlimit >/dev/null 2>&1; then
    ASLIMIT="prlimit --as=$((2 * 1024 * 1024 * 1024))"
fi
TIMEV=""
[ -x /usr/bin/time ] && TIMEV="/usr/bin/time -f %e:%M:%U -o $T/timev"

cases=${KG_HOSTILE_CASES:-"invalid_yaml alias_bomb big_note binary invalid_utf8 nul_bytes many_links:60000 cycles duplicate_ids hostile_names odd_paths symlinks submodule many_files tables"}
# cases that must leave at least one diagnostic
must_diag=" invalid_yaml alias_bomb binary invalid_utf8 nul_bytes duplicate_ids hostile_names symlinks submodule tables "
tried=0 total_files=0

run_case() { # NAME SIZE
    name=$1 size=$2
    label=$name
    [ "$size" != 0 ] && label="$name($size)"
    repo=$T/$label.git db=$T/$label.db
    $GEN hostile "$repo" "$name" --size "$size" || { fail "$label: generator"; return; }
    nfiles=$(git -C "$repo" ls-tree -r --name-only main | wc -l)
    total_files=$((total_files + nfiles - 3))
    tried=$((tried + 1))

    t0=$(now_ms)
    $TIMEV timeout "$MAX_SECS" $ASLIMIT "$KGSH" --db "$db" --dataset "$repo" sync \
        >"$T/out" 2>&1
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    rss=? cpu=?
    if [ -n "$TIMEV" ] && [ -f "$T/timev" ]; then
        rss=$(tail -1 "$T/timev" | cut -d: -f2)
        cpu=$(tail -1 "$T/timev" | cut -d: -f3)
    fi
    note "$label: $nfiles files, sync exit $rc in $ms ms ($cpu s CPU), max RSS ${rss} KB"
    figure "hostile $label" "$nfiles files, sync exit $rc, $ms ms, $cpu s CPU, ${rss} KB"
    if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
        fail "$label: sync exits $rc: $(head -c 400 "$T/out")"
        return
    fi
    ok
    if [ "$rss" != "?" ]; then
        check "$label: memory ${rss} KB over ${MAX_RSS_KB} KB" [ "$rss" -le "$MAX_RSS_KB" ]
        # whole seconds of user CPU; a parse that goes quadratic on one
        # note (a line of 60,000 link targets) shows here first
        check "$label: ${cpu} s of CPU, over ${MAX_CPU} s" [ "${cpu%.*}" -lt "$MAX_CPU" ]
    fi
    check "$label: the ordinary notes are there" \
        [ "$("$KGSH" --db "$db" -c 'MATCH (n:Ok) RETURN count(n)' --no-headers 2>&1)" = 3 ]

    # diagnostics: file:line:col: severity: text, or file: severity: text
    # for one about a whole file (skipped, binary, too big)
    "$KGSH" --db "$db" check >"$T/check" 2>"$T/check.err"
    rc=$?
    check "$label: check exits 0 or 3, not $rc" one_of "$rc" 0 3
    ndiag=$(grep -c '' "$T/check")
    badfmt=$(grep -cvE '^.+(:[1-9][0-9]*:[1-9][0-9]*)?: (error|warning): .' "$T/check")
    check "$label: $badfmt diagnostic lines are not file[:line:col]: severity: text" \
        [ "$badfmt" = 0 ]
    nozero=$(grep -cE ':0:[0-9]+: |:[0-9]+:0: ' "$T/check")
    check "$label: $nozero diagnostics print a line or column 0" [ "$nozero" = 0 ]
    whole=$(grep -cvE '^.+:[0-9]+:[0-9]+: (error|warning): ' "$T/check")
    [ "$whole" -gt 0 ] && note "$label: $whole diagnostics are about a whole file"
    case $must_diag in
    *" $name "*) check "$label: some diagnostic" [ "$ndiag" -gt 0 ] ;;
    esac
    total_diags=$((total_diags + ndiag))

    # nothing raw from the notes reaches the terminal (every mode on small
    # graphs; on the big ones three, to keep CI time)
    nodes=$("$KGSH" --db "$db" -c 'MATCH (n) RETURN count(n)' --no-headers 2>&1)
    modes="box table markdown csv tsv json jsonl line"
    [ "$nodes" -ge 2000 ] && modes="box csv json"
    for mode in $modes; do
        "$KGSH" --db "$db" --mode "$mode" -c \
            'MATCH (n) RETURN n, n.name, labels(n), properties(n); MATCH (a)-[r]->(b) RETURN a, r, type(r), properties(r), b LIMIT 5000;' \
            >"$T/q" 2>&1
        check "$label: raw control bytes in the $mode output" sh -c "! LC_ALL=C grep -qaP '[\\x00-\\x08\\x0b-\\x1f\\x7f]|\\xc2[\\x80-\\x9f]' '$T/q'"
    done
    for f in "$T/check" "$T/check.err"; do
        check "$label: raw control bytes in check's output" sh -c "! LC_ALL=C grep -qaP '[\\x00-\\x08\\x0b-\\x1f\\x7f]|\\xc2[\\x80-\\x9f]' '$f'"
    done
    for sub in status log; do
        "$KGSH" --db "$db" "$sub" >"$T/o" 2>&1
        check "$label: raw control bytes in $sub" sh -c "! LC_ALL=C grep -qaP '[\\x00-\\x08\\x0b-\\x1f\\x7f]|\\xc2[\\x80-\\x9f]' '$T/o'"
    done
    "$KGSH" --db "$db" export --format json >"$T/export.json" 2>"$T/export.err"
    check "$label: export json" [ $? = 0 ]
    check "$label: the JSON export loads" python3 -c \
        'import json,sys; json.load(open(sys.argv[1], encoding="utf-8"))' "$T/export.json"
    python3 - "$T/export.json" >"$T/keys" <<'EOF'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
for n in d["nodes"][:24]:
    print(n["id"].replace("\\", "\\\\").replace("\n", "\\n"))
EOF
    : >"$T/show"
    nshow=0
    while IFS= read -r key; do
        key=$(printf '%b' "$key")
        "$KGSH" --db "$db" show -- "$key" >>"$T/show" 2>&1 ||
            { fail "$label: show of key '$(printf %s "$key" | od -c | head -2)' failed"; }
        # and once in eight through the dot-command (quoting as typed)
        case $key in *"'"*) ;; *)
            [ $((nshow % 8)) = 0 ] &&
                "$KGSH" --db "$db" -c ".show '$key'" >>"$T/show" 2>&1
        esac
        nshow=$((nshow + 1))
    done <"$T/keys"
    check "$label: raw control bytes in show" sh -c "! LC_ALL=C grep -qaP '[\\x00-\\x08\\x0b-\\x1f\\x7f]|\\xc2[\\x80-\\x9f]' '$T/show'"

    # exports a tool reads back
    "$KGSH" --db "$db" export --format graphml >"$T/export.graphml" 2>&1
    check "$label: the GraphML export is well-formed XML" python3 -c \
        'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' "$T/export.graphml"
    if command -v dot >/dev/null 2>&1 && [ "$nodes" -lt 2000 ]; then
        "$KGSH" --db "$db" export --format dot >"$T/export.dot" 2>"$T/export.err"
        check "$label: export dot" [ $? = 0 ]
        timeout 300 dot -Tsvg "$T/export.dot" >/dev/null 2>"$T/dot.err"
        rc=$?
        check "$label: dot -Tsvg exits $rc and warns: $(head -c 300 "$T/dot.err")" \
            one_of "$rc:$(wc -c <"$T/dot.err")" 0:0
    fi
    rm -f "$db" "$db-wal" "$db-shm"
    rm -rf "$repo"
}

total_diags=0
for c in $cases; do # NAME or NAME:SIZE
    case $c in
    *:*) run_case "${c%%:*}" "${c#*:}" ;;
    *) run_case "$c" 0 ;;
    esac
done
if [ "$SLOW" = 1 ] && [ -z "${KG_HOSTILE_CASES:-}" ]; then
    run_case many_files 100000
    run_case big_note 100
    run_case many_links 200000
fi
figure "hostile inputs" "$tried repositories, $total_files hostile files, $total_diags diagnostics"
finish
