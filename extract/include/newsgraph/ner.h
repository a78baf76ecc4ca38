// Named-entity recognizer: greedy left-to-right averaged perceptron over word, shape, affix and
// context features, the two previous labels, gazetteer matches (data/gazetteer), dictionary case
// (data/word-case.tsv) and WordNet noun classes (data/wordnet-classes.tsv); BIO labels over PER,
// ORG, LOC and MISC. The model file carries its own copy of those lists, so it needs no data
// directory. Also uses the POS tags of the tokens (token::upos/xpos: tag, proper-noun runs):
// the pipeline runs the tagger before NER, and training tags its sentences with the same tagger
// (ner_train_options::pos_tagger; `newsgraph train ner --tagger`, default models/tagger.model), so
// that training sees tags as predicted at run time; one training sentence in five is seen without
// tags, so that untagged input (label(forms), or tokens with empty upos/xpos) still works, a little
// less well. Optionally (ner_train_options::pos_train; `newsgraph train ner --pos-train`), sentences
// that the tagger itself was trained on (UD English-EWT train, which UNER EWT train annotates) are
// tagged instead by taggers trained without them (jackknifing); the shipped model does not use it:
// it did not change UNER EWT dev F1 and lowered UNER PUD news F1 by about 3 points.
//
// Documents: label_document() labels the sentences of a document in order, and how a word was
// labelled earlier in the document is a feature ("Mozilla" seen as ORG makes the next "Mozilla"
// more likely an ORG); the pipeline labels a text that way. label(sentence&) sees one sentence alone.
//
// Training (ner_train_options): the perceptron also updates when the right label wins by less than
// a margin, and each training decision sees a random three quarters of its features (both make the
// model rely less on a few memorised features); news-style titles naming an organisation or place
// are added to names in the augmented copies ("Ambassador to the EU John Smith"), so that a name
// right after an organisation is not read as part of it. A bias on the B-PER score (stored in the
// model, --person-bias) exists but the shipped model has none: -60 gained 0.85 UNER EWT dev F1 and
// lost about as much on UNER PUD news. Each setting was chosen on UNER EWT dev with UNER PUD news
// and the seed articles as a news check (see scripts/train-models.sh for the figures).
//
// MISC: the shipped model is trained on the UNER EWT 2022 snapshot (train + dev) with its MISC
// (ex-OTH) spans, so it predicts MISC; on test sets without MISC (UNER EWT final,
// PUD) MISC predictions are not scored (score_ner scores only the types present in the gold data).
//
// For cli/cmd_nlp.cpp (`newsgraph train ner` / `newsgraph eval ner`):
//   train_ner(train_files, dev_file, out_path, data_dir, ...)     -> ner_train_report
//   evaluate_ner(model, gold_file)                                -> ner_scores; format_scores()
//     gives the last line "P=.. R=.. F1=.. PER=.. ORG=.. LOC=.. MISC=.." (per-type F1).
// Training files are IOB2 (see ../shared/data/ner-en/SOURCE.md): 5 tab-separated columns
// (UNER: index, token, tag, -, annotator) or 2 (wikigold: token, tag); several files, e.g. UNER
// EWT train and wikigold, are concatenated.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "newsgraph/analysis.h"
#include "newsgraph/gazetteer.h"

namespace newsgraph {

class tagger;

// One sentence of an IOB2 file.
struct iob2_sentence {
  std::string document;            // the last "# newdoc id = ..." before it, or empty
  std::vector<std::string> forms;
  std::vector<std::string> tags;   // "O", "B-PER", "I-LOC", ...
};

// Reads an IOB2 file; throws input_error naming the file and line of a malformed line.
std::vector<iob2_sentence> read_iob2(const std::string& path);

class ner_model {
public:
  ner_model();
  ~ner_model();
  ner_model(ner_model&&) noexcept;
  ner_model& operator=(ner_model&&) noexcept;

  // Throws nlp::model_error (a newsgraph::error) naming the file when it is missing, not an NER
  // model, of another format version or fingerprint, or corrupt. The gazetteer the model was
  // trained with is stored inside the file.
  static ner_model load(const std::string& path);
  void save(const std::string& path) const;

  // Fills token::ner of every token with a BIO label ("O", "B-PER", "I-PER", ...), from
  // token::form and the tagger's token::upos/xpos. Thread-safe (const); allocates nothing per token once warmed up.
  void label(sentence& s) const;
  // Labels the sentences of one document, in order (see above). Thread-safe (const).
  void label_document(std::span<sentence> sentences) const;
  // The same over bare forms (no POS tags: less accurate, see above); returns the labels.
  std::vector<std::string> label(const std::vector<std::string>& forms) const;

