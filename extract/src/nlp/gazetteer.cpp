#include "newsgraph/gazetteer.h"

#include <utf8proc.h>

#include <array>

#include "data_file.h"
#include "nlp/hashed_key_map.h"
#include "nlp/perceptron.h"

namespace newsgraph {

namespace {

constexpr std::array<std::string_view, gazetteer_type_count> type_names = {
    "country", "demonym", "capital", "seat", "organization", "title",
    "city", "region", "given_name", "org_word", "loc_word"};

// The files gazetteer::load reads, in priority order (an earlier file wins a shared name).
constexpr std::array<std::string_view, 9> gazetteer_files = {
    "countries.tsv", "organizations.tsv", "capitals.tsv", "cities.tsv", "regions.tsv",
    "demonyms.tsv",  "titles.tsv",        "given_names.tsv", "cue_words.tsv"};

// Lower-cases UTF-8 text into `out` (replacing its content); ASCII needs no table lookup.
void lower_into(std::string_view s, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      out.push_back(b >= 'A' && b <= 'Z' ? static_cast<char>(b + 32) : static_cast<char>(b));
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) {
      out.push_back(static_cast<char>(b));
      ++i;
      continue;
    }
    utf8proc_uint8_t buf[4];
    const auto m = utf8proc_encode_char(utf8proc_tolower(cp), buf);
    out.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(m));
    i += static_cast<std::size_t>(n);
  }
}

// True if the text has a letter and no lower-case letter ("EU", "U.S.", "RUSSIA").
bool all_caps(std::string_view s) {
  bool letter = false;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    if (b < 0x80) {
      if (b >= 'a' && b <= 'z') return false;
      if (b >= 'A' && b <= 'Z') letter = true;
      ++i;
      continue;
    }
    utf8proc_int32_t cp = 0;
    const auto n = utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(s.data() + i),
                                    static_cast<utf8proc_ssize_t>(s.size() - i), &cp);
    if (n <= 0) return false;
    const auto cat = utf8proc_category(cp);
    if (cat == UTF8PROC_CATEGORY_LL) return false;
    if (cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT) letter = true;
    i += static_cast<std::size_t>(n);
  }
  return letter;
}

enum class rule : std::uint8_t { exact, any_case, proper };

struct candidate {
  std::vector<std::string> tokens;  // as tokenized
  std::vector<std::string> lowered;
  std::vector<rule> rules;
  std::uint32_t entry;
};

}  // namespace

std::string_view to_string(gazetteer_type type) { return type_names[static_cast<std::size_t>(type)]; }

gazetteer_type parse_gazetteer_type(std::string_view word) {
  for (std::size_t i = 0; i < type_names.size(); ++i)
    if (type_names[i] == word) return static_cast<gazetteer_type>(i);
  throw error("unknown gazetteer type '" + std::string(word) + "'");
}

struct gazetteer::impl {
  tokenizer names_tokenizer;
  std::vector<gazetteer_entry> entries;
  // hash of the lower-cased first token -> candidates[i], longest first. Looked up for every token
  // of every article; a hash collision only costs a failed match, as candidates compare their tokens.
  nlp::hashed_key_map<std::uint32_t> index;
  std::vector<std::vector<candidate>> candidates;

  static bool token_matches(const candidate& c, std::size_t k, std::string_view form, std::string_view lowered,
                            bool ignore_case) {
    switch (c.rules[k]) {
      case rule::exact: return form == c.tokens[k];
      case rule::any_case: return lowered == c.lowered[k];
      case rule::proper:
        return form == c.tokens[k] || (lowered == c.lowered[k] && (ignore_case || all_caps(form)));
    }
    return false;
  }

  std::optional<gazetteer_match> match(std::span<const std::string_view> forms, std::size_t i,
                                       std::vector<std::string>& lowered_cache, bool ignore_case = false) const {
    if (i >= forms.size()) return std::nullopt;
    auto lowered = [&](std::size_t k) -> const std::string& {
      if (lowered_cache.size() <= k) lowered_cache.resize(k + 1);
      if (lowered_cache[k].empty() && !forms[k].empty()) lower_into(forms[k], lowered_cache[k]);
      return lowered_cache[k];
    };
    const std::uint32_t* list = index.find(nlp::hash_string(lowered(i)));
    if (list == nullptr) return std::nullopt;
    for (const candidate& c : candidates[*list]) {
      if (i + c.tokens.size() > forms.size()) continue;
      bool ok = true;
      for (std::size_t k = 0; k < c.tokens.size() && ok; ++k) ok = token_matches(c, k, forms[i + k], lowered(i + k), ignore_case);
      if (ok) return gazetteer_match{i, i + c.tokens.size(), &entries[c.entry]};
    }
    return std::nullopt;
  }
};

