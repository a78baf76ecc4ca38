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
  std::size_t cut_sentences = 0;  // sentences over the sentence_limits, each cut into parts
};

// What the tagger, parser and relation rules see at once. Their cost grows faster than linearly
// with a sentence's length, and a text without sentence punctuation (a table, a list, run-on
// machine translation, a 100 MB line) can make one sentence of a whole document.
struct sentence_limits {
  std::size_t max_tokens = 250;  // UD English-EWT, the parser's training data, has none over 159
  std::size_t max_bytes = 8192;  // the evidence sentence kept with each triple
};

// Cuts every sentence over the limits into consecutive parts within them (a single token longer
// than max_bytes is a part of its own), preferring to cut after ";", ":", "," or a dash in the
// second half of a part. Tokens must not be annotated yet: heads are sentence indexes. Returns the
// number of sentences cut.
std::size_t cut_long_sentences(std::vector<sentence>& sentences, const sentence_limits& limits = {});

}  // namespace newsgraph
