#!/bin/sh
# run_fuzz.sh - one time-boxed libFuzzer run: FUZZER SEEDS WORKDIR SECONDS
#
# Runs the libFuzzer binary FUZZER for SECONDS seconds over a copy of its
# seed corpus. New inputs go to WORKDIR/corpus (in the build tree), never
# into the seed folder in git; a crash, leak, timeout or out-of-memory
# input is written to WORKDIR/ as crash-*, leak-*, timeout-*, oom-* and
# fails the run: add it to the seed folder as a regression input once
# fixed. The last lines printed are the figures: executions and the
# corpus size. tests/fuzz/<target>.dict is used when it exists.
#
# Environment: KG_FUZZ_JOBS (default 1) parallel workers.
set -u
fuzzer=${1:?usage: run_fuzz.sh FUZZER SEEDS WORKDIR SECONDS}
seeds=${2:?seeds}
work=${3:?workdir}
secs=${4:?seconds}
name=$(basename "$fuzzer")
target=${name%_fuzzer}
dict=$(dirname "$seeds")/../$target.dict

mkdir -p "$work/corpus" || exit 2
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*
# stdout is closed (the targets' output is noise); stderr stays open for the
# harnesses' own failure messages, except for shell_args, whose usage
# errors would flood the log (sanitizer reports get through either way)
mask=1
[ "$target" = shell_args ] && mask=3
set -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$work/" -close_fd_mask=$mask
[ -f "$dict" ] && set -- "$@" -dict="$dict"
if [ "${KG_FUZZ_JOBS:-1}" -gt 1 ]; then
    set -- "$@" -jobs="$KG_FUZZ_JOBS" -workers="$KG_FUZZ_JOBS"
fi
# ASan's leak check at exit and UBSan's reports abort the run.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    "$fuzzer" "$@" "$work/corpus" "$seeds" >"$work/log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
found=$(ls "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* \
        2>/dev/null)
echo "$target: ${execs:-?} executions in ${secs}s, corpus $(ls "$work/corpus" | wc -l) new inputs, exit $rc"
if [ "$rc" -ne 0 ] || [ -n "$found" ]; then
    echo "$target: FAILED; artifacts: ${found:-none}"
    grep -E 'ERROR|SUMMARY|check failed|runtime error|^    #[0-9]' "$work/log" | head -14
    exit 1
fi
exit 0
