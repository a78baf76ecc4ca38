#!/usr/bin/env bash
# README command 1: set up, build, and run the main job on the bundled seed articles:
# out/seeds.ngraph, out/seeds.dot, out/seeds.svg and out/seeds.jsonld, with a summary on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
mkdir -p out
ng=build/cli/newsgraph
"$ng" build examples -o out/seeds.ngraph
"$ng" export out/seeds.ngraph --format dot -o out/seeds.dot
"$ng" export out/seeds.ngraph --format svg -o out/seeds.svg
"$ng" export out/seeds.ngraph --format jsonld -o out/seeds.jsonld
echo "wrote out/seeds.ngraph out/seeds.dot out/seeds.svg out/seeds.jsonld"
