// The extraction stage: from one document to its actor-relation-actor triples, with no knowledge of
// other documents (cross-document merging belongs to graph/).
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "newsgraph/analysis.h"
#include "newsgraph/document.h"

namespace newsgraph {

struct extractor_options {
  // Folder holding models/ and data/ (gazetteers, lexicons).
  std::string data_dir;
  // Open information extraction: keep every subject-relation-object proposition, with noun-phrase
  // arguments that need not be actors.
  bool open = false;
};

// What one document yields: its triples, and the other actor mentions found in it (names and
// groups as resolved inside the document, pronouns excluded) that no triple uses. The mentions let
// the graph count "Barrel wrote ..." as an alias of the actor its article means.
struct extraction {
  std::vector<triple> triples;
  std::vector<mention> mentions;
  // What the document made the extractor do that its user should know, one line each (sentences
  // cut at the sentence_limits of analysis.h); the extraction went on.
  std::vector<std::string> warnings;
};

class extractor {
public:
  // Loads the models and data files; throws newsgraph::error naming the file that is missing or bad.
  explicit extractor(const extractor_options& options);
  ~extractor();
  extractor(extractor&&) noexcept;
  extractor& operator=(extractor&&) noexcept;

  // Triples in document order. Thread-safe: one extractor may serve several threads.
  std::vector<triple> extract(const document& doc) const;
  // Triples and mentions, in document order. Thread-safe.
  extraction extract_all(const document& doc) const;
  // extract_all() of several documents, results in the same order and equal to extract_all()'s;
  // faster per document than one at a time (nlp_pipeline::analyze_all). The documents must stay
  // alive during the call. Thread-safe.
  std::vector<extraction> extract_batch(std::span<const document* const> docs) const;

private:
  struct impl;
  extraction extract_from(const document& doc, const analysis& a) const;
  std::unique_ptr<impl> impl_;
};

}  // namespace newsgraph
