#include "newsgraph/alias_resolver.h"

#include <boost/pending/disjoint_sets.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iomanip>
#include <mutex>
#include <numeric>
#include <optional>
#include <sstream>
#include <type_traits>

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
// not hash lookups and code parsing (millions of pairs share a few hundred thousand tokens).
struct token_info {
  std::string codes;              // "P|A" Double Metaphone codes (empty for short tokens)
  std::uint64_t primary = 0;      // the codes packed for comparison; 0 when empty
  std::uint64_t alternate = 0;
  std::uint32_t group = 0xFFFFFFFFU;  // variant group (Sergey/Sergei), or none
  bool word = false;              // an English word (alias_data::words)
  bool particle = false;          // van, de, al, bin, ...
};

// Per-record features derived once.
struct features {
  std::vector<std::string> tokens;      // normalised tokens
  std::vector<std::uint32_t> ids;       // per token: its index in the token table
  std::vector<std::string> handle_tokens;  // for '@' handles: the segmented tokens
  std::string acronym;                  // for multi-word names: initials
  std::string canonical;                // gazetteer canonical key, or empty
  bool handle = false;                  // spelled with '@'
  bool acronym_like = false;            // one short token spelled in capitals or dotted ("EU", "E.U.")
  bool given_first = false;             // first token is taken for a given name (see build_features)
  bool given_known = false;             // ... and is a known given name, a variant or an initial
  bool person = false;                  // typed person
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
        sets_(rank_.data(), parent_.data()), members_(n_), forbidden_(n_) {
    for (std::size_t i = 0; i < n_; ++i) {
      sets_.make_set(static_cast<std::uint32_t>(i));
      members_[i] = {static_cast<std::uint32_t>(i)};
    }
    build_features();
  }

  resolution run(const std::vector<user_rule>& rules) {
    apply_rules(rules);
    auto pairs = candidate_pairs();
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
    for (std::size_t i = 0; i < n_; ++i) out.gazetteer_variant[i] = !feats_[i].canonical.empty() && feats_[i].canonical != records_[i].key;
    out.merges = std::move(merges_);
    return out;
  }

private:
  std::uint32_t find(std::uint32_t i) { return sets_.find_set(i); }

