#include "relations/clauses.h"

#include <algorithm>
#include <array>
#include <optional>

#include "newsgraph/utf8.h"

namespace newsgraph::relations {

namespace {

constexpr std::array<std::string_view, 9> relation_prepositions{"to",   "with", "on",     "against", "from",
                                                                "into", "over", "toward", "towards"};
constexpr std::array<std::string_view, 9> modal_auxiliaries{"may", "might", "could", "would", "should",
                                                            "must", "can", "shall", "will"};
// Verbs and adjectives whose complement is intended, not done: "wants to meet", "willing to cooperate".
constexpr std::array<std::string_view, 16> intention_heads{"want", "plan", "intend", "hope", "seek", "try",
                                                           "aim", "expect", "threaten", "prepare", "willing",
                                                           "ready", "able", "likely", "offer", "propose"};
// Verbs whose complement is refused: "refused to supply" is a negated "supply".
constexpr std::array<std::string_view, 5> refusal_heads{"refuse", "decline", "fail", "reject", "deny"};
// Nouns that stand for the actor who sent them: "replied to Lavrov's letter" replies to Lavrov.
constexpr std::array<std::string_view, 16> message_nouns{
    "letter", "message", "proposal", "request", "response", "reply", "demand", "statement",
    "answer", "address", "note",    "invitation", "offer", "call",    "question", "appeal"};
// Nouns that name a place by an "of" complement: "the peninsula of Crimea".
constexpr std::array<std::string_view, 10> container_nouns{"peninsula", "city", "region", "capital", "country",
                                                           "territory", "republic", "town", "province", "island"};
// Nouns for people by their position, often followed by the name in apposition.
constexpr std::array<std::string_view, 18> person_nouns{
    "counterpart", "colleague",  "minister", "secretary", "president", "chief",        "head",     "envoy",  "ambassador",
    "spokesperson", "spokesman", "leader",   "official",  "diplomat",  "representative", "director", "premier", "chancellor"};
// Predicates that carry no relation of their own.
constexpr std::array<std::string_view, 5> empty_verbs{"be", "become", "seem", "remain", "appear"};

template <typename List>
bool in(const List& list, std::string_view w) {
  return std::find(list.begin(), list.end(), w) != list.end();
}

struct argument {
  std::size_t token = 0;
  const actor_mention* actor = nullptr;
  float confidence = 1.0F;
};

class clause_reader {
public:
  clause_reader(const analysis& a, std::size_t si, std::string_view text, const document_mentions& mentions,
                const lexicon& words, bool open)
      : s_(a.sentences[si]), si_(si), text_(text), mentions_(mentions), words_(words), open_(open) {
    children_.resize(s_.tokens.size());
    for (std::size_t i = 0; i < s_.tokens.size(); ++i)
      if (s_.tokens[i].head >= 0) children_[static_cast<std::size_t>(s_.tokens[i].head)].push_back(i);
  }

  std::vector<proposition> run() {
    for (std::size_t v = 0; v < s_.tokens.size(); ++v) {
      const auto& t = s_.tokens[v];
      if (t.upos == "VERB" && !in(empty_verbs, t.lemma)) read_verb(v);
      else if (t.upos == "NOUN") read_nominal(v);
    }
    return std::move(out_);
  }

private:
  const token& tok(std::size_t i) const { return s_.tokens[i]; }
  std::string lower(std::size_t i) const { return utf8::fold(tok(i).form); }

  std::optional<std::size_t> child(std::size_t head, std::string_view deprel) const {
    for (auto c : children_[head])
      if (tok(c).deprel == deprel) return c;
    return std::nullopt;
  }

  // The preposition of a nominal: its case dependent, or else the adposition just before its
  // words ("to 27 EU Member States" where the parser hung "to" on the number).
  std::string case_of(std::size_t token) const {
    for (auto c : children_[token])
      if (tok(c).deprel == "case") return lower(c);
    std::size_t leftmost = token;
    for (std::vector<std::size_t> stack{token}; !stack.empty();) {
      const auto k = stack.back();
      stack.pop_back();
      leftmost = std::min(leftmost, k);
      stack.insert(stack.end(), children_[k].begin(), children_[k].end());
    }
    if (tok(leftmost).upos == "ADP") return lower(leftmost);  // "to" hung on "27" in "to 27 EU states"
    for (std::size_t i = leftmost; i > 0; --i) {
      const auto& t = tok(i - 1);
      if (t.upos == "ADP") return lower(i - 1);
      if (t.upos != "NUM" && t.upos != "DET" && t.upos != "ADJ") break;
    }
    return {};
  }

