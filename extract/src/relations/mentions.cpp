#include "relations/mentions.h"

#include <algorithm>
#include <array>
#include <optional>
#include <unordered_map>

#include "newsgraph/text_distance.h"
#include "newsgraph/utf8.h"

namespace newsgraph::relations {

namespace {

using children_list = std::vector<std::vector<std::size_t>>;

children_list children_of(const sentence& s) {
  children_list children(s.tokens.size());
  for (std::size_t i = 0; i < s.tokens.size(); ++i)
    if (s.tokens[i].head >= 0) children[static_cast<std::size_t>(s.tokens[i].head)].push_back(i);
  return children;
}

bool is_upper(std::string_view w) {
  return !w.empty() && ((w[0] >= 'A' && w[0] <= 'Z') || static_cast<unsigned char>(w[0]) >= 0xC0);
}

bool is_punct(const token& t) { return t.upos == "PUNCT" || t.upos == "SYM"; }

std::string lower(std::string_view w) { return utf8::fold(w); }

std::string words_text(std::string_view text, const sentence& s, std::size_t begin, std::size_t end) {
  if (begin >= end) return {};
  std::string out(text.substr(s.tokens[begin].span.begin, s.tokens[end - 1].span.end - s.tokens[begin].span.begin));
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

// Words of a name, lower-cased and accent-folded, for comparing names.
std::vector<std::string> name_words(std::string_view name) {
  std::vector<std::string> words;
  std::string current;
  for (char c : utf8::fold(name)) {
    if (c == ' ' || c == '-' || c == '#' || c == '@' || c == '.') {
      if (!current.empty()) words.push_back(std::move(current)), current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) words.push_back(std::move(current));
  return words;
}

// True if `part` occurs as a contiguous run of `whole` ("Lavrov" in "Sergey Lavrov").
bool is_sub_name(const std::vector<std::string>& part, const std::vector<std::string>& whole) {
  if (part.empty() || part.size() >= whole.size()) return false;
  return std::search(whole.begin(), whole.end(), part.begin(), part.end()) != whole.end();
}

// Camel-case and underscore split of a handle, lower-cased: @JosepBorrellF -> josepborrellf.
std::string handle_letters(std::string_view handle) {
  std::string out;
  for (char c : utf8::fold(handle))
    if (std::isalpha(static_cast<unsigned char>(c))) out += c;
  return out;
}

actor_type type_of(gazetteer_type t);

// A capital or seat of government stands for whatever its canonical entry names: usually a
// country, sometimes an organisation.
actor_type type_of(const gazetteer& names, const gazetteer_entry& e) {
  if (e.type == gazetteer_type::capital || e.type == gazetteer_type::seat)
    if (const auto* c = names.find(e.canonical); c && c != &e && c->type != gazetteer_type::capital &&
                                                  c->type != gazetteer_type::seat)
      return type_of(c->type);
  return type_of(e.type);
}

actor_type type_of(gazetteer_type t) {
  switch (t) {
    case gazetteer_type::country:
    case gazetteer_type::capital:
    case gazetteer_type::seat: return actor_type::country;
    case gazetteer_type::organization: return actor_type::organization;
    case gazetteer_type::city:
    case gazetteer_type::region: return actor_type::place;
    default: return actor_type::other;
  }
}

bool names_an_actor(gazetteer_type t) {
  return t == gazetteer_type::country || t == gazetteer_type::capital || t == gazetteer_type::seat ||
         t == gazetteer_type::organization || t == gazetteer_type::city || t == gazetteer_type::region;
}

struct position {
  std::size_t sentence, token;
  friend auto operator<=>(const position&, const position&) = default;
};

class finder {
public:
  finder(const analysis& a, std::string_view text, const gazetteer& names, const lexicon& words)
      : a_(a), text_(text), names_(names), words_(words) {}

  document_mentions run() {
    out_.at.resize(a_.sentences.size());
    for (std::size_t si = 0; si < a_.sentences.size(); ++si) find_in_sentence(si);
    resolve_names();
    resolve_groups();
    find_speakers();
    resolve_references();
    return std::move(out_);
  }

private:
  // --- detection, one sentence at a time ------------------------------------------------------
  void find_in_sentence(std::size_t si) {
    const auto& s = a_.sentences[si];
    const auto n = s.tokens.size();
    auto& at = out_.at[si];
    at.assign(n, -1);
    children_ = children_of(s);
    gazetteer_at_.assign(n, nullptr);
    title_.assign(n, false);
    demonym_.assign(n, nullptr);
    for (const auto& m : names_.find_all(s)) {
      for (auto i = m.begin; i < m.end; ++i) {
        gazetteer_at_[i] = m.entry;
        if (m.entry->type == gazetteer_type::title) title_[i] = true;
        if (m.entry->type == gazetteer_type::demonym) demonym_[i] = m.entry;
      }
    }
    add_entities(si, s);
    add_gazetteer_names(si, s);
    add_handles(si, s);
    add_named_bodies(si, s);
    add_groups(si, s);
    add_pronouns_and_descriptions(si, s);
    for (std::size_t k = first_of_sentence_; k < out_.mentions.size(); ++k) attach_role(si, s, out_.mentions[k]);
    first_of_sentence_ = out_.mentions.size();
  }

  bool free(std::size_t si, std::size_t begin, std::size_t end) const {
    for (auto i = begin; i < end; ++i)
      if (out_.at[si][i] >= 0) return false;
    return true;
  }

  // The token of [begin, end) whose head lies outside it: where dependency rules reach the span.
  std::size_t head_of(const sentence& s, std::size_t begin, std::size_t end) const {
    for (auto i = begin; i < end; ++i) {
      const int h = s.tokens[i].head;
      if (h < static_cast<int>(begin) || h >= static_cast<int>(end)) return i;
    }
    return end - 1;
  }

  actor_mention& add(std::size_t si, const sentence& s, std::size_t begin, std::size_t end, mention_kind kind,
                     std::string name, actor_type type) {
    actor_mention m;
    m.sentence = si;
    m.begin = begin;
    m.end = end;
    m.head = head_of(s, begin, end);
    m.kind = kind;
    m.name = std::move(name);
    m.type = type;
    const int index = static_cast<int>(out_.mentions.size());
    for (auto i = begin; i < end; ++i) out_.at[si][i] = index;
    out_.mentions.push_back(std::move(m));
    return out_.mentions.back();
  }

  void add_entities(std::size_t si, const sentence& s) {
    const auto n = s.tokens.size();
    for (std::size_t i = 0; i < n;) {
      const auto& label = s.tokens[i].ner;
      if (label.size() < 3 || label[0] != 'B') {
        ++i;
        continue;
      }
      std::string kind = label.substr(2);
      std::size_t end = i + 1;
      while (end < n && s.tokens[end].ner == "I-" + kind) ++end;
      // A capitalised proper noun the parser joins to the name ("flat") belongs to it even when
      // the tagger stopped the span early: "[Emmanuel] Macron".
      while (end < n && s.tokens[end].ner == "O" && s.tokens[end].upos == "PROPN" && is_upper(s.tokens[end].form) &&
             (s.tokens[end].deprel == "flat" || s.tokens[end].deprel == "flat:name") &&
             s.tokens[end].head >= static_cast<int>(i) && s.tokens[end].head < static_cast<int>(end))
        ++end;
      std::size_t begin = i;
      i = end;
      if (kind == "MISC") continue;
      // Names hold no verbs or pronouns: a title-case headline ("Borrell Says He Responded") stops
      // the name at the first one.
      for (auto k = begin; k < end; ++k)
        if (s.tokens[k].upos == "VERB" || s.tokens[k].upos == "AUX" || s.tokens[k].upos == "PRON") {
          end = k;
          break;
        }
      if (begin == end) continue;
      // "Moscow Russian Foreign Minister Sergey Lavrov" tagged as one place: the capitalised words
      // after the last title are a person, whatever the tagger said.
      std::size_t last_title = end;
      for (auto k = begin; k < end; ++k)
        if (title_[k]) last_title = k;
      if (last_title + 1 < end && is_upper(s.tokens[last_title + 1].form) && !title_[last_title + 1]) {
        begin = last_title + 1;
        kind = "PER";
      }
      // A person's span starts at the name: titles and nationality words become the role.
      while (begin < end && (s.tokens[begin].form == "the" || s.tokens[begin].form == "The" || is_punct(s.tokens[begin]) ||
                             (kind == "PER" && (title_[begin] || demonym_[begin] || !is_upper(s.tokens[begin].form) ||
                                                (gazetteer_at_[begin] && names_an_actor(gazetteer_at_[begin]->type))))))
        ++begin;
      while (end > begin && (is_punct(s.tokens[end - 1]) || s.tokens[end - 1].form == "'s" ||
                             s.tokens[end - 1].form == "\xE2\x80\x99s"))
        --end;
      if (begin == end || (!is_upper(s.tokens[begin].form) && s.tokens[begin].form[0] != '@')) continue;
      if (s.tokens[begin].upos == "NUM" || is_calendar_word(s.tokens[begin].form)) continue;
      if (is_document_word(s.tokens[end - 1].form)) continue;  // "the Minsk Agreements" acts on no one
      actor_type type = kind == "PER" ? actor_type::person : kind == "ORG" ? actor_type::organization : actor_type::place;
      std::string name = words_text(text_, s, begin, end);
      // A span that is exactly one gazetteer name takes its canonical form and type.
      if (const auto* g = gazetteer_at_[begin];
          g && names_an_actor(g->type) && g == gazetteer_at_[end - 1] && (begin == 0 || gazetteer_at_[begin - 1] != g) &&
          (end == n || gazetteer_at_[end] != g)) {
        name = g->canonical;
        type = type_of(names_, *g);
      }
      if (!name.empty() && name[0] == '#') name.erase(0, 1);
      add(si, s, begin, end, mention_kind::name, std::move(name), type);
    }
  }

  // Names of agreements and texts, which the tagger often takes for places or organisations.
  static bool is_document_word(std::string_view w) {
    static constexpr std::array<std::string_view, 14> words{
        "Agreement", "Agreements", "Accord", "Accords", "Treaty", "Treaties", "Protocol",
        "Protocols", "Convention", "Act",     "Declaration", "Charter", "Memorandum", "Resolution"};
    return std::find(words.begin(), words.end(), w) != words.end();
  }

  static bool is_calendar_word(std::string_view w) {
    static constexpr std::array<std::string_view, 19> words{
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
        "April", "May", "June", "July", "August", "September", "October", "November", "December"};
    return std::find(words.begin(), words.end(), w) != words.end();
  }

  void add_gazetteer_names(std::size_t si, const sentence& s) {
    const auto n = s.tokens.size();
    for (std::size_t i = 0; i < n;) {
      const auto* g = gazetteer_at_[i];
      std::size_t end = i + 1;
      while (end < n && gazetteer_at_[end] == g) ++end;
      if (g && names_an_actor(g->type) && free(si, i, end) && is_upper(s.tokens[i].form))
        add(si, s, i, end, mention_kind::name, g->canonical, type_of(names_, *g));
      i = end;
    }
  }

  void add_handles(std::size_t si, const sentence& s) {
    for (std::size_t i = 0; i < s.tokens.size(); ++i) {
      const auto& form = s.tokens[i].form;
      if (form.size() < 3 || out_.at[si][i] >= 0) continue;
      if (form[0] == '@') {
        add(si, s, i, i + 1, mention_kind::name, form, actor_type::other);
      } else if (form[0] == '#' && is_upper(form.substr(1))) {
        const std::string word = form.substr(1);
        if (const auto* g = names_.find(word); g && names_an_actor(g->type))
          add(si, s, i, i + 1, mention_kind::name, g->canonical, type_of(names_, *g));
        else
          add(si, s, i, i + 1, mention_kind::name, word, actor_type::other);
      }
    }
  }

  // "Russian Foreign Ministry", "European External Action Service": capitalised words ending in a
  // word that heads organisation names, missed by the tagger.
  void add_named_bodies(std::size_t si, const sentence& s) {
    for (std::size_t h = 0; h < s.tokens.size(); ++h) {
      const auto* g = gazetteer_at_[h];
      if (!g || g->type != gazetteer_type::org_word || !is_upper(s.tokens[h].form) || out_.at[si][h] >= 0) continue;
      std::size_t begin = h;
      while (begin > 0 && out_.at[si][begin - 1] < 0 && is_upper(s.tokens[begin - 1].form) && !title_[begin - 1] &&
             s.tokens[begin - 1].upos != "PUNCT")
        --begin;
      if (begin == h) continue;  // a bare "Ministry" names nothing
      add(si, s, begin, h + 1, mention_kind::name, words_text(text_, s, begin, h + 1), actor_type::organization);
    }
  }

  // The organisation or country a modifier token names, if any.
  const actor_mention* modifier_actor(std::size_t si, std::size_t token) const {
    const int m = out_.at[si][token];
    return m < 0 ? nullptr : &out_.mentions[static_cast<std::size_t>(m)];
  }

  void add_groups(std::size_t si, const sentence& s) {
    for (std::size_t h = 0; h < s.tokens.size(); ++h) {
      const auto& t = s.tokens[h];
      if ((t.upos != "NOUN" && t.upos != "PROPN") || out_.at[si][h] >= 0) continue;
      const group_rule* rule = words_.group(t.form);
      if (!rule) rule = words_.group(lower(t.form));
      if (!rule) continue;
      std::size_t begin = h;
      const actor_mention* org = nullptr;
      const gazetteer_entry* nation = nullptr;
      // "Member States" with "Member" as a sibling rather than a dependent is common in parses.
      bool member_word = lower(t.form) == "member-states" || (h > 0 && lower(s.tokens[h - 1].form) == "member");
      if (member_word && h > 0 && lower(s.tokens[h - 1].form) == "member") begin = h - 1;
      bool western = false, blocked = false;
      for (auto c : children_[h]) {
        const auto& ct = s.tokens[c];
        const bool modifier = ct.deprel == "amod" || ct.deprel == "compound" || ct.deprel == "nmod:poss" || ct.deprel == "nmod";
        if (!modifier) continue;
        if (const auto* m = modifier_actor(si, c)) {
          if (ct.deprel == "nmod" && !has_case(s, c, "of")) continue;
          if (m->type == actor_type::organization) org = m;
          if (m->type == actor_type::country) nation = names_.find(m->name);
          if (c < h) begin = std::min(begin, m->begin);
        } else if (demonym_[c]) {
          nation = names_.find(demonym_[c]->canonical);
          if (c < h) begin = std::min(begin, c);
        } else if (ct.lemma == "member" || ct.form == "Member") {
          member_word = true;
          begin = std::min(begin, c);
        } else if (ct.form == "Western" || ct.form == "western") {
          western = true;
          begin = std::min(begin, c);
        } else if (ct.deprel == "amod" || ct.upos == "NUM") {
          if (ct.lemma != "other" && ct.lemma != "several" && ct.lemma != "many" && ct.lemma != "some") continue;
          blocked = true;  // "other countries": some, not a known actor
        }
      }
      if (blocked) continue;
      if (begin < h && !free(si, begin, h)) begin = h;
      switch (*rule) {
        case group_rule::government:
          if (nation) add(si, s, begin, h + 1, mention_kind::group, nation->canonical, actor_type::country);
          break;
        case group_rule::members:
          if (western) {
            add(si, s, begin, h + 1, mention_kind::group, "West", actor_type::group).plural = true;
          } else if (org || member_word) {
            auto& m = add(si, s, begin, h + 1, mention_kind::group, org ? members_name(*org) : std::string(), actor_type::group);
            m.plural = true;
          }
          break;
        case group_rule::west:
          add(si, s, h, h + 1, mention_kind::group, "West", actor_type::group).plural = true;
          break;
      }
    }
  }

  bool has_case(const sentence& s, std::size_t token, std::string_view word) const {
    for (auto c : children_[token])
      if (s.tokens[c].deprel == "case" && lower(s.tokens[c].form) == word) return true;
    return false;
  }

  // "EU member states": the organisation's shortest all-capital name if it has one.
  std::string members_name(const actor_mention& org) const {
    std::string shortest = org.name;
    for (const auto& e : names_.entries()) {
      if (e.type != gazetteer_type::organization || e.canonical != org.name) continue;
      const bool acronym = std::all_of(e.name.begin(), e.name.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); });
      if (acronym && e.name.size() < shortest.size()) shortest = e.name;
    }
    return shortest + " member states";
  }

  void add_pronouns_and_descriptions(std::size_t si, const sentence& s) {
    for (std::size_t i = 0; i < s.tokens.size(); ++i) {
      if (out_.at[si][i] >= 0) continue;
      const auto& t = s.tokens[i];
      if (t.upos == "PRON") {
        const std::string w = lower(t.form);
        static constexpr std::array<std::string_view, 9> third_singular{"he", "him", "his", "she", "her", "hers", "it", "its", "himself"};
        static constexpr std::array<std::string_view, 4> third_plural{"they", "them", "their", "theirs"};
        static constexpr std::array<std::string_view, 7> first{"i", "me", "my", "we", "us", "our", "ours"};
        auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), w) != list.end(); };
        if (!in(third_singular) && !in(third_plural) && !in(first)) continue;
        auto& m = add(si, s, i, i + 1, mention_kind::pronoun, {}, actor_type::other);
        m.plural = in(third_plural) || w == "we" || w == "us" || w == "our";
        m.first_person = in(first);
        m.title = w;
        continue;
      }
      if (t.upos != "NOUN" && t.upos != "PROPN") continue;
      describe(si, s, i);
    }
  }

  // "the Russian top diplomat", "the head of Russian diplomacy": a definite noun phrase whose
  // words match a role description becomes a description mention.
  void describe(std::size_t si, const sentence& s, std::size_t h) {
    bool definite = false;
    std::vector<std::size_t> before;
    for (auto c : children_[h]) {
      const auto& ct = s.tokens[c];
      if (ct.deprel == "det" && lower(ct.form) == "the") definite = true;
      if (c < h && (ct.deprel == "amod" || ct.deprel == "compound")) before.push_back(c);
    }
    if (!definite) return;
    std::vector<std::string> words;
    std::string nationality;
    std::size_t begin = h;
    for (auto c : before) {
      begin = std::min(begin, c);
      if (demonym_[c]) nationality = demonym_[c]->canonical;
      else words.push_back(lower(s.tokens[c].lemma));
    }
    words.push_back(lower(s.tokens[h].lemma));
    std::size_t end = h + 1;
    for (auto c : children_[h]) {  // "head of diplomacy"
      if (c > h && s.tokens[c].deprel == "nmod" && has_case(s, c, "of")) {
        words.push_back("of");
        for (auto cc : children_[c])
          if (demonym_[cc]) nationality = demonym_[cc]->canonical;
        words.push_back(lower(s.tokens[c].lemma));
        end = c + 1;
      }
    }
    const role_description* best = nullptr;
    for (const auto& r : words_.role_descriptions()) {
      if (r.words.size() > words.size()) continue;
      if (!std::equal(r.words.begin(), r.words.end(), words.end() - static_cast<std::ptrdiff_t>(r.words.size()))) continue;
      if (!best || r.words.size() > best->words.size()) best = &r;
    }
    if (!best || !free(si, begin, end)) return;
    auto& m = add(si, s, begin, end, mention_kind::description, {}, actor_type::person);
    m.head = h;
    m.title = best->title;
    m.role = nationality;  // the nationality the description asks for, checked at resolution
  }

  // Titles in front of a name ("Russian Foreign Minister Sergey Lavrov") and appositions
  // ("Sergey Lavrov, the Russian Foreign Minister,") become the person's role.
  void attach_role(std::size_t si, const sentence& s, actor_mention& m) {
    if (m.kind != mention_kind::name || (m.type != actor_type::person && m.type != actor_type::other)) return;
    std::size_t j = m.begin;
    bool has_title = false;
    while (j > 0 && m.begin - j < 12) {
      const auto k = j - 1;
      const auto& t = s.tokens[k];
      const bool joiner = t.form == "of" || t.form == "for" || t.form == "and" || t.form == "the";
      if (title_[k]) has_title = true;
      else if (!demonym_[k] && !joiner && !(out_.at[si][k] >= 0 && out_.mentions[static_cast<std::size_t>(out_.at[si][k])].type != actor_type::person))
        break;
      j = k;
    }
    while (j < m.begin && !title_[j] && !demonym_[j] && out_.at[si][j] < 0) ++j;
    if (has_title && j < m.begin) {
      m.role = words_text(text_, s, j, m.begin);
      if (m.type == actor_type::other) m.type = actor_type::person;
      // "US" in "US Foreign Minister Antony Blinken" is part of the role, not an actor of its own:
      // its tokens now lead to the person.
      const int person = out_.at[si][m.begin];
      for (auto k = j; k < m.begin; ++k) {
        const int other = out_.at[si][k];
        if (other >= 0 && other != person) out_.mentions[static_cast<std::size_t>(other)].name.clear();
        out_.at[si][k] = person;
      }
      return;
    }
    // Apposition either way round.
    const auto& head = s.tokens[m.head];
    if (head.deprel == "appos" && head.head >= 0 && title_[static_cast<std::size_t>(head.head)]) {
      m.role = title_phrase(s, static_cast<std::size_t>(head.head));
    } else {
      for (auto c : children_of_head(s, m.head))
        if (s.tokens[c].deprel == "appos" && title_[c]) m.role = title_phrase(s, c);
    }
    if (!m.role.empty() && m.type == actor_type::other) m.type = actor_type::person;
  }

  std::vector<std::size_t> children_of_head(const sentence& s, std::size_t h) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < s.tokens.size(); ++i)
      if (s.tokens[i].head == static_cast<int>(h)) out.push_back(i);
    return out;
  }

  // The title words around a title token: the contiguous run of titles and nationality words.
  std::string title_phrase(const sentence& s, std::size_t t) const {
    std::size_t begin = t, end = t + 1;
    while (begin > 0 && (title_[begin - 1] || demonym_[begin - 1])) --begin;
    while (end < s.tokens.size() && title_[end]) ++end;
    return words_text(text_, s, begin, end);
  }

  // --- resolution across the document ----------------------------------------------------------
  static constexpr std::size_t full_names_npos = static_cast<std::size_t>(-1);
  position where(const actor_mention& m) const { return {m.sentence, m.begin}; }

  void resolve_names() {
    std::vector<std::size_t> full_names;
    // The words of each full name, folded once: folding inside the loop below made a document
    // naming thousands of people take minutes. Kept current when a full name is itself resolved.
    std::vector<std::vector<std::string>> full_words;
    std::vector<std::size_t> full_slot(out_.mentions.size(), full_names_npos);
    for (std::size_t k = 0; k < out_.mentions.size(); ++k) {
      const auto& m = out_.mentions[k];
      if (m.kind != mention_kind::name || m.type != actor_type::person) continue;
      auto words = name_words(m.name);
      if (words.size() < 2) continue;
      full_slot[k] = full_names.size();
      full_names.push_back(k);
      full_words.push_back(std::move(words));
    }
    for (std::size_t k = 0; k < out_.mentions.size(); ++k) {
      auto& m = out_.mentions[k];
      if (m.kind != mention_kind::name) continue;
      // A tagger's "place" that is a word of a person's full name is that person ("Lavrov").
      const bool from_gazetteer = names_.find(m.name) != nullptr;
      if (m.type != actor_type::person && m.type != actor_type::other && (m.type != actor_type::place || from_gazetteer))
        continue;
      if (!m.name.empty() && m.name[0] == '@') {
        resolve_handle(k);
        continue;
      }
      const auto words = name_words(m.name);
      const actor_mention* best = nullptr;
      for (std::size_t j = 0; j < full_names.size(); ++j) {
        const auto& full = out_.mentions[full_names[j]];
        if (!is_sub_name(words, full_words[j])) continue;
        // The nearest full name before the short form, else the first after it.
        if (!best || (where(full) < where(m) && (where(*best) > where(m) || where(full) > where(*best)))) best = &full;
      }
      if (!best && words.size() == 1) best = sound_alike(words[0], full_names, full_words);
      if (best) {
        m.name = best->name;
        m.type = actor_type::person;
        if (m.role.empty()) m.role = best->role;
        if (full_slot[k] != full_names_npos) full_words[full_slot[k]] = name_words(m.name);
      }
    }
  }

  // A machine-translated article spells one surname several ways ("Burel", "Barel", "Barrel"):
  // a single capitalised word within two edits of the surname of exactly one full name in the
  // same article, with the same first letter, is that person.
  const actor_mention* sound_alike(const std::string& word, const std::vector<std::size_t>& full_names,
                                   const std::vector<std::vector<std::string>>& full_words) const {
    if (word.size() < 4) return nullptr;
    const actor_mention* found = nullptr;
    for (std::size_t j = 0; j < full_names.size(); ++j) {
      const auto& full = out_.mentions[full_names[j]];
      const auto& surname = full_words[j].back();
      if (surname.size() < 4 || surname[0] != word[0] || surname == word) continue;
      const std::size_t limit = std::min(word.size(), surname.size()) >= 5 ? 2 : 1;
      if (edit_distance(word, surname) > limit) continue;
      if (found && found->name != full.name) return nullptr;  // two candidates: leave it alone
      found = &full;
    }
    return found;
  }



  void resolve_handle(std::size_t k) {
    auto& m = out_.mentions[k];
    const auto& s = a_.sentences[m.sentence];
    // "— Josep Borrell Fontelles (@JosepBorrellF) February 10, 2022": the name before the brackets.
    if (m.begin >= 2 && s.tokens[m.begin - 1].form == "(") {
      if (const int p = out_.at[m.sentence][m.begin - 2]; p >= 0) {
        const auto& owner = out_.mentions[static_cast<std::size_t>(p)];
        if (owner.kind == mention_kind::name && owner.name[0] != '@') {
          m.name = owner.name;
          m.type = owner.type == actor_type::other ? actor_type::person : owner.type;
          return;
        }
      }
    }
    const auto letters = handle_letters(m.name);
    for (const auto& other : out_.mentions) {
      if (other.kind != mention_kind::name || other.type != actor_type::person) continue;
      const auto& words = handle_words(other.name);
      if (words.size() < 2) continue;
      const bool all_in = std::all_of(words.begin(), words.end(), [&](const handle_word& w) {
        return w.size >= 2 && letters.find(w.letters) != std::string::npos;
      });
      if (all_in) {
        m.name = other.name;
        m.type = actor_type::person;
        return;
      }
    }
  }

  // The words of a name as a handle spells them, folded once per name: a document with thousands
  // of handles and names compares every pair.
  struct handle_word {
    std::size_t size;     // of the folded word
    std::string letters;  // handle_letters of it
  };
  const std::vector<handle_word>& handle_words(const std::string& name) {
    auto [it, inserted] = handle_words_.try_emplace(name);
    if (inserted)
      for (const auto& w : name_words(name)) it->second.push_back({w.size(), handle_letters(w)});
    return it->second;
  }

  void resolve_groups() {
    for (auto& m : out_.mentions) {
      if (m.kind != mention_kind::group || !m.name.empty()) continue;
      // Bare "member states": members of the organisation named most recently before.
      const actor_mention* org = nullptr;
      for (const auto& o : out_.mentions) {
        if (o.type != actor_type::organization || o.kind != mention_kind::name) continue;
        if (where(o) < where(m) || !org) org = &o;
        if (where(o) > where(m)) break;
      }
      if (org) m.name = members_name(*org);
    }
  }

  // The speaker of first-person words: the author of a quoted tweet ("… — Name (@handle) date"),
  // or the subject of the speech verb that introduces or closes a quotation.
  void find_speakers() {
    speaker_.assign(a_.sentences.size(), {});
    for (std::size_t si = 0; si < a_.sentences.size(); ++si) {
      const auto& s = a_.sentences[si];
      if (s.tokens.size() < 2) continue;
      const auto& dash = s.tokens[0].form;
      if (dash != "\xE2\x80\x94" && dash != "\xE2\x80\x93" && dash != "-" && dash != "--") continue;
      const int p = out_.at[si][1];
      if (p < 0) continue;
      const auto& author = out_.mentions[static_cast<std::size_t>(p)];
      if (author.kind != mention_kind::name) continue;
      // The tweet is the run of sentences before the attribution within one paragraph.
      for (std::size_t b = si; b > 0; --b) {
        const auto gap = text_.substr(a_.sentences[b - 1].span.end, a_.sentences[b].span.begin - a_.sentences[b - 1].span.end);
        if (gap.find("\n\n") != std::string_view::npos || (gap.find('\n') != std::string_view::npos && b != si)) break;
        speaker_[b - 1] = {author.name, author.type};
      }
    }
    find_quotation_speakers();
  }

  void find_quotation_speakers() {
    // Quotation marks in document order; straight quotes alternate open and close.
    struct mark {
      position at;
      bool open;
    };
    std::vector<mark> marks;
    bool straight_open = false;
    for (std::size_t si = 0; si < a_.sentences.size(); ++si) {
      const auto& s = a_.sentences[si];
      for (std::size_t i = 0; i < s.tokens.size(); ++i) {
        const auto& f = s.tokens[i].form;
        if (f == "\xE2\x80\x9C" || f == "\xC2\xAB" || f == "\xE2\x80\x9E") marks.push_back({{si, i}, true});
        else if (f == "\xE2\x80\x9D" || f == "\xC2\xBB") marks.push_back({{si, i}, false});
        else if (f == "\"" || f == "``" || f == "''") {
          straight_open = !straight_open;
          marks.push_back({{si, i}, straight_open});
        }
      }
    }
    for (std::size_t k = 0; k + 1 < marks.size(); ++k) {
      if (!marks[k].open || marks[k + 1].open) continue;
      const auto open = marks[k].at, close = marks[k + 1].at;
      auto speaker = speech_subject_after(close);
      if (!speaker) speaker = speech_subject_before(open);
      if (!speaker) continue;
      for (auto si = open.sentence; si <= close.sentence; ++si)
        if (speaker_[si].name.empty()) speaker_[si] = *speaker;
    }
  }

  struct speaker {
    std::string name;
    actor_type type = actor_type::other;
  };

  // "…,” Borrell tweeted.  /  "…,” said Borrell.
  std::optional<speaker> speech_subject_after(position close) {
    const auto& s = a_.sentences[close.sentence];
    for (auto i = close.token + 1; i < s.tokens.size() && i <= close.token + 6; ++i) {
      const auto* v = words_.verb(s.tokens[i].lemma);
      if (!v || !v->speech || s.tokens[i].upos != "VERB") continue;
      return subject_of(close.sentence, i);
    }
    return std::nullopt;
  }

  // Borrell said: “…”
  std::optional<speaker> speech_subject_before(position open) {
    const auto& s = a_.sentences[open.sentence];
    for (std::size_t back = 1; back <= 4 && back <= open.token; ++back) {
      const auto i = open.token - back;
      const auto* v = words_.verb(s.tokens[i].lemma);
      if (v && v->speech && s.tokens[i].upos == "VERB") return subject_of(open.sentence, i);
    }
    return std::nullopt;
  }

  std::optional<speaker> subject_of(std::size_t si, std::size_t verb) {
    const auto& s = a_.sentences[si];
    for (std::size_t c = 0; c < s.tokens.size(); ++c) {
      if (s.tokens[c].head != static_cast<int>(verb) || s.tokens[c].deprel != "nsubj") continue;
      const int m = out_.at[si][c];
      if (m < 0) return std::nullopt;
      auto& subject = out_.mentions[static_cast<std::size_t>(m)];
      if (subject.kind == mention_kind::pronoun && !subject.first_person) resolve_reference(static_cast<std::size_t>(m));
      if (subject.name.empty()) return std::nullopt;
      return speaker{subject.name, subject.type};
    }
    return std::nullopt;
  }

  void resolve_references() {
    for (std::size_t k = 0; k < out_.mentions.size(); ++k) resolve_reference(k);
  }

  void resolve_reference(std::size_t k) {
    auto& m = out_.mentions[k];
    if (!m.name.empty()) return;
    if (m.kind == mention_kind::pronoun) {
      if (m.first_person) {
        if (const auto& sp = speaker_[m.sentence]; !sp.name.empty()) {
          m.name = sp.name;
          m.type = sp.type;
          m.confidence = 0.8F;
        }
        return;
      }
      const auto& w = m.title;
      const bool person = w == "he" || w == "him" || w == "his" || w == "himself" || w == "she" || w == "her" || w == "hers";
      const bool thing = w == "it" || w == "its";
      if (thing && m.head < a_.sentences[m.sentence].tokens.size()) {
        const auto& t = a_.sentences[m.sentence].tokens[m.head];
        if (t.deprel == "expl" || t.deprel == "obj") return;  // "it is up to", "made it clear"
      }
      antecedent(m, [&](const actor_mention& c) {
        if (person) return c.type == actor_type::person;
        if (thing) return c.type == actor_type::organization || c.type == actor_type::country;
        return c.plural && c.kind == mention_kind::group;
      });
    } else if (m.kind == mention_kind::description) {
      const auto title_words = name_words(m.title);
      antecedent(m, [&](const actor_mention& c) {
        if (c.type != actor_type::person || c.role.empty() || c.kind == mention_kind::pronoun) return false;
        if (!m.role.empty() && c.role.find(' ') != std::string::npos) {
          // A nationality asked for must not contradict the one in the role.
          const auto role_words = name_words(c.role);
          for (const auto& rw : role_words)
            if (const auto* d = names_.find(capitalised(rw)); d && d->type == gazetteer_type::demonym && d->canonical != m.role)
              return false;
        }
        if (m.title == "*") return true;
        const auto role_words = name_words(c.role);
        return std::search(role_words.begin(), role_words.end(), title_words.begin(), title_words.end()) != role_words.end();
      }, 40);
      if (!m.name.empty()) m.role.clear();
    }
  }

  static std::string capitalised(std::string w) {
    if (!w.empty()) w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    return w;
  }

  // The most salient earlier mention that passes `fits`: recent, and a subject if possible.
  template <typename F>
  void antecedent(actor_mention& m, F fits, std::size_t window = 3) {
    const actor_mention* best = nullptr;
    double best_score = 0;
    // Mentions come in sentence order: only those of the window's sentences can fit, and looking
    // at no others keeps a document of thousands of pronouns linear.
    const std::size_t first_sentence = m.sentence > window ? m.sentence - window : 0;
    const auto by_sentence = [](const actor_mention& c, std::size_t si) { return c.sentence < si; };
    const auto from = std::lower_bound(out_.mentions.begin(), out_.mentions.end(), first_sentence, by_sentence);
    const auto to = std::lower_bound(from, out_.mentions.end(), m.sentence + 1, by_sentence);
    for (auto it = from; it != to; ++it) {
      const auto& c = *it;
      if (&c == &m || c.name.empty() || !(where(c) < where(m))) continue;
      if (m.sentence - c.sentence > window || !fits(c)) continue;
      const auto& t = a_.sentences[c.sentence].tokens[c.head];
      double score = 10.0 - static_cast<double>(m.sentence - c.sentence) * 2.0;
      if (t.deprel.starts_with("nsubj")) score += 3.0;
      if (c.sentence == m.sentence) score += 0.01 * static_cast<double>(c.begin);
      if (!best || score >= best_score) best = &c, best_score = score;
    }
    if (best) {
      m.name = best->name;
      m.type = best->type;
      if (m.kind == mention_kind::description) m.role = best->role;
      m.confidence = best_score >= 11.0 ? 0.8F : 0.6F;
    }
  }

  const analysis& a_;
  std::string_view text_;
  const gazetteer& names_;
  const lexicon& words_;
  document_mentions out_;
  std::size_t first_of_sentence_ = 0;
  children_list children_;
  std::vector<const gazetteer_entry*> gazetteer_at_;
  std::vector<bool> title_;
  std::vector<const gazetteer_entry*> demonym_;
  std::vector<speaker> speaker_;
  std::unordered_map<std::string, std::vector<handle_word>> handle_words_;
};

}  // namespace

document_mentions find_mentions(const analysis& a, std::string_view text, const gazetteer& names, const lexicon& words) {
  return finder(a, text, names, words).run();
}

}  // namespace newsgraph::relations
