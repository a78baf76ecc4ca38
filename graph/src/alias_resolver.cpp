#include "newsgraph/alias_resolver.h"

#include <boost/pending/disjoint_sets.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iomanip>
#include <mutex>
#include <numeric>
#include <optional>
#include <span>
#include <sstream>
#include <type_traits>
#include <utility>

#include "newsgraph/knowledge_graph.h"

#ifndef NEWSGRAPH_DEFAULT_DATA_DIR
#define NEWSGRAPH_DEFAULT_DATA_DIR "."
#endif

namespace newsgraph {

std::string_view to_string(user_rule::kind k) {
  switch (k) {
    case user_rule::kind::same: return "same";
    case user_rule::kind::distinct: return "distinct";
    case user_rule::kind::split: return "split";
  }
  return "same";
}

// ---------------------------------------------------------------------------------------------
// Data files

namespace {

std::vector<std::string_view> split_tabs(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

// Calls f(line, line_number) for every non-comment, non-blank line of a file; false if unreadable.
template <class F>
bool for_each_line(const std::string& path, F f) {
  std::ifstream in(path);
  if (!in) return false;
  std::string line;
  std::size_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    f(std::string_view(line), number);
  }
  return true;
}

std::string where(const std::string& path, std::size_t line) {
  std::string out = path;
  out.append(":").append(std::to_string(line));
  return out;
}

}  // namespace

void alias_data::add_variants(std::string_view text, const std::string& source) {
  std::size_t number = 0, start = 0;
  while (start <= text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') {
      if (end == text.size()) break;
      continue;
    }
    const auto fields = split_tabs(line);
    if (fields[0] == "given") {
      if (fields.size() < 2) throw input_error(where(source, number) + ": 'given' needs at least one name");
      // Forms already in a group pull the whole line into it (groups may be written over several lines).
      std::uint32_t group = static_cast<std::uint32_t>(variant_group.size() + 1000000);
      for (std::size_t i = 1; i < fields.size(); ++i)
        if (auto it = variant_group.find(normalise_token(fields[i])); it != variant_group.end()) group = std::min(group, it->second);
      std::vector<std::uint32_t> absorbed;
      for (std::size_t i = 1; i < fields.size(); ++i) {
        if (fields[i].empty()) throw input_error(where(source, number) + ": empty name");
        const auto token = normalise_token(fields[i]);
        given_names.insert(std::string(fields[i]));
        given_names.insert(token);
        auto [it, inserted] = variant_group.try_emplace(token, group);
        if (!inserted && it->second != group) absorbed.push_back(it->second);
        it->second = group;
      }
      if (!absorbed.empty())
        for (auto& [token, g] : variant_group)
          if (std::find(absorbed.begin(), absorbed.end(), g) != absorbed.end()) g = group;
    } else if (fields[0] == "ending") {
      if (fields.size() != 3 || fields[1].empty())
        throw input_error(where(source, number) + ": 'ending' needs FROM and TO separated by tabs");
      endings.emplace_back(std::string(fields[1]), std::string(fields[2]));
      std::stable_sort(endings.begin(), endings.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
    } else {
      throw input_error(where(source, number) + ": unknown line kind '" + std::string(fields[0]) + "' (expected given or ending)");
    }
    if (end == text.size()) break;
  }
}

std::string alias_data::normalise_token(std::string_view token) const {
  std::string out(token);
  if (out.size() < 5) return out;
  for (const auto& [from, to] : endings) {
    if (out.size() > from.size() + 2 && out.ends_with(from)) {
      out.resize(out.size() - from.size());
      out += to;
      break;
    }
  }
  return out;
}

std::shared_ptr<const alias_data> alias_data::load(const std::string& dir) {
  auto data = std::make_shared<alias_data>();
  const std::string variants = dir + "/data/name-variants.tsv";
  {
    std::ifstream in(variants, std::ios::binary);
    if (!in) throw input_error(variants + ": cannot open name variants file");
    std::stringstream text;
    text << in.rdbuf();
    data->add_variants(text.str(), variants);
  }
  const std::string gazetteer = dir + "/data/gazetteer/";
  for_each_line(gazetteer + "given_names.tsv", [&](std::string_view line, std::size_t number) {
    const auto f = split_tabs(line);
    if (f.size() < 3) throw input_error(where(gazetteer + "given_names.tsv", number) + ": expected NAME<TAB>TYPE<TAB>CANONICAL");
    data->given_names.insert(name_key(f[0]));
  });
  for (const char* file : {"countries.tsv", "capitals.tsv", "organizations.tsv"}) {
    const std::string path = gazetteer + file;
    for_each_line(path, [&](std::string_view line, std::size_t number) {
      const auto f = split_tabs(line);
      if (f.size() < 3) throw input_error(where(path, number) + ": expected NAME<TAB>TYPE<TAB>CANONICAL");
      auto key = name_key(f[0]), canonical = name_key(f[2]);
      if (std::string_view(file) == "countries.tsv") data->countries.insert(canonical);
      if (!key.empty() && !canonical.empty() && key != canonical) data->canonical.try_emplace(std::move(key), std::move(canonical));
    });
  }
  for_each_line(gazetteer + "demonyms.tsv", [&](std::string_view line, std::size_t number) {
    const auto f = split_tabs(line);
    if (f.size() < 3) throw input_error(where(gazetteer + "demonyms.tsv", number) + ": expected NAME<TAB>TYPE<TAB>CANONICAL");
    data->demonyms.try_emplace(name_key(f[0]), name_key(f[2]));
  });
  for_each_line(dir + "/data/words.txt", [&](std::string_view line, std::size_t) {
    const std::string word(line.substr(0, line.find_first_of(" \t")));
    if (!data->given_names.contains(word)) data->words.insert(word);
  });
  return data;
}

std::shared_ptr<const alias_data> alias_data::default_data() {
  static std::once_flag once;
  static std::shared_ptr<const alias_data> data;
  std::call_once(once, [] {
    const char* dir = std::getenv("NEWSGRAPH_DATA_DIR");
    data = load(dir != nullptr && *dir != '\0' ? dir : NEWSGRAPH_DEFAULT_DATA_DIR);
  });
  return data;
}

// ---------------------------------------------------------------------------------------------
// Resolution

namespace {

constexpr std::uint32_t no_group = 0xFFFFFFFFU;

bool is_particle(std::string_view t) {
  static constexpr std::string_view particles[] = {"van", "von", "de", "der", "den", "da", "di", "del", "della", "la",
                                                   "le", "al", "el", "bin", "ben", "ibn", "abu", "du", "dos", "das", "ter"};
  return std::find(std::begin(particles), std::end(particles), t) != std::end(particles);
}


// Types that may name one actor: unknown goes with anything; a country and its place, an
// organisation and a group are often typed either way by the extractor.
bool types_compatible(actor_type a, actor_type b) {
  if (a == b || a == actor_type::other || b == actor_type::other) return true;
  auto pair_is = [&](actor_type x, actor_type y) { return (a == x && b == y) || (a == y && b == x); };
  return pair_is(actor_type::country, actor_type::place) || pair_is(actor_type::organization, actor_type::group);
}

enum class token_match : std::uint8_t { none, exact, variant, initial, fuzzy };

// Per distinct normalised token, derived once: a pair's comparison then costs integer compares,
// not hash lookups and code parsing (millions of pairs share a few hundred thousand tokens). The
// fields every comparison reads come first.
struct token_info {
  std::uint64_t primary = 0;      // the Double Metaphone codes packed for comparison; 0 when empty
  std::uint64_t alternate = 0;
  std::uint32_t group = 0xFFFFFFFFU;  // variant group (Sergey/Sergei), or none
  std::uint32_t length = 0;       // of text
  char first = 0;                 // text[0]
  bool word = false;              // an English word (alias_data::words)
  bool particle = false;          // van, de, al, bin, ...
  std::string text;               // the normalised token
  std::string codes;              // "P|A" Double Metaphone codes (empty for short tokens)
};

// Per-record features derived once: what every comparison of a pair reads, in a few bytes, so
// that the features of a few hundred thousand records stay in cache; the words are token ids in one
// array (word_ids_), the rarely read parts in arrays of their own (acronym_, canonical_, handle
// segments).
struct features {
  std::uint32_t first_word = 0;   // its normalised tokens are word_ids_[first_word, first_word + words)
  std::uint16_t words = 0;
  bool handle = false;            // spelled with '@'
  bool acronym_like = false;      // one short token spelled in capitals or dotted ("EU", "E.U.")
  bool given_first = false;       // first token is taken for a given name (see build_features)
  bool given_known = false;       // ... and is a known given name, a variant or an initial
  bool person = false;            // typed person
  actor_type type = actor_type::other;
};

struct name_score {
  double score = -1.0;  // < 0: the names cannot denote one actor
  const char* rule = "";
  bool fuzzy = false;   // needs context
  std::string signals;
};

void add_signal(std::string& s, std::string_view what) {
  if (!s.empty()) s.append("; ");
  s.append(what);
}

// "Russian authorities", "Kyiv government", "Ukrainian regime": a country, its capital or its
// national adjective before a word for the state's rulers names the country. Empty otherwise.
std::string state_named(const alias_data& data, const std::string& key) {
  static constexpr std::string_view heads[] = {" authorities", " government", " regime", " administration", " leadership"};
  for (auto head : heads) {
    if (!key.ends_with(head)) continue;
    const std::string rest = key.substr(0, key.size() - head.size());
    if (data.countries.contains(rest)) return rest;
    if (auto it = data.demonyms.find(rest); it != data.demonyms.end()) return it->second;
    if (auto it = data.canonical.find(rest); it != data.canonical.end() && data.countries.contains(it->second)) return it->second;
  }
  return {};
}

std::string fixed2(double v) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(2) << v;
  return o.str();
}

class resolver_run {
public:
  resolver_run(const alias_data& data, const resolver_options& options, const std::vector<alias_record>& records)
      : data_(data), options_(options), records_(records), n_(records.size()), rank_(n_), parent_(n_),
        sets_(rank_.data(), parent_.data()), members_(n_), forbidden_(n_), self_(n_) {
    for (std::size_t i = 0; i < n_; ++i) sets_.make_set(static_cast<std::uint32_t>(i));
    std::iota(self_.begin(), self_.end(), 0U);
    build_features();
  }

