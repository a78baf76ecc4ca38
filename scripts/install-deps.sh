#!/usr/bin/env bash
# Installs the Debian packages newsgraph needs to build, test and render. Safe to run again:
# it asks apt only for what is missing, and does nothing when everything is there.
set -euo pipefail

packages=(
  build-essential cmake pkg-config
  libboost-graph-dev rapidjson-dev libgraphviz-dev graphviz
  doctest-dev libcli11-dev libutf8proc-dev libedit-dev
  python3 python3-pyld raptor2-utils libxml2-utils tmux
  time  # GNU time: peak memory in bench/
  clang-14 libclang-rt-14-dev llvm-14  # libFuzzer and its symbolizer: scripts/robustness.sh
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js and npm run the Kùzu graph database in the export tests (scripts/install-test-tools.sh).
# Checked by command, not package: a NodeSource nodejs bundles npm and conflicts with Debian's.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present" >&2
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo); else
    echo "install-deps: not root and no sudo; install: ${missing[*]}" >&2; exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
