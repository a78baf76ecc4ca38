#!/usr/bin/env bash
# Installs the consumers the export tests load our files into, beyond the Debian packages of
# scripts/install-deps.sh (graphviz, python3-pyld, raptor2-utils, nodejs, npm):
#   Kùzu, an embedded graph database, from the npm package `kuzu` (prebuilt Linux binary inside),
#   into a project-local folder: ${NEWSGRAPH_TOOLS:-build/tools}/node_modules/kuzu.
# Safe to run again: does nothing when the installed Kùzu loads.
set -euo pipefail
cd "$(dirname "$0")/.."

kuzu_version=0.11.3
tools=${NEWSGRAPH_TOOLS:-$PWD/build/tools}
module="$tools/node_modules/kuzu"

kuzu_loads() {
  [ -d "$module" ] && node -e "require('$module')" >/dev/null 2>&1
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "install-test-tools: node and npm are missing; run scripts/install-deps.sh first" >&2
  exit 1
fi

if kuzu_loads; then
  echo "install-test-tools: kuzu present in $tools" >&2
  exit 0
fi

echo "install-test-tools: installing kuzu@$kuzu_version into $tools" >&2
mkdir -p "$tools"
npm install --prefix "$tools" --no-audit --no-fund --no-save "kuzu@$kuzu_version" >&2
# npm 10+ may hold back install scripts; the package's own installer only copies its prebuilt
# binary into place, so run it when the binary is not there yet.
if ! kuzu_loads && [ -f "$module/install.js" ]; then
  (cd "$module" && node install.js >&2)
fi
if ! kuzu_loads; then
  echo "install-test-tools: kuzu installed in $tools but does not load" >&2
  exit 1
fi
echo "install-test-tools: kuzu $kuzu_version ready" >&2