  resolution run(const std::vector<user_rule>& rules) {
    apply_rules(rules);
    auto pairs = candidate_pairs();
    stats_.records = n_;
    stats_.candidate_pairs = pairs.size();
    // Pass 1 on name evidence and record-level context; pass 2 re-scores the pairs that fell
    // short with the context of the clusters formed so far (a Burel whose only shared neighbour
    // was reached through "Lavrov" now sees "Sergey Lavrov").
    std::vector<pending> later;
    merge_pass(pairs, later);
    std::vector<pending> unused;
    merge_pass(later, unused);
    resolution out;
    out.cluster.resize(n_);
    for (std::size_t i = 0; i < n_; ++i) out.cluster[i] = find(static_cast<std::uint32_t>(i));
    out.gazetteer_variant.resize(n_);
    for (std::size_t i = 0; i < n_; ++i) out.gazetteer_variant[i] = !canonical_[i].empty() && canonical_[i] != records_[i].key;
    out.merges = std::move(merges_);
    out.stats = stats_;
    return out;
  }

private:
  std::uint32_t find(std::uint32_t i) { return sets_.find_set(i); }
  std::span<const std::uint32_t> members_of(std::uint32_t root) const {
    const auto& m = members_[root];
    return m.empty() ? std::span<const std::uint32_t>(&self_[root], 1) : std::span<const std::uint32_t>(m);
  }

  void build_features() {
    feats_.resize(n_);
    acronym_.resize(n_);
    canonical_.resize(n_);
    handle_first_.assign(n_ + 1, 0);
    word_ids_.reserve(n_ * 3);
    // Vocabulary for handle segmentation: tokens of multi-word names plus the known given names.
    const bool any_handle = std::any_of(records_.begin(), records_.end(), [](const alias_record& r) {
      return std::any_of(r.spellings.begin(), r.spellings.end(), [](const std::string& s) { return s.starts_with('@'); });
    });
    if (any_handle) {
      for (const auto& r : records_) {
        if (r.key.find(' ') == std::string::npos) continue;
        std::size_t start = 0;
        while (start < r.key.size()) {
          auto end = r.key.find(' ', start);
          if (end == std::string::npos) end = r.key.size();
          if (end - start >= 2) vocabulary_.insert(r.key.substr(start, end - start));
          start = end + 1;
        }
      }
      for (const auto& g : data_.given_names) vocabulary_.insert(g);
    }
    // Words seen after the first word of a multi-word name (surname position).
    std::unordered_set<std::string> surname_tokens;
    for (const auto& r : records_) {
      auto space = r.key.find(' ');
      while (space != std::string::npos) {
        const auto next = r.key.find(' ', space + 1);
        surname_tokens.insert(data_.normalise_token(r.key.substr(space + 1, next == std::string::npos ? std::string::npos : next - space - 1)));
        space = next;
      }
    }
    std::vector<std::string> raw;
    for (std::size_t i = 0; i < n_; ++i) {
      const auto& r = records_[i];
      auto& f = feats_[i];
      f.person = r.type == actor_type::person;
      f.type = r.type;
      raw.clear();
      std::size_t start = 0;
      while (start < r.key.size()) {
        auto end = r.key.find(' ', start);
        if (end == std::string::npos) end = r.key.size();
        if (end > start) raw.push_back(r.key.substr(start, end - start));
        start = end + 1;
      }
      // "E.U." folds to "e u": letters alone are one acronym.
      const bool letters = raw.size() >= 2 && std::all_of(raw.begin(), raw.end(), [](const auto& t) { return t.size() == 1; });
      if (letters) raw = {std::accumulate(raw.begin(), raw.end(), std::string())};
      for (const auto& s : r.spellings) {
        if (s.starts_with('@')) f.handle = true;
      }
      if (raw.size() == 1 && raw[0].size() >= 2 && raw[0].size() <= 6 && r.type != actor_type::person) {
        bool caps = letters;
        for (const auto& s : r.spellings) {
          std::size_t upper = 0, alpha = 0;
          for (char c : s)
            if (std::isalpha(static_cast<unsigned char>(c))) ++alpha, upper += std::isupper(static_cast<unsigned char>(c)) ? 1 : 0;
          if (alpha >= 2 && upper == alpha) caps = true;
        }
        f.acronym_like = caps && !f.handle;
      }
      if (raw.size() > 0xFFFF) raw.resize(0xFFFF);  // no name has that many words; the count is 16 bits
      f.first_word = static_cast<std::uint32_t>(word_ids_.size());
      f.words = static_cast<std::uint16_t>(raw.size());
      for (const auto& t : raw) word_ids_.push_back(token_id(data_.normalise_token(t)));
      if (f.handle) {
        for (const auto& s : r.spellings)
          if (s.starts_with('@')) {
            for (auto& t : split_handle(s, vocabulary_)) handle_words_.push_back(token_id(data_.normalise_token(t)));
            break;
          }
      }
      handle_first_[i + 1] = static_cast<std::uint32_t>(handle_words_.size());
      if (f.words >= 2) {
        const auto& first = text(i, 0);
        // A first word is a given name when known as one, an initial, or never seen in surname
        // position elsewhere ("Omar Haddad" yes; "Borrell Fontelles" no, as "Josep Borrell" exists).
        f.given_known = !is_particle(first) && (first.size() == 1 || data_.given_names.contains(first) || data_.variant_group.contains(first));
        f.given_first = f.given_known || (!is_particle(first) && !surname_tokens.contains(first));
        acronym_[i] = acronym_of(r.name);
      }
      canonical_[i] = gazetteer_entity(data_, r.key, f.person);
    }
  }

