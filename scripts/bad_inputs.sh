#!/usr/bin/env bash
# Feeds newsgraph one bad input after another and prints, for each, what it got: the exit status
# and the first lines of standard error (issue 9 asks for that list). Nothing here is asserted:
# the tests (tests/test_input.cpp, test_limits.cpp, cli_test.py, kill_test.py) assert it.
#
#   scripts/bad_inputs.sh [NEWSGRAPH]        (default: build/cli/newsgraph)
set -uo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-build/cli/newsgraph}")
export NEWSGRAPH_DATA=${NEWSGRAPH_DATA:-$PWD}  # models/ and data/
work=$(mktemp -d /tmp/newsgraph-bad-inputs.XXXXXX)
trap 'rm -rf "$work"' EXIT
cd "$work"

good='The minister Anna Berg met Paul Dorn in Oslo on Monday.'
printf '%s\n' "$good" > good.txt
"$bin" -q build good.txt -o good.ngraph

# try DESCRIPTION COMMAND...: runs it, prints status and stderr (stdout is discarded).
try() {
  local what=$1
  shift
  "$@" > /dev/null 2> err < "${stdin:-/dev/null}"
  local status=$?
  printf '\n### %s\n$ %s\nexit %d\n' "$what" "$*" "$status"
  head -c 2000 err | head -n 12 | sed "s|$work/||g"
}

printf 'caf\xe9 au lait with Anna Berg.\n' > latin1.txt
try "invalid UTF-8 (Latin-1 byte)" "$bin" extract latin1.txt
try "invalid UTF-8, --repair-utf8" "$bin" extract --repair-utf8 latin1.txt
head -c 4096 /bin/ls > binary.txt
try "binary file (ELF)" "$bin" extract binary.txt
printf '\xff\xfeA\0n\0n\0a\0' > utf16.txt
try "UTF-16 with byte-order mark" "$bin" extract utf16.txt
: > empty.txt
try "empty file" "$bin" extract empty.txt
printf '  \n\t\n' > blank.txt
try "blank file" "$bin" extract blank.txt
python3 -c "import sys; sys.stdout.write(('$good ' * 60000) + '\n')" > huge.txt
try "3 MB single line (over --max-document-bytes)" "$bin" extract huge.txt
python3 -c "print('x' * 5_000_000)" > oneword.txt
try "5 MB single word" "$bin" extract oneword.txt
python3 -c "import sys; sys.stdout.write(' '.join(['Anna Berg met Paul Dorn'] * 3000) + '\n')" > runon.txt
try "run-on sentence of 15,000 tokens" "$bin" extract runon.txt
printf '<html><script>var x=1;</script><p>%s</p>&amp;</html>\n' "$good" > page.txt
try "leftover HTML" "$bin" extract page.txt
printf '%s\n' '<div><br/></div>' > markup.txt
try "markup only" "$bin" extract markup.txt
{
  printf '{"id": "ok", "text": "%s"}\n' "$good"
  printf '{"id": "cut", "text": "unterminated\n'
  printf 'not json at all\n'
  printf '[1, 2]\n'
  printf '{"id": "no-text"}\n'
  printf '{"id": 3.5, "text": "x"}\n'
  printf '{"id": "a", "text": "x"}{"id": "b", "text": "y"}\n'
  printf '{"id": "surrogate", "text": "a\\udc00b"}\n'
  printf '{"id": "nul", "text": "a\0b"}\n'
  printf '{"id": "dup", "text": "%s"}\n' "$good"
  printf '{"id": "dup", "text": "%s"}\n' "$good"
} > mixed.jsonl
try "JSONL with bad lines among good ones" "$bin" extract mixed.jsonl
python3 -c "print('[' * 1_000_000)" > deep.jsonl
try "JSONL line of a million '['" "$bin" extract deep.jsonl
python3 -c "import json; print(json.dumps({'id': 'big', 'text': 'word ' * 1_200_000}))" > bigline.jsonl
try "JSONL line of 6 MB (over 4 x --max-document-bytes)" "$bin" extract bigline.jsonl
try "missing file" "$bin" extract no-such-file.txt
mkdir -p emptydir
try "directory without .txt files" "$bin" extract emptydir

cp good.ngraph truncated.ngraph && truncate -s -100 truncated.ngraph
try "truncated graph file" "$bin" query truncated.ngraph stats
cp good.ngraph flipped.ngraph && printf 'X' | dd of=flipped.ngraph bs=1 seek=200 conv=notrunc 2> /dev/null
try "graph file with one byte changed" "$bin" query flipped.ngraph stats
try "a text file given as a graph" "$bin" query good.txt stats
cp good.ngraph v2.ngraph && printf '\x02' | dd of=v2.ngraph bs=1 seek=8 conv=notrunc 2> /dev/null
try "graph file of an older format version (2)" "$bin" query v2.ngraph stats

printf 'stats\nfrobnicate\nshwo Anna Berg\npath "Anna Berg"\nshow "unclosed\nneighbors Nobody At All\n' > script.txt
stdin=script.txt try "REPL: unknown command, typo, missing argument, unclosed quote, unknown actor" "$bin" repl good.ngraph
