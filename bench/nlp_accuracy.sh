#!/usr/bin/env bash
# Accuracy and speed of the shipped NLP models (models/*.model), printed as key=value lines:
#   EWT test and GUM test with gold tokenisation and predicted tags (UPOS XPOS LEMMA UAS LAS), EWT
#   test from raw text (bench/raw_text_eval.py: Tokens Sentences UPOS UAS LAS F1),
#   NER on UNER EWT test if models/ner.model exists, model sizes and load time, and one-thread
#   tokens/s over the Reuters-21578 news (bench/nlp_speed.cpp) with its peak RSS.
# Corpora from ../shared/data (NEWSGRAPH_CORPORA), binaries from build/ (NEWSGRAPH_BUILD).
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=${NEWSGRAPH_CORPORA:-../shared/data}
build=${NEWSGRAPH_BUILD:-build}
bin=$build/cli/newsgraph
[ -x "$bin" ] || { echo "nlp_accuracy: $bin not built (scripts/build.sh)" >&2; exit 1; }

echo "== EWT test, gold tokenisation, predicted tags"
"$bin" eval parser "$corpora/ud-en-ewt/en_ewt-ud-test.conllu"
echo "== EWT test from raw text: our tokenizer and sentence splitter, then tagger and parser (CoNLL 2018 style F1)"
python3 bench/raw_text_eval.py "$corpora/ud-en-ewt/en_ewt-ud-test.conllu" --newsgraph "$bin"
echo "== GUM test (never trained on), gold tokenisation, predicted tags"
"$bin" eval parser "$corpora/ud-en-gum/en_gum-ud-test.conllu"
if [ -f models/ner.model ]; then
  echo "== NER, UNER EWT test"
  "$bin" eval ner "$corpora/ner-en/uner-en-ewt/en_ewt-ud-test.iob2" | tail -n 1 || echo "ner: evaluation failed"
fi

echo "== model sizes (bytes)"
for m in models/*.model; do echo "$(basename "$m")=$(stat -c %s "$m")"; done
total=$(cat models/*.model | wc -c)
echo "total_bytes=$total"

echo "== speed: one thread, Reuters-21578 news"
speed=$build/bench/nlp_speed
[ -x "$speed" ] || { echo "nlp_accuracy: $speed not built (cmake --build $build --target nlp_speed)" >&2; exit 1; }
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# NLP_MODELS: another folder of models (e.g. tagger and parser only, to time them without NER).
NEWSGRAPH_DATA=${NEWSGRAPH_DATA:-$PWD} /usr/bin/time -v "$speed" "${NLP_MODELS:-models}" \
  "$corpora/news/reuters21578.jsonl" 2>"$log" || { cat "$log" >&2; exit 1; }
echo "peak_rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")"
