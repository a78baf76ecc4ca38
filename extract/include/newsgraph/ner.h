// Named-entity recognizer: greedy left-to-right averaged perceptron over word, shape, affix and
// context features, the two previous labels, gazetteer matches (data/gazetteer), dictionary case
// (data/word-case.tsv) and WordNet noun classes (data/wordnet-classes.tsv); BIO labels over PER,
// ORG, LOC and MISC. The model file carries its own copy of those lists, so it needs no data
// directory. Also uses the POS tags of the tokens (token::upos/xpos: tag, proper-noun runs):
// the pipeline runs the tagger before NER, and training tags its sentences with the same tagger
// (ner_train_options::pos_tagger; `newsgraph train ner --tagger`, default models/tagger.model), so
// that training sees tags as predicted at run time; one training sentence in five is seen without
// tags, so that untagged input (label(forms), or tokens with empty upos/xpos) still works, a little
// less well (shipped model, UNER EWT test F1: 73.3 tagged, 72.2 untagged).
//
// MISC: the shipped model is trained on the UNER EWT 2022 snapshot (train + dev) with its MISC
// (ex-OTH) spans, so it predicts MISC; on test sets without MISC (UNER EWT final,
// PUD) MISC predictions are not scored (score_ner scores only the types present in the gold data).
//
// For cli/cmd_nlp.cpp (`newsgraph train ner` / `newsgraph eval ner`):
//   train_ner(train_files, dev_file, out_path, epochs, data_dir)  -> ner_train_report
//   evaluate_ner(model, gold_file)                                -> ner_scores; format_scores()
//     gives the last line "P=.. R=.. F1=.. PER=.. ORG=.. LOC=.. MISC=.." (per-type F1).
// Training files are IOB2 (see ../shared/data/ner-en/SOURCE.md): 5 tab-separated columns
// (UNER: index, token, tag, -, annotator) or 2 (wikigold: token, tag); several files, e.g. UNER
// EWT train and wikigold, are concatenated.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
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
  std::uint32_t seed = 1;      // shuffling
  bool misc = true;            // false: MISC spans of the training data become O
  std::string word_case_file;  // data/word-case.tsv (stored in the model); empty: no such feature
  std::string word_class_file; // data/wordnet-classes.tsv (stored in the model); empty: none
  bool verbose = true;         // one line per epoch on stderr
  int augment = 2;             // copies of the sentences with entities, mentions replaced (see ner.cpp)
  // Tags the training and dev sentences (POS features), as the pipeline does before NER; nullptr:
  // no POS features are learnt (the model then works on bare forms).
  const tagger* pos_tagger = nullptr;
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
// to out_path.
ner_train_report train_ner(const std::vector<std::string>& train_files, const std::string& dev_file,
                           const std::string& out_path, int epochs, const std::string& data_dir,
                           const std::string& tagger_path = "");

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
// With pos_tagger, each sentence is tagged first and labelled through label(sentence&), as in the
// pipeline (only the NER time is counted); without it, from bare forms (no POS features).
ner_scores evaluate_ner(const ner_model& model, const std::string& gold_file,
                        const std::string& document_prefix = "", const tagger* pos_tagger = nullptr);
ner_scores evaluate_ner(const ner_model& model, const std::vector<iob2_sentence>& gold,
                        const tagger* pos_tagger = nullptr);

// Human-readable table (one line per type) followed by a last line of key=value figures:
// "P=81.20 R=79.90 F1=80.54 PER=... ORG=... LOC=..." (per-type F1).
std::string format_scores(const ner_scores& scores);

}  // namespace newsgraph
