// The linguistic analysis of one document: sentences of tokens with tags, lemmas, a dependency
// tree and named-entity labels. Produced by the NLP pipeline (tokenizer, tagger, parser, NER) and
// consumed by the relation rules.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "newsgraph/document.h"

namespace newsgraph {

struct token {
  byte_span span;     // bytes of the document text; a token never crosses a sentence boundary
  std::string form;   // as written, except that a word broken by a stray hyphen is rejoined
  std::string upos;   // Universal POS tag ("PROPN")
  std::string xpos;   // Penn Treebank tag ("NNP")
  std::string lemma;  // lower-case except for proper nouns
  int head = -1;      // index of the head token within the sentence, -1 for the root
  std::string deprel; // UD relation to the head ("nsubj", "obl", "root")
  std::string ner;    // BIO label: "O", "B-PER", "I-ORG", ...
  bool space_after = true;
};

struct sentence {
  byte_span span;  // from the first token's begin to the last token's end
  std::vector<token> tokens;
};

struct analysis {
  std::vector<sentence> sentences;
};

}  // namespace newsgraph
