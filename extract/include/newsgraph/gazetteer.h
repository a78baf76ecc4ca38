// Gazetteers: lists of world-knowledge names (countries, demonyms, capitals and seats of
// government, international bodies, titles) matched against token sequences. Used as NER features
// and by the relation extractor to resolve "the Kremlin" -> Russia, "Russian" -> Russia,
// "NATO" -> North Atlantic Treaty Organization. File format: data/README.md.
//
// Case rules, per entry token: a token written all in capitals ("EU", "NATO", "U.S.", "WHO")
// matches only exactly; a title ("president", "Foreign Minister") matches in any case; any other
// name ("Russia", "Kremlin") matches exactly or written all in capitals ("RUSSIA").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/analysis.h"
#include "newsgraph/tokenizer.h"

namespace newsgraph {

// country, demonym ("Russian"), capital ("Moscow"), seat of government ("Kremlin"),
// organization (international bodies), title ("Foreign Minister"), city (not a capital),
// region (states, provinces, world areas), given_name ("Sergey"; a NER feature), org_word and
// loc_word (words that head or end names: "Bank", "Street"; NER features).
enum class gazetteer_type : std::uint8_t {
  country, demonym, capital, seat, organization, title, city, region, given_name, org_word, loc_word
};
inline constexpr std::size_t gazetteer_type_count = 11;

// "country", "demonym", ... and back; parse throws newsgraph::error on an unknown word.
std::string_view to_string(gazetteer_type type);
gazetteer_type parse_gazetteer_type(std::string_view word);

struct gazetteer_entry {
  std::string name;       // as written in the file: "Kremlin"
  gazetteer_type type = gazetteer_type::country;
  std::string canonical;  // the thing it names: "Russia"; for titles the canonical title
  std::vector<std::string> tokens;  // the name as tokenized: {"U.S.", "Secretary", "of", "State"}
};

struct gazetteer_match {
  std::size_t begin = 0;  // token indexes in the sentence, half-open [begin, end)
  std::size_t end = 0;
  const gazetteer_entry* entry = nullptr;  // owned by the gazetteer; valid until its next add
};

class gazetteer {
public:
  // An empty gazetteer whose names are tokenized by a tokenizer without data files.
  gazetteer();
  // An empty gazetteer whose names are tokenized by `names_tokenizer` (as the text will be).
  explicit gazetteer(tokenizer names_tokenizer);
  ~gazetteer();
  gazetteer(gazetteer&&) noexcept;
  gazetteer& operator=(gazetteer&&) noexcept;

  // Every file of data/gazetteer/ named in data/README.md, names tokenized by
  // tokenizer::load(data_dir). Throws input_error naming the file and line of a bad entry.
  static gazetteer load(const std::string& data_dir);
  // Adds the entries of one NAME<TAB>TYPE<TAB>CANONICAL file.
  void load_file(const std::string& path);
  void add(std::string_view name, gazetteer_type type, std::string_view canonical);
  // Adds an entry already tokenized (entry.tokens not empty), e.g. one saved inside a model file.
  void add_tokenized(gazetteer_entry entry);

  // The longest entry whose tokens match forms[i, ...), if any. With several entries of the same
  // name the first added wins.
  std::optional<gazetteer_match> match_at(std::span<const std::string_view> forms, std::size_t i) const;
  // Left-to-right longest matches, not overlapping. ignore_case relaxes the rule for names
  // ("russia" matches Russia) but not for all-capital tokens ("us" never matches US).
  std::vector<gazetteer_match> find_all(std::span<const std::string_view> forms, bool ignore_case = false) const;
  std::vector<gazetteer_match> find_all(const sentence& s) const;
  // The entry whose whole name is `name` (tokenized like the names), or nullptr.
  const gazetteer_entry* find(std::string_view name) const;

  const std::vector<gazetteer_entry>& entries() const;
  std::size_t size() const { return entries().size(); }

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace newsgraph
