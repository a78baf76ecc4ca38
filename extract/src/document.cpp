#include "newsgraph/document.h"

#include <array>

namespace newsgraph {

namespace {
struct type_names {
  actor_type type;
  std::string_view word;
  std::string_view schema_class;
};
constexpr std::array<type_names, 6> all_types{{
    {actor_type::person, "person", "Person"},
    {actor_type::organization, "organization", "Organization"},
    {actor_type::country, "country", "Country"},
    {actor_type::place, "place", "Place"},
    {actor_type::group, "group", "Organization"},  // schema.org has no class for loose groups
    {actor_type::other, "other", "Thing"},
}};
}  // namespace

std::string_view to_string(actor_type type) { return all_types[static_cast<std::size_t>(type)].word; }

std::string_view schema_org_class(actor_type type) {
  return all_types[static_cast<std::size_t>(type)].schema_class;
}

actor_type parse_actor_type(std::string_view word) {
  for (const auto& t : all_types)
    if (t.word == word) return t.type;
  throw error("unknown actor type '" + std::string(word) +
              "' (expected person, organization, country, place, group or other)");
}

}  // namespace newsgraph
