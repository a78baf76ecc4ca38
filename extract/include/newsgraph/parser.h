// Transition-based labelled dependency parser producing Universal Dependencies relations.
//
// Arc-hybrid transitions (the root at the end of the buffer, one root per sentence), greedy
// decoding with an averaged perceptron over Zhang & Nivre (2011) style features: words, tags and
// labels of stack/buffer items and of their leftmost/rightmost children, distance, valency.
// Trained with a dynamic oracle and exploration; linear time in the sentence length.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "newsgraph/analysis.h"

namespace newsgraph {

struct parser_options {
  int epochs = 20;               // at most this many passes over the training data
  int patience = 4;              // stop after this many epochs without a better dev LAS
  std::uint32_t hash_bits = 22;  // 2^hash_bits buckets; training needs 2^bits * (1 + 2 * labels) * 12 bytes
  float min_weight = 0.5F;       // the saved model drops weights smaller than this: on EWT, 0.5 keeps
                                 // the accuracy (-10% size), 1.0 halves the model for -0.15 LAS
  double explore = 0.9;          // from epoch 2, probability of following the model's own (wrong) choice
  std::uint64_t seed = 1;        // shuffling and exploration
  std::ostream* progress = nullptr;  // per-epoch lines, or nothing
};

struct parser_scores {
  std::size_t tokens = 0;  // every token counts, punctuation included
  double uas = 0, las = 0;  // percent in [0, 100]; LAS compares the full relation ("nsubj:pass")
  double las_universal = 0; // LAS on the universal part only ("nsubj"), as the CoNLL 2018 shared-task
                            // evaluation (and so UDPipe's published figures) counts it
};

class dependency_parser {
public:
  dependency_parser();
  ~dependency_parser();
  dependency_parser(dependency_parser&&) noexcept;
  dependency_parser& operator=(dependency_parser&&) noexcept;

  // Learns from the gold head/deprel of `train`, reading form, upos and xpos as features: give it
  // PREDICTED tags (as the tagger will produce at run time) for the best accuracy. Non-projective
  // training trees are made projective by lifting arcs; sentences without exactly one root are
  // skipped. `dev` (may be empty, predicted tags too) picks the best epoch.
  static dependency_parser train(const std::vector<sentence>& train, const std::vector<sentence>& dev,
                                 const parser_options& options = {});

  // Throws newsgraph::error (nlp::model_error) naming `path` if it is missing, another version,
  // another kind or another fingerprint.
  static dependency_parser load(const std::string& path);
  void save(const std::string& path) const;

  // A parser whose weights are the mean of a's and b's: both trained on the same data with other
  // seeds. Throws newsgraph::error if their relations, vocabularies or hashing differ.
  static dependency_parser mean(const dependency_parser& a, const dependency_parser& b);

  // Drops weights smaller than min_weight in magnitude: a smaller, faster, slightly less accurate
  // model (training already drops those below 0.001).
  void prune(float min_weight);

  // Sets head (index in the sentence, -1 for the root) and deprel of every token from form, upos
  // and xpos. Exactly one token gets head -1. Thread-safe.
  void parse(sentence& s) const;
  // parse() of every sentence, with the same results: several sentences advance in lockstep so
  // that the memory latency of one sentence's weight lookups hides behind the others'. The faster
  // way to parse a document. Thread-safe.
  void parse_all(std::span<sentence> sentences) const;

  // Parses a copy of each sentence (using its tags as given) and compares with its head/deprel.
  parser_scores evaluate(const std::vector<sentence>& gold) const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace newsgraph