gazetteer::gazetteer() : impl_(std::make_unique<impl>()) {}
gazetteer::gazetteer(tokenizer names_tokenizer) : impl_(std::make_unique<impl>()) {
  impl_->names_tokenizer = std::move(names_tokenizer);
}
gazetteer::~gazetteer() = default;
gazetteer::gazetteer(gazetteer&&) noexcept = default;
gazetteer& gazetteer::operator=(gazetteer&&) noexcept = default;

const std::vector<gazetteer_entry>& gazetteer::entries() const { return impl_->entries; }

void gazetteer::add(std::string_view name, gazetteer_type type, std::string_view canonical) {
  gazetteer_entry e{std::string(name), type, std::string(canonical), {}};
  for (const sentence& s : impl_->names_tokenizer.tokenize(name))
    for (const token& t : s.tokens) e.tokens.push_back(t.form);
  add_tokenized(std::move(e));
}

void gazetteer::add_tokenized(gazetteer_entry entry) {
  if (entry.tokens.empty()) throw error("empty gazetteer name");
  candidate c;
  c.tokens = entry.tokens;
  for (const std::string& t : c.tokens) {
    std::string low;
    lower_into(t, low);
    if (all_caps(t) && t.size() > 1) c.rules.push_back(rule::exact);
    else if (entry.type == gazetteer_type::title || low == t) c.rules.push_back(rule::any_case);
    else c.rules.push_back(rule::proper);
    c.lowered.push_back(std::move(low));
  }
  c.entry = static_cast<std::uint32_t>(impl_->entries.size());
  impl_->entries.push_back(std::move(entry));
  // Longest candidates first, so the first full match is the longest one.
  const auto fresh = static_cast<std::uint32_t>(impl_->candidates.size());
  const std::uint32_t at = impl_->index.emplace(nlp::hash_string(c.lowered[0]), fresh);
  if (at == fresh) impl_->candidates.emplace_back();
  auto& list = impl_->candidates[at];
  auto pos = list.begin();
  while (pos != list.end() && pos->tokens.size() >= c.tokens.size()) ++pos;
  list.insert(pos, std::move(c));
}

void gazetteer::load_file(const std::string& path) {
  for_each_data_line(path, "gazetteer file", [&](int number, std::string_view line) {
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    auto bad = [&](const std::string& why) {
      return input_error(path + ":" + std::to_string(number) + ": " + why);
    };
    if (t2 == std::string::npos || line.find('\t', t2 + 1) != std::string::npos)
      throw bad("expected NAME<TAB>TYPE<TAB>CANONICAL");
    const std::string_view view = line;
    const std::string_view name = view.substr(0, t1);
    const std::string_view type = view.substr(t1 + 1, t2 - t1 - 1);
    const std::string_view canonical = view.substr(t2 + 1);
    if (name.empty() || canonical.empty()) throw bad("empty name or canonical form");
    gazetteer_type parsed{};
    try {
      parsed = parse_gazetteer_type(type);
    } catch (const error& e) {
      throw bad(e.what());
    }
    add(name, parsed, canonical);
  });
}

gazetteer gazetteer::load(const std::string& data_dir) {
  gazetteer g(tokenizer::load(data_dir));
  for (auto file : gazetteer_files) g.load_file(data_dir + "/data/gazetteer/" + std::string(file));
  return g;
}

std::optional<gazetteer_match> gazetteer::match_at(std::span<const std::string_view> forms, std::size_t i) const {
  std::vector<std::string> cache;
  return impl_->match(forms, i, cache);
}

std::vector<gazetteer_match> gazetteer::find_all(std::span<const std::string_view> forms, bool ignore_case) const {
  std::vector<gazetteer_match> out;
  thread_local std::vector<std::string> cache;
  cache.clear();
  cache.resize(forms.size());
  for (std::size_t i = 0; i < forms.size();) {
    if (auto m = impl_->match(forms, i, cache, ignore_case)) {
      out.push_back(*m);
      i = m->end;
    } else {
      ++i;
    }
  }
  return out;
}

std::vector<gazetteer_match> gazetteer::find_all(const sentence& s) const {
  std::vector<std::string_view> forms;
  forms.reserve(s.tokens.size());
  for (const token& t : s.tokens) forms.push_back(t.form);
  return find_all(forms);
}

const gazetteer_entry* gazetteer::find(std::string_view name) const {
  std::vector<std::string_view> forms;
  const auto sentences = impl_->names_tokenizer.tokenize(name);
  for (const sentence& s : sentences)
    for (const token& t : s.tokens) forms.push_back(t.form);
  if (forms.empty()) return nullptr;
  std::vector<std::string> cache;
  const auto m = impl_->match(forms, 0, cache);
  return m && m->end == forms.size() ? m->entry : nullptr;
}

}  // namespace newsgraph
