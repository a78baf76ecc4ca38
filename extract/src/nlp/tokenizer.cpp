#include "newsgraph/tokenizer.h"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "data_file.h"

namespace newsgraph {

namespace {

// ---- character classes ---------------------------------------------------------------------------

enum cls : std::uint8_t {
  c_space,
  c_newline,
  c_upper,
  c_lower,
  c_letter,  // a letter without case (CJK, Arabic, modifier letters)
  c_digit,
  c_mark,
  c_punct,
  c_symbol,
  c_emoji,
  c_emoji_part,  // variation selector, zero-width joiner, skin tone, keycap: glue inside an emoji
  c_invalid,
};

constexpr bool is_wordish(std::uint8_t c) { return c >= c_upper && c <= c_mark; }
constexpr bool is_alnum(std::uint8_t c) { return c >= c_upper && c <= c_digit; }
constexpr bool is_letter(std::uint8_t c) { return c >= c_upper && c <= c_letter; }

constexpr std::array<std::uint8_t, 128> make_ascii_table() {
  std::array<std::uint8_t, 128> t{};
  for (int c = 0; c < 128; ++c) {
    std::uint8_t k = c_symbol;
    if (c < 32 || c == 127) k = c_space;
    if (c == ' ') k = c_space;
    if (c == '\n') k = c_newline;
    if (c >= 'A' && c <= 'Z') k = c_upper;
    if (c >= 'a' && c <= 'z') k = c_lower;
    if (c >= '0' && c <= '9') k = c_digit;
    for (char p : std::string_view("!\"#%&'()*,-./:;?@[\\]_{}"))
      if (c == p) k = c_punct;
    t[static_cast<std::size_t>(c)] = k;
  }
  return t;
}
constexpr auto ascii_class = make_ascii_table();

struct code_point {
  char32_t cp;
  std::uint8_t len;
  std::uint8_t cls;
};

bool is_emoji(char32_t cp) {
  return (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0x2600 && cp <= 0x27BF) || cp == 0x2B50 || cp == 0x2B55 ||
         cp == 0x231A || cp == 0x231B || (cp >= 0x23E9 && cp <= 0x23FA) || cp == 0x2B1B || cp == 0x2B1C;
}

bool is_emoji_part(char32_t cp) {
  return cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D || cp == 0x20E3 || (cp >= 0x1F3FB && cp <= 0x1F3FF) ||
         (cp >= 0xE0020 && cp <= 0xE007F);
}

std::uint8_t classify(char32_t cp) {
  if (is_emoji_part(cp)) return c_emoji_part;
  if (is_emoji(cp)) return c_emoji;
  switch (utf8proc_category(static_cast<utf8proc_int32_t>(cp))) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LT: return c_upper;
    case UTF8PROC_CATEGORY_LL: return c_lower;
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: return c_letter;
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return c_digit;
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return c_mark;
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_CF: return c_space;  // NBSP, zero-width space, BOM, soft hyphen
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP: return c_newline;
    case UTF8PROC_CATEGORY_CC: return cp == 0x85 ? c_newline : c_space;
    case UTF8PROC_CATEGORY_PC:
    case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS:
    case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI:
    case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: return c_punct;
    default: return c_symbol;
  }
}

// Decodes the code point at text[i] (i < text.size()). An invalid sequence is one c_invalid byte.
inline code_point decode(std::string_view text, std::size_t i) {
  const auto b0 = static_cast<unsigned char>(text[i]);
  if (b0 < 0x80) return {b0, 1, ascii_class[b0]};
  const std::size_t n = text.size();
  auto cont = [&](std::size_t k) { return k < n && (static_cast<unsigned char>(text[k]) & 0xC0) == 0x80; };
  char32_t cp = 0;
  std::uint8_t len = 0;
  if (b0 >= 0xC2 && b0 < 0xE0 && cont(i + 1)) {
    cp = (b0 & 0x1FU) << 6 | (static_cast<unsigned char>(text[i + 1]) & 0x3FU);
    len = 2;
  } else if (b0 >= 0xE0 && b0 < 0xF0 && cont(i + 1) && cont(i + 2)) {
    cp = (b0 & 0x0FU) << 12 | (static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 6 |
         (static_cast<unsigned char>(text[i + 2]) & 0x3FU);
    len = 3;
  } else if (b0 >= 0xF0 && b0 < 0xF5 && cont(i + 1) && cont(i + 2) && cont(i + 3)) {
    cp = (b0 & 0x07U) << 18 | (static_cast<unsigned char>(text[i + 1]) & 0x3FU) << 12 |
         (static_cast<unsigned char>(text[i + 2]) & 0x3FU) << 6 | (static_cast<unsigned char>(text[i + 3]) & 0x3FU);
    len = 4;
  } else {
    return {0xFFFD, 1, c_invalid};
  }
  return {cp, len, classify(cp)};
}

inline std::uint8_t class_at(std::string_view text, std::size_t i) {
  return i < text.size() ? decode(text, i).cls : static_cast<std::uint8_t>(c_space);
}

inline char ascii_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool equals_ci(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

bool starts_with_ci(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equals_ci(s.substr(0, prefix.size()), prefix);
}

// ---- raw tokens ------------------------------------------------------------------------------------

enum kind : std::uint8_t {
  k_word,
  k_number,
  k_abbrev,   // word with its final period ("Mr.", "U.S.")
  k_initial,  // single capital letter with its period ("J.")
  k_terminal, // . ? ! ... …
  k_open_quote,
  k_close_quote,
  k_quote,    // " or ', opening or closing
  k_open_bracket,
  k_close_bracket,
  k_dash,
  k_bullet,
  k_punct,
  k_symbol,
  k_url,
  k_email,
  k_handle,
  k_hashtag,
  k_emoji,
};

enum flag : std::uint8_t {
  f_space_before = 1,
  f_newline_before = 2,
  f_blank_before = 4,   // an empty line between this token and the previous one
  f_break_before = 8,   // a sentence starts here (decided by a structural rule)
  f_can_end = 16,       // k_abbrev that may close a sentence
};

struct raw_token {
  std::uint32_t begin;
  std::uint32_t end;
  std::uint32_t join;  // byte offset of a stray hyphen removed from the form, or 0
  std::uint8_t kind;
  std::uint8_t flags;
};

// Prefixes EWT keeps attached by their hyphen ("e-mail", "co-workers", "non-human", "mid-July").
constexpr std::array<std::string_view, 27> hyphen_prefixes = {
    "e", "non", "pre", "anti", "re", "mid", "post", "co", "pro", "multi", "ex", "sub", "semi", "neo",
    "cross", "vice", "un", "socio", "micro", "intra", "inter", "pseudo", "quasi", "ultra", "self", "bi", "de"};

bool is_hyphen_prefix(std::string_view s) {
  if (s.size() > 6) return false;
  for (auto p : hyphen_prefixes)
    if (equals_ci(s, p)) return true;
  return false;
}

// Capitalised words that start sentences: after an abbreviation that may end one ("Inc.", "U.S."),
// only these open a new sentence, so "U.S. President" stays whole.
constexpr std::array<std::string_view, 62> sentence_starters = {
    "the", "a", "an", "he", "she", "it", "they", "we", "i", "you", "this", "that", "these", "those",
    "there", "in", "on", "at", "but", "and", "or", "so", "if", "when", "while", "after", "before", "as",
    "his", "her", "its", "their", "our", "my", "one", "some", "many", "most", "all", "no", "not", "what",
    "why", "how", "who", "where", "for", "with", "by", "from", "to", "meanwhile", "however", "also", "yet",
    "still", "then", "now", "earlier", "later", "both", "under"};

bool is_sentence_starter(std::string_view w) {
  for (auto s : sentence_starters)
    if (equals_ci(w, s)) return true;
  return false;
}

constexpr std::array<std::string_view, 25> month_names = {
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.", "Aug.",
    "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "Sep"};

bool is_month(std::string_view w) {
  return std::find(month_names.begin(), month_names.end(), w) != month_names.end();
}

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct tokenizer::impl {
  // abbreviation -> may it end a sentence
  std::unordered_map<std::string, bool, string_hash, std::equal_to<>> abbreviations;
  std::unordered_set<std::string, string_hash, std::equal_to<>> words;

  void scan(std::string_view text, std::vector<raw_token>& out) const;
  std::size_t word_run(std::string_view text, std::size_t b, std::uint8_t first_cls, std::uint32_t& join,
                       bool& inner_dot) const;
  static void mark_structure(std::string_view text, std::vector<raw_token>& toks);
  static std::vector<sentence> assemble(std::string_view text, const std::vector<raw_token>& toks);
  bool known(std::string_view lower) const { return words.find(lower) != words.end(); }
};

namespace {

std::string lower_ascii(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = ascii_lower(c);
  return r;
}

// Length of the run of ASCII letters at text[i].
std::size_t ascii_letters(std::string_view text, std::size_t i) {
  std::size_t k = i;
  while (k < text.size() && ((text[k] >= 'a' && text[k] <= 'z') || (text[k] >= 'A' && text[k] <= 'Z'))) ++k;
  return k - i;
}

// Clitics EWT splits off: 's 'm 'd 're 've 'll (the apostrophe is at text[i], `alen` bytes long).
std::size_t clitic_length(std::string_view text, std::size_t i, std::size_t alen) {
  const std::size_t k = i + alen;
  const std::size_t n = ascii_letters(text, k);
  if (n == 0 || n > 2) return 0;
  if (is_alnum(class_at(text, k + n))) return 0;
  const std::string_view s = text.substr(k, n);
  if (equals_ci(s, "s") || equals_ci(s, "m") || equals_ci(s, "d") || equals_ci(s, "re") || equals_ci(s, "ve") ||
      equals_ci(s, "ll"))
    return alen + n;
  return 0;
}

// Apostrophe at text[i]: ' or ’ (3 bytes); returns its length or 0.
inline std::size_t apostrophe_at(std::string_view text, std::size_t i) {
  if (i >= text.size()) return 0;
  if (text[i] == '\'') return 1;
  if (text.compare(i, 3, "\xE2\x80\x99") == 0) return 3;
  return 0;
}

// "n't" / "n’t" at text[i] followed by a non-letter: its length, else 0.
std::size_t negation_at(std::string_view text, std::size_t i) {
  if (i >= text.size() || (text[i] != 'n' && text[i] != 'N')) return 0;
  const std::size_t a = apostrophe_at(text, i + 1);
  if (a == 0 || i + 1 + a >= text.size()) return 0;
  const char t = text[i + 1 + a];
  if (t != 't' && t != 'T') return 0;
  if (is_alnum(class_at(text, i + 2 + a))) return 0;
  return 2 + a;
}

bool is_url_start(std::string_view rest) {
  return starts_with_ci(rest, "http://") || starts_with_ci(rest, "https://") || starts_with_ci(rest, "www.") ||
         starts_with_ci(rest, "ftp://") || starts_with_ci(rest, "pic.twitter.com/");
}

// End of the URL starting at text[b]: up to white space or a non-ASCII byte, without trailing
// punctuation (a ')' stays when the URL opened one).
std::size_t url_end(std::string_view text, std::size_t b) {
  std::size_t e = b;
  int parens = 0;
  while (e < text.size()) {
    const auto c = static_cast<unsigned char>(text[e]);
    if (c <= 0x20 || c >= 0x80 || c == '"' || c == '<' || c == '>') break;
    if (c == '(') ++parens;
    if (c == ')') --parens;
    ++e;
  }
  while (e > b) {
    const char c = text[e - 1];
    if (c == ')' && parens < 0) {
      ++parens;
      --e;
      continue;
    }
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\'' || c == ']' || c == '}') {
      --e;
      continue;
    }
    break;
  }
  return e;
}

// An e-mail address starting at text[b], or b.
std::size_t email_end(std::string_view text, std::size_t b) {
  auto local = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '%' || c == '+' || c == '-';
  };
  auto domain = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
  };
  std::size_t k = b;
  while (k < text.size() && local(text[k])) ++k;
  if (k == b || k >= text.size() || text[k] != '@') return b;
  ++k;
  int labels = 0;
  std::size_t end = b;
  while (true) {
    const std::size_t s = k;
    while (k < text.size() && domain(text[k])) ++k;
    if (k == s) break;
    ++labels;
    end = k;
    if (k + 1 < text.size() && text[k] == '.' && domain(text[k + 1])) {
      ++k;
      continue;
    }
    break;
  }
  return labels >= 2 ? end : b;
}

// Apostrophe-less negations EWT splits before "nt": "dont", "didnt", "cant" ("wont" is a word).
bool is_nt_contraction(std::string_view w) {
  constexpr std::array<std::string_view, 15> words = {"dont", "didnt", "doesnt", "cant", "isnt", "wasnt", "arent",
                                                      "werent", "couldnt", "wouldnt", "shouldnt", "havent", "hasnt",
                                                      "hadnt", "aint"};
  for (auto x : words)
    if (equals_ci(w, x)) return true;
  return false;
}

// Emoticons EWT keeps as one token: ":)", ":-(", ";D", ":P" (at text[i]); returns the length or 0.
std::size_t emoticon_at(std::string_view text, std::size_t i) {
  const std::size_t n = text.size();
  if (i + 1 >= n || (text[i] != ':' && text[i] != ';' && text[i] != '=')) return 0;
  std::size_t k = i + 1;
  if (text[k] == '-') ++k;
  if (k >= n) return 0;
  const char m = text[k];
  if (m != ')' && m != '(' && m != 'D' && m != 'P' && m != 'p' && m != '/' && m != '|') return 0;
  // Must stand alone: ":Dear" and "(see:/usr)" are not emoticons.
  if (k + 1 < n && is_alnum(class_at(text, k + 1))) return 0;
  if (i > 0 && is_alnum(class_at(text, i - 1))) return 0;
  return k + 1 - i;
}

bool is_bullet_cp(char32_t cp) {
  return cp == 0x2022 || cp == 0x2023 || cp == 0x25CF || cp == 0x25AA || cp == 0x25E6 || cp == 0x25A0 ||
         cp == 0x25BA || cp == 0x25B6 || cp == 0x2043 || cp == 0x2219;
}

}  // namespace

// The end of the word that starts at text[b]: letters, digits and marks, with the inner
// punctuation words and numbers keep ("U.S", "1,750", "3:29", "2022-02-10", "O'Brien", "AT&T",
// "e-mail"). Stops before a clitic ("'s", "n't"), a splittable hyphen, or a period that ends a
// sentence without a space ("reminder.When").
std::size_t tokenizer::impl::word_run(std::string_view text, std::size_t b, std::uint8_t first_cls,
                                      std::uint32_t& join, bool& inner_dot) const {
  const std::size_t n = text.size();
  std::size_t j = b + decode(text, b).len;
  std::uint8_t last = first_cls;
  std::size_t seg = b;   // start of the current hyphen segment
  std::size_t part = b;  // start of the current dot-separated part
  while (j < n) {
    const auto d = decode(text, j);
    if (is_wordish(d.cls)) {
      last = d.cls;
      j += d.len;
      continue;
    }
    const char c = text[j];
    const std::uint8_t next = class_at(text, j + 1);
    if (c == '.') {
      if (!is_alnum(next)) break;
      // "reminder.When": a period between a word and a capitalised word is a missing space.
      if (next == c_upper && j - part >= 2 && is_letter(last) && class_at(text, j + 2) == c_lower) break;
      inner_dot = true;
      j += 1;
      part = j;
      last = c_punct;
      continue;
    }
    if ((c == ',' || c == ':' || c == '/') && last == c_digit && next == c_digit) {
      j += 1;
      last = c_punct;
      continue;
    }
    if (c == '&' && last == c_upper && next == c_upper) {
      j += 1;
      continue;
    }
    if (c == '-') {
      if (last == c_digit && next == c_digit) {
        j += 1;
        last = c_punct;
        continue;
      }
      // "01-Feb-02": a month name between two hyphenated numbers stays one token, as in EWT.
      if (last == c_digit && is_letter(next)) {
        const std::size_t ln = ascii_letters(text, j + 1);
        if (ln >= 3 && ln <= 9 && j + 2 + ln < n && text[j + 1 + ln] == '-' &&
            class_at(text, j + 2 + ln) == c_digit) {
          j += 2 + ln;
          last = c_punct;
          continue;
        }
      }
      if (!is_letter(last) || !is_letter(next)) break;
      const std::string_view left = text.substr(seg, j - seg);
      if (is_hyphen_prefix(left)) {
        j += 1;
        seg = j;
        continue;
      }
      // A stray hyphen ("Krem-lin"): rejoin when the joined word is known and a part is not.
      if (join == 0 && !words.empty() && next == c_lower) {
        const std::size_t rn = ascii_letters(text, j + 1);
        if (rn >= 2 && left.size() >= 2 && !is_wordish(class_at(text, j + 1 + rn)) &&
            (j + 1 + rn == text.size() || text[j + 1 + rn] != '-')) {  // the word may end the text
          const std::string l = lower_ascii(left);
          const std::string r = lower_ascii(text.substr(j + 1, rn));
          if (known(l + r) && !(known(l) && known(r))) {
            join = static_cast<std::uint32_t>(j);
            j += 1;
            seg = j;
            continue;
          }
        }
      }
      break;
    }
    if (const std::size_t a = apostrophe_at(text, j); a != 0 && (is_letter(last) || last == c_digit)) {
      if (clitic_length(text, j, a) != 0) break;
      if ((text[j - 1] == 'n' || text[j - 1] == 'N') && negation_at(text, j - 1) != 0) {
        if (j - 1 > b) j -= 1;  // "don't" -> "do" + "n't"
        break;
      }
      if (is_letter(class_at(text, j + a))) {
        j += a;  // O'Brien, d'Ivoire
        last = c_punct;
        continue;
      }
      break;
    }
    break;
  }
  return j;
}

void tokenizer::impl::scan(std::string_view text, std::vector<raw_token>& out) const {
  const std::size_t n = text.size();
  std::size_t i = 0;
  std::uint8_t pending = 0;
  int newlines = 0;
  auto emit = [&](std::size_t b, std::size_t e, std::uint8_t k, std::uint32_t join = 0, std::uint8_t extra = 0) {
    std::uint8_t f = pending | extra;
    if (newlines >= 1) f |= f_newline_before;
    if (newlines >= 2) f |= f_blank_before;
    out.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e), join, k, f});
    pending = 0;
    newlines = 0;
  };
  auto glued_to_word = [&](std::size_t at) {
    return !out.empty() && out.back().end == at &&
           (out.back().kind == k_word || out.back().kind == k_number);
  };

  while (i < n) {
    const auto c = decode(text, i);
    switch (c.cls) {
      case c_space:
        pending |= f_space_before;
        i += c.len;
        continue;
      case c_newline:
        pending |= f_space_before;
        ++newlines;
        i += c.len;
        continue;
      case c_emoji_part:  // stray joiner or selector: belongs to no token
        i += c.len;
        continue;
      default: break;
    }

    if (is_wordish(c.cls)) {
      if (is_url_start(text.substr(i))) {
        const std::size_t e = url_end(text, i);
        emit(i, e, k_url);
        i = e;
        continue;
      }
      if (const std::size_t neg = negation_at(text, i); neg != 0 && glued_to_word(i)) {
        emit(i, i + neg, k_word);
        i += neg;
        continue;
      }
      std::uint32_t join = 0;
      bool inner_dot = false;
      std::size_t e = word_run(text, i, c.cls, join, inner_dot);
      if (e < n && text[e] == '@') {
        if (const std::size_t m = email_end(text, i); m > e) {
          emit(i, m, k_email);
          i = m;
          continue;
        }
      }
      std::uint8_t k = c.cls == c_digit ? k_number : k_word;
      std::uint8_t extra = 0;
      if (e < n && text[e] == '.' && !(e + 1 < n && text[e + 1] == '.') && join == 0) {
        const std::string_view with_dot = text.substr(i, e + 1 - i);
        if (auto it = abbreviations.find(with_dot); it != abbreviations.end()) {
          k = k_abbrev;
          extra = it->second ? f_can_end : 0;
          e += 1;
        } else if (inner_dot && c.cls != c_digit) {
          k = k_abbrev;  // "U.S.", "D.C.", "a.m."
          extra = f_can_end;
          e += 1;
        } else if (c.cls == c_upper && e == i + c.len) {
          k = k_initial;
          e += 1;
        }
      }
      const std::string_view w = text.substr(i, e - i);
      // EWT splits these into two words: "cannot" -> "can" "not", "gonna" -> "gon" "na",
      // "dont" -> "do" "nt".
      if (k == k_word && w.size() >= 4 && w.size() <= 8) {
        std::size_t cut = 0;
        if (equals_ci(w, "cannot")) cut = 3;
        else if (equals_ci(w, "gonna") || equals_ci(w, "wanna") || equals_ci(w, "gotta")) cut = 3;
        else if (is_nt_contraction(w)) cut = w.size() - 2;
        if (cut != 0) {
          emit(i, i + cut, k_word);
          emit(i + cut, e, k_word);
          i = e;
          continue;
        }
      }
      emit(i, e, k, join, extra);
      i = e;
      continue;
    }

    if (c.cls == c_emoji) {
      std::size_t e = i + c.len;
      const bool flag_letter = c.cp >= 0x1F1E6 && c.cp <= 0x1F1FF;
      if (flag_letter && e < n) {
        const auto d = decode(text, e);
        if (d.cp >= 0x1F1E6 && d.cp <= 0x1F1FF) e += d.len;  // a flag is a pair of regional indicators
      }
      while (e < n) {
        const auto d = decode(text, e);
        if (d.cls != c_emoji_part) break;
        e += d.len;
        if (d.cp == 0x200D && e < n) {  // zero-width joiner: the next emoji belongs to this one
          const auto x = decode(text, e);
          if (x.cls == c_emoji) e += x.len;
        }
      }
      emit(i, e, k_emoji);
      i = e;
      continue;
    }

    if (c.cls == c_punct || c.cls == c_symbol) {
      const char ch = text[i];
      const char32_t cp = c.cp;
      const bool line_start = newlines > 0 || out.empty();
      auto handle_char = [&](std::size_t at) {
        const auto x = static_cast<unsigned char>(text[at]);
        return x < 0x80 && (is_alnum(ascii_class[x]) || x == '_');
      };
      if (ch == '@' && i + 1 < n && handle_char(i + 1)) {
        std::size_t e = i + 1;
        while (e < n && handle_char(e)) ++e;
        emit(i, e, k_handle);
        i = e;
        continue;
      }
      if (ch == '#' && i + 1 < n && is_letter(decode(text, i + 1).cls)) {  // "#1" stays "#" "1", as in EWT
        std::size_t e = i + 1;
        while (e < n) {
          const auto d = decode(text, e);
          if (!is_wordish(d.cls) && text[e] != '_') break;
          e += d.len;
        }
        if (e > i + 1) {
          emit(i, e, k_hashtag);
          i = e;
          continue;
        }
      }
      if (const std::size_t a = apostrophe_at(text, i); a != 0 && glued_to_word(i)) {
        if (const std::size_t cl = clitic_length(text, i, a); cl != 0) {
          emit(i, i + cl, k_word);
          i += cl;
          continue;
        }
      }
      if (const std::size_t em = emoticon_at(text, i); em != 0) {
        emit(i, i + em, k_emoji);
        i += em;
        continue;
      }
      std::uint8_t k = c.cls == c_symbol ? k_symbol : k_punct;
      std::size_t e = i + c.len;
      auto run_of = [&](char x) {
        while (e < n && text[e] == x) ++e;
      };
      switch (cp) {
        case '.': run_of('.'); k = k_terminal; break;
        case '?':
        case '!':
          while (e < n && (text[e] == '?' || text[e] == '!')) ++e;
          k = k_terminal;
          break;
        case 0x2026: k = k_terminal; break;
        case '-':
          run_of('-');
          k = (line_start && e == i + 1 && e < n && text[e] == ' ') ? k_bullet : k_dash;
          break;
        case 0x2014:
        case 0x2013:
        case 0x2015:
          while (e + 3 <= n && text.compare(e, 3, text.substr(i, 3)) == 0) e += 3;
          k = k_dash;
          break;
        case '"':
        case '\'': k = k_quote; break;
        case 0x201C:
        case 0x2018:
        case 0x00AB:
        case 0x201E: k = k_open_quote; break;
        case 0x201D:
        case 0x2019:
        case 0x00BB: k = k_close_quote; break;
        case '(':
        case '[':
        case '{': k = k_open_bracket; break;
        case ')':
        case ']':
        case '}': k = k_close_bracket; break;
        case '_':
        case '=':
        case '~':
        case '^':
        case '#':
        case '+':
        case '<':
        case '>':
        case '|':
          run_of(ch);  // "_____", "=====": rules and separators are one token
          break;
        case '*':
          run_of('*');
          if (line_start && e == i + 1 && e < n && text[e] == ' ') k = k_bullet;
          break;
        default:
          if (is_bullet_cp(cp)) k = k_bullet;
          break;
      }
      emit(i, e, k);
      i = e;
      continue;
    }

    emit(i, i + c.len, k_symbol);  // invalid byte
    i += c.len;
  }
}

