// libFuzzer target: the tokenizer and sentence splitter, with the shipped abbreviations and words,
// on any bytes, then the sentence limits; checks what the tagger, parser and relation rules rely on.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "newsgraph/analysis.h"
#include "newsgraph/tokenizer.h"

namespace {

// Every sentence has tokens, in order, inside the text and inside the sentence's span.
void check(const std::vector<newsgraph::sentence>& sentences, std::size_t text_size) {
  std::uint32_t previous_end = 0;
  for (const auto& s : sentences) {
    if (s.tokens.empty()) std::abort();
    if (s.span.begin != s.tokens.front().span.begin || s.span.end != s.tokens.back().span.end) std::abort();
    for (const auto& t : s.tokens) {
      if (t.span.begin >= t.span.end || t.span.end > text_size || t.span.begin < previous_end) std::abort();
      if (t.form.empty()) std::abort();
      previous_end = t.span.end;
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const auto words = newsgraph::tokenizer::load(NEWSGRAPH_SOURCE_DIR);
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto sentences = words.tokenize(text);
  check(sentences, size);
  const newsgraph::sentence_limits limits{12, 48};
  newsgraph::cut_long_sentences(sentences, limits);
  check(sentences, size);
  for (const auto& s : sentences)
    if (s.tokens.size() > limits.max_tokens || (s.tokens.size() > 1 && s.span.size() > limits.max_bytes)) std::abort();
  return 0;
}
