// Names for synthetic test graphs that the alias resolver keeps apart (shared by the test files).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace newsgraph::testing {

// A capitalised word spelling `code` in its consonants, base 9, most varying first, as
// bench/synthetic_graph.cpp's surnames: the resolver compares names fuzzily only when their
// phonetic codes (the first four consonant sounds) meet, so distinct codes below 9^4 never merge;
// vowels only vary the look. Longer codes take more syllables.
inline std::string code_word(std::size_t code) {
  static constexpr std::string_view consonants = "bdfklmnrs", vowels = "aeiou";
  std::string out;
  std::size_t vowel = code * 7 + 3;
  for (int i = 0; i < 4 || code > 0; ++i) {
    out += consonants[code % 9];
    out += vowels[vowel % 5];
    code /= 9;
    vowel /= 5;
  }
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

}  // namespace newsgraph::testing
