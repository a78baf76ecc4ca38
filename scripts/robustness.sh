#!/usr/bin/env bash
# Issue 9, run by scripts/test.sh after the normal suite. One instrumented build, with clang-14, in
# build-fuzz/: every library with AddressSanitizer, UBSan and libFuzzer's coverage hooks.
#   1. the whole test suite of that build (any sanitizer report stops the program, so the test
#      fails);
#   2. each libFuzzer target of fuzz/, run for NEWSGRAPH_FUZZ_SECONDS (default 60) on a copy of its
#      seed corpus and dictionary. A crash, sanitizer report, leak, timeout or out-of-memory fails
#      the script; the input that caused it is left in build-fuzz/findings/ (replay it:
#      build-fuzz/fuzz/fuzz_NAME FILE).
# One build instead of a g++ one for the tests and a clang one for the fuzzers halves the time this
# adds to CI; -O1 with line tables only is what the sanitizers' documentation advises, and compiles
# fastest. Prints the time of each step and each fuzzer's executions and coverage.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc)
seconds=${NEWSGRAPH_FUZZ_SECONDS:-60}
step_started=$SECONDS
step() {
  echo "robustness: $1 took $((SECONDS - step_started)) s" >&2
  step_started=$SECONDS
}

cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++-14 -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DNEWSGRAPH_SANITIZE=ON \
  -DNEWSGRAPH_BUILD_FUZZERS=ON -DNEWSGRAPH_BUILD_TESTS=ON -DNEWSGRAPH_BUILD_BENCH=OFF >/dev/null
cmake --build build-fuzz -j"$jobs"
step "sanitizer build (tests and fuzzers)"

# --- 1. the test suite under ASan and UBSan --------------------------------------------------------
scripts/install-test-tools.sh
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:check_initialization_order=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
NEWSGRAPH_REQUIRE_TOOLS=1 ctest --test-dir build-fuzz --output-on-failure -j"$jobs"
step "sanitizer tests"

# --- 2. the fuzzers ------------------------------------------------------------------------------------
mkdir -p build-fuzz/findings
for target in tokenizer jsonl graph_file repl; do
  # Fuzzing adds to its corpus: work on a copy, never in the source tree.
  corpus=build-fuzz/corpus/$target
  rm -rf "$corpus"
  mkdir -p "$corpus"
  cp fuzz/corpus/"$target"/* "$corpus"/
  log=build-fuzz/fuzz-$target.log
  # -timeout: one input taking 30 s is a hang; -rss_limit_mb also caps any single allocation.
  if ! build-fuzz/fuzz/fuzz_"$target" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 -max_len=65536 \
      -dict=fuzz/"$target".dict -artifact_prefix=build-fuzz/findings/"$target"- -print_final_stats=1 \
      "$corpus" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "robustness: fuzz_$target found a problem; its input is in build-fuzz/findings/ (log: $log)" >&2
    exit 1
  fi
  executed=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  coverage=$(grep -o 'cov: [0-9]* ft: [0-9]*' "$log" | tail -n 1)
  step "fuzz_$target: $executed executions, $coverage, no finding;"
done
