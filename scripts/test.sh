#!/usr/bin/env bash
# README command 2: set up, build, and run the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DNEWSGRAPH_BUILD_TESTS=ON
scripts/install-test-tools.sh   # graph databases the export tests load our files into
# The consumers are installed now: a missing one fails its test instead of skipping it.
NEWSGRAPH_REQUIRE_TOOLS=1 ctest --test-dir build --output-on-failure -j"$(nproc)"
# Then the same suite under ASan and UBSan, and a minute of each fuzzer (issue 9).
scripts/robustness.sh