// Structural sentence starts that punctuation does not show: a leading "date 2022-02-10" field
// and the attribution line of a quoted tweet ("— Name (@handle) February 10, 2022").
void tokenizer::impl::mark_structure(std::string_view text, std::vector<raw_token>& toks) {
  auto form = [&](std::size_t k) { return text.substr(toks[k].begin, toks[k].end - toks[k].begin); };
  const std::size_t n = toks.size();
  if (n >= 3 && equals_ci(form(0), "date")) {
    std::size_t k = 1;
    if (form(k) == ":") ++k;
    if (k + 1 < n && toks[k].kind == k_number) toks[k + 1].flags |= f_break_before;
  }
  for (std::size_t d = 0; d + 3 < n; ++d) {
    if (toks[d].kind != k_dash || !(toks[d].flags & f_space_before)) continue;
    for (std::size_t k = d + 1; k + 2 < n && k <= d + 12; ++k) {
      if (toks[k].flags & f_newline_before) break;
      if (toks[k].kind == k_terminal) break;
      if (toks[k].kind != k_open_bracket || toks[k + 1].kind != k_handle || toks[k + 2].kind != k_close_bracket)
        continue;
      if (d > 0) toks[d].flags |= f_break_before;
      std::size_t end = k + 3;  // after ")"
      if (end < n && is_month(form(end)) && !(toks[end].flags & f_newline_before)) {
        std::size_t m = end + 1;
        if (m < n && toks[m].kind == k_number) ++m;
        if (m < n && form(m) == ",") ++m;
        if (m < n && toks[m].kind == k_number && toks[m].end - toks[m].begin == 4) end = m + 1;
      }
      if (end < n) toks[end].flags |= f_break_before;
      d = end - 1;
      break;
    }
  }
}

