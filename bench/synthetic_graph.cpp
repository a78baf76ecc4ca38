#include "synthetic_graph.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

namespace newsgraph {

namespace {

constexpr std::array<std::string_view, 40> first_names{
    "Marta", "Josef", "Elena", "Piotr", "Anna", "Karim", "Sofia", "Lukas", "Irina", "Tomas",
    "Leila", "Mateo", "Nadia", "Viktor", "Clara", "Omar", "Hanna", "Dmitri", "Ines", "Pavel",
    "Lucia", "Jonas", "Amira", "Stefan", "Olga", "Rafael", "Yara", "Milan", "Greta", "Andrei",
    "Noor", "Felix", "Daria", "Hugo", "Selin", "Marek", "Alma", "Bruno", "Vera", "Emil"};

// Consonants whose Double Metaphone codes all differ (b P, d T, f F, k K, l L, m M, n N, r R, s S).
constexpr std::string_view consonants = "bdfklmnrs";
constexpr std::string_view vowels = "aeiou";

struct relation_kind {
  std::string_view label, surface, relation_class;
  bool symmetric;
};

constexpr std::array<relation_kind, 20> relation_kinds{{
    {"reply to", "replied to", "statement", false},     {"accuse", "accused", "conflict", false},
    {"meet with", "met with", "consult", true},          {"warn", "warned", "statement", false},
    {"criticise", "criticised", "conflict", false},     {"praise", "praised", "statement", false},
    {"call on", "called on", "statement", false},        {"send weapons to", "sent weapons to", "aid", false},
    {"sanction", "sanctioned", "coerce", false},         {"support", "supported", "cooperate", false},
    {"negotiate with", "negotiated with", "consult", true}, {"threaten", "threatened", "conflict", false},
    {"visit", "visited", "consult", false},              {"invite", "invited", "cooperate", false},
    {"condemn", "condemned", "conflict", false},         {"thank", "thanked", "statement", false},
    {"ask", "asked", "statement", false},                {"reject", "rejected", "conflict", false},
    {"sign agreement with", "signed an agreement with", "cooperate", true}, {"call", "called", "consult", false},
}};

// A surname spelling `code` in its consonants, base 9, most varying first: the alias resolver
// compares names fuzzily only when their phonetic codes (the first four consonant sounds) meet, so
// distinct codes below 9^4 never merge; vowels only vary the look. Longer codes take more syllables.
std::string surname(std::size_t code) {
  std::string out;
  std::size_t vowel = code * 7 + 3;
  for (int i = 0; i < 4 || code > 0; ++i) {
    out += consonants[code % 9];
    out += vowels[vowel % 5];
    code /= 9;
    vowel /= 5;
  }
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

struct synthetic_actor {
  std::string name;
  actor_type type;
};

synthetic_actor make_actor(std::size_t index, std::mt19937& rng) {
  // People: the given name is index % 40 and the surname code index / 40, so two people share a
  // given name only with surnames of different sounds (and different given names never merge).
  // The other kinds are not merged fuzzily, only by identical words, which the codes rule out.
  const auto pick = index % 20;  // deterministic type mix
  if (pick < 14)
    return {std::string(first_names[index % first_names.size()]).append(" ").append(surname(index / first_names.size())),
            actor_type::person};
  const auto word = surname(index);
  if (pick < 17) {
    static constexpr std::array<std::string_view, 4> kinds{" Institute", " Group", " Foundation", " Party"};
    return {word + std::string(kinds[rng() % kinds.size()]), actor_type::organization};
  }
  if (pick == 17) return {std::string("Republic of ").append(word), actor_type::country};
  if (pick == 18) return {word + " City", actor_type::place};
  return {word + " Brigade", actor_type::group};
}

}  // namespace

knowledge_graph make_synthetic_graph(std::size_t actors, std::size_t statements, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<synthetic_actor> cast;
  cast.reserve(actors);
  for (std::size_t i = 0; i < actors; ++i) cast.push_back(make_actor(i, rng));

  std::uniform_real_distribution<double> unit(0.0, 1.0);
  // Skewed choice: u^3 puts about a fifth of the picks on the first 1% of actors.
  auto skewed = [&] { return static_cast<std::size_t>(static_cast<double>(actors) * std::pow(unit(rng), 3.0)) % actors; };

  knowledge_graph g;
  constexpr std::size_t per_document = 100;
  std::vector<triple> triples;
  std::size_t document_number = 0;
  auto flush = [&] {
    if (triples.empty()) return;
    document doc;
    doc.id = "synthetic-" + std::to_string(document_number);
    const auto day = document_number % 365;
    char date[16];
    std::snprintf(date, sizeof date, "2022-%02zu-%02zu", day / 31 % 12 + 1, day % 28 + 1);
    doc.date = date;
    doc.title = "Synthetic report " + std::to_string(document_number);
    for (auto& t : triples) t.date = date, t.subject.document_id = t.object.document_id = doc.id;
    g.add_document(doc, triples);
    triples.clear();
    ++document_number;
  };

  for (std::size_t s = 0; s < statements; ++s) {
    // The first `actors` statements give every actor a turn as subject; the rest follow the skew.
    const std::size_t subject = s < actors ? s : skewed();
    std::size_t object = skewed();
    if (object == subject) object = (object + 1) % actors;
    if (actors < 2) break;
    const auto& kind = relation_kinds[rng() % relation_kinds.size()];
    const auto& a = cast[subject];
    const auto& b = cast[object];
    triple t;
    t.subject = mention{"", {0, static_cast<std::uint32_t>(a.name.size())}, a.name, a.name, a.type, ""};
    std::string sentence = a.name;
    sentence.append(" ").append(kind.surface).append(" ");
    const auto object_begin = static_cast<std::uint32_t>(sentence.size());
    sentence.append(b.name).append(" on Tuesday, according to officials.");
    t.object = mention{"", {object_begin, static_cast<std::uint32_t>(object_begin + b.name.size())}, b.name, b.name,
                       b.type, ""};
    t.relation_surface = kind.surface;
    t.relation = kind.label;
    t.relation_class = kind.relation_class;
    t.symmetric = kind.symmetric;
    t.sentence = {0, static_cast<std::uint32_t>(sentence.size())};
    t.sentence_text = std::move(sentence);
    t.confidence = 0.5F + 0.5F * static_cast<float>(unit(rng));
    triples.push_back(std::move(t));
    if (triples.size() == per_document) flush();
  }
  flush();
  g.resolve();
  return g;
}

}  // namespace newsgraph
