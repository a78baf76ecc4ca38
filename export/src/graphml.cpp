// g++ 12 reports a false -Wmaybe-uninitialized inside Boost's edge iterator (its boost::optional)
// when write_graphml walks the edges; the pragma must cover the Boost headers' first inclusion.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphml.hpp>
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

#include "model.h"

namespace newsgraph {

namespace {

struct graphml_actor {
  std::string iri, name, type, aliases;
  long mentions = 0;
};

struct graphml_relation {
  std::string iri, label, relation_class, first_date, last_date;
  long count = 0;
  bool symmetric = false;
};

using graphml_graph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, graphml_actor, graphml_relation>;

// XML 1.0 cannot carry C0 controls other than tab and line breaks, not even as references;
// write_graphml escapes markup but passes them through, so they go here.
std::string xml_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (unsigned char ch : s)
    if (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r') out += static_cast<char>(ch);
  return out;
}

}  // namespace

void write_graphml(const graph_view& view, std::ostream& out) {
  const auto& kg = *view.graph;
  const auto& graph = kg.graph();
  const detail::identifiers ids(kg);

  // A compact copy of the view: write_graphml numbers vertices by vertex_index, so the kept actors
  // become n0, n1, ... in vertex order and the stable identity travels in the "iri" key.
  graphml_graph g(view.actors.size());
  std::unordered_map<vertex_id, std::size_t> index;
  index.reserve(view.actors.size());
  for (std::size_t i = 0; i < view.actors.size(); ++i) {
    const auto v = view.actors[i];
    const auto& a = graph[v];
    index.emplace(v, i);
    auto& p = g[i];
    p.iri = ids.actor[v];
    p.name = xml_text(a.name);
    p.type = to_string(a.type);
    for (const auto& alias : a.aliases) {
      if (alias.text == a.name) continue;
      if (!p.aliases.empty()) p.aliases += "; ";
      p.aliases += xml_text(alias.text);
    }
    p.mentions = a.mention_count;
  }
  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto e = view.relations[k];
    const auto& r = graph[e];
    const auto dates = detail::dates_of(r);
    boost::add_edge(index.at(boost::source(e, graph)), index.at(boost::target(e, graph)),
                    graphml_relation{ids.relation[view.relation_numbers[k]], xml_text(r.label),
                                     xml_text(r.relation_class), xml_text(dates.first), xml_text(dates.last),
                                     static_cast<long>(r.count()), r.symmetric},
                    g);
  }

  boost::dynamic_properties dp;
  dp.property("iri", boost::get(&graphml_actor::iri, g));
  dp.property("name", boost::get(&graphml_actor::name, g));
  dp.property("type", boost::get(&graphml_actor::type, g));
  dp.property("aliases", boost::get(&graphml_actor::aliases, g));
  dp.property("mentions", boost::get(&graphml_actor::mentions, g));
  dp.property("relation_iri", boost::get(&graphml_relation::iri, g));
  dp.property("label", boost::get(&graphml_relation::label, g));
  dp.property("relation_class", boost::get(&graphml_relation::relation_class, g));
  dp.property("count", boost::get(&graphml_relation::count, g));
  dp.property("first_date", boost::get(&graphml_relation::first_date, g));
  dp.property("last_date", boost::get(&graphml_relation::last_date, g));
  dp.property("symmetric", boost::get(&graphml_relation::symmetric, g));
  boost::write_graphml(out, g, dp, true);
}

}  // namespace newsgraph