  bool is_passive(std::size_t v) const {
    if (child(v, "nsubj")) return false;  // an active subject outweighs a stray passive label
    if (child(v, "nsubj:pass") || child(v, "aux:pass")) return true;
    // "letters sent by Lavrov" is passive; "authorities accused Poland" mis-parsed as a participle
    // modifier is not, since it has an object of its own.
    return tok(v).deprel == "acl" && tok(v).xpos == "VBN" && !child(v, "obj");
  }

  // --- arguments -------------------------------------------------------------------------------
  // The actor a token stands for, through appositions, "the city of X" and message senders.
  argument resolve(std::size_t token) const {
    if (const auto* m = mentions_.covering(si_, token); m && !m->name.empty()) return {token, m, m->confidence};
    const auto& t = tok(token);
    if (t.upos != "NOUN" && t.upos != "PROPN") return {token, nullptr, 0};
    // "Minister Lavrov", "FM Lavrov", "his counterpart, Liz Truss": parsers often make the title
    // the head and the name its flat or appositive dependent.
    for (auto c : children_[token]) {
      const auto& rel = tok(c).deprel;
      if (rel != "appos" && rel != "flat" && rel != "flat:name") continue;
      if (const auto* m = mentions_.covering(si_, c); m && !m->name.empty()) return {token, m, m->confidence * 0.95F};
    }
    // "his British counterpart, Liz Truss": a person noun followed by a comma and a name.
    if (in(person_nouns, t.lemma)) {
      std::size_t last = token;
      for (auto c : children_[token]) last = std::max(last, c);
      if (last + 2 < s_.tokens.size() && tok(last + 1).form == ",")
        if (const auto* m = mentions_.covering(si_, last + 2); m && !m->name.empty() && m->type == actor_type::person)
          return {token, m, m->confidence * 0.85F};
    }
    if (in(container_nouns, t.lemma)) {
      for (auto c : children_[token])
        if (tok(c).deprel == "nmod" && case_of(c) == "of")
          if (const auto* m = mentions_.covering(si_, c); m && !m->name.empty()) return {token, m, m->confidence * 0.9F};
    }
    if (in(message_nouns, t.lemma))
      if (auto sender = sender_of(token)) return *sender;
    return {token, nullptr, 0};
  }

  std::optional<argument> sender_of(std::size_t noun) const {
    auto actor_at = [&](std::size_t i) -> const actor_mention* {
      const auto* m = mentions_.covering(si_, i);
      return m && !m->name.empty() ? m : nullptr;
    };
    // The clause right after the noun describes it even when the parser hung it elsewhere:
    // "the letters [they received from Lavrov]".
    std::vector<std::size_t> candidates = children_[noun];
    for (std::size_t i = noun + 1; i < s_.tokens.size() && i <= noun + 3; ++i)
      if (tok(i).upos == "VERB" && (tok(i).deprel == "acl:relcl" || tok(i).deprel == "acl")) candidates.push_back(i);
    for (auto c : candidates) {
      const auto& ct = tok(c);
      if (ct.deprel == "nmod:poss") {
        if (const auto* m = actor_at(c)) return argument{noun, m, m->confidence * 0.8F};
      } else if (ct.deprel == "nmod" && (case_of(c) == "from" || case_of(c) == "by")) {
        if (const auto* m = actor_at(c)) return argument{noun, m, m->confidence * 0.8F};
      } else if (ct.deprel == "acl" || ct.deprel == "acl:relcl") {
        // "letters sent by Lavrov", "the letters they received from Lavrov"
        for (auto cc : children_[c]) {
          const auto& k = tok(cc);
          const auto prep = case_of(cc);
          if (k.deprel == "obl:agent" || (k.deprel == "obl" && (prep == "by" || prep == "from")))
            if (const auto* m = actor_at(cc)) return argument{noun, m, m->confidence * 0.75F};
        }
      }
    }
    return std::nullopt;
  }