std::vector<sentence> tokenizer::impl::assemble(std::string_view text, const std::vector<raw_token>& toks) {
  constexpr std::size_t max_sentence_tokens = 300;
  auto form = [&](std::size_t k) { return text.substr(toks[k].begin, toks[k].end - toks[k].begin); };
  auto starts_upper = [&](std::size_t k) { return decode(text, toks[k].begin).cls == c_upper; };

  // Would a sentence that ends with toks[q] (skipping glued closing quotes) end before toks[k]?
  auto ends_before = [&](std::size_t start, std::size_t k) {
    std::size_t q = k - 1;
    while (q > start && !(toks[q].flags & f_space_before) &&
           (toks[q].kind == k_close_quote || toks[q].kind == k_close_bracket || toks[q].kind == k_quote))
      --q;
    const raw_token& p = toks[q];
    const raw_token& t = toks[k];
    if (p.kind == k_terminal) {
      if (t.flags & f_newline_before) return true;
      if (starts_upper(k)) return true;
      switch (t.kind) {
        case k_open_quote:
        case k_open_bracket:
        case k_handle:
        case k_hashtag:
        case k_emoji:
        case k_bullet:
          return true;
        case k_quote: return (t.flags & f_space_before) != 0;
        default: return false;
      }
    }
    if (p.kind == k_abbrev && (p.flags & f_can_end) && q == k - 1) {
      if ((t.flags & f_newline_before) && starts_upper(k)) return true;
      return t.kind == k_word && starts_upper(k) && is_sentence_starter(form(k));
    }
    return false;
  };

  std::vector<sentence> out;
  out.reserve(toks.size() / 20 + 1);
  auto build = [&](std::size_t b, std::size_t e) {
    sentence s;
    s.tokens.resize(e - b);
    for (std::size_t k = b; k < e; ++k) {
      const raw_token& r = toks[k];
      token& t = s.tokens[k - b];
      t.span = {r.begin, r.end};
      if (r.join != 0) {
        t.form.reserve(r.end - r.begin - 1);
        t.form.append(text.substr(r.begin, r.join - r.begin));
        t.form.append(text.substr(r.join + 1, r.end - r.join - 1));
      } else {
        t.form.assign(text.substr(r.begin, r.end - r.begin));
      }
      t.space_after = k + 1 < toks.size() ? toks[k + 1].begin != r.end : r.end < text.size();
    }
    s.span = {toks[b].begin, toks[e - 1].end};
    out.push_back(std::move(s));
  };

  std::size_t start = 0;
  for (std::size_t k = 1; k < toks.size(); ++k) {
    const raw_token& t = toks[k];
    bool split = (t.flags & (f_blank_before | f_break_before)) != 0;
    if (!split && t.kind == k_bullet && (t.flags & f_newline_before)) split = true;
    if (!split) split = ends_before(start, k);
    if (!split && k - start >= max_sentence_tokens) split = true;
    if (split) {
      build(start, k);
      start = k;
    }
  }
  if (start < toks.size()) build(start, toks.size());
  return out;
}

