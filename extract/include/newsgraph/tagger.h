// Part-of-speech tagger (UPOS and XPOS together) and lemmatizer for English.
//
// A greedy left-to-right averaged perceptron over hashed features (word, lower case, prefixes and
// suffixes 1-4, shape, neighbouring words, the two previous predicted tags) that predicts the
// UPOS/XPOS pair as one class; frequent unambiguous words are tagged from a dictionary. Lemmas
// come from a (word, tag) dictionary learned from the training data, then from learned suffix
// rules; they are lower case except for proper nouns.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "newsgraph/analysis.h"

namespace newsgraph {

struct tagger_options {
  int epochs = 12;             // at most this many passes over the training data
  int patience = 3;            // stop after this many epochs without a better dev score
  std::uint32_t hash_bits = 20;  // 2^hash_bits feature buckets; training needs 2^bits * classes * 12 bytes
  std::uint64_t seed = 1;      // shuffling
  std::ostream* progress = nullptr;  // per-epoch lines, or nothing
};

struct tagger_scores {
  std::size_t tokens = 0;
  double upos = 0, xpos = 0, lemma = 0;  // percent of tokens right, in [0, 100]
};

class tagger {
public:
  tagger();
  ~tagger();
  tagger(tagger&&) noexcept;
  tagger& operator=(tagger&&) noexcept;

  // Trains on gold form/upos/xpos/lemma of `train`; `dev` (may be empty) picks the best epoch.
  static tagger train(const std::vector<sentence>& train, const std::vector<sentence>& dev,
                      const tagger_options& options = {});

  // Throws newsgraph::error (nlp::model_error) naming `path` if it is missing, another version,
  // another kind or another fingerprint.
  static tagger load(const std::string& path);
  void save(const std::string& path) const;

  // Drops weights smaller than min_weight in magnitude: a smaller, faster, slightly less accurate
  // model (training already drops those below 0.001).
  void prune(float min_weight);

  // Sets upos, xpos and lemma of every token of s from its forms. Thread-safe (const, no shared
  // mutable state).
  void tag(sentence& s) const;

  // Tags a copy of each gold sentence and compares; gold keeps its annotation.
  tagger_scores evaluate(const std::vector<sentence>& gold) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Jackknifing: returns `train` with upos/xpos replaced by the predictions of taggers trained on
// the other folds (k >= 2 folds), so that a parser trained on them sees tagging errors as
// realistic as at run time. Lemmas and trees are kept. Trains k taggers (options.progress is
// passed on).
std::vector<sentence> jackknife_tags(const std::vector<sentence>& train, int folds, const tagger_options& options);

}  // namespace newsgraph