  // Record i's k-th word: its token id, its token, its text; its handle segments.
  std::uint32_t word_id(std::size_t i, std::size_t k) const { return word_ids_[feats_[i].first_word + k]; }
  const token_info& token(std::size_t i, std::size_t k) const { return tokens_[word_id(i, k)]; }
  const std::string& text(std::size_t i, std::size_t k) const { return tokens_[word_id(i, k)].text; }
  std::size_t words(std::size_t i) const { return feats_[i].words; }
  std::span<const std::uint32_t> handle_words(std::size_t i) const {
    return std::span<const std::uint32_t>(handle_words_).subspan(handle_first_[i], handle_first_[i + 1] - handle_first_[i]);
  }

  std::uint32_t group_of(const std::string& token) const {
    const auto it = data_.variant_group.find(token);
    return it == data_.variant_group.end() ? no_group : it->second;
  }

  // Up to 8 bytes of a code as one integer; a longer code (none is: Double Metaphone stops at 4)
  // falls back to a hash, whose rare collision could only add a Jaro-Winkler test.
  static std::uint64_t packed_code(std::string_view code) {
    std::uint64_t x = 0;
    if (code.size() <= 8) {
      for (unsigned char c : code) x = (x << 8) | c;
      return x;
    }
    return std::hash<std::string_view>()(code) | 0x8000000000000000ULL;
  }

  std::uint32_t token_id(const std::string& token) {
    const auto [it, inserted] = token_ids_.try_emplace(token, static_cast<std::uint32_t>(tokens_.size()));
    if (!inserted) return it->second;
    auto& t = tokens_.emplace_back();
    t.text = token;
    t.length = static_cast<std::uint32_t>(token.size());
    t.first = token.empty() ? '\0' : token[0];
    if (token.size() >= 3) {
      auto [p, a] = double_metaphone(token);
      t.primary = packed_code(p);
      t.alternate = packed_code(a);
      t.codes = p == a ? p : p + "|" + a;
    }
    t.group = group_of(token);
    t.word = data_.words.contains(token);
    t.particle = is_particle(token);
    return it->second;
  }

  // The two tokens share a Double Metaphone code (primary or alternate, either way round).
  static bool codes_meet(const token_info& a, const token_info& b) {
    if (a.codes.empty() || b.codes.empty()) return false;
    return (a.primary != 0 && (a.primary == b.primary || a.primary == b.alternate)) ||
           (a.alternate != 0 && (a.alternate == b.primary || a.alternate == b.alternate));
  }

  // Exact or variant: the matches that need no Jaro-Winkler.
  bool strong_match(std::size_t i, std::size_t ti, std::size_t j, std::size_t tj) const {
    const auto x = word_id(i, ti), y = word_id(j, tj);
    if (x == y) return true;
    const auto& ta = tokens_[x];
    const auto& tb = tokens_[y];
    if (ta.length == 1 || tb.length == 1) return false;
    return ta.group != no_group && ta.group == tb.group;
  }

  token_match match_token(std::size_t i, std::size_t ti, std::size_t j, std::size_t tj, double& jw) const {
    const auto x = word_id(i, ti), y = word_id(j, tj);
    if (x == y) return token_match::exact;
    const auto& ta = tokens_[x];
    const auto& tb = tokens_[y];
    if (ta.length == 1 || tb.length == 1) return ta.first == tb.first ? token_match::initial : token_match::none;
    if (ta.group != no_group && ta.group == tb.group) return token_match::variant;
    if (ta.length < 4 || tb.length < 4) return token_match::none;
    if (!codes_meet(ta, tb)) return token_match::none;
    jw = jaro_winkler(ta.text, tb.text);
    return jw >= 0.80 ? token_match::fuzzy : token_match::none;
  }

  // True if one surname is the other plus a trailing vowel other than y ("borrelli" / "borrell",
  // "petrov" / "petrova"): a distinct surname or person in most languages, not a misspelling.
  // Also true for the feminine form of a Slavic surname ("zelensky" / "zelenska"): another person.
  static bool suffix_extended(const std::string& a, const std::string& b) {
    if (a.size() == b.size() && a.size() >= 4 && a.compare(0, a.size() - 1, b, 0, b.size() - 1) == 0) {
      const char x = a.back(), y = b.back();
      return (x == 'a' && (y == 'y' || y == 'i')) || (y == 'a' && (x == 'y' || x == 'i'));
    }
    const auto& longer = a.size() > b.size() ? a : b;
    const auto& shorter = a.size() > b.size() ? b : a;
    if (longer.size() != shorter.size() + 1 || !longer.starts_with(shorter)) return false;
    const char v = longer.back();
    return v == 'a' || v == 'e' || v == 'i' || v == 'o' || v == 'u';
  }

  // Token alignment of two names: the shorter's tokens in order into the longer's.
  name_score align(std::size_t i, std::size_t j) const {
    name_score out;
    const auto& fi = feats_[i];
    const auto& fj = feats_[j];
    std::size_t s = i, l = j;
    if (fi.words > fj.words) std::swap(s, l);
    const auto& S = feats_[s];
    const auto& L = feats_[l];
    const std::size_t ns = S.words, nl = L.words;
    if (ns == 0) return out;
    const bool person = (fi.person || fj.person);
    if (ns == 1 && nl == 1) return out;  // one-word names differ (exact keys already merged)
    std::size_t pos = 0, fuzzy = 0, variants = 0, initials = 0;
    double fuzzy_jw = 1.0;
    std::size_t fuzzy_s = 0, fuzzy_l = 0;
    std::array<std::size_t, 16> at{};
    if (ns > at.size()) return out;
    for (std::size_t k = 0; k < ns; ++k) {
      bool found = false;
      // An exact or variant word further on beats a weaker match nearer ("Borrell" in "Borel Borrell").
      std::size_t first = pos;
      for (std::size_t m = pos; m < nl; ++m) {
        if (strong_match(s, k, l, m)) {
          first = m;
          break;
        }
      }
      for (std::size_t m = first; m < nl; ++m) {
        double jw = 1.0;
        const auto kind = match_token(s, k, l, m, jw);
        if (kind == token_match::none) continue;
        if (kind == token_match::initial && ns == 1) continue;
        if (kind == token_match::fuzzy) {
          if (!person) continue;  // organisations and places are not misspelt into each other here
          ++fuzzy, fuzzy_jw = jw, fuzzy_s = k, fuzzy_l = m;
        }
        if (kind == token_match::variant) ++variants;
        if (kind == token_match::initial) ++initials;
        at[k] = m;
        pos = m + 1;
        found = true;
        break;
      }
      if (!found) return out;
    }
    if (fuzzy > 1) return out;
    if (ns == 1) {
      if (!person) return out;  // "States" is not "United States"
      // A lone given name is no surname ("Vladimir" is not "Vladimir Putin").
      if (at[0] == 0 && L.given_first) return out;
      if (token(s, 0).particle) return out;
    } else {
      // Both start with given names: they must be the aligned pair. A longer name's unknown first
      // word may be a left-over title or place ("Moscow ... Sergey Lavrov"), not a given name.
      const bool longer_given = nl > ns ? L.given_known : L.given_first;
      if (S.given_first && longer_given && at[0] != 0) return out;
      if (!person && (fuzzy || initials)) return out;
    }
    // The longer name's tail beyond the last covered token may hold one more surname and
    // particles ("Borrell Fontelles", "Haddad al Rashid"), no more.
    std::size_t tail = 0;
    for (std::size_t m = at[ns - 1] + 1; m < nl; ++m) tail += token(l, m).particle ? 0 : 1;
    if (tail > 1) return out;
    if (fuzzy) {
      const auto& a = text(s, fuzzy_s);
      const auto& b = text(l, fuzzy_l);
      out.fuzzy = true;
      out.rule = "similar name";
      out.score = fuzzy_jw - 0.2;
      if (explain_) add_signal(out.signals, std::string("jaro-winkler ").append(fixed2(fuzzy_jw)).append(" ").append(a).append("/").append(b));
      if (explain_) add_signal(out.signals, std::string("same sound ").append(token(s, fuzzy_s).codes));
      if (ns >= 2 && at[0] == 0 && fuzzy_s != 0) {
        out.score += 0.1;
        if (explain_) add_signal(out.signals, "same given name");
      }
      const bool word_a = token(s, fuzzy_s).word;
      if (word_a || token(l, fuzzy_l).word) {
        out.score -= 0.2;
        if (explain_) add_signal(out.signals, std::string("dictionary word ").append(word_a ? a : b).append(" -0.20"));
      }
      if (suffix_extended(a, b)) {
        out.score -= 0.6;
        if (explain_) add_signal(out.signals, "surname extended by a vowel -0.60");
      }
      return out;
    }
    out.score = initials ? 0.9 : 1.0;
    if (ns == 1) {
      out.rule = "surname";
      if (explain_) add_signal(out.signals, std::string("surname ").append(text(s, 0)).append(" of ").append(records_[l].name));
      if (token(s, 0).word) {
        out.score -= 0.1;
        if (explain_) add_signal(out.signals, std::string("dictionary word ").append(text(s, 0)).append(" -0.10"));
      }
    } else if (!person) {
      out.score = 0.9;
      out.rule = "name part";
      if (explain_) add_signal(out.signals, "all words of the shorter name");
    } else {
      out.rule = variants ? "name variant" : initials ? "initial" : "name part";
      if (variants) add_signal(out.signals, "transliteration or given-name variant");
      if (initials) add_signal(out.signals, "initial");
      if (!variants && !initials) add_signal(out.signals, "all words of the shorter name");
    }
    return out;
  }