tokenizer::tokenizer() : impl_(std::make_unique<impl>()) {}
tokenizer::~tokenizer() = default;
tokenizer::tokenizer(tokenizer&&) noexcept = default;
tokenizer& tokenizer::operator=(tokenizer&&) noexcept = default;

void tokenizer::add_abbreviation(std::string_view abbreviation, bool can_end_sentence) {
  impl_->abbreviations[std::string(abbreviation)] = can_end_sentence;
}

void tokenizer::add_word(std::string_view word) { impl_->words.emplace(word); }

std::vector<sentence> tokenizer::tokenize(std::string_view text) const {
  std::vector<raw_token> toks;
  toks.reserve(text.size() / 5 + 8);
  impl_->scan(text, toks);
  impl::mark_structure(text, toks);
  return impl::assemble(text, toks);
}

namespace {


}  // namespace

tokenizer tokenizer::load(const std::string& data_dir) {
  tokenizer t;
  const std::string abbr = data_dir + "/data/abbreviations.txt";
  for_each_data_line(abbr, "data file", [&](int number, std::string_view line) {
    const std::size_t tab = line.find('\t');
    const std::string_view word = line.substr(0, tab);
    const std::string_view cls = tab == std::string_view::npos ? std::string_view() : line.substr(tab + 1);
    if (word.size() < 2 || word.back() != '.' || (cls != "final" && cls != "never"))
      throw input_error(abbr + ":" + std::to_string(number) +
                        ": expected ABBREVIATION<TAB>final|never, with the abbreviation ending in '.'");
    t.add_abbreviation(word, cls == "final");
  });
  const std::string words = data_dir + "/data/words.txt";
  for_each_data_line(words, "data file", [&](int number, std::string_view line) {
    if (line.find_first_of(" \t") != std::string_view::npos)
      throw input_error(words + ":" + std::to_string(number) + ": expected one word per line");
    t.add_word(line);
  });
  return t;
}

const tokenizer& tokenizer::shared() {
  static const tokenizer instance = [] {
    if (const char* dir = std::getenv("NEWSGRAPH_DATA"); dir != nullptr && *dir != '\0') return load(dir);
    // This file is <root>/extract/src/nlp/tokenizer.cpp; <root> holds data/.
    std::filesystem::path root = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path().parent_path();
    return load(root.string());
  }();
  return instance;
}

std::vector<sentence> tokenize(std::string_view text) { return tokenizer::shared().tokenize(text); }

}  // namespace newsgraph
