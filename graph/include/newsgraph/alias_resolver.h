// Cross-document alias resolution: which distinct names denote one actor, and why.
//
// The resolver works on records, one per distinct name key (name_key of mention::name), and
// decides merges in three steps:
//   1. blocking: each record gets keys (translit-normalised surname tokens, their Double Metaphone
//      codes, acronyms, handle segments, gazetteer canonical names); only records sharing a key are
//      compared, so cost grows with the number of records, not its square. A block of an exact key
//      (a word, a handle, an acronym) costing more than max_block² comparisons is skipped: a word
//      that common says nothing. A phonetic block pairs records by their differing words that sound
//      alike, with a bounded number of comparisons per word (sorted neighbourhood): each distinct
//      word meets the fuzzy_window words next to it in spelling order and in reversed-spelling
//      order; of those, the words that can be misspellings of it (Jaro-Winkler >= 0.80, or one
//      variant group), at most its fuzzy_partners most alike, pair their records. Phonetic blocks
//      grow with the corpus as a name space fills up; this keeps the candidate pairs linear in the
//      number of records (a small corpus, whose blocks hold a few words, compares them all);
//   2. scoring: a pair's score is a name score (token alignment with Jaro-Winkler, transliteration
//      and given-name variants, initials, handles, acronyms, gazetteer) plus context signals (type
//      agreement, shared roles, shared co-occurring actors and relations, shared documents) minus
//      penalties (dictionary words, suffix-extended surnames, conflicting types). A pair merges at
//      score >= 1.0; every merge keeps its rule, score and signals;
//   3. merging with union-find, precision first: a short name compatible with several actors that
//      cannot be one (Miliband -> David or Ed) stays apart, and two clusters never join when they
//      hold incompatible full names (different given names, different surnames) or a user
//      `distinct` rule separates them.
// Scores (see alias_resolver.cpp for the exact rules):
//   name   1.0  gazetteer (both name one entity), acronym, handle spelling a full name, all words
//               of the shorter name in the longer (surname alone, "Borrell Fontelles"), given-name
//               or transliteration variant (Sergei/Sergey, Zelenskyy/Zelensky); 0.9 with an
//               initial or for an organisation's partial name; 0.8 handle matching a surname only
//          JW - 0.2  one misspelt word (Jaro-Winkler >= 0.80 and a shared Double Metaphone code),
//               +0.1 when the given names agree; people only
//   type   +0.1 same known type; a conflicting type (person / country) rules the pair out
//   context (only when it can decide; at most +0.7): +0.2 per shared neighbour (2 at most), +0.1
//               per same relation to one (2 at most), +0.3 same role (or +0.1 a shared role
//               word), +0.1 a shared document
//   penalty -0.2 a misspelt word that is an English word (-0.1 for an exact surname that is one);
//               -0.6 a surname extended by a vowel or in its feminine form (Borrelli, Zelenska)
// Everything here is deterministic: the same records and rules give the same clusters.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "newsgraph/document.h"

namespace newsgraph {

// A merge of two names into one actor, and why (shown by `why ALIAS`).
struct merge_reason {
  std::string alias;    // the name that was merged
  std::string target;   // the name it was merged into
  std::string rule;     // "surname", "fuzzy name", "acronym", "handle", "user same", ...
  float score = 0.0F;   // the pair's score (>= 1.0 for automatic merges; 0 for in-document links)
  std::string signals;  // the evidence, "; "-separated: "jaro-winkler 0.87", "shared neighbour Sergey Lavrov"
};

// A user decision. Rules name actors by any alias; they are compared through name_key.
//   same A B     : A and B are one actor (overrides automatic evidence, not a `distinct` rule)
//   distinct A B : A and B are never in one actor
//   split A      : A is its own actor, merged by no automatic rule (only by a `same` rule)
struct user_rule {
  enum class kind : std::uint8_t { same, distinct, split };
  kind what = kind::same;
  std::string a;
  std::string b;  // empty for split
  friend bool operator==(const user_rule&, const user_rule&) = default;
};
std::string_view to_string(user_rule::kind k);

// The word lists and equivalences the resolver reads. All keys are folded lower-case.
struct alias_data {
  // Token (translit-normalised) -> id of its equivalence group (Sergey/Sergei, Josep/Joseph).
  std::unordered_map<std::string, std::uint32_t> variant_group;
  // Suffix rewrites applied to every token before comparison ("skyy" -> "sky"), longest first.
  std::vector<std::pair<std::string, std::string>> endings;
  std::unordered_set<std::string> given_names;  // known given names (tokens)
  std::unordered_set<std::string> words;        // English words that are not given names
  // name_key of a gazetteer name -> name_key of its canonical entity ("eu" -> "european union",
  // "kremlin" -> "russia", "us" -> "united states").
  std::unordered_map<std::string, std::string> canonical;
  // name_key of a national adjective -> name_key of its country ("russian" -> "russia"), and the
  // keys of the countries themselves: "Russian authorities", "Kyiv government" name the state.
  std::unordered_map<std::string, std::string> demonyms;
  std::unordered_set<std::string> countries;

