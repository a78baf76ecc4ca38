#include "html.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <string_view>

namespace newsgraph::html {

namespace {

// Elements whose tags end a paragraph: their tags become "\n\n" and spaces.
constexpr std::array<std::string_view, 42> block_elements{
    "address", "article", "aside",  "blockquote", "body", "br",    "caption", "dd",    "div",    "dl",    "dt",
    "figcaption", "figure", "footer", "form",     "h1",   "h2",    "h3",      "h4",    "h5",     "h6",    "head",
    "header",  "hr",      "html",   "li",         "main", "nav",   "ol",      "p",     "pre",    "section", "table",
    "tbody",   "td",      "tfoot",  "th",         "thead", "title", "tr",     "ul",    "noscript"};
// Elements whose tags sit inside running text: their tags become spaces.
constexpr std::array<std::string_view, 36> inline_elements{
    "a",    "abbr",  "b",      "big",    "button", "center", "cite",  "code",  "del",      "em",   "font",  "i",
    "iframe", "img", "input",  "ins",    "label",  "link",   "mark",  "meta",  "option",   "path", "picture", "q",
    "s",    "select", "small", "source", "span",   "strong", "sub",   "sup",   "svg",      "time", "u",     "wbr"};
// Elements whose content is not text either.
constexpr std::array<std::string_view, 2> raw_text_elements{"script", "style"};

struct entity {
  std::string_view name;
  std::string_view text;  // UTF-8, never longer than "&name;"
};
constexpr std::array<entity, 23> named_entities{{
    {"amp", "&"},   {"lt", "<"},         {"gt", ">"},         {"quot", "\""},      {"apos", "'"},
    {"nbsp", " "},  {"ndash", "\u2013"}, {"mdash", "\u2014"}, {"lsquo", "\u2018"}, {"rsquo", "\u2019"},
    {"ldquo", "\u201C"}, {"rdquo", "\u201D"}, {"hellip", "\u2026"}, {"laquo", "\u00AB"}, {"raquo", "\u00BB"},
    {"euro", "\u20AC"}, {"pound", "\u00A3"}, {"copy", "\u00A9"}, {"reg", "\u00AE"}, {"deg", "\u00B0"},
    {"middot", "\u00B7"}, {"bull", "\u2022"}, {"shy", ""},
}};

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

bool starts_with_nocase(std::string_view text, std::size_t at, std::string_view prefix) {
  if (text.size() - at < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (lower(text[at + i]) != prefix[i]) return false;
  return true;
}

// A tag is short: a '>' further away than this means the '<' was text.
constexpr std::size_t max_tag_bytes = 4096;

void blank(std::string& text, std::size_t begin, std::size_t end, bool paragraph) {
  std::fill(text.begin() + static_cast<std::ptrdiff_t>(begin), text.begin() + static_cast<std::ptrdiff_t>(end), ' ');
  if (paragraph && end - begin >= 2) text[begin] = text[begin + 1] = '\n';
}

// Index of the first '>' after `from` within a tag's reach, or npos when a '<' or the limit comes first.
std::size_t tag_end(std::string_view text, std::size_t from) {
  const std::size_t limit = std::min(text.size(), from + max_tag_bytes);
  for (std::size_t i = from; i < limit; ++i) {
    if (text[i] == '>') return i;
    if (text[i] == '<') return std::string_view::npos;
  }
  return std::string_view::npos;
}

// Cleans the markup starting with the '<' at `at`; returns the index after it, or `at` when it is text.
// `unclosed_comments` is set once a "<!--" has no "-->" after it: no later one has either, and
// searching again for each would make a text of many "<!--" quadratic.
std::size_t clean_tag(std::string& text, std::size_t at, bool& unclosed_comments) {
  const std::string_view view(text);
  if (view.substr(at, 4) == "<!--") {
    if (unclosed_comments) return at;
    const auto close = view.find("-->", at + 4);
    if (close == std::string_view::npos) {
      unclosed_comments = true;
      return at;
    }
    blank(text, at, close + 3, false);
    return close + 3;
  }
  if (starts_with_nocase(view, at, "<!doctype")) {
    const auto close = tag_end(view, at + 9);
    if (close == std::string_view::npos) return at;
    blank(text, at, close + 1, true);
    return close + 1;
  }
  std::size_t i = at + 1;
  const bool closing = i < view.size() && view[i] == '/';
  if (closing) ++i;
  std::string name;
  while (i < view.size() && (is_alpha(view[i]) || is_digit(view[i])) && name.size() < 16) name += lower(view[i++]);
  if (name.empty() || !is_alpha(name[0]) || i == view.size()) return at;
  if (view[i] != '>' && view[i] != '/' && !is_space(view[i])) return at;
  const bool raw = contains(raw_text_elements, name);
  const bool block = contains(block_elements, name);
  if (!raw && !block && !contains(inline_elements, name)) return at;
  const auto close = tag_end(view, i);
  if (close == std::string_view::npos) return at;
  std::size_t end = close + 1;
  if (raw && !closing && view[close - 1] != '/') {
    // The content runs to the closing tag, or to the end of a text cut short.
    const std::string closing_tag = "</" + name;
    auto k = view.find('<', end);
    while (k != std::string_view::npos && !starts_with_nocase(view, k, closing_tag)) k = view.find('<', k + 1);
    if (k != std::string_view::npos) {
      const auto after = tag_end(view, k + closing_tag.size());
      end = after == std::string_view::npos ? view.size() : after + 1;
    } else {
      end = view.size();
    }
  }
  blank(text, at, end, block || raw);
  return end;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The text a numeric character reference stands for; empty when it is not one worth decoding.
std::string numeric_reference(std::string_view digits, bool hex) {
  std::uint32_t cp = 0;
  for (char c : digits) {
    const std::uint32_t d = is_digit(c) ? static_cast<std::uint32_t>(c - '0')
                                        : static_cast<std::uint32_t>(lower(c) - 'a' + 10);
    cp = cp * (hex ? 16 : 10) + d;
    if (cp > 0x10FFFF) return {};
  }
  if (cp >= 0xD800 && cp <= 0xDFFF) return {};
  if (cp < 0x20 || cp == 0x7F || cp == 0xA0) return " ";  // never a NUL or control byte from markup
  std::string out;
  append_utf8(out, cp);
  return out;
}

// Decodes the entity starting with the '&' at `at`; returns the index after it, or `at` when it is text.
std::size_t clean_entity(std::string& text, std::size_t at) {
  const std::string_view view(text);
  std::size_t i = at + 1;
  std::string decoded;
  if (i < view.size() && view[i] == '#') {
    ++i;
    const bool hex = i < view.size() && (view[i] == 'x' || view[i] == 'X');
    if (hex) ++i;
    const std::size_t start = i;
    while (i < view.size() && i - start < 7 &&
           (is_digit(view[i]) || (hex && ((view[i] >= 'a' && view[i] <= 'f') || (view[i] >= 'A' && view[i] <= 'F')))))
      ++i;
    if (i == start || i == view.size() || view[i] != ';') return at;
    decoded = numeric_reference(view.substr(start, i - start), hex);
    if (decoded.empty()) return at;
  } else {
    const std::size_t start = i;
    while (i < view.size() && i - start < 8 && is_alpha(view[i])) ++i;
    if (i - start < 2 || i == view.size() || view[i] != ';') return at;
    const auto name = view.substr(start, i - start);
    const auto it = std::find_if(named_entities.begin(), named_entities.end(), [&](const entity& e) { return e.name == name; });
    if (it == named_entities.end()) return at;
    decoded = it->text;
  }
  const std::size_t length = i + 1 - at;
  // Apostrophes lean on the word after them ("Russia&rsquo;s" reads "Russia ’s", as the tokenizer
  // splits it anyway); anything else is followed by its padding.
  const bool pad_before = decoded == "'" || decoded == "\u2019";
  std::string replacement = pad_before ? std::string(length - decoded.size(), ' ') + decoded
                                       : decoded + std::string(length - decoded.size(), ' ');
  text.replace(at, length, replacement);
  return i + 1;
}

}  // namespace

std::size_t clean(std::string& text) {
  // Most articles hold no markup at all: look before touching anything.
  if (text.find_first_of("<&") == std::string::npos) return 0;
  std::size_t cleaned = 0;
  std::size_t i = 0;
  bool unclosed_comments = false;
  while (i < text.size()) {
    const auto next = text.find_first_of("<&", i);
    if (next == std::string::npos) break;
    const auto after = text[next] == '<' ? clean_tag(text, next, unclosed_comments) : clean_entity(text, next);
    if (after == next) {
      i = next + 1;
    } else {
      ++cleaned;
      i = after;
    }
  }
  return cleaned;
}

}  // namespace newsgraph::html
