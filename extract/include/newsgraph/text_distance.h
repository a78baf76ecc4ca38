// Distances between strings, for "did you mean" and for spelling variants of names.
#pragma once

#include <cstddef>
#include <string_view>

namespace newsgraph {

// Levenshtein distance counted in bytes (insertions, deletions and substitutions cost 1). Callers
// compare folded ASCII-ish keys, where bytes and letters coincide.
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace newsgraph
