#!/usr/bin/env bash
# README command 2: set up, build, and run the whole test suite through CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DNEWSGRAPH_BUILD_TESTS=ON
ctest --test-dir build --output-on-failure -j"$(nproc)"