  // Handle against a full name: "@JosepBorrellF" / "Josep Borrell", "@trussliz" / "Liz Truss".
  name_score handle_match(std::size_t h, std::size_t j) const {
    name_score out;
    const auto& F = feats_[j];
    const std::size_t nf = F.words;
    if (nf < 2 || F.handle || F.type == actor_type::country) return out;
    // Concatenations: given+surname or surname+given, possibly followed by one or two letters.
    std::string forward, backward;
    for (std::size_t k = 0; k < nf; ++k) forward += text(j, k);
    backward = text(j, nf - 1);
    for (std::size_t k = 0; k + 1 < nf; ++k) backward += text(j, k);
    std::string whole;
    for (std::size_t k = 0; k < words(h); ++k) whole += text(h, k);
    auto covers = [&](const std::string& c) { return whole.starts_with(c) && whole.size() <= c.size() + 2; };
    if (covers(forward) || covers(backward) || (nf >= 3 && covers(text(j, 0) + text(j, 1)))) {
      out.score = 1.0;
      out.rule = "handle";
      if (explain_) add_signal(out.signals, std::string("handle @").append(whole).append(" spells ").append(records_[j].name));
      return out;
    }
    // Segmented handle: every long segment is a token of the name, the surname among them.
    const auto segments = handle_words(h);
    if (segments.size() < 2) return out;
    std::size_t matched = 0;
    bool surname = false, given = false;
    for (const auto t : segments) {
      std::size_t at = 0;
      while (at < nf && word_id(j, at) != t) ++at;
      if (at == nf) {
        if (tokens_[t].length >= 3) return out;  // a word the name does not have
        continue;
      }
      ++matched;
      if (at == 0) {
        given = true;
      } else {
        surname = true;
      }
    }
    if (!surname || matched < 2) return out;
    out.score = given ? 1.0 : 0.8;
    out.rule = "handle";
    if (explain_) add_signal(out.signals, std::string("handle segments match ").append(records_[j].name));
    return out;
  }

  name_score score_names(std::size_t i, std::size_t j) const {
    const auto& fi = feats_[i];
    const auto& fj = feats_[j];
    const auto ti = fi.type, tj = fj.type;
    name_score out;
    const bool nonperson = ti != actor_type::person && tj != actor_type::person;
    // Gazetteer: one canonical entity ("EU"/"European Union", "Kremlin"/"Russia", "U.S."/"USA").
    if (nonperson && (!canonical_[i].empty() || !canonical_[j].empty())) {
      const auto& ci = canonical_[i].empty() ? records_[i].key : canonical_[i];
      const auto& cj = canonical_[j].empty() ? records_[j].key : canonical_[j];
      if (ci == cj) {
        out.score = 1.0;
        out.rule = "gazetteer";
        if (explain_) add_signal(out.signals, std::string("both name ").append(ci).append(" in the gazetteer"));
        return out;
      }
    }
    if (!types_compatible(ti, tj)) return out;
    if (nonperson && (fi.acronym_like || fj.acronym_like)) {
      const std::size_t a = fi.acronym_like ? i : j;
      const std::size_t b = fi.acronym_like ? j : i;
      if (words(b) >= 2 && acronym_[b].size() >= 2 && acronym_[b] == text(a, 0)) {
        out.score = 1.0;
        out.rule = "acronym";
        if (explain_) add_signal(out.signals, std::string("acronym ").append(text(a, 0)).append(" of ").append(records_[b].name));
        return out;
      }
    }
    if (fi.handle != fj.handle) return handle_match(fi.handle ? i : j, fi.handle ? j : i);
    if (fi.handle) return out;
    if (fi.acronym_like || fj.acronym_like) return out;
    return align(i, j);
  }