  // A token and the tokens coordinated with it ("the United States, Canada, Britain"). A conjunct
  // with a preposition of its own ("around Ukraine and in Belarus") is another kind of argument.
  std::vector<std::size_t> coordinated(std::size_t token) const {
    std::vector<std::size_t> out{token};
    const auto preposition = own_case(token);
    for (std::size_t k = 0; k < out.size(); ++k)
      for (auto c : children_[out[k]])
        if (tok(c).deprel == "conj" && tok(c).upos != "VERB" && (own_case(c).empty() || own_case(c) == preposition))
          out.push_back(c);
    return out;
  }

  std::string own_case(std::size_t token) const {
    for (auto c : children_[token])
      if (tok(c).deprel == "case") return lower(c);
    return {};
  }

  std::vector<argument> arguments(std::size_t token) const {
    std::vector<argument> out;
    for (auto t : coordinated(token)) {
      auto a = resolve(t);
      if (a.actor || open_) out.push_back(a);
    }
    return out;
  }

  // Subjects of a predicate, following control, shared subjects of coordinated verbs, relative
  // clauses and passive agents. `derived` is set when they were inherited from another clause.
  std::vector<std::size_t> subject_tokens(std::size_t v, bool& derived, int depth = 0) const {
    std::vector<std::size_t> subjects;
    const bool passive = is_passive(v);
    for (auto c : children_[v]) {
      const auto& ct = tok(c);
      if (ct.deprel == "nsubj") {
        const bool relative = ct.xpos == "WP" || ct.xpos == "WDT" || ct.lemma == "who" || ct.lemma == "which";
        if (relative && tok(v).deprel == "acl:relcl" && tok(v).head >= 0) {
          // "who" is the noun the clause hangs on; when the parser hung it elsewhere, the actor
          // named just before the pronoun.
          auto antecedent = static_cast<std::size_t>(tok(v).head);
          if (!resolve(antecedent).actor)
            for (std::size_t i = c; i > 0 && i + 3 > c; --i)
              if (resolve(i - 1).actor) {
                antecedent = i - 1;
                break;
              }
          subjects.push_back(antecedent);
          derived = true;
        } else {
          subjects.push_back(c);
        }
      } else if (passive && (ct.deprel == "obl:agent" || (ct.deprel == "obl" && case_of(c) == "by"))) {
        subjects.push_back(c);
      }
    }
    if (!subjects.empty() || depth > 3 || tok(v).head < 0) return subjects;
    const auto parent = static_cast<std::size_t>(tok(v).head);
    const auto& rel = tok(v).deprel;
    if (rel == "xcomp") {
      derived = true;
      if (const auto object = child(parent, "obj")) return {*object};  // "urged Russia to withdraw"
      for (auto c : children_[parent])  // "called on Russia to withdraw"
        if (tok(c).deprel == "obl" && own_case(c) == "on" && resolve(c).actor) return {c};
      return subject_tokens(parent, derived, depth + 1);
    }
    if (rel == "conj" && (tok(parent).upos == "VERB" || tok(parent).upos == "ADJ")) {
      derived = true;
      return subject_tokens(parent, derived, depth + 1);
    }
    if (rel == "acl" && !passive) {
      derived = true;
      return {parent};  // "officials visiting Kyiv"
    }
    return subjects;
  }

  struct object_slot {
    std::size_t token;
    std::string preposition;              // empty for a direct object
    std::optional<std::size_t> via_noun;  // "sent a letter to X": the noun "letter"
  };

