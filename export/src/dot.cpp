#include <gvc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "newsgraph/export.h"

namespace newsgraph {

namespace {

// cgraph's API predates const: it never writes through these pointers.
char* c(const std::string& s) { return const_cast<char*>(s.c_str()); }
char* c(const char* s) { return const_cast<char*>(s); }

struct type_style {
  const char* shape;
  const char* color;
};

type_style style_of(actor_type type) {
  switch (type) {
    case actor_type::person: return {"ellipse", "#cfe2f3"};
    case actor_type::organization: return {"box", "#fff2cc"};
    case actor_type::country: return {"hexagon", "#d9ead3"};
    case actor_type::place: return {"house", "#ead1dc"};
    case actor_type::group: return {"octagon", "#fce5cd"};
    case actor_type::other: break;
  }
  return {"plaintext", "#eeeeee"};
}

struct graph_closer {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using graph_ptr = std::unique_ptr<Agraph_t, graph_closer>;

graph_ptr build_cgraph(const knowledge_graph& kg) {
  graph_ptr g(agopen(c("newsgraph"), Agdirected, nullptr));
  if (!g) throw export_error("dot: cgraph could not create a graph");
  agattr(g.get(), AGRAPH, c("rankdir"), c("LR"));
  agattr(g.get(), AGRAPH, c("overlap"), c("false"));
  agattr(g.get(), AGNODE, c("shape"), c("ellipse"));
  agattr(g.get(), AGNODE, c("style"), c("filled"));
  agattr(g.get(), AGNODE, c("fillcolor"), c("white"));
  agattr(g.get(), AGNODE, c("fontname"), c("Helvetica"));
  agattr(g.get(), AGNODE, c("label"), c("\\N"));
  agattr(g.get(), AGEDGE, c("label"), c(""));
  agattr(g.get(), AGEDGE, c("fontname"), c("Helvetica"));
  agattr(g.get(), AGEDGE, c("fontsize"), c("10"));
  agattr(g.get(), AGEDGE, c("penwidth"), c("1"));
  agattr(g.get(), AGEDGE, c("dir"), c("forward"));

  const auto& graph = kg.graph();
  std::vector<Agnode_t*> nodes;
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    const auto& a = graph[v];
    std::string id = "a";  // "a" + to_string(v) trips a false -Wrestrict in g++ 12 (GCC bug 105329)
    id += std::to_string(v);
    Agnode_t* n = agnode(g.get(), c(id), 1);
    const auto style = style_of(a.type);
    agset(n, c("label"), c(a.name));
    agset(n, c("shape"), c(style.shape));
    agset(n, c("fillcolor"), c(style.color));
    nodes.push_back(n);
  }
  std::size_t edge_number = 0;
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const auto& r = graph[e];
    std::string id = "r";
    id += std::to_string(edge_number++);
    Agedge_t* edge = agedge(g.get(), nodes[boost::source(e, graph)], nodes[boost::target(e, graph)], c(id), 1);
    const std::string label = r.count() > 1 ? r.label + " (" + std::to_string(r.count()) + ")" : r.label;
    agset(edge, c("label"), c(label));
    agset(edge, c("penwidth"), c(std::to_string(std::min(1 + r.count() / 2, 6U))));
    if (r.symmetric) agset(edge, c("dir"), c("both"));
  }
  return g;
}

struct gvc_closer {
  void operator()(GVC_t* gvc) const { gvFreeContext(gvc); }
};

}  // namespace

void write_dot(const knowledge_graph& kg, std::ostream& out) {
  auto g = build_cgraph(kg);
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* memory = open_memstream(&buffer, &size);
  if (!memory) throw export_error("dot: cannot allocate an output buffer");
  const int status = agwrite(g.get(), memory);
  std::fclose(memory);
  std::unique_ptr<char, decltype(&std::free)> owner(buffer, &std::free);
  if (status != 0) throw export_error("dot: cgraph failed to write the graph");
  out.write(buffer, static_cast<std::streamsize>(size));
}

void render(const knowledge_graph& kg, export_format format, const std::string& path) {
  const char* renderer = format == export_format::svg ? "svg" : format == export_format::png ? "png" : nullptr;
  if (!renderer) throw export_error("render: only svg and png are rendered");
  auto g = build_cgraph(kg);
  std::unique_ptr<GVC_t, gvc_closer> gvc(gvContext());
  const char* layout = boost::num_vertices(kg.graph()) > 300 ? "sfdp" : "dot";
  if (gvLayout(gvc.get(), g.get(), layout) != 0) throw export_error(std::string("render: Graphviz layout '") + layout + "' failed");
  const int status = gvRenderFilename(gvc.get(), g.get(), renderer, path.c_str());
  gvFreeLayout(gvc.get(), g.get());
  if (status != 0) throw export_error(path + ": Graphviz could not render " + renderer);
}

}  // namespace newsgraph
