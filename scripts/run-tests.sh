#!/bin/sh
# The whole test suite, four ways:
#   1. every CTest case (unit, golden, CLI, invariants, corpus replays) on the build in build/;
#   2. the same suite built again with AddressSanitizer and UndefinedBehaviorSanitizer
#      (build-asan/, gcc; JM_ASAN_CC=clang for clang's): any invalid access, undefined
#      behaviour or leak fails its test;
#   3. the threads test (tests/threads/threads.c) built with ThreadSanitizer (build-tsan/,
#      clang; skipped with a message without it): any data race in the library fails it;
#   4. when clang's libFuzzer is installed, every fuzz target for a short, bounded time
#      (build-fuzz/; JM_FUZZ_SECONDS each, default 20; 0 skips fuzzing).
set -eu
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc)

echo "== tests (build)"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== tests with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan)"
if [ ! -f build-asan/CMakeCache.txt ]; then
    CC=${JM_ASAN_CC:-gcc} cmake -S . -B build-asan -DJM_SANITIZE=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        >/dev/null
fi
cmake --build build-asan -j "$jobs" >/dev/null
# Leaks: fontconfig's own allocations only are suppressed (scripts/lsan.supp).
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1} \
LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0} \
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
    ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 300

if command -v clang >/dev/null 2>&1; then
    echo "== threads test with ThreadSanitizer (build-tsan)"
    if [ ! -f build-tsan/CMakeCache.txt ]; then
        CC=clang cmake -S . -B build-tsan -DJM_TSAN=ON -DJM_BENCH=OFF \
            -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    fi
    cmake --build build-tsan -j "$jobs" --target test_threads >/dev/null
    ctest --test-dir build-tsan -R '^api/threads$' --output-on-failure --timeout 300
else
    echo "== ThreadSanitizer skipped (no clang; scripts/bootstrap.sh installs it)"
fi

seconds=${JM_FUZZ_SECONDS:-20}
if [ "$seconds" -gt 0 ] && command -v clang >/dev/null 2>&1 &&
    echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' |
    clang -fsanitize=fuzzer -x c - -o /dev/null 2>/dev/null; then
    echo "== fuzzing, ${seconds} s a target (build-fuzz)"
    scripts/fuzz.sh -b build-fuzz -t "$seconds" -j "$jobs"
else
    echo "== fuzzing skipped (no clang with libFuzzer; scripts/bootstrap.sh installs it)"
fi
