#!/bin/sh
# Runs each libFuzzer target for a bounded time.
#
#   scripts/fuzz.sh [-b BUILD] [-t SECONDS] [-j JOBS] [-L] [TARGET...]
#   scripts/fuzz.sh [-b BUILD] -m [TARGET...]
#
#   -b BUILD    build tree configured with -DJM_FUZZ=ON and clang (default: build-fuzz; it is
#               configured and built when it has no fuzz binaries yet)
#   -t SECONDS  time per target (default 60; 3600 with -L)
#   -j JOBS     targets run at the same time (default 1; every target at once with -L)
#   -L          long mode: an hour a target by default, all targets at once, value profiles
#               on (more coverage per hour); the working corpus grows from run to run
#   -m          merge: add to fuzz/corpus/<target>/ the inputs of the working corpus that reach
#               code the seeds do not (libFuzzer -merge=1, so only new coverage); then review
#               and commit them: they replay in CTest from then on
#   TARGET      json, mermaid, csv, theme, render (default: all)
#
# Each target starts from its seeds in fuzz/corpus/<target>/ and grows a working corpus in
# BUILD/fuzz-work/<target>/ (kept between runs, never written into the source tree). A crash,
# leak, timeout or out-of-memory is saved in BUILD/fuzz-work/findings/ and fails the script:
# reproduce it with BUILD/fuzz/fuzz_<target> FILE, fix it, then add the file to
# fuzz/corpus/<target>/ as a regression case (the corpora replay in CTest).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
build=build-fuzz
seconds=60
jobs=
long=0
merge=0
while getopts b:t:j:Lm opt; do
    case $opt in
    b) build=$OPTARG ;;
    t) seconds=$OPTARG ;;
    j) jobs=$OPTARG ;;
    L) long=1 ;;
    m) merge=1 ;;
    *) sed -n '2,25p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=${*:-json mermaid csv theme render}
extra=""
if [ $long -eq 1 ]; then
    [ "$seconds" != 60 ] || seconds=3600
    [ -n "$jobs" ] || jobs=$(echo "$targets" | wc -w)
    extra="-use_value_profile=1"
fi
jobs=${jobs:-1}

if [ ! -x "$build/fuzz/fuzz_json" ]; then
    CC=${CC:-clang} cmake -S . -B "$build" -DJM_FUZZ=ON -DBUILD_TESTING=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
# shellcheck disable=SC2086
cmake --build "$build" -j "$(nproc)" --target $(printf 'fuzz_%s ' $targets) >/dev/null
build=$(cd "$build" && pwd)
work=$build/fuzz-work
mkdir -p "$work/findings"

# Loaders get larger inputs than the end-to-end target, whose every run lays out and draws a
# map four times. -timeout: an input slower than this is a finding (a hang, or superlinear
# time); -rss_limit_mb: so is one that needs this much memory.
max_len() { case $1 in render) echo 4096 ;; *) echo 16384 ;; esac; }

run() { # TARGET
    t=$1
    mkdir -p "$work/$t"
    log=$work/$t.log
    start=$(date +%s)
    if (cd "$work" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0} \
        "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -max_len="$(max_len "$t")" \
        -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 $extra \
        -dict="$root/fuzz/$t.dict" -artifact_prefix="$work/findings/$t-" \
        "$work/$t" "$root/fuzz/corpus/$t" >"$log" 2>&1); then
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
        echo "fuzz_$t: $(($(date +%s) - start)) s, $runs runs," \
            "$(ls "$work/$t" | wc -l) inputs in its corpus, no finding" \
            "(scripts/fuzz.sh -m $t adds what is new to fuzz/corpus/$t/)"
    else
        echo "fuzz_$t: FINDING after $(($(date +%s) - start)) s; see $log" >&2
        grep -E "^(==[0-9]+==ERROR|SUMMARY|fuzz invariant)|Test unit written" "$log" >&2 ||
            tail -n 20 "$log" >&2
        return 1
    fi
}

# Merge: only the working-corpus inputs that reach an edge the seeds do not are copied (named by
# their SHA-1, as libFuzzer names them). Edges only: with hit-count buckets and value profiles
# as features, 5 minutes of fuzzing gave 3 800 inputs (17 MB) to commit; edges alone, 740 (3 MB).
merge() { # TARGET
    t=$1
    if [ ! -d "$work/$t" ] || [ -z "$(ls "$work/$t")" ]; then
        echo "fuzz_$t: no working corpus in $work/$t: fuzz first"
        return 0
    fi
    before=$(ls "$root/fuzz/corpus/$t" | wc -l)
    (cd "$work" && ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$build/fuzz/fuzz_$t" -merge=1 \
        -use_counters=0 -use_value_profile=0 -max_len="$(max_len "$t")" -timeout=20 -rss_limit_mb=2048 \
        "$root/fuzz/corpus/$t" "$work/$t" >"$work/$t-merge.log" 2>&1) ||
        { echo "fuzz_$t: merge failed; see $work/$t-merge.log" >&2; return 1; }
    echo "fuzz_$t: $(($(ls "$root/fuzz/corpus/$t" | wc -l) - before)) new inputs in fuzz/corpus/$t/"
}
if [ $merge -eq 1 ]; then
    status=0
    for t in $targets; do merge "$t" || status=1; done
    echo "review with: git status fuzz/corpus; they replay as CTest cases (fuzz/replay_<target>)"
    exit $status
fi

status=0
pids=""
for t in $targets; do
    run "$t" &
    pids="$pids $!"
    # At most $jobs at once: wait for the oldest before starting another.
    set -- $pids
    if [ $# -ge "$jobs" ]; then
        wait "$1" || status=1
        shift
        pids=$*
    fi
done
for p in $pids; do
    wait "$p" || status=1
done
exit $status
