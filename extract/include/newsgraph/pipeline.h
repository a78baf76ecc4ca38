// The whole linguistic analysis of a text: tokenize and split sentences, tag and lemmatize,
// parse, and label named entities, with models loaded once from a folder.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/analysis.h"

namespace newsgraph {

class tagger;
class dependency_parser;

class nlp_pipeline {
public:
  // Loads models_dir/tagger.model and models_dir/parser.model (required) and models_dir/ner.model
  // (optional: without it token::ner stays empty), and the tokenizer's data files from the folder
  // that holds models_dir (its data/ subfolder). Throws newsgraph::error naming the file that
  // is missing or does not fit this build.
  explicit nlp_pipeline(const std::string& models_dir);
  ~nlp_pipeline();
  nlp_pipeline(nlp_pipeline&&) noexcept;
  nlp_pipeline& operator=(nlp_pipeline&&) noexcept;

  // Full analysis of UTF-8 text; every token span is a byte range of `text`. Thread-safe.
  analysis analyze(std::string_view text) const;

  // analyze() of several texts at once, results in the same order and equal to analyze()'s. Each
  // stage runs over all of them before the next starts, so that a model's tables stay in the
  // cache for thousands of tokens instead of being evicted by the next stage's after each text:
  // a batch of a few dozen news articles analyses about a fifth faster. Thread-safe.
  std::vector<analysis> analyze_all(std::span<const std::string_view> texts) const;

  // Tags, lemmatizes, parses and labels an already tokenized sentence (forms set). Thread-safe.
  void annotate(sentence& s) const;

  bool has_ner() const;
  const newsgraph::tagger& tagger() const;
  const dependency_parser& parser() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace newsgraph