  const std::vector<std::string>& labels() const;  // the label set, "O" first

private:
  friend struct ner_trainer;
  struct impl;
  std::unique_ptr<impl> impl_;
};

struct ner_train_options {
  int epochs = 12;             // at most; the epoch with the best dev F1 is kept
  std::uint32_t hash_bits = 21;
  std::uint32_t seed = 1;      // shuffling, augmentation and feature dropout
  float margin = 160.0F;       // update also when the right label wins by less than this
  float dropout = 0.25F;       // share of the features left out of each training decision
  float person_bias = 0.0F;    // added to the B-PER score when labelling (stored in the model)
  bool document_memory = true; // label_document() remembers earlier labels (stored in the model)
  bool misc = true;            // false: MISC spans of the training data become O
  std::string word_case_file;  // data/word-case.tsv (stored in the model); empty: no such feature
  std::string word_class_file; // data/wordnet-classes.tsv (stored in the model); empty: none
  bool verbose = true;         // one line per epoch on stderr
  int augment = 2;             // copies of the sentences with entities, mentions replaced (see ner.cpp)
  bool affiliation = true;     // augmentation: half of the added titles name an ORG or LOC ("... to the EU")
  // Tags the training and dev sentences (POS features), as the pipeline does before NER; nullptr:
  // no POS features are learnt (the model then works on bare forms).
  const tagger* pos_tagger = nullptr;
  // The gold-tagged sentences pos_tagger was trained on (UD English-EWT train), or empty. Training
  // sentences found among them are tagged by one of pos_folds taggers trained on the others
  // (contiguous parts, as jackknife_tags() does), not by pos_tagger, which has seen them.
  std::vector<sentence> pos_train;
  int pos_folds = 4;
};

struct ner_train_report {
  int best_epoch = 0;
  double best_dev_f1 = 0.0;
  std::size_t train_sentences = 0;
};

// Trains on the sentences of `train` (already read), picks the epoch with the best entity F1 on
// `dev` (all epochs' averaged models are evaluated; an empty dev keeps the last epoch).
ner_model train_ner(const std::vector<iob2_sentence>& train, const std::vector<iob2_sentence>& dev,
                    const gazetteer& gazetteers, const ner_train_options& options = {},
                    ner_train_report* report = nullptr);

// File-level entry point for the CLI: reads the IOB2 training files and the dev file, loads the
// gazetteers and data/word-case.tsv from data_dir (folder holding data/), trains, saves the model
// to out_path. tagger_path: the tagger for the POS features (empty: none); pos_train_file: CoNLL-U
// the tagger was trained on, for jackknifed tags (see ner_train_options::pos_train), or empty.
// options: everything else (its pos_tagger, pos_train and data files are set here).
ner_train_report train_ner(const std::vector<std::string>& train_files, const std::string& dev_file,
                           const std::string& out_path, const std::string& data_dir,
                           const std::string& tagger_path = "", const std::string& pos_train_file = "",
                           ner_train_options options = {});

// Entity-level scores with CoNLL exact-span matching (conlleval: an I- tag without its B- starts
// an entity).
struct ner_counts {
  std::size_t true_positives = 0;
  std::size_t false_positives = 0;
  std::size_t false_negatives = 0;
  double precision() const;  // percent, 0 when undefined
  double recall() const;
  double f1() const;
};

struct ner_scores {
  ner_counts overall;
  std::vector<std::string> types;    // the types scored, in order: PER, ORG, LOC, MISC (present ones)
  std::vector<ner_counts> per_type;  // parallel to types
  std::size_t sentences = 0;
  std::size_t tokens = 0;
  double seconds = 0.0;              // time spent labelling
};

// Scores predicted against gold tag sequences. Only the entity types that occur in the gold data
// are scored: a model with MISC evaluated on data without MISC has its MISC predictions ignored.
ner_scores score_ner(const std::vector<std::vector<std::string>>& gold,
                     const std::vector<std::vector<std::string>>& predicted);

// Labels the sentences of an IOB2 file (gold tokenisation) and scores them. If document_prefix is
// not empty, only sentences whose "# newdoc id" starts with it are used (UNER PUD news: "n").
// Sentences are labelled a document at a time (label_document(): consecutive sentences of the same
// "# newdoc id"), as in the pipeline. With pos_tagger, each sentence is tagged first (only the NER
// time is counted); without it, from bare forms (no POS features).
ner_scores evaluate_ner(const ner_model& model, const std::string& gold_file,
                        const std::string& document_prefix = "", const tagger* pos_tagger = nullptr);
ner_scores evaluate_ner(const ner_model& model, const std::vector<iob2_sentence>& gold,
                        const tagger* pos_tagger = nullptr);

// Human-readable table (one line per type) followed by a last line of key=value figures:
// "P=81.20 R=79.90 F1=80.54 PER=... ORG=... LOC=..." (per-type F1).
std::string format_scores(const ner_scores& scores);

}  // namespace newsgraph