  std::vector<object_slot> object_slots(std::size_t v) const {
    std::vector<object_slot> slots;
    const bool passive = is_passive(v);
    if (passive && tok(v).deprel == "acl" && tok(v).head >= 0) slots.push_back({static_cast<std::size_t>(tok(v).head), {}, {}});
    for (auto c : children_[v]) {
      const auto& ct = tok(c);
      if (ct.upos == "PUNCT" && ct.deprel != "punct") {
        // A quotation mark parsed as an argument carries the verb's real prepositional phrases.
        for (auto cc : children_[c])
          if (tok(cc).deprel == "nmod" && in(relation_prepositions, own_case(cc))) slots.push_back({cc, own_case(cc), {}});
      } else if (ct.deprel == "obj" || ct.deprel == "iobj" || (passive && ct.deprel == "nsubj:pass")) {
        slots.push_back({c, {}, {}});
        if (!mentions_.covering(si_, c) && (ct.upos == "NOUN" || ct.upos == "PRON")) {
          for (auto n : coordinated(c))
            for (auto cc : children_[n]) {
              const auto prep = case_of(cc);
              if (tok(cc).deprel == "nmod" && in(relation_prepositions, prep)) slots.push_back({cc, prep, n});
            }
        }
      } else if ((ct.deprel == "obl:unmarked" || ct.deprel == "obl:npmod") && mentions_.covering(si_, c) &&
                 mentions_.covering(si_, c)->type != actor_type::other) {
        slots.push_back({c, {}, {}});  // a bare noun-phrase object the parser took for an oblique
      } else if (ct.deprel == "xcomp" && (ct.upos == "PROPN" || ct.upos == "NOUN") && !child(v, "obj") &&
                 mentions_.covering(si_, c)) {
        slots.push_back({c, {}, {}});  // "called Olaf Scholz" read as a naming complement
      } else if (ct.upos == "ADP" && in(relation_prepositions, lower(c))) {
        // "met [with] Emmanuel Macron" parsed with the preposition as the head of its noun.
        for (auto cc : children_[c])
          if (mentions_.covering(si_, cc)) slots.push_back({cc, lower(c), {}});
      } else if (ct.deprel == "obl") {
        const auto prep = case_of(c);
        if (in(relation_prepositions, prep) && !(passive && prep == "by")) slots.push_back({c, prep, {}});
        // An oblique without a preposition is usually a mis-parse whose own prepositional
        // dependents belong to the verb: "replied [on behalf of the EU] States to the letters".
        if (prep.empty())
          for (auto cc : children_[c])
            if (tok(cc).deprel == "nmod" && in(relation_prepositions, own_case(cc))) slots.push_back({cc, own_case(cc), {}});
      }
    }
    return slots;
  }

  bool negated(std::size_t v) const {
    for (auto c : children_[v]) {
      const auto& l = tok(c).lemma;
      if ((tok(c).deprel == "advmod" || tok(c).deprel == "neg") && (l == "not" || l == "never" || l == "n't")) return true;
    }
    if (tok(v).deprel == "xcomp" && tok(v).head >= 0) {
      const auto parent = static_cast<std::size_t>(tok(v).head);
      if (in(refusal_heads, tok(parent).lemma)) return true;
      return negated(parent);
    }
    return false;
  }

  bool modal(std::size_t v) const {
    for (auto c : children_[v])
      if (tok(c).deprel == "aux" && in(modal_auxiliaries, tok(c).lemma)) return true;
    if (tok(v).deprel == "xcomp" && tok(v).head >= 0) {
      const auto parent = static_cast<std::size_t>(tok(v).head);
      return in(intention_heads, tok(parent).lemma) || modal(parent);
    }
    return false;
  }

  std::string particle(std::size_t v) const {
    const auto p = child(v, "compound:prt");
    return p ? lower(*p) : std::string();
  }

  // --- propositions ----------------------------------------------------------------------------
  void read_verb(std::size_t v) {
    const auto& t = tok(v);
    const verb_entry* entry = words_.verb(t.lemma);
    bool derived = false;
    std::vector<argument> subjects;
    for (auto st : subject_tokens(v, derived))
      for (auto& a : arguments(st)) subjects.push_back(a);
    if (subjects.empty()) return;
    const auto slots = object_slots(v);
    const std::string prt = particle(v);
    const bool symmetric = entry && entry->symmetric;
    float base = derived ? 0.8F : 0.9F;
    if (!entry) base *= 0.85F;

    bool any_object = false;
    for (const auto& slot : slots) {
      std::string label = t.lemma;
      std::string surface = t.form;
      if (!prt.empty()) label.append(" ").append(prt), surface.append(" ").append(tok(*child(v, "compound:prt")).form);
      if (slot.via_noun) {
        label.append(" ").append(utf8::fold(tok(*slot.via_noun).lemma));
        surface.append(" ").append(tok(*slot.via_noun).form);
      }
      if (!slot.preposition.empty()) label.append(" ").append(slot.preposition), surface.append(" ").append(slot.preposition);
      float confidence = base * (slot.preposition.empty() ? 1.0F : 0.9F) * (slot.via_noun ? 0.85F : 1.0F);
      for (const auto& object : arguments(slot.token)) {
        any_object = any_object || object.actor;
        for (const auto& subject : subjects)
          emit(v, subject, object, label, surface, entry, symmetric, confidence);
      }
    }
    // "Blinken and Borrell agreed": one symmetric statement between coordinated subjects.
    if (!any_object && symmetric && subjects.size() >= 2) {
      for (std::size_t i = 0; i < subjects.size(); ++i)
        for (std::size_t j = i + 1; j < subjects.size(); ++j)
          emit(v, subjects[i], subjects[j], t.lemma, t.form, entry, true, base * 0.9F);
    }
  }

