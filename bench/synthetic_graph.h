// Synthetic knowledge graphs of any size, for benchmarks of exports and queries.
#pragma once

#include <cstddef>

#include "newsgraph/knowledge_graph.h"

namespace newsgraph {

// A resolved graph of exactly `actors` actors and `statements` statements (statements >= actors
// makes every actor take part; fewer leaves the rest out and gives fewer actors).
//
// It is built the way real graphs are, through add_document() and resolve(), from documents of
// about 100 statements each with dates through 2022. Names are distinct and realistic
// ("Marta Befodeka", "Dalosuba Institute", "Republic of Tenavoki"), each of at least two words,
// built so that the alias resolver merges none of them up to about 250,000 actors (see
// synthetic_graph.cpp); callers can check boost::num_vertices against `actors`. Types: 70% people, 15% organisations, 5% countries, 5% places, 5% groups.
// Subjects and objects are drawn with a skew (a few hubs, a long tail) over 20 relation labels.
// The same arguments give the same graph.
knowledge_graph make_synthetic_graph(std::size_t actors, std::size_t statements, unsigned seed);

}  // namespace newsgraph
