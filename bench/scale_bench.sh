#!/usr/bin/env bash
# Scale of extract and build (issue 8): tokens/s, documents/s, wall seconds and peak RSS on the
# first 1k and 10k Reuters articles, all 19,043 of them, and a 10x replicated corpus (ids suffixed),
# each with one thread and with every core. One line per run, key=value, on stdout.
#
#   bench/scale_bench.sh [--quick | --sizes "1k 10k all 10x"] [--threads "1 2"]
#   (--quick: 1k and 10k only; --threads: the thread counts to run, default 1 and every core)
#
# Needs a Release build with benches (scripts/build.sh -DNEWSGRAPH_BUILD_BENCH=ON) and the corpus
# in ../shared/data/news (override with NEWSGRAPH_CORPUS). Reuters-21578 is for research use: it is
# read here, never shipped. Peak RSS comes from GNU time (package "time", installed by
# scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=${NEWSGRAPH_CORPUS:-../shared/data/news/reuters21578.jsonl}
bin=${NEWSGRAPH_BIN:-build/cli/newsgraph}
count=${NEWSGRAPH_COUNT_TOKENS:-build/bench/count_tokens}
for f in "$corpus" "$bin" "$count" /usr/bin/time; do
  [ -e "$f" ] || { echo "scale_bench: $f missing (see the header of $0)" >&2; exit 1; }
done
work=$(mktemp -d /tmp/newsgraph-scale.XXXXXX)
trap 'rm -rf "$work"' EXIT
all_threads=$(nproc)

sizes=(1k 10k all 10x)
thread_counts=(1 "$all_threads")
while [ $# -gt 0 ]; do
  case $1 in
    --quick) sizes=(1k 10k); shift ;;
    --sizes) read -r -a sizes <<< "${2:?--sizes needs a list, e.g. \"1k all\"}"; shift 2 ;;
    --threads) read -r -a thread_counts <<< "${2:?--threads needs a list, e.g. \"2\"}"; shift 2 ;;
    *) echo "usage: $0 [--quick | --sizes LIST] [--threads LIST]" >&2; exit 2 ;;
  esac
done
for size in "${sizes[@]}"; do
  case $size in
    1k) head -n 1000 "$corpus" > "$work/reuters-1k.jsonl" ;;
    10k) head -n 10000 "$corpus" > "$work/reuters-10k.jsonl" ;;
    all) cp "$corpus" "$work/reuters-all.jsonl" ;;
    # Ten copies with distinct ids: the same text ten times is the worst case for the graph (every
    # statement and alias repeats), the best honest stand-in for a ten-times-larger archive we lack.
    10x) for copy in 0 1 2 3 4 5 6 7 8 9; do
           sed "s/^{\"id\": \"\([^\"]*\)\"/{\"id\": \"\1-copy$copy\"/" "$corpus"
         done > "$work/reuters-10x.jsonl" ;;
    *) echo "scale_bench: unknown size $size (1k, 10k, all, 10x)" >&2; exit 2 ;;
  esac
done

# run NAME TOKENS DOCS COMMAND...: times COMMAND, prints figures.
run() {
  local name=$1 tokens=$2 docs=$3
  shift 3
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" > /dev/null 2> "$work/stderr" ||
    { echo "scale_bench: $name failed:" >&2; cat "$work/stderr" >&2; exit 1; }
  read -r seconds rss_kb < "$work/time"
  awk -v n="$name" -v s="$seconds" -v r="$rss_kb" -v t="$tokens" -v d="$docs" 'BEGIN {
    printf "%s seconds=%.2f tokens_per_s=%.0f documents_per_s=%.0f peak_rss_mb=%.0f\n", n, s, t / s, d / s, r / 1024 }'
}

for size in "${sizes[@]}"; do
  input="$work/reuters-$size.jsonl"
  read -r docs tokens < <("$count" "$input" | sed 's/documents=\([0-9]*\) tokens=\([0-9]*\)/\1 \2/')
  echo "corpus=$size documents=$docs tokens=$tokens bytes=$(stat -c %s "$input")"
  for threads in "${thread_counts[@]}"; do
    run "extract corpus=$size threads=$threads" "$tokens" "$docs" "$bin" -q extract --threads "$threads" --format jsonl "$input"
    run "build corpus=$size threads=$threads" "$tokens" "$docs" "$bin" -q build --threads "$threads" "$input" -o "$work/g.ngraph"
  done
done
