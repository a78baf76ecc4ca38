// Actor mentions of one analysed document and their in-document resolution: named entities,
// gazetteer names (capitals and seats of government standing for their country), handles and
// hashtags, group actors, and the pronouns and role descriptions that refer back to them.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "newsgraph/analysis.h"
#include "newsgraph/gazetteer.h"
#include "relations/lexicon.h"

namespace newsgraph::relations {

enum class mention_kind : std::uint8_t {
  name,         // a proper name, handle or hashtag
  group,        // "Russian authorities", "EU member states", "Westerners"
  pronoun,      // he, she, they, I, we, ... (resolved to a speaker or an antecedent)
  description,  // "the Russian top diplomat": a role that refers back to a person
};

struct actor_mention {
  std::size_t sentence = 0;
  std::size_t begin = 0, end = 0;  // token indexes in the sentence, half-open
  std::size_t head = 0;            // the token the dependency rules reach the mention through
  mention_kind kind = mention_kind::name;
  std::string name;                // the actor as resolved in the document; empty if unresolved
  actor_type type = actor_type::other;
  std::string role;                // title or apposition, "Russian Foreign Minister"
  std::string title;               // for descriptions: the canonical title looked for
  bool plural = false;
  bool first_person = false;       // I, we: resolved through the speaker
  float confidence = 1.0F;         // how sure the resolution is
};

// All mentions of a document and, per sentence and token, the mention covering that token.
struct document_mentions {
  std::vector<actor_mention> mentions;
  std::vector<std::vector<int>> at;  // at[sentence][token]: index into mentions, or -1

  const actor_mention* covering(std::size_t sentence, std::size_t token) const {
    const int m = at[sentence][token];
    return m < 0 ? nullptr : &mentions[static_cast<std::size_t>(m)];
  }
};

// Finds the mentions of every sentence and resolves them within the document. `text` is the
// document's text (for surface forms and paragraph breaks).
document_mentions find_mentions(const analysis& a, std::string_view text, const gazetteer& names,
                                const lexicon& words);

}  // namespace newsgraph::relations