  // Reads <dir>/data/name-variants.tsv (required), <dir>/data/words.txt and the gazetteer files
  // <dir>/data/gazetteer/{given_names,countries,capitals,organizations,demonyms}.tsv (each optional: a
  // missing file contributes nothing). Throws input_error naming file:line on a malformed line.
  static std::shared_ptr<const alias_data> load(const std::string& dir);
  // load() of $NEWSGRAPH_DATA_DIR if set, else of the source tree this library was built from;
  // loaded once per process.
  static std::shared_ptr<const alias_data> default_data();

  // Adds the lines of a name-variants.tsv (see data/name-variants.tsv); `where` names the source.
  void add_variants(std::string_view text, const std::string& where);
  // Token as compared: endings rewritten ("zelenskyy" -> "zelensky").
  std::string normalise_token(std::string_view token) const;
};

// Everything the resolver needs to know about one distinct name key.
struct alias_record {
  std::string key;                       // name_key of the name
  std::string name;                      // its most frequent original spelling
  std::vector<std::string> spellings;    // distinct original spellings (handles keep camel case)
  std::vector<std::string> surface_keys;  // name_keys of the surface forms (mention::text); user rules match them too
  actor_type type = actor_type::other;   // majority type; other = unknown
  std::uint32_t mentions = 0;
  std::vector<std::string> roles;        // distinct name_keys of mention::role
  std::vector<std::uint32_t> neighbours;  // records it shares a statement with; sorted, unique
  std::vector<std::uint64_t> relations;   // (label id << 32 | neighbour record); sorted, unique
  std::vector<std::uint32_t> documents;   // document indexes; sorted, unique
  bool split = false;                     // a user `split` rule names it
};

// The name_key of the gazetteer entity that the name key `key` stands for ("kremlin" -> "russia",
// "russian authorities" -> "russia"; the entity's own key for its own name), or empty. A `person`
// name never stands for a state. A name whose entity is not itself is a gazetteer variant: it
// never names an actor that holds the entity's own name (knowledge_graph).
std::string gazetteer_entity(const alias_data& data, const std::string& key, bool person);

// What one resolution cost (alias_bench prints it; tests check the bounds).
struct resolution_stats {
  std::size_t records = 0;
  std::size_t block_entries = 0;       // (key, record) entries over all blocking keys
  std::size_t skipped_blocks = 0;      // blocks (and phonetic word links) over max_block² comparisons, not compared
  std::size_t phonetic_blocks = 0;     // phonetic blocks holding two distinct words or more
  std::size_t word_comparisons = 0;    // word pairs tested in phonetic blocks (Jaro-Winkler)
  std::size_t word_links = 0;          // word pairs of phonetic blocks whose records meet
  std::size_t candidate_pairs = 0;     // distinct record pairs scored
  std::size_t max_record_pairs = 0;    // the most candidate pairs one record is in
  std::size_t named_pairs = 0;         // candidate pairs whose names may denote one actor
};

struct resolution {
  std::vector<std::uint32_t> cluster;  // per record: the index of its cluster's representative record
  std::vector<merge_reason> merges;    // in the order they were made
  // Per record: its name is another name of a gazetteer entity ("Kremlin", "Russian authorities"),
  // so it should not name the actor when the entity's own name is in the cluster.
  std::vector<bool> gazetteer_variant;
  resolution_stats stats;
};

struct resolver_options {
  double threshold = 1.0;       // a pair merges at score >= threshold
  std::size_t max_block = 64;   // exact-key blocks costing more than max_block² comparisons are not compared
  std::size_t fuzzy_window = 8;   // phonetic blocks: words compared before and after each, per order
  std::size_t fuzzy_partners = 3;  // phonetic blocks: the words most alike that each word keeps (0: all)
  std::size_t max_context = 256;  // neighbours looked at per side when scoring context
};

class alias_resolver {
public:
  explicit alias_resolver(std::shared_ptr<const alias_data> data, resolver_options options = {});
  // `same` and `distinct` rules whose names match no record are ignored (they may concern
  // documents not added yet). Records are indexes 0..n-1; neighbours refer to them.
  resolution resolve(const std::vector<alias_record>& records, const std::vector<user_rule>& rules) const;

private:
  std::shared_ptr<const alias_data> data_;
  resolver_options options_;
};

// ---- name similarity helpers (graph/src/name_similarity.cpp, graph/src/phonetic.cpp) ----

// Jaro-Winkler similarity of two byte strings in [0, 1]; symmetric; prefix scale 0.1, up to 4.
double jaro_winkler(std::string_view a, std::string_view b);

// Double Metaphone codes (primary, alternate) of one lower- or mixed-case ASCII word, at most 4
// characters each; alternate equals primary when the word has one pronunciation. Non-ASCII bytes
// are skipped (fold first).
std::pair<std::string, std::string> double_metaphone(std::string_view word);

// Splits a social-media handle into lower-case tokens: at camel-case humps, digits and '_'
// ("@JosepBorrellF" -> josep, borrell, f); a part without humps is segmented into tokens of
// `vocabulary` when it can be covered entirely ("trussliz" -> truss, liz), else kept whole.
std::vector<std::string> split_handle(std::string_view handle, const std::unordered_set<std::string>& vocabulary);

// Acronym of a multi-word name: initials of its words, skipping "of", "the", "and", "for", "in",
// "on", "de"; a hyphenated word gives one initial ("Co-operation" -> c). Lower-case.
std::string acronym_of(std::string_view name);

}  // namespace newsgraph
