#!/usr/bin/env bash
# Rebuilds the shipped statistical models in models/ from the openly licensed corpora in
# ../shared/data (override with NEWSGRAPH_CORPORA), with the newsgraph binary from build/
# (override with NEWSGRAPH_BIN). One training job at a time, single-threaded.
#
#   models/tagger.model  UD English-EWT train (CC BY-SA 4.0), dev for early stopping
#   models/parser.model  UD English-EWT train, on jackknifed predicted tags; dev for early stopping
#   models/ner.model     Universal NER English-EWT + wikigold (see the NER line below)
#
# Never train on UD English-GUM: its licence is non-commercial; it is used only to evaluate.
set -euo pipefail
cd "$(dirname "$0")/.."
corpora=${NEWSGRAPH_CORPORA:-../shared/data}
bin=${NEWSGRAPH_BIN:-build/cli/newsgraph}
ewt=$corpora/ud-en-ewt
[ -x "$bin" ] || { echo "train-models: $bin not built (scripts/build.sh)" >&2; exit 1; }
[ -f "$ewt/en_ewt-ud-train.conllu" ] || { echo "train-models: $ewt/en_ewt-ud-train.conllu missing" >&2; exit 1; }
mkdir -p models

"$bin" train tagger --train "$ewt/en_ewt-ud-train.conllu" --dev "$ewt/en_ewt-ud-dev.conllu" \
  -o models/tagger.model
"$bin" train parser --train "$ewt/en_ewt-ud-train.conllu" --dev "$ewt/en_ewt-ud-dev.conllu" \
  --tagger models/tagger.model --jackknife 4 -o models/parser.model

# NER: Universal NER English-EWT train + dev (2022 snapshot with its MISC spans, CC BY-SA 4.0) and
# wikigold (CC BY 4.0), 4 epochs: the best epoch on UNER EWT dev when dev is held out, found with
#   "$bin" train ner --train "$ner/uner-en-ewt-2022-with-MISC/en_ewt-ud-train.iob2" \
#     --train "$ner/wikigold/wikigold.iob2" --dev "$ner/uner-en-ewt/en_ewt-ud-dev.iob2" -o /tmp/ner-dev.model
ner=$corpora/ner-en
"$bin" train ner --train "$ner/uner-en-ewt-2022-with-MISC/en_ewt-ud-train.iob2" \
  --train "$ner/wikigold/wikigold.iob2" --train "$ner/uner-en-ewt-2022-with-MISC/en_ewt-ud-dev.iob2" \
  --epochs 4 -o models/ner.model
"$bin" eval ner "$ner/uner-en-ewt/en_ewt-ud-test.iob2" | tail -n 1

"$bin" eval parser "$ewt/en_ewt-ud-test.conllu" | tail -n 1
ls -l models/*.model >&2
