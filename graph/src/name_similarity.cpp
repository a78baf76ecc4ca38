// String similarity and name-shape helpers for the alias resolver.
#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/alias_resolver.h"

namespace newsgraph {

double jaro_winkler(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty() ? 1.0 : 0.0;
  if (a.size() > b.size()) std::swap(a, b);
  // Names are short; longer strings are compared on their first 64 bytes (no allocation).
  constexpr std::size_t cap = 64;
  const std::size_t n = std::min(a.size(), cap), m = std::min(b.size(), cap);
  std::array<bool, cap> a_match{}, b_match{};
  const std::size_t window = std::max<std::size_t>(m / 2, 1) - 1;
  std::size_t matches = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const std::size_t lo = i > window ? i - window : 0, hi = std::min(m, i + window + 1);
    for (std::size_t j = lo; j < hi; ++j) {
      if (b_match[j] || a[i] != b[j]) continue;
      a_match[i] = b_match[j] = true;
      ++matches;
      break;
    }
  }
  if (matches == 0) return 0.0;
  std::size_t transpositions = 0;
  for (std::size_t i = 0, j = 0; i < n; ++i) {
    if (!a_match[i]) continue;
    while (!b_match[j]) ++j;
    if (a[i] != b[j]) ++transpositions;
    ++j;
  }
  const double mm = static_cast<double>(matches);
  const double jaro = (mm / static_cast<double>(n) + mm / static_cast<double>(m) + (mm - static_cast<double>(transpositions) / 2.0) / mm) / 3.0;
  std::size_t prefix = 0;
  while (prefix < std::min<std::size_t>({4, n, m}) && a[prefix] == b[prefix]) ++prefix;
  return jaro + static_cast<double>(prefix) * 0.1 * (1.0 - jaro);
}

namespace {

bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Covers `part` entirely with vocabulary tokens of length >= 2, preferring fewer, longer tokens;
// empty if it cannot be covered. Dynamic programming over prefix ends: O(n^2) lookups, n <= 32.
std::vector<std::string> segment(const std::string& part, const std::unordered_set<std::string>& vocabulary) {
  const std::size_t n = part.size();
  if (n < 4 || n > 32 || vocabulary.empty()) return {};
  std::vector<int> pieces(n + 1, -1), from(n + 1, -1);
  pieces[0] = 0;
  std::string probe;
  for (std::size_t end = 2; end <= n; ++end) {
    for (std::size_t begin = 0; begin + 2 <= end; ++begin) {
      if (pieces[begin] < 0) continue;
      probe.assign(part, begin, end - begin);
      if (!vocabulary.contains(probe)) continue;
      if (pieces[end] < 0 || pieces[begin] + 1 < pieces[end]) {
        pieces[end] = pieces[begin] + 1;
        from[end] = static_cast<int>(begin);
      }
    }
  }
  if (pieces[n] < 2) return {};  // a whole-word match is not a segmentation
  std::vector<std::string> out;
  for (std::size_t end = n; end > 0; end = static_cast<std::size_t>(from[end])) out.push_back(part.substr(static_cast<std::size_t>(from[end]), end - static_cast<std::size_t>(from[end])));
  std::reverse(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<std::string> split_handle(std::string_view handle, const std::unordered_set<std::string>& vocabulary) {
  while (!handle.empty() && (handle.front() == '@' || handle.front() == '#')) handle.remove_prefix(1);
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) parts.push_back(lower(current));
    current.clear();
  };
  for (std::size_t i = 0; i < handle.size(); ++i) {
    const char c = handle[i];
    if (c == '_' || c == '.' || c == '-') {
      flush();
      continue;
    }
    if (is_digit(c)) {
      flush();
      continue;  // digits are not name parts ("trump45")
    }
    // A hump: lower->Upper ("josepBorrell"), or the last capital of a run before a lower ("EUAmbassador").
    if (is_upper(c) && !current.empty() &&
        (is_lower(current.back()) || (i + 1 < handle.size() && is_lower(handle[i + 1]) && is_upper(current.back()))))
      flush();
    current += c;
  }
  flush();
  std::vector<std::string> out;
  for (auto& p : parts) {
    auto pieces = segment(p, vocabulary);
    if (pieces.empty()) {
      out.push_back(std::move(p));
    } else {
      for (auto& piece : pieces) out.push_back(std::move(piece));
    }
  }
  return out;
}

std::string acronym_of(std::string_view name) {
  static constexpr std::array<std::string_view, 8> skipped = {"of", "the", "and", "for", "in", "on", "de", "&"};
  std::string out;
  std::size_t i = 0;
  while (i < name.size()) {
    while (i < name.size() && (name[i] == ' ' || name[i] == '\t')) ++i;
    std::size_t j = i;
    while (j < name.size() && name[j] != ' ' && name[j] != '\t') ++j;
    const std::string word = lower(name.substr(i, j - i));
    if (!word.empty() && std::find(skipped.begin(), skipped.end(), word) == skipped.end()) {
      const auto first = static_cast<unsigned char>(word[0]);
      if (std::isalpha(first)) out += static_cast<char>(first);
    }
    i = j;
  }
  return out;
}

}  // namespace newsgraph
