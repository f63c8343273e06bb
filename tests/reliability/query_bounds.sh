#!/bin/sh
# query_bounds.sh - runaway queries end cleanly: SIGINT, memory, limits.
#
# The graph is dense on purpose: 30 notes, each linking to all the others,
# so (a)-[*1..10]-(b) has more paths than any machine will walk.
#   - SIGINT to `kgsh -c` running such a query (and a six-way cartesian
#     product, and a huge UNWIND) stops it within 2 s with "Interrupted."
#     on stderr and exit 1;
#   - with the address space capped (prlimit --as, skipped under a
#     sanitizer), a query whose ORDER BY needs more memory ends with
#     "out of memory" and a caret under the query, exit 2, no crash;
#   - in the interactive shell (driven in tmux), Ctrl-C during the *1..10
#     query prints "Interrupted." and the prompt comes back: the next
#     query answers and .quit leaves with exit 0;
#   - `.limit rows|time|memory N` bounds a query: it stops with a message
#     naming the bound, exit 1.
. "$(dirname "$0")/lib.sh"
need git

REPO=$T/repo
git init -q -b main "$REPO" || exit 2
i=0
while [ "$i" -lt 30 ]; do
    links=$(seq -f 'd%02g' 0 29 | grep -vx "$(printf 'd%02d' "$i")" | paste -sd, -)
    printf -- '---\nid: d%02d\nkind: Dense\nlinks:\n  to: [%s]\n---\nnode %d\n' \
        "$i" "$links" "$i" >"$REPO/d$(printf %02d "$i").md"
    i=$((i + 1))
done
git -C "$REPO" add -A && git -C "$REPO" commit -qm dense || exit 2
DB=$T/dense.db
"$KGSH" --db "$DB" --dataset "$REPO" sync >"$T/out" 2>&1 ||
    { cat "$T/out"; fail "sync"; finish; }
check "the dense graph has 870 edges" \
    [ "$("$KGSH" --db "$DB" --no-headers -c 'MATCH ()-[r]->() RETURN count(r)')" = 870 ]

# ---- SIGINT to kgsh -c ----
worst=0
for q in 'MATCH p=(a)-[*1..10]-(b) RETURN count(p)' \
         'MATCH (a),(b),(c),(d),(e),(f) RETURN count(*)' \
         'UNWIND range(1, 100000) AS x UNWIND range(1, 100000) AS y WITH x WHERE x < 0 RETURN count(x)'; do
    "$KGSH" --db "$DB" -c "$q;" >"$T/o" 2>"$T/e" &
    pid=$!
    sleep 1
    if ! kill -0 "$pid" 2>/dev/null; then
        wait "$pid"
        fail "'$q' ended before the interrupt: $(cat "$T/e")"
        continue
    fi
    t0=$(now_ms)
    kill -INT "$pid"
    # give it 2 s, then make sure it is gone
    n=0
    while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 40 ]; do sleep 0.05; n=$((n + 1)); done
    ms=$(( $(now_ms) - t0 ))
    kill -KILL "$pid" 2>/dev/null
    wait "$pid"
    rc=$?
    [ "$ms" -gt "$worst" ] && worst=$ms
    check "SIGINT stops '$q' within 2 s (took $ms ms)" [ "$ms" -lt 2000 ]
    check "SIGINT: '$q' exits 1, not $rc" [ "$rc" = 1 ]
    check "SIGINT: '$q' says so: $(head -c 200 "$T/e")" grep -q 'Interrupted' "$T/e"
done
figure "interrupt latency" "worst ${worst} ms over 3 queries"

# ---- out of memory ----
if command -v prlimit >/dev/null 2>&1 && ! grep -q __asan_init "$KGSH"; then
    prlimit --as=$((384 * 1024 * 1024)) "$KGSH" --db "$DB" -c \
        'MATCH (a),(b),(c),(d),(e) RETURN a, b, c, d, e ORDER BY a.name, e.name;' \
        >"$T/o" 2>"$T/e"
    rc=$?
    check "out of memory: exit 2, not $rc" [ "$rc" = 2 ]
    check "out of memory: says so with a caret: $(head -c 300 "$T/e")" \
        grep -q 'out of memory' "$T/e"
    check "out of memory: a caret under the query" grep -q '\^\^\^' "$T/e"
