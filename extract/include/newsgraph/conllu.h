// Reading and writing CoNLL-U (https://universaldependencies.org/format.html).
//
// Only basic word lines are kept: multiword-token ranges ("1-2") and empty nodes ("1.1") are
// skipped, comments are kept verbatim. Heads become 0-based token indexes (-1 for the root);
// MISC "SpaceAfter=No" becomes token::space_after = false. Token spans are left empty: CoNLL-U
// carries no byte offsets.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/analysis.h"

namespace newsgraph::nlp {

struct conllu_sentence {
  std::vector<std::string> comments;  // whole comment lines, "# text = ..." included
  sentence sent;
};

// Parses CoNLL-U text. `name` (usually the file name) prefixes error messages.
// Throws input_error "name:LINE: ..." on a malformed line (wrong column count, bad id or head).
std::vector<conllu_sentence> parse_conllu(std::string_view text, std::string_view name);

// Reads a CoNLL-U file; throws input_error naming the file (and line) when it cannot be read or
// is malformed.
std::vector<conllu_sentence> read_conllu(const std::string& path);

// Writes one sentence (comments, word lines, blank line). Missing fields are written as "_";
// a non-empty token::ner goes to MISC as "NER=...".
void write_conllu(std::ostream& out, const conllu_sentence& s);
void write_conllu(std::ostream& out, const sentence& s, const std::vector<std::string>& comments = {});

}  // namespace newsgraph::nlp
