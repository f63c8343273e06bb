#!/bin/sh
# bench_startup.sh - how fast kgsh starts, next to sqlite3 in the same run.
#
#   tests/bench/bench_startup.sh [KGSH] [RUNS]
#
# Prints the median wall time (ms) of:
#   sqlite3 :memory: 'select 1'          the bar: a C shell doing nothing
#   kgsh -c ONE_HOP                      open the store, load the graph,
#                                        run a one-hop query, print
#   kgsh to its first prompt (on a pty)  the same plus libedit and history
# on the bundled dataset, synced once beforehand into a temporary store
# (the sync is not timed). Uses hyperfine when installed, else a loop
# timed with date +%s%N. A figure, not a test: it never fails on speed.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
kgsh=${1:-${KGSH:-$here/../../build/shell/kgsh}}
runs=${2:-30}
query='MATCH (a)-[r]->(b) RETURN a.name, type(r), b.name LIMIT 10'
[ -x "$kgsh" ] || { echo "no kgsh at $kgsh (give its path)" >&2; exit 2; }
kgsh=$(cd "$(dirname "$kgsh")" && pwd)/$(basename "$kgsh")

tmp=$(mktemp -d "${TMPDIR:-/tmp}/kgsh-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
export HOME="$tmp" XDG_DATA_HOME="$tmp/data" XDG_STATE_HOME="$tmp/state"
export KGSH_HISTFILE="" PAGER=""
db="$tmp/aws-ml.db"
"$kgsh" --db "$db" sync >/dev/null
"$kgsh" --db "$db" -c "$query" >/dev/null   # warm the page cache

# median of the numbers on stdin
median() {
    sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "n/a"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "%.2f\n", m }'
}

# time_loop CMD...: median ms of RUNS runs
time_loop() {
    i=0
    while [ "$i" -lt "$runs" ]; do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 </dev/null
        t1=$(date +%s%N)
        echo "$(( (t1 - t0) / 1000 ))"
        i=$((i + 1))
    done | awk '{ printf "%.3f\n", $1 / 1000 }' | median
}

time_one() {
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/h.json" \
            "$*" >/dev/null 2>&1 &&
        python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$tmp/h.json" &&
        return
    fi
    time_loop "$@"
}

# Start kgsh on a pseudo-terminal, wait for its prompt, leave with Ctrl-D.
prompt_ms() {
    python3 - "$kgsh" "$db" "$runs" <<'PY'
import os, pty, select, sys, time
kgsh, db, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
out = []
for _ in range(runs):
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(kgsh, [kgsh, "--db", db, "--no-init"])
    buf = b""
    while b"kgsh> " not in buf:
        r, _, _ = select.select([fd], [], [], 10)
        if not r:
            break
        try:
            buf += os.read(fd, 4096)
        except OSError:
            break
    out.append((time.perf_counter() - t0) * 1000)
    # input typed in the instant before libedit sets the terminal up can
    # land as a literal character: pause as a person would, and clear the
    # line with Ctrl-C if Ctrl-D did not end the shell
    time.sleep(0.05)
    done = 0
    while not done:
        for key in (b"\x04", b"\x03"):
            try:
                os.write(fd, key)
                if select.select([fd], [], [], 0.3)[0]:
                    os.read(fd, 4096)
            except OSError:
                pass
            done = os.waitpid(pid, os.WNOHANG)[0]
            if done:
                break
    os.close(fd)
out.sort()
n = len(out)
print("%.2f" % (out[n // 2] if n % 2 else (out[n // 2 - 1] + out[n // 2]) / 2))
PY
}

sq=$(time_one sqlite3 :memory: 'select 1')
kc=$(time_one "$kgsh" --db "$db" -c "$query")
if command -v python3 >/dev/null 2>&1; then kp=$(prompt_ms); else kp="n/a"; fi
ratio=$(awk -v a="$kc" -v b="$sq" 'BEGIN { if (b > 0) printf "%.1f", a / b }')

echo "kgsh start-up, median of $runs runs (ms), $(date -u +%Y-%m-%d)"
printf '  %-34s %8s\n' "sqlite3 :memory: 'select 1'" "$sq"
printf '  %-34s %8s   (%sx sqlite3)\n' "kgsh -c one-hop query" "$kc" "$ratio"
printf '  %-34s %8s\n' "kgsh to the first prompt (pty)" "$kp"
