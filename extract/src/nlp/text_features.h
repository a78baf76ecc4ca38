// Per-token string hashes shared by the tagger, the parser and the NER: computed once per sentence
// so that feature templates only combine integers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nlp/perceptron.h"

namespace newsgraph::nlp {

struct word_hashes {
  std::uint64_t form = 0;    // as written
  std::uint64_t lower = 0;   // ASCII lower case
  std::uint64_t norm = 0;    // lower case with every digit as '0'
  std::uint64_t prefix[4] = {};  // first 1..4 bytes of lower
  std::uint64_t suffix[4] = {};  // last 1..4 bytes of lower
  std::uint64_t shape = 0;   // character classes, runs longer than 2 collapsed ("Xxx.", "dd,ddd")
  std::uint64_t flags = 0;   // bit set: has digit, hyphen, upper, all upper, title case, non-ASCII
};

// ASCII lower case; other bytes unchanged.
inline std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Fills h from form; `scratch` is reused to avoid allocating per token.
inline void hash_word(std::string_view form, word_hashes& h, std::string& scratch) {
  h.form = hash_string(form);
  scratch.assign(form);
  bool digit = false, hyphen = false, upper = false, lower_seen = false, non_ascii = false;
  for (char& c : scratch) {
    if (c >= 'A' && c <= 'Z') {
      upper = true;
      c = static_cast<char>(c - 'A' + 'a');
    } else if (c >= 'a' && c <= 'z') {
      lower_seen = true;
    } else if (c >= '0' && c <= '9') {
      digit = true;
    } else if (c == '-') {
      hyphen = true;
    } else if (static_cast<unsigned char>(c) >= 0x80) {
      non_ascii = true;
    }
  }
  h.lower = hash_string(scratch);
  const std::size_t n = scratch.size();
  for (std::size_t k = 0; k < 4; ++k) {
    const std::size_t len = k + 1 < n ? k + 1 : n;
    h.prefix[k] = hash_combine(11 + k, hash_string(std::string_view(scratch).substr(0, len)));
    h.suffix[k] = hash_combine(17 + k, hash_string(std::string_view(scratch).substr(n - len)));
  }
  for (char& c : scratch)
    if (c >= '0' && c <= '9') c = '0';
  h.norm = digit ? hash_string(scratch) : h.lower;
  // shape
  scratch.clear();
  char last = 0;
  int run = 0;
  for (char c0 : form) {
    const unsigned char c = static_cast<unsigned char>(c0);
    char k = c >= 'A' && c <= 'Z' ? 'X' : c >= 'a' && c <= 'z' ? 'x' : c >= '0' && c <= '9' ? 'd' : c >= 0x80 ? 'u' : c0;
    if (k == last) {
      if (++run > 2) continue;
    } else {
      last = k;
      run = 1;
    }
    scratch.push_back(k);
  }
  h.shape = hash_string(scratch);
  const bool first_upper = !form.empty() && form[0] >= 'A' && form[0] <= 'Z';
  h.flags = std::uint64_t{digit} | std::uint64_t{hyphen} << 1 | std::uint64_t{upper} << 2 |
            std::uint64_t{upper && !lower_seen} << 3 | std::uint64_t{first_upper && lower_seen} << 4 |
            std::uint64_t{non_ascii} << 5;
}

}  // namespace newsgraph::nlp
