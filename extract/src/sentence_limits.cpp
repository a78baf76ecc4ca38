#include <algorithm>
#include <iterator>

#include "newsgraph/analysis.h"

namespace newsgraph {

namespace {

bool is_clause_break(const token& t) {
  return t.form == ";" || t.form == ":" || t.form == "," || t.form == "-" || t.form == "--" ||
         t.form == "\xE2\x80\x94" || t.form == "\xE2\x80\x93";  // em and en dash
}

sentence part_of(std::vector<token>& tokens, std::size_t begin, std::size_t end) {
  sentence s;
  s.tokens.assign(std::make_move_iterator(tokens.begin() + static_cast<std::ptrdiff_t>(begin)),
                  std::make_move_iterator(tokens.begin() + static_cast<std::ptrdiff_t>(end)));
  s.span = {s.tokens.front().span.begin, s.tokens.back().span.end};
  return s;
}

}  // namespace

std::size_t cut_long_sentences(std::vector<sentence>& sentences, const sentence_limits& limits) {
  const std::size_t max_tokens = std::max<std::size_t>(limits.max_tokens, 1);
  auto too_long = [&](const sentence& s) { return s.tokens.size() > max_tokens || s.span.size() > limits.max_bytes; };
  if (std::none_of(sentences.begin(), sentences.end(), too_long)) return 0;
  std::size_t cut = 0;
  std::vector<sentence> out;
  out.reserve(sentences.size());
  for (auto& s : sentences) {
    if (!too_long(s)) {
      out.push_back(std::move(s));
      continue;
    }
    ++cut;
    auto& tokens = s.tokens;
    std::size_t begin = 0;
    while (begin < tokens.size()) {
      // The longest run from `begin` within both limits (at least one token).
      std::size_t end = begin + 1;
      while (end < tokens.size() && end - begin < max_tokens &&
             tokens[end].span.end - tokens[begin].span.begin <= limits.max_bytes)
        ++end;
      if (end < tokens.size()) {
        // Prefer a clause break in the second half of the run over a cut in mid-phrase.
        for (std::size_t k = end - 1; k > begin + (end - begin) / 2; --k)
          if (is_clause_break(tokens[k])) {
            end = k + 1;
            break;
          }
      }
      out.push_back(part_of(tokens, begin, end));
      begin = end;
    }
  }
  sentences = std::move(out);
  return cut;
}

}  // namespace newsgraph