  void build_features() {
    feats_.resize(n_);
    // Vocabulary for handle segmentation: tokens of multi-word names plus the known given names.
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
    for (std::size_t i = 0; i < n_; ++i) {
      const auto& r = records_[i];
      auto& f = feats_[i];
      f.person = r.type == actor_type::person;
      std::vector<std::string> raw;
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
      for (const auto& t : raw) f.tokens.push_back(data_.normalise_token(t));
      f.ids.reserve(f.tokens.size());
      for (const auto& t : f.tokens) f.ids.push_back(token_id(t));
      if (f.handle) {
        for (const auto& s : r.spellings)
          if (s.starts_with('@')) {
            for (auto& t : split_handle(s, vocabulary_)) f.handle_tokens.push_back(data_.normalise_token(t));
            break;
          }
      }
      if (f.tokens.size() >= 2) {
        const auto& first = f.tokens[0];
        // A first word is a given name when known as one, an initial, or never seen in surname
        // position elsewhere ("Omar Haddad" yes; "Borrell Fontelles" no, as "Josep Borrell" exists).
        f.given_known = !is_particle(first) && (first.size() == 1 || data_.given_names.contains(first) || data_.variant_group.contains(first));
        f.given_first = f.given_known || (!is_particle(first) && !surname_tokens.contains(first));
        f.acronym = acronym_of(r.name);
      }
      f.canonical = gazetteer_entity(data_, r.key, f.person);
    }
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

  const token_info& token(const features& f, std::size_t k) const { return tokens_[f.ids[k]]; }

  // The two tokens share a Double Metaphone code (primary or alternate, either way round).
  static bool codes_meet(const token_info& a, const token_info& b) {
    if (a.codes.empty() || b.codes.empty()) return false;
    return (a.primary != 0 && (a.primary == b.primary || a.primary == b.alternate)) ||
           (a.alternate != 0 && (a.alternate == b.primary || a.alternate == b.alternate));
  }

  // Exact or variant: the matches that need no Jaro-Winkler.
  bool strong_match(std::size_t i, std::size_t ti, std::size_t j, std::size_t tj) const {
    const auto x = feats_[i].ids[ti], y = feats_[j].ids[tj];
    if (x == y) return true;
    if (feats_[i].tokens[ti].size() == 1 || feats_[j].tokens[tj].size() == 1) return false;
    return tokens_[x].group != no_group && tokens_[x].group == tokens_[y].group;
  }

  token_match match_token(std::size_t i, std::size_t ti, std::size_t j, std::size_t tj, double& jw) const {
    const auto x = feats_[i].ids[ti], y = feats_[j].ids[tj];
    if (x == y) return token_match::exact;
    const auto& a = feats_[i].tokens[ti];
    const auto& b = feats_[j].tokens[tj];
    if (a.size() == 1 || b.size() == 1) return a[0] == b[0] ? token_match::initial : token_match::none;
    const auto& ta = tokens_[x];
    const auto& tb = tokens_[y];
    if (ta.group != no_group && ta.group == tb.group) return token_match::variant;
    if (a.size() < 4 || b.size() < 4) return token_match::none;
    if (!codes_meet(ta, tb)) return token_match::none;
    jw = jaro_winkler(a, b);
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
    if (fi.tokens.size() > fj.tokens.size()) std::swap(s, l);
    const auto& S = feats_[s];
    const auto& L = feats_[l];
    if (S.tokens.empty()) return out;
    const bool person = (fi.person || fj.person);
    if (S.tokens.size() == 1 && L.tokens.size() == 1) return out;  // one-word names differ (exact keys already merged)
    std::size_t pos = 0, fuzzy = 0, variants = 0, initials = 0;
    double fuzzy_jw = 1.0;
    std::size_t fuzzy_s = 0, fuzzy_l = 0;
    std::array<std::size_t, 16> at{};
    if (S.tokens.size() > at.size()) return out;
    for (std::size_t k = 0; k < S.tokens.size(); ++k) {
      bool found = false;
      // An exact or variant word further on beats a weaker match nearer ("Borrell" in "Borel Borrell").
      std::size_t first = pos;
      for (std::size_t m = pos; m < L.tokens.size(); ++m) {
        if (strong_match(s, k, l, m)) {
          first = m;
          break;
        }
      }
      for (std::size_t m = first; m < L.tokens.size(); ++m) {
        double jw = 1.0;
        const auto kind = match_token(s, k, l, m, jw);
        if (kind == token_match::none) continue;
        if (kind == token_match::initial && S.tokens.size() == 1) continue;
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
    if (S.tokens.size() == 1) {
      if (!person) return out;  // "States" is not "United States"
      // A lone given name is no surname ("Vladimir" is not "Vladimir Putin").
      if (at[0] == 0 && L.given_first) return out;
      if (token(S, 0).particle) return out;
    } else {
      // Both start with given names: they must be the aligned pair. A longer name's unknown first
      // word may be a left-over title or place ("Moscow ... Sergey Lavrov"), not a given name.
      const bool longer_given = L.tokens.size() > S.tokens.size() ? L.given_known : L.given_first;
      if (S.given_first && longer_given && at[0] != 0) return out;
      if (!person && (fuzzy || initials)) return out;
    }
    // The longer name's tail beyond the last covered token may hold one more surname and
    // particles ("Borrell Fontelles", "Haddad al Rashid"), no more.
    std::size_t tail = 0;
    for (std::size_t m = at[S.tokens.size() - 1] + 1; m < L.tokens.size(); ++m) tail += token(L, m).particle ? 0 : 1;
    if (tail > 1) return out;
    if (fuzzy) {
      const auto& a = S.tokens[fuzzy_s];
      const auto& b = L.tokens[fuzzy_l];
      out.fuzzy = true;
      out.rule = "similar name";
      out.score = fuzzy_jw - 0.2;
      if (explain_) add_signal(out.signals, std::string("jaro-winkler ").append(fixed2(fuzzy_jw)).append(" ").append(a).append("/").append(b));
      if (explain_) add_signal(out.signals, std::string("same sound ").append(token(S, fuzzy_s).codes));
      if (S.tokens.size() >= 2 && at[0] == 0 && fuzzy_s != 0) {
        out.score += 0.1;
        if (explain_) add_signal(out.signals, "same given name");
      }
      const bool word_a = token(S, fuzzy_s).word;
      if (word_a || token(L, fuzzy_l).word) {
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
    if (S.tokens.size() == 1) {
      out.rule = "surname";
      if (explain_) add_signal(out.signals, std::string("surname ").append(S.tokens[0]).append(" of ").append(records_[l].name));
      if (token(S, 0).word) {
        out.score -= 0.1;
        if (explain_) add_signal(out.signals, std::string("dictionary word ").append(S.tokens[0]).append(" -0.10"));
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
    const auto& H = feats_[h];
    const auto& F = feats_[j];
    if (F.tokens.size() < 2 || F.handle || records_[j].type == actor_type::country) return out;
    // Concatenations: given+surname or surname+given, possibly followed by one or two letters.
    std::string forward, backward;
    for (const auto& t : F.tokens) forward += t;
    backward = F.tokens.back();
    for (std::size_t k = 0; k + 1 < F.tokens.size(); ++k) backward += F.tokens[k];
    std::string whole;
    for (const auto& t : H.tokens) whole += t;
    auto covers = [&](const std::string& c) { return whole.starts_with(c) && whole.size() <= c.size() + 2; };
    if (covers(forward) || covers(backward) || (F.tokens.size() >= 3 && covers(F.tokens[0] + F.tokens[1]))) {
      out.score = 1.0;
      out.rule = "handle";
      if (explain_) add_signal(out.signals, std::string("handle @").append(whole).append(" spells ").append(records_[j].name));
      return out;
    }
    // Segmented handle: every long segment is a token of the name, the surname among them.
    if (H.handle_tokens.size() < 2) return out;
    std::size_t matched = 0;
    bool surname = false, given = false;
    for (const auto& t : H.handle_tokens) {
      const auto it = std::find(F.tokens.begin(), F.tokens.end(), t);
      if (it == F.tokens.end()) {
        if (t.size() >= 3) return out;  // a word the name does not have
        continue;
      }
      ++matched;
      if (it == F.tokens.begin()) {
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
    const auto ti = records_[i].type, tj = records_[j].type;
    name_score out;
    const bool nonperson = ti != actor_type::person && tj != actor_type::person;
    // Gazetteer: one canonical entity ("EU"/"European Union", "Kremlin"/"Russia", "U.S."/"USA").
    if (nonperson) {
      const auto& ci = fi.canonical.empty() ? records_[i].key : fi.canonical;
      const auto& cj = fj.canonical.empty() ? records_[j].key : fj.canonical;
      if ((!fi.canonical.empty() || !fj.canonical.empty()) && ci == cj) {
        out.score = 1.0;
        out.rule = "gazetteer";
        if (explain_) add_signal(out.signals, std::string("both name ").append(ci).append(" in the gazetteer"));
        return out;
      }
    }
    if (!types_compatible(ti, tj)) return out;
    if (nonperson && (fi.acronym_like || fj.acronym_like)) {
      const auto& a = fi.acronym_like ? fi : fj;
      const auto& b = fi.acronym_like ? fj : fi;
      if (b.tokens.size() >= 2 && b.acronym.size() >= 2 && b.acronym == a.tokens[0]) {
        out.score = 1.0;
        out.rule = "acronym";
        if (explain_) add_signal(out.signals, std::string("acronym ").append(a.tokens[0]).append(" of ").append(records_[fi.acronym_like ? j : i].name));
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
      for (auto m : members_[root]) {
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
    const auto ti = records_[i].type, tj = records_[j].type;
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
    auto given = [](const features& f) { return f.given_known || (f.given_first && f.tokens.size() == 2); };
    if (a.tokens.size() < 2 || b.tokens.size() < 2 || !given(a) || !given(b) || a.handle || b.handle) return false;
    if (!(a.person || b.person) || !types_compatible(records_[i].type, records_[j].type)) return false;
    double jw = 0;
    if (match_token(i, 0, j, 0, jw) == token_match::none) return true;
    for (std::size_t x = 1; x < a.tokens.size(); ++x)
      for (std::size_t y = 1; y < b.tokens.size(); ++y)
        if (match_token(i, x, j, y, jw) != token_match::none) return false;
    return true;
  }

  bool may_union(std::uint32_t ra, std::uint32_t rb) {
    for (auto f : forbidden_[ra])
      if (find(f) == rb) return false;
    for (auto f : forbidden_[rb])
      if (find(f) == ra) return false;
    const auto& ma = members_[ra];
    const auto& mb = members_[rb];
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

  // Blocking: (key hash, record | target flag) entries, grouped by key.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> candidate_pairs() {
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    entries.reserve(n_ * 4);
    constexpr std::uint32_t target = 0x80000000U;
    auto h = [](std::string_view kind, std::string_view key) {
      std::uint64_t x = 1469598103934665603ULL;
      for (unsigned char c : kind) x = (x ^ c) * 1099511628211ULL;
      for (unsigned char c : key) x = (x ^ c) * 1099511628211ULL;
      return x;
    };
    auto add = [&](std::string_view kind, std::string_view key, std::uint32_t record) { entries.emplace_back(h(kind, key), record); };
    for (std::uint32_t i = 0; i < n_; ++i) {
      if (records_[i].split) continue;
      const auto& f = feats_[i];
      const auto& T = f.tokens;
      // Gazetteer and exact key: every record under its canonical key and its own key.
      if (!f.canonical.empty()) add("g", f.canonical, i);
      add("g", records_[i].key, i | target);
      if (f.acronym_like) add("a", T[0], i);
      if (T.size() >= 2 && f.acronym.size() >= 2 && !f.person) add("a", f.acronym, i | target);
      if (f.handle) {
        std::string whole;
        for (const auto& t : T) whole += t;
        for (std::size_t cut = 0; cut <= 2 && cut + 4 <= whole.size(); ++cut) add("h", whole.substr(0, whole.size() - cut), i);
        for (const auto& t : f.handle_tokens)
          if (t.size() >= 3) add("t", t, i);
        continue;
      }
      if (T.size() == 1) {
        add("t", T[0], i);
        if (!token(f, 0).codes.empty()) add_codes(entries, h, "p", token(f, 0).codes, "", i);
        continue;
      }
      // Multi-word names: targets under every surname-position token; pairs with one another
      // under (surname token, first letter of the first token).
      std::string forward, backward = T.back();
      for (const auto& t : T) forward += t;
      for (std::size_t k = 0; k + 1 < T.size(); ++k) backward += T[k];
      add("h", forward, i | target);
      add("h", backward, i | target);
      if (T.size() >= 3) add("h", T[0] + T[1], i | target);
      // The first word's initial, and its variant group when it has one (Oleksandr/Aleksandr).
      const std::string initial(1, T[0][0]);
      const auto group = group_of(T[0]);
      const std::string group_key = group == no_group ? std::string() : std::string("#").append(std::to_string(group));
      for (std::size_t k = 0; k < T.size(); ++k) {
        if (k == 0 && f.given_first) continue;
        if (token(f, k).particle || T[k].size() < 2) continue;
        add("t", T[k], i | target);
        // Names without a known given name ("Borrell Fontelles", "Moscow ... Sergey Lavrov") meet
        // every name holding their words.
        add("m", T[k], f.given_known ? i | target : i);
        if (!token(f, k).codes.empty()) add_codes(entries, h, "p", token(f, k).codes, "", i | target);
        if (k > 0) {
          add("f", T[k] + "|" + initial, i);
          if (!group_key.empty()) add("f", T[k] + "|" + group_key, i);
          if (!token(f, k).codes.empty()) add_codes(entries, h, "q", token(f, k).codes, initial, i);
        }
      }
      // Non-person names: also the pairs sharing their first word ("Member States" / "EU Member States").
      if (!f.person) add("t", T[0], i | target);
    }
    std::sort(entries.begin(), entries.end());
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    std::vector<std::uint32_t> queries, targets;
    for (std::size_t b = 0; b < entries.size();) {
      std::size_t e = b;
      while (e < entries.size() && entries[e].first == entries[b].first) ++e;
      queries.clear(), targets.clear();
      for (std::size_t k = b; k < e; ++k) {
        const auto rec = entries[k].second & ~target;
        if (entries[k].second & target) {
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
      // Queries meet the targets and one another (multi-word pairs under "f"/"q" keys are queries).
      if (queries.size() * (targets.size() + queries.size()) > options_.max_block * options_.max_block) {
        ++skipped_blocks_;
        continue;
      }
      for (auto q : queries) {
        for (auto t : targets)
          if (q != t) pairs.emplace_back(std::min(q, t), std::max(q, t));
        for (auto q2 : queries)
          if (q < q2) pairs.emplace_back(q, q2);
      }
    }
    std::sort(pairs.begin(), pairs.end());
    pairs.erase(std::unique(pairs.begin(), pairs.end()), pairs.end());
    return pairs;
  }

  template <class H>
  static void add_codes(std::vector<std::pair<std::uint64_t, std::uint32_t>>& entries, H& h, std::string_view kind,
                        const std::string& codes, const std::string& suffix, std::uint32_t record) {
    const auto bar = codes.find('|');
    entries.emplace_back(h(kind, codes.substr(0, bar) + suffix), record);
    if (bar != std::string::npos) entries.emplace_back(h(kind, codes.substr(bar + 1) + suffix), record);
  }

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
      bool i_alias = feats_[i].tokens.size() != feats_[j].tokens.size() ? feats_[i].tokens.size() < feats_[j].tokens.size()
                                                                      : records_[i].mentions <= records_[j].mentions;
      if (feats_[i].canonical == records_[j].key) i_alias = true;
      if (feats_[j].canonical == records_[i].key) i_alias = false;
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
    const auto& ma = members_[ra];
    const auto& mb = members_[rb];
    std::size_t checked = 0;
    for (auto x : ma)
      for (auto y : mb) {
        if (++checked > 4096) return false;
        if (incompatible(x, y)) return false;
        const auto& fx = feats_[x];
        const auto& fy = feats_[y];
        // Different types of one-word anchors ("Putin" person vs "Putin" organisation) never occur
        // here; two multi-word names that do not align are two actors.
        if (fx.tokens.size() >= 2 && fy.tokens.size() >= 2 && !fx.handle && !fy.handle && score_names(x, y).score < 0) return false;
      }
    return true;
  }

  const alias_data& data_;
  const resolver_options& options_;
  const std::vector<alias_record>& records_;
  std::size_t n_;
  std::vector<std::uint32_t> rank_, parent_;
  boost::disjoint_sets<std::uint32_t*, std::uint32_t*> sets_;
  std::vector<std::vector<std::uint32_t>> members_;
  std::vector<std::vector<std::uint32_t>> forbidden_;
  std::vector<features> feats_;
  std::vector<token_info> tokens_;
  std::unordered_map<std::string, std::uint32_t> token_ids_;
  std::unordered_set<std::string> vocabulary_;
  std::unordered_map<std::string, std::uint32_t> by_key_;
  std::vector<merge_reason> merges_;
  std::size_t skipped_blocks_ = 0;
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
