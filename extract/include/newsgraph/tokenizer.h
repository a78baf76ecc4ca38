// Tokenizer and sentence splitter for news text, following UD English-EWT tokenisation (the tagger
// and parser are trained on EWT): "don't" -> "do" "n't", "Russia's" -> "Russia" "'s",
// "short-range" -> "short" "-" "range" (but "e-mail", "co-workers", "non-human" stay whole),
// "$1.5" -> "$" "1.5", "20%" -> "20" "%". URLs, e-mail addresses, @handles, #hashtags,
// abbreviations ("U.S.", "Feb.", "Mr."), initials ("J.") and numbers ("1,750", "5.93",
// "2022-02-10", "10.02.2022", "3:29") are single tokens; every emoji is a token of its own.
//
// Sentence boundaries: a blank line; a line starting with a bullet ("•", "*", "-"); "." "?" "!"
// "..." (plus closing quotes or brackets) followed by an upper-case word, an opening quote or a
// new line, except after abbreviations and initials; a leading "date 2022-02-10" metadata field;
// a quoted tweet's attribution ("— Name (@handle) February 10, 2022") is a sentence of its own.
//
// Units: token::span and sentence::span are half-open [begin, end) BYTE offsets into the text
// given to tokenize(). token::form is the spanned text, except for a word broken by a stray hyphen
// ("Krem-lin"), rejoined ("Kremlin") when the joined word is known and a part is not.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/analysis.h"

namespace newsgraph {

class tokenizer {
public:
  // Loads <data_dir>/data/abbreviations.txt and <data_dir>/data/words.txt; throws input_error
  // naming the file (and line) that is missing or malformed.
  static tokenizer load(const std::string& data_dir);

  // A tokenizer without data files: no abbreviations beyond letter-dot patterns ("U.S.", "e.g.")
  // and single-letter initials, no stray-hyphen rejoining.
  tokenizer();
  ~tokenizer();
  tokenizer(tokenizer&&) noexcept;
  tokenizer& operator=(tokenizer&&) noexcept;

  // `abbreviation` ends with '.'; `can_end_sentence` says whether it may close a sentence
  // ("Inc.", "U.S.") or never does ("Mr.", "Gen.", "Feb.").
  void add_abbreviation(std::string_view abbreviation, bool can_end_sentence);
  // A known lower-case word, used to rejoin words broken by a stray hyphen.
  void add_word(std::string_view word);

  // Thread-safe (const). Text must be valid UTF-8 (document::text is); invalid bytes become
  // one-byte tokens rather than errors. Sentences are never empty.
  std::vector<sentence> tokenize(std::string_view text) const;

  // The process-wide tokenizer used by the free function below, loaded on first use from
  // $NEWSGRAPH_DATA (as for the CLI), else from the source tree this library was built from.
  static const tokenizer& shared();

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// tokenizer::shared().tokenize(text): throws input_error on first use if the data files are missing.
std::vector<sentence> tokenize(std::string_view text);

}  // namespace newsgraph