  // "Lavrov's letter to the United States", "China's pressure ... against Lithuania".
  void read_nominal(std::size_t n) {
    if (mentions_.covering(si_, n)) return;
    // Only nouns of events and messages relate their owner to another actor ("Russia's attack on",
    // "Lavrov's letter to"); "Russia's border with Ukraine" states no act.
    if (!words_.verb(tok(n).lemma) && !in(message_nouns, tok(n).lemma)) return;
    std::optional<argument> owner;
    auto find_owner = [&](std::size_t noun) {
      for (auto c : children_[noun])
        if (tok(c).deprel == "nmod:poss")
          if (auto a = resolve(c); a.actor) owner = a;
    };
    find_owner(n);
    if (!owner && tok(n).deprel == "conj" && tok(n).head >= 0) find_owner(static_cast<std::size_t>(tok(n).head));
    if (!owner) return;
    for (auto c : children_[n]) {
      const auto prep = case_of(c);
      if (tok(c).deprel != "nmod" || !in(relation_prepositions, prep) || prep == "from") continue;
      const std::string label = utf8::fold(tok(n).lemma) + " " + prep;
      for (const auto& object : arguments(c))
        emit(n, *owner, object, label, tok(n).form + " " + prep, words_.verb(tok(n).lemma), false, 0.6F);
    }
  }

  std::string phrase(std::size_t token, byte_span& span) const {
    std::size_t lo = token, hi = token;
    std::vector<std::size_t> stack{token};
    while (!stack.empty()) {
      const auto k = stack.back();
      stack.pop_back();
      for (auto c : children_[k]) {
        const auto& rel = tok(c).deprel;
        if (rel == "acl:relcl" || rel == "acl" || rel == "punct" || rel == "appos" || rel == "conj" || rel == "cc") continue;
        lo = std::min(lo, c), hi = std::max(hi, c);
        stack.push_back(c);
      }
    }
    while (lo < hi && (tok(lo).deprel == "case" || tok(lo).deprel == "det")) ++lo;
    if (hi - lo > 12) lo = hi - 12;
    span = {tok(lo).span.begin, tok(hi).span.end};
    std::string out(span.of(text_));
    std::replace(out.begin(), out.end(), '\n', ' ');
    return out;
  }

  void emit(std::size_t predicate, const argument& subject, const argument& object, const std::string& label,
            const std::string& surface, const verb_entry* entry, bool symmetric, float confidence) {
    if (!open_ && (!subject.actor || !object.actor)) return;
    if (subject.actor && object.actor && subject.actor->name == object.actor->name) return;
    if (subject.token == object.token) return;
    proposition p;
    p.sentence = si_;
    p.predicate = predicate;
    p.subject = subject.actor;
    p.object = object.actor;
    if (!subject.actor) p.subject_text = phrase(subject.token, p.subject_span);
    if (!object.actor) p.object_text = phrase(object.token, p.object_span);
    p.label = label;
    p.surface = surface;
    p.relation_class = entry ? entry->relation_class : std::string();
    p.negated = negated(predicate);
    p.modal = modal(predicate);
    p.symmetric = symmetric;
    p.confidence = confidence * (subject.actor ? subject.confidence : 0.5F) * (object.actor ? object.confidence : 0.5F);
    out_.push_back(std::move(p));
  }

  const sentence& s_;
  std::size_t si_;
  std::string_view text_;
  const document_mentions& mentions_;
  const lexicon& words_;
  bool open_;
  std::vector<std::vector<std::size_t>> children_;
  std::vector<proposition> out_;
};

}  // namespace

std::vector<proposition> read_clauses(const analysis& a, std::size_t si, std::string_view text,
                                      const document_mentions& mentions, const lexicon& words, bool open) {
  return clause_reader(a, si, text, mentions, words, open).run();
}

}  // namespace newsgraph::relations