  // Context of record i against the cluster of record j, for the pass's current clusters.
  double context(std::uint32_t i, std::uint32_t j, std::string& signals) {
    double bonus = 0.0;
    const auto ri = find(i), rj = find(j);
    // Neighbour roots of each side, capped.
    auto collect = [&](std::uint32_t root, std::vector<std::uint32_t>& neighbours, std::vector<std::uint64_t>& relations,
                       std::vector<std::uint32_t>& documents, std::vector<const std::string*>& roles) {
      neighbours.clear(), relations.clear(), documents.clear(), roles.clear();
      if (unions_ == 0) {
        // Every record is its own cluster (and every neighbour its own root): the record's lists,
        // sorted and unique, are the context as they are.
        const auto& r = records_[root];
        const auto cap = [&](const auto& v) { return v.begin() + static_cast<std::ptrdiff_t>(std::min(v.size(), options_.max_context)); };
        neighbours.assign(r.neighbours.begin(), cap(r.neighbours));
        relations.assign(r.relations.begin(), cap(r.relations));
        documents.assign(r.documents.begin(), cap(r.documents));
        for (const auto& role : r.roles) roles.push_back(&role);
        return;
      }
      for (auto m : members_of(root)) {
        const auto& r = records_[m];
        for (auto n : r.neighbours) {
          if (neighbours.size() >= options_.max_context) break;
          neighbours.push_back(find(n));
        }
        for (auto rel : r.relations) {
          if (relations.size() >= options_.max_context) break;
          relations.push_back((rel & 0xFFFFFFFF00000000ULL) | find(static_cast<std::uint32_t>(rel & 0xFFFFFFFFU)));
        }
        for (auto d : r.documents) {
          if (documents.size() >= options_.max_context) break;
          documents.push_back(d);
        }
        for (const auto& role : r.roles) roles.push_back(&role);
        if (neighbours.size() >= options_.max_context && relations.size() >= options_.max_context) break;
      }
      auto tidy = [](auto& v) {
        std::sort(v.begin(), v.end());
        v.erase(std::unique(v.begin(), v.end()), v.end());
      };
      tidy(neighbours), tidy(relations), tidy(documents);
    };
    // Pairs come sorted by their first record and clusters change only between scorings, so the
    // first side's context is often the one just collected.
    if (ri != collected_root_ || unions_ != collected_unions_) {
      collect(ri, n1_, r1_, d1_, roles1_);
      collected_root_ = ri, collected_unions_ = unions_;
    }
    collect(rj, n2_, r2_, d2_, roles2_);
    std::size_t shared = 0;
    for (auto a = n1_.begin(), b = n2_.begin(); a != n1_.end() && b != n2_.end();) {
      if (*a < *b) {
        ++a;
      } else if (*b < *a) {
        ++b;
      } else {
        if (*a != ri && *a != rj) {
          if (explain_ && shared < 2) add_signal(signals, std::string("shared neighbour ").append(records_[*a].name));
          ++shared;
        }
        ++a, ++b;
      }
    }
    bonus += 0.2 * static_cast<double>(std::min<std::size_t>(shared, 2));
    std::size_t same_relations = 0;
    for (auto a = r1_.begin(), b = r2_.begin(); a != r1_.end() && b != r2_.end();) {
      if (*a < *b) {
        ++a;
      } else if (*b < *a) {
        ++b;
      } else {
        ++same_relations, ++a, ++b;
      }
    }
    if (same_relations) {
      bonus += 0.1 * static_cast<double>(std::min<std::size_t>(same_relations, 2));
      if (explain_) add_signal(signals, std::string("same relation to a shared neighbour x").append(std::to_string(same_relations)));
    }
    bool role_found = false;
    for (const auto* a : roles1_) {
      for (const auto* b : roles2_)
        if (*a == *b) {
          bonus += 0.3;
          if (explain_) add_signal(signals, std::string("shared role ").append(*a));
          role_found = true;
          break;
        }
      if (role_found) break;
    }
    if (!role_found) {
      // A shared long word of two roles ("foreign policy chief" / "EU foreign affairs chief").
      for (const auto* a : roles1_) {
        for (const auto* b : roles2_) {
          std::size_t start = 0;
          while (start < a->size() && !role_found) {
            auto end = a->find(' ', start);
            if (end == std::string::npos) end = a->size();
            const std::string_view word = std::string_view(*a).substr(start, end - start);
            if (word.size() >= 5) {
              const auto at = b->find(word);
              const bool whole = at != std::string::npos && (at == 0 || (*b)[at - 1] == ' ') &&
                                 (at + word.size() == b->size() || (*b)[at + word.size()] == ' ');
              if (whole) {
                bonus += 0.1;
                if (explain_) add_signal(signals, std::string("roles share '").append(word).append("'"));
                role_found = true;
              }
            }
            start = end + 1;
          }
          if (role_found) break;
        }
        if (role_found) break;
      }
    }
    bool doc = false;
    for (auto a = d1_.begin(), b = d2_.begin(); a != d1_.end() && b != d2_.end() && !doc;) {
      if (*a < *b) {
        ++a;
      } else if (*b < *a) {
        ++b;
      } else {
        doc = true;
      }
    }
    if (doc) {
      bonus += 0.1;
      if (explain_) add_signal(signals, "same document");
    }
    return std::min(bonus, 0.7);
  }

  // Full score of a pair under the current clusters; score < 0 when the names cannot match.
  name_score score(std::uint32_t i, std::uint32_t j) {
    auto s = name_part(i, j);
    if (s.score >= 0) add_context(i, j, s);
    return s;
  }

  // The score without context: it does not change as clusters form.
  name_score name_part(std::uint32_t i, std::uint32_t j) const {
    auto s = score_names(i, j);
    if (s.score < 0) return s;
    const auto ti = feats_[i].type, tj = feats_[j].type;
    if (ti == tj && ti != actor_type::other) {
      s.score += 0.1;
      if (explain_) add_signal(s.signals, std::string("both ").append(to_string(ti)));
    }
    return s;
  }

  bool context_can_decide(double name_part) const { return name_part < options_.threshold && name_part + 0.7 >= options_.threshold; }

  // Context only where it can decide: below the threshold, and within reach of the cap.
  void add_context(std::uint32_t i, std::uint32_t j, name_score& s) {
    if (context_can_decide(s.score)) s.score += context(i, j, s.signals);
  }

  // True if two full person names cannot be one person: both open with given names, and the given
  // names or every surname token disagree (Vladimir Putin / Vladimir Chizhov; David / Ed Miliband).
  bool incompatible(std::uint32_t i, std::uint32_t j) const {
    const auto& a = feats_[i];
    const auto& b = feats_[j];
    // An unknown first word counts as a given name only in a two-word name ("Omar Haddad").
    auto given = [](const features& f) { return f.given_known || (f.given_first && f.words == 2); };
    if (a.words < 2 || b.words < 2 || !given(a) || !given(b) || a.handle || b.handle) return false;
    if (!(a.person || b.person) || !types_compatible(a.type, b.type)) return false;
    double jw = 0;
    if (match_token(i, 0, j, 0, jw) == token_match::none) return true;
    for (std::size_t x = 1; x < a.words; ++x)
      for (std::size_t y = 1; y < b.words; ++y)
        if (match_token(i, x, j, y, jw) != token_match::none) return false;
    return true;
  }

  bool may_union(std::uint32_t ra, std::uint32_t rb) {
    for (auto f : forbidden_[ra])
      if (find(f) == rb) return false;
    for (auto f : forbidden_[rb])
      if (find(f) == ra) return false;
    const auto ma = members_of(ra);
    const auto mb = members_of(rb);
    if (ma.size() * mb.size() > 4096) return true;  // huge clusters: the pair check alone decided
    for (auto x : ma)
      for (auto y : mb)
        if (incompatible(x, y)) return false;
    return true;
  }

  void unite(std::uint32_t ra, std::uint32_t rb) {
    ++unions_;
    sets_.link(ra, rb);
    const auto root = find(ra);
    const auto other = root == ra ? rb : ra;
    auto& keep = members_[root];
    auto& gone = members_[other];
    if (keep.empty()) keep.push_back(root);
    if (gone.empty()) gone.push_back(other);
    keep.insert(keep.end(), gone.begin(), gone.end());
    std::vector<std::uint32_t>().swap(gone);
    auto& fk = forbidden_[root];
    auto& fg = forbidden_[other];
    fk.insert(fk.end(), fg.begin(), fg.end());
    std::vector<std::uint32_t>().swap(fg);
  }

  std::optional<std::uint32_t> record_named(const std::string& name) const {
    const auto key = name_key(name);
    if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
    return std::nullopt;
  }

  void apply_rules(const std::vector<user_rule>& rules) {
    // The index of every name and surface is only needed to find the records that rules name.
    if (std::none_of(rules.begin(), rules.end(), [](const user_rule& r) { return r.what != user_rule::kind::split; })) return;
    for (std::uint32_t i = 0; i < n_; ++i) by_key_.try_emplace(records_[i].key, i);
    for (std::uint32_t i = 0; i < n_; ++i)
      for (const auto& k : records_[i].surface_keys) by_key_.try_emplace(k, i);
    for (const auto& rule : rules) {
      if (rule.what != user_rule::kind::distinct) continue;
      const auto a = record_named(rule.a), b = record_named(rule.b);
      if (!a || !b || *a == *b) continue;
      forbidden_[*a].push_back(*b);
      forbidden_[*b].push_back(*a);
    }
    for (const auto& rule : rules) {
      if (rule.what != user_rule::kind::same) continue;
      const auto a = record_named(rule.a), b = record_named(rule.b);
      if (!a || !b) continue;
      const auto ra = find(*a), rb = find(*b);
      if (ra == rb) continue;
      bool allowed = true;
      for (auto f : forbidden_[ra])
        if (find(f) == rb) allowed = false;
      for (auto f : forbidden_[rb])
        if (find(f) == ra) allowed = false;
      if (!allowed) continue;  // a distinct rule wins over a same rule
      unite(ra, rb);
      merges_.push_back({records_[*a].name, records_[*b].name, "user same", 1.0F, "merged by the user (alias file or REPL merge)"});
    }
  }

