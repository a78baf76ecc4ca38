// Clause rules: actor-relation-actor propositions read off the dependency tree of one sentence.
//
// Covered: active and passive clauses, particles and prepositions ("hand over ... to", "call on"),
// a verb's object noun with its own prepositional actor ("sent a letter to", "held talks with"),
// coordinated subjects, objects and verbs, relative and participial clauses ("Lavrov, who met
// with Truss"; "letters sent by Lavrov"), control ("agreed to send"), symmetric coordination
// ("Blinken and Borrell agreed"), possessive nominal relations ("Lavrov's letter to ..."), and
// the actor behind a message ("replied to the letters sent by Lavrov" -> reply to Lavrov).
#pragma once

#include <string>
#include <vector>

#include "newsgraph/analysis.h"
#include "relations/lexicon.h"
#include "relations/mentions.h"

namespace newsgraph::relations {

struct proposition {
  std::size_t sentence = 0;
  std::size_t predicate = 0;           // token of the verb (or noun, for nominal relations)
  const actor_mention* subject = nullptr;
  const actor_mention* object = nullptr;
  std::string subject_text, object_text;  // noun-phrase text of the arguments (open extraction)
  byte_span subject_span, object_span;    // for arguments that are no actor mention
  std::string label;                   // "send letter to"
  std::string surface;                 // the words as written, from predicate to preposition
  std::string relation_class;
  bool negated = false, modal = false, symmetric = false;
  float confidence = 0.0F;
};

// Propositions of sentence `si`. With `open`, arguments need not be actors: a noun phrase
// without a mention is given by subject_text/object_text and the mention pointer is null.
std::vector<proposition> read_clauses(const analysis& a, std::size_t si, std::string_view text,
                                      const document_mentions& mentions, const lexicon& words, bool open);

}  // namespace newsgraph::relations