else
    note "under a sanitizer (or without prlimit): the memory cap case is skipped"
fi

# ---- limits from the shell (.limit rows|time|memory N) ----
limit_case() { # BOUND N QUERY MESSAGE MAX_MS
    t0=$(now_ms)
    "$KGSH" --db "$DB" -c ".limit $1 $2
$3;" >"$T/o" 2>"$T/e"
    rc=$?
    ms=$(( $(now_ms) - t0 ))
    check ".limit $1 $2: exit 1, not $rc" [ "$rc" = 1 ]
    check ".limit $1 $2: says '$4': $(head -c 200 "$T/e")" grep -q "$4" "$T/e"
    check ".limit $1 $2: stops in time ($ms ms)" [ "$ms" -lt "$5" ]
}
limit_case rows 5 'UNWIND range(1, 100) AS x RETURN x' \
    'more than 5 rows (the row limit)' 10000
check ".limit rows 5: the five rows are printed" [ "$(grep -c '' "$T/o")" = 6 ]
limit_case time 300 'MATCH p=(a)-[*1..10]-(b) RETURN count(p)' \
    'longer than the time limit of 300 ms' 5000
limit_case memory 16 'MATCH (a),(b),(c),(d) RETURN a, b, c, d ORDER BY a.name' \
    'more than the memory limit' 10000
"$KGSH" --db "$DB" -c '.limit' >"$T/o" 2>&1
check ".limit alone shows the bounds" grep -q '^memory' "$T/o"
"$KGSH" --db "$DB" -c '.limit bogus 1' >"$T/o" 2>&1
check ".limit with a bad bound: exit 1 and Usage" \
    one_of "$?:$(grep -c '^Usage: .limit' "$T/o")" 1:1

# ---- Ctrl-C in the interactive shell ----
if ! command -v tmux >/dev/null 2>&1; then
    note "no tmux: the interactive case is skipped"
    finish
fi
SOCK=kgsh-rel-$$
CLEANUP_EXTRA="tmux -L $SOCK kill-server 2>/dev/null"
tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 30 bash --norc --noprofile -c \
    "set -m; env TERM=xterm HOME='$HOME' KGSH_HISTFILE= '$KGSH' --db '$DB'; echo EXIT=\$?; sleep 600"
screen() { tmux -L "$SOCK" capture-pane -p -J; }
wait_for() { # PATTERN SECONDS
    n=0
    while [ "$n" -lt $(($2 * 20)) ]; do
        screen | grep -qE "$1" && return 0
        sleep 0.05
        n=$((n + 1))
    done
    echo "timed out waiting for /$1/; the screen:"
    screen
    return 1
}
check "the shell shows its prompt" wait_for '^kgsh> ' 10
tmux -L "$SOCK" send-keys -l 'MATCH p=(a)-[*1..10]-(b) RETURN count(p)\;'
tmux -L "$SOCK" send-keys Enter
sleep 1.5
t0=$(now_ms)
tmux -L "$SOCK" send-keys C-c
check "Ctrl-C: 'Interrupted.' and the prompt" wait_for 'Interrupted' 5
ms=$(( $(now_ms) - t0 ))
check "Ctrl-C took $ms ms" [ "$ms" -lt 3000 ]
tmux -L "$SOCK" send-keys -l 'MATCH (n:Dense) RETURN count(n) AS alive\;'
tmux -L "$SOCK" send-keys Enter
check "after Ctrl-C the shell still answers" wait_for '│ +30 │' 10
tmux -L "$SOCK" send-keys -l '.quit'
tmux -L "$SOCK" send-keys Enter
check ".quit leaves with exit 0" wait_for '^EXIT=0' 10
finish