  // Blocking. Every record files entries under its keys; the entries of one key form a block,
  // whose kind (the top two bits of the key's hash) says which of its members meet:
  //   shared (g, a, m, f): queries meet the targets and one another;
  //   lookup (t, h): queries meet the targets only. Two queries there are one-word names or
  //     handles, which no name rule joins but the gazetteer, whose g keys hold them as well;
  //   sound (p): one-word names (queries) meet multi-word names (targets) with a word sounding
  //     like theirs; sound_given (q): multi-word names with a word sounding alike and one first
  //     initial meet one another. Both pair records by differing words: equal words meet under
  //     the t and f keys, which hold the same records.
  enum block_kind : std::uint64_t { shared = 0, lookup = 1, sound = 2, sound_given = 3 };
  static constexpr std::uint32_t target = 0x80000000U;

  struct block_entry {
    std::uint64_t key;     // hash of the key, block kind in the top two bits
    std::uint32_t record;  // | target
    std::uint32_t word;    // sound kinds: id of the token sounding like the key
  };

  // A key's hash (FNV-1a) fed piece by piece: no key string is built. The kind takes the top two
  // bits.
  struct key_hash {
    std::uint64_t x = 1469598103934665603ULL;
    key_hash(std::string_view tag) { *this << tag; }
    key_hash& operator<<(std::string_view piece) {
      for (unsigned char c : piece) x = (x ^ c) * 1099511628211ULL;
      return *this;
    }
    std::uint64_t of(block_kind kind) const { return (x >> 2) | (static_cast<std::uint64_t>(kind) << 62); }
  };

  // Sorts by a key of `bits` bits, spread evenly: one pass scatters into 2048 buckets by the top
  // 11 bits, then each bucket, small enough for the cache, is sorted on its own. Where std::sort
  // of millions of entries was a fifth of the resolution, and an LSD radix sort missed the cache
  // on every pass.
  template <class T, class Key, class Less>
  static void bucket_sort(std::vector<T>& v, unsigned bits, Key key, Less less) {
    constexpr unsigned top = 11;
    if (v.size() < 4096 || bits <= top) {
      std::sort(v.begin(), v.end(), less);
      return;
    }
    const unsigned shift = bits - top;
    std::vector<std::size_t> start((std::size_t{1} << top) + 1, 0);
    for (const auto& x : v) ++start[(key(x) >> shift) + 1];
    for (std::size_t b = 1; b < start.size(); ++b) start[b] += start[b - 1];
    std::vector<T> out(v.size());
    std::vector<std::size_t> at(start.begin(), start.end() - 1);
    for (const auto& x : v) out[at[key(x) >> shift]++] = x;
    for (std::size_t b = 0; b + 1 < start.size(); ++b)
      std::sort(out.begin() + static_cast<std::ptrdiff_t>(start[b]), out.begin() + static_cast<std::ptrdiff_t>(start[b + 1]), less);
    v.swap(out);
  }

  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidate_pairs() {
    std::vector<block_entry> entries;
    entries.reserve(n_ * 12);
    auto add = [&](block_kind kind, const key_hash& key, std::uint32_t record, std::uint32_t word = 0) {
      entries.push_back({key.of(kind), record, word});
    };
    // Both Double Metaphone codes of a token (one when they agree), with a suffix.
    auto add_codes = [&](block_kind kind, std::string_view tag, std::uint32_t word, std::string_view suffix, std::uint32_t record) {
      const std::string_view codes = tokens_[word].codes;
      const auto bar = codes.find('|');
      add(kind, key_hash(tag) << codes.substr(0, bar) << suffix, record, word);
      if (bar != std::string_view::npos) add(kind, key_hash(tag) << codes.substr(bar + 1) << suffix, record, word);
    };
    std::string whole, group_key;
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (records_[i].split) continue;
      const auto& f = feats_[i];
      const std::size_t n = f.words;
      // Gazetteer and exact key: every record under its canonical key and its own key.
      if (!canonical_[i].empty()) add(shared, key_hash("g") << canonical_[i], i);
      add(shared, key_hash("g") << records_[i].key, i | target);
      if (n == 0) continue;
      if (f.acronym_like) add(shared, key_hash("a") << text(i, 0), i);
      if (n >= 2 && acronym_[i].size() >= 2 && !f.person) add(shared, key_hash("a") << acronym_[i], i | target);
      if (f.handle) {
        whole.clear();
        for (std::size_t k = 0; k < n; ++k) whole += text(i, k);
        for (std::size_t cut = 0; cut <= 2 && cut + 4 <= whole.size(); ++cut)
          add(lookup, key_hash("h") << std::string_view(whole).substr(0, whole.size() - cut), i);
        for (const auto t : handle_words(i))
          if (tokens_[t].length >= 3) add(lookup, key_hash("t") << tokens_[t].text, i);
        continue;
      }
      if (n == 1) {
        add(lookup, key_hash("t") << text(i, 0), i);
        if (!token(i, 0).codes.empty()) add_codes(sound, "p", word_id(i, 0), "", i);
        continue;
      }
      // Multi-word names: targets under every surname-position token; pairs with one another
      // under (surname token, first letter of the first token).
      key_hash forward("h"), backward("h");
      for (std::size_t k = 0; k < n; ++k) forward << text(i, k);
      backward << text(i, n - 1);
      for (std::size_t k = 0; k + 1 < n; ++k) backward << text(i, k);
      add(lookup, forward, i | target);
      add(lookup, backward, i | target);
      if (n >= 3) add(lookup, key_hash("h") << text(i, 0) << text(i, 1), i | target);
      // The first word's initial, and its variant group when it has one (Oleksandr/Aleksandr).
      const std::string_view initial = std::string_view(text(i, 0)).substr(0, 1);
      const auto group = token(i, 0).group;
      group_key.clear();
      if (group != no_group) group_key.append("#").append(std::to_string(group));
      for (std::size_t k = 0; k < n; ++k) {
        if (k == 0 && f.given_first) continue;
        const auto& t = token(i, k);
        if (t.particle || t.length < 2) continue;
        add(lookup, key_hash("t") << t.text, i | target);
        // Names without a known given name ("Borrell Fontelles", "Moscow ... Sergey Lavrov") meet
        // every name holding their words.
        add(shared, key_hash("m") << t.text, f.given_known ? i | target : i);
        if (!t.codes.empty()) add_codes(sound, "p", word_id(i, k), "", i | target);
        if (k > 0) {
          add(shared, key_hash("f") << t.text << "|" << initial, i);
          if (!group_key.empty()) add(shared, key_hash("f") << t.text << "|" << group_key, i);
          if (!t.codes.empty()) add_codes(sound_given, "q", word_id(i, k), initial, i);
        }
      }
      // Non-person names: also the pairs sharing their first word ("Member States" / "EU Member States").
      if (!f.person) add(lookup, key_hash("t") << text(i, 0), i | target);
    }
    stats_.block_entries = entries.size();
    // Grouped by key; within a key in record order.
    bucket_sort(entries, 64, [](const block_entry& e) { return e.key; }, [](const block_entry& x, const block_entry& y) {
      return x.key != y.key ? x.key < y.key : x.record != y.record ? x.record < y.record : x.word < y.word;
    });
    rank_words();
    // Record pairs packed as (smaller << shift) | larger: sorted and made unique as integers.
    unsigned shift = 1;
    while ((std::uint64_t{1} << shift) < n_) ++shift;
    std::vector<std::uint64_t> pairs;
    auto emit = [&](std::uint32_t a, std::uint32_t b) {
      if (a != b) pairs.push_back((static_cast<std::uint64_t>(std::min(a, b)) << shift) | std::max(a, b));
    };
    std::vector<std::uint32_t> queries, targets;
    for (std::size_t b = 0; b < entries.size();) {
      std::size_t e = b;
      while (e < entries.size() && entries[e].key == entries[b].key) ++e;
      const auto kind = static_cast<block_kind>(entries[b].key >> 62);
      if (kind == sound || kind == sound_given) {
        sound_block(entries.data() + b, entries.data() + e, kind == sound_given, emit);
        b = e;
        continue;
      }
      queries.clear(), targets.clear();
      for (std::size_t k = b; k < e; ++k) {
        const auto rec = entries[k].record & ~target;
        if (entries[k].record & target) {
          targets.push_back(rec);
        } else {
          queries.push_back(rec);
        }
      }
      b = e;
      std::sort(queries.begin(), queries.end());
      queries.erase(std::unique(queries.begin(), queries.end()), queries.end());
      std::sort(targets.begin(), targets.end());
      targets.erase(std::unique(targets.begin(), targets.end()), targets.end());
      if (queries.size() * (targets.size() + queries.size()) > options_.max_block * options_.max_block) {
        ++stats_.skipped_blocks;
        continue;
      }
      for (auto q : queries) {
        for (auto t : targets) emit(q, t);
        if (kind == shared)
          for (auto q2 : queries)
            if (q < q2) emit(q, q2);
      }
    }
    std::vector<block_entry>().swap(entries);
    bucket_sort(pairs, 2 * shift, [](std::uint64_t x) { return x; }, std::less<>());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> out(pairs.size());
    const std::uint64_t mask = (std::uint64_t{1} << shift) - 1;
    std::vector<std::uint32_t> per_record(n_, 0);
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      out[k] = {static_cast<std::uint32_t>(pairs[k] >> shift), static_cast<std::uint32_t>(pairs[k] & mask)};
      ++per_record[out[k].first], ++per_record[out[k].second];
    }
    if (n_) stats_.max_record_pairs = *std::max_element(per_record.begin(), per_record.end());
    return out;
  }

  // Ranks of every token by spelling and by reversed spelling: a phonetic block orders its words
  // by integer compares.
  void rank_words() {
    std::vector<std::uint32_t> order(tokens_.size());
    std::iota(order.begin(), order.end(), 0U);
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return tokens_[a].text < tokens_[b].text; });
    spelling_rank_.assign(tokens_.size(), 0);
    for (std::uint32_t r = 0; r < order.size(); ++r) spelling_rank_[order[r]] = r;
    std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      const auto& x = tokens_[a].text;
      const auto& y = tokens_[b].text;
      return std::lexicographical_compare(x.rbegin(), x.rend(), y.rbegin(), y.rend());
    });
    reversed_rank_.assign(tokens_.size(), 0);
    for (std::uint32_t r = 0; r < order.size(); ++r) reversed_rank_[order[r]] = r;
  }

  // Two different words that may be one name misspelt: what match_token would call fuzzy (both
  // of four letters or more, Jaro-Winkler >= 0.80; they share a code, as their block says) or a
  // variant.
  double may_be_misspelt(std::uint32_t x, std::uint32_t y) {
    const auto& a = tokens_[x];
    const auto& b = tokens_[y];
    if (a.group != no_group && a.group == b.group) return 1.0;
    if (a.text.size() < 4 || b.text.size() < 4) return 0.0;
    ++stats_.word_comparisons;
    return jaro_winkler(a.text, b.text);
  }

  // One phonetic block: its distinct words in spelling order and in reversed-spelling order; each
  // meets the fuzzy_window words after it in either order (so at most 4 * fuzzy_window others).
  // Two words that may be misspellings of one another make a link; each word keeps its
  // fuzzy_partners links most alike (Jaro-Winkler, then spelling order), a link stays when either
  // of its words keeps it, and the records of a link's two words meet (sound: a one-word name and
  // a multi-word one; sound_given: any two), unless they would make more than max_block² pairs
  // (a word that common says nothing, as for exact keys). A word in a crowded part of the name
  // space thus meets a bounded number of others, however many sound like it.
  template <class Emit>
  void sound_block(const block_entry* first, const block_entry* last, bool any_two, Emit& emit) {
    auto& members = sound_members_;
    members.clear();
    for (auto* x = first; x != last; ++x) members.push_back({spelling_rank_[x->word], x->word, x->record});
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    // Distinct words: [start, next start) ranges of members, in spelling order.
    auto& words = sound_words_;
    words.clear();
    for (std::uint32_t k = 0; k < members.size(); ++k)
      if (k == 0 || members[k].word != members[k - 1].word) words.push_back({members[k].word, k});
    if (words.size() < 2) return;
    ++stats_.phonetic_blocks;
    const std::size_t d = words.size();
    words.push_back({0, static_cast<std::uint32_t>(members.size())});  // end marker
    const std::size_t w = std::max<std::size_t>(options_.fuzzy_window, 1);
    auto& near = sound_near_;
    near.clear();
    for (std::uint32_t a = 0; a < d; ++a)
      for (std::uint32_t b = a + 1; b < d && b <= a + w; ++b) near.push_back({a, b});
    if (d > w + 1) {  // else the spelling order already paired every two words
      auto& by_reversed = sound_order_;
      by_reversed.resize(d);
      std::iota(by_reversed.begin(), by_reversed.end(), 0U);
      std::sort(by_reversed.begin(), by_reversed.end(),
                [&](std::uint32_t a, std::uint32_t b) { return reversed_rank_[words[a].word] < reversed_rank_[words[b].word]; });
      for (std::size_t a = 0; a < d; ++a)
        for (std::size_t b = a + 1; b < d && b <= a + w; ++b)
          near.push_back({std::min(by_reversed[a], by_reversed[b]), std::max(by_reversed[a], by_reversed[b])});
      std::sort(near.begin(), near.end());
      near.erase(std::unique(near.begin(), near.end()), near.end());
    }
    auto& links = sound_links_;
    links.clear();
    for (const auto& [a, b] : near) {
      const double jw = may_be_misspelt(words[a].word, words[b].word);
      if (jw >= 0.80) links.push_back({jw, a, b, false});
    }
    if (const std::size_t k = options_.fuzzy_partners; k > 0) {
      // Each word's links, best first; on a tie, the partner first in spelling order (a word's
      // index here is its place in that order).
      auto& ends = sound_ends_;
      ends.clear();
      for (std::uint32_t x = 0; x < links.size(); ++x) ends.push_back({links[x].a, x}), ends.push_back({links[x].b, x});
      std::sort(ends.begin(), ends.end(), [&](const auto& x, const auto& y) {
        if (x.first != y.first) return x.first < y.first;
        const auto& lx = links[x.second];
        const auto& ly = links[y.second];
        if (lx.jw != ly.jw) return lx.jw > ly.jw;
        return lx.a + lx.b - x.first < ly.a + ly.b - y.first;  // the other word's place in spelling order
      });
      for (std::size_t e = 0, run = 0; e < ends.size(); ++e) {
        run = e > 0 && ends[e].first == ends[e - 1].first ? run + 1 : 0;
        if (run < k) links[ends[e].second].kept = true;
      }
      std::erase_if(links, [](const sound_link& l) { return !l.kept; });
    }
    stats_.word_links += links.size();
    for (const auto& l : links) {
      const std::size_t na = words[l.a + 1].start - words[l.a].start, nb = words[l.b + 1].start - words[l.b].start;
      if (na * nb > options_.max_block * options_.max_block) {
        ++stats_.skipped_blocks;
        continue;
      }
      for (auto x = words[l.a].start; x < words[l.a + 1].start; ++x)
        for (auto y = words[l.b].start; y < words[l.b + 1].start; ++y) {
          const auto rx = members[x].record, ry = members[y].record;
          if (any_two || ((rx ^ ry) & target)) emit(rx & ~target, ry & ~target);
        }
    }
  }

  struct sound_member {
    std::uint32_t rank, word, record;  // record | target
    auto operator<=>(const sound_member&) const = default;
  };
  struct sound_word {
    std::uint32_t word, start;  // token id; its members from start to the next word's start
  };
  struct sound_link {
    double jw;
    std::uint32_t a, b;  // words, a < b
    bool kept;
  };
  // Scratch space of sound_block, reused from block to block.
  std::vector<sound_member> sound_members_;
  std::vector<sound_word> sound_words_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sound_near_;
  std::vector<std::uint32_t> sound_order_;
  std::vector<sound_link> sound_links_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> sound_ends_;

  struct scored {
    double score;
    std::uint32_t a, b;  // a: the less complete name (the alias), b: the one it joins
    name_score detail;
  };

  // A pair whose names matched but scored too low, with its score without context.
  struct pending {
    std::uint32_t i, j;
    double name_part;
  };

  // Scores pairs, accepts those at threshold unless a short name is ambiguous, unites in score
  // order. Pairs whose context may still lift them go to `later`, with their name part: pass 2
  // only re-reads their context, since only the clusters changed.
  template <class P>
  void merge_pass(const std::vector<P>& pairs, std::vector<pending>& later) {
    std::vector<scored> accepted;
    for (const auto& pair : pairs) {
      std::uint32_t i = 0, j = 0;
      name_score s;
      explain_ = false;
      if constexpr (std::is_same_v<P, pending>) {
        i = pair.i, j = pair.j;
        if (find(i) == find(j)) continue;
        s.score = pair.name_part;
      } else {
        i = pair.first, j = pair.second;
        if (find(i) == find(j)) continue;
        s = name_part(i, j);
      }
      if (s.score < 0) {
        explain_ = true;
        continue;
      }
      if constexpr (!std::is_same_v<P, pending>) ++stats_.named_pairs;
      const double names = s.score;
      add_context(i, j, s);
      explain_ = true;
      if (s.score >= options_.threshold) s = score(i, j);  // again, with its signals
      if (s.score < options_.threshold) {
        // Out of context's reach, a pair stays below the threshold whatever the clusters become.
        if (context_can_decide(names)) later.push_back({i, j, names});
        continue;
      }
      // The alias is the gazetteer variant of a canonical entity, else the less complete name:
      // fewer tokens, then fewer mentions.
      bool i_alias = feats_[i].words != feats_[j].words ? feats_[i].words < feats_[j].words
                                                                      : records_[i].mentions <= records_[j].mentions;
      if (canonical_[i] == records_[j].key) i_alias = true;
      if (canonical_[j] == records_[i].key) i_alias = false;
      accepted.push_back({s.score, i_alias ? i : j, i_alias ? j : i, std::move(s)});
    }
    // Ambiguity: a name accepted with two clusters that cannot be one actor joins neither (either
    // side of a pair may be the ambiguous one: "O. Haddad" with Omar and with Olga Haddad).
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ends;  // (record, index into accepted)
    ends.reserve(accepted.size() * 2);
    for (std::uint32_t k = 0; k < accepted.size(); ++k) {
      ends.emplace_back(accepted[k].a, k);
      ends.emplace_back(accepted[k].b, k);
    }
    std::sort(ends.begin(), ends.end());
    std::vector<bool> ambiguous(accepted.size(), false);
    for (std::size_t b = 0; b < ends.size();) {
      std::size_t e = b;
      while (e < ends.size() && ends[e].first == ends[b].first) ++e;
      const auto self = ends[b].first;
      auto other = [&](std::size_t x) { const auto& s = accepted[ends[x].second]; return s.a == self ? s.b : s.a; };
      bool clash = false;
      for (std::size_t x = b; x < e && !clash; ++x)
        for (std::size_t y = x + 1; y < e && y < b + 64 && !clash; ++y) {
          const auto rx = find(other(x)), ry = find(other(y));
          if (rx != ry && !compatible_roots(rx, ry)) clash = true;
        }
      if (clash)
        for (std::size_t x = b; x < e; ++x) ambiguous[ends[x].second] = true;
      b = e;
    }
    std::vector<std::size_t> order;
    for (std::size_t k = 0; k < accepted.size(); ++k)
      if (!ambiguous[k]) order.push_back(k);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return accepted[x].score > accepted[y].score; });
    for (auto k : order) {
      auto& s = accepted[k];
      const auto ra = find(s.a), rb = find(s.b);
      if (ra == rb || !may_union(ra, rb)) continue;
      unite(ra, rb);
      merges_.push_back({records_[s.a].name, records_[s.b].name, s.detail.rule, static_cast<float>(s.score), std::move(s.detail.signals)});
    }
  }

  // Two clusters could be one actor: some full names of theirs align and none are incompatible.
  bool compatible_roots(std::uint32_t ra, std::uint32_t rb) {
    const auto ma = members_of(ra);
    const auto mb = members_of(rb);
    std::size_t checked = 0;
    for (auto x : ma)
      for (auto y : mb) {
        if (++checked > 4096) return false;
        if (incompatible(x, y)) return false;
        const auto& fx = feats_[x];
        const auto& fy = feats_[y];
        // Different types of one-word anchors ("Putin" person vs "Putin" organisation) never occur
        // here; two multi-word names that do not align are two actors.
        if (fx.words >= 2 && fy.words >= 2 && !fx.handle && !fy.handle && score_names(x, y).score < 0) return false;
      }
    return true;
  }

  const alias_data& data_;
  const resolver_options& options_;
  const std::vector<alias_record>& records_;
  std::size_t n_;
  std::vector<std::uint32_t> rank_, parent_;
  boost::disjoint_sets<std::uint32_t*, std::uint32_t*> sets_;
  // Members of each root's cluster; empty for a record alone (allocated when clusters merge).
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::vector<std::uint32_t>> forbidden_;
  std::vector<std::uint32_t> self_;  // self_[i] == i: the member list of a record alone
  std::vector<features> feats_;
  std::vector<std::uint32_t> word_ids_;      // the words of every record (features::first_word)
  std::vector<std::string> acronym_;         // per record: initials of a multi-word name
  std::vector<std::string> canonical_;       // per record: gazetteer canonical key, or empty
  std::vector<std::uint32_t> handle_words_;  // segments of handles (token ids), per record from
  std::vector<std::uint32_t> handle_first_;  // handle_first_[i] to handle_first_[i + 1]
  std::vector<token_info> tokens_;
  std::unordered_map<std::string, std::uint32_t> token_ids_;
  std::unordered_set<std::string> vocabulary_;
  std::unordered_map<std::string, std::uint32_t> by_key_;
  std::vector<merge_reason> merges_;
  resolution_stats stats_;
  // Per token id: its rank in spelling order and in reversed-spelling order (phonetic blocks).
  std::vector<std::uint32_t> spelling_rank_, reversed_rank_;
  bool explain_ = true;  // build signal texts (only for accepted pairs: they cost allocations)
  // Scratch for context(), reused to avoid allocation per pair.
  std::vector<std::uint32_t> n1_, n2_, d1_, d2_;
  std::vector<std::uint64_t> r1_, r2_;
  std::vector<const std::string*> roles1_, roles2_;
  std::uint32_t collected_root_ = no_group;  // whose context n1_, r1_, d1_, roles1_ hold
  std::uint64_t unions_ = 0, collected_unions_ = 0;
};

}  // namespace

alias_resolver::alias_resolver(std::shared_ptr<const alias_data> data, resolver_options options)
    : data_(std::move(data)), options_(options) {
  if (!data_) data_ = std::make_shared<alias_data>();
}

resolution alias_resolver::resolve(const std::vector<alias_record>& records, const std::vector<user_rule>& rules) const {
  resolver_run run(*data_, options_, records);
  return run.run(rules);
}

std::string gazetteer_entity(const alias_data& data, const std::string& key, bool person) {
  if (auto it = data.canonical.find(key); it != data.canonical.end()) return it->second;
  if (person) return {};
  // Two words at least, where "e u" (letters alone, as "E.U." folds) counts as one.
  std::size_t words = 0, letters = 0;
  for (std::size_t start = 0; start < key.size();) {
    auto end = key.find(' ', start);
    if (end == std::string::npos) end = key.size();
    if (end > start) ++words, letters += end - start == 1 ? 1 : 0;
    start = end + 1;
  }
  if (words < 2 || letters == words) return {};
  return state_named(data, key);
}

}  // namespace newsgraph
