#include <gvc.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>

#include "model.h"

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

// Pen width: 1 for a single statement, growing with the logarithm of the count up to 6, so that one
// relation stated 200 times does not hide the rest.
std::string pen_width(std::uint32_t count) {
  const double width = std::min(6.0, 1.0 + std::log2(static_cast<double>(std::max(count, 1U))));
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%.1f", width);
  return buffer;
}

struct graph_closer {
  void operator()(Agraph_t* g) const { agclose(g); }
};
using graph_ptr = std::unique_ptr<Agraph_t, graph_closer>;

graph_ptr build_cgraph(const graph_view& view, const export_options& options) {
  graph_ptr g(agopen(c("newsgraph"), Agdirected, nullptr));
  if (!g) throw export_error("dot: cgraph could not create a graph");
  agattr(g.get(), AGRAPH, c("rankdir"), c("LR"));
  agattr(g.get(), AGRAPH, c("overlap"), c("false"));
  if (options.cluster != cluster_mode::none) {
    agattr(g.get(), AGRAPH, c("label"), c(""));
    agattr(g.get(), AGRAPH, c("style"), c("rounded"));
    agattr(g.get(), AGRAPH, c("color"), c("#999999"));
    agattr(g.get(), AGRAPH, c("fontname"), c("Helvetica"));
  }
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

  const auto& graph = view.graph->graph();
  // Clusters are subgraphs named "cluster..."; Graphviz draws each as a box around its members.
  std::vector<std::size_t> group(view.actors.size(), 0);
  std::vector<Agraph_t*> clusters;
  if (options.cluster == cluster_mode::type) {
    std::map<actor_type, Agraph_t*> by_type;
    for (std::size_t i = 0; i < view.actors.size(); ++i) by_type.try_emplace(graph[view.actors[i]].type, nullptr);
    for (auto& [type, sub] : by_type) {
      std::string name = "cluster_";
      name += to_string(type);
      sub = agsubg(g.get(), c(name), 1);
      agset(sub, c("label"), c(std::string(to_string(type))));
      clusters.push_back(sub);
    }
    for (std::size_t i = 0; i < view.actors.size(); ++i)
      group[i] = static_cast<std::size_t>(std::distance(by_type.begin(), by_type.find(graph[view.actors[i]].type)));
  } else if (options.cluster == cluster_mode::community) {
    group = communities(view);
    const auto count = group.empty() ? 0 : *std::max_element(group.begin(), group.end()) + 1;
    for (std::size_t k = 0; k < count; ++k) {
      std::string name = "cluster_";
      name += std::to_string(k + 1);
      Agraph_t* sub = agsubg(g.get(), c(name), 1);
      std::string label = "community ";
      label += std::to_string(k + 1);
      agset(sub, c("label"), c(label));
      clusters.push_back(sub);
    }
  }

  std::unordered_map<vertex_id, Agnode_t*> nodes;
  nodes.reserve(view.actors.size());
  for (std::size_t i = 0; i < view.actors.size(); ++i) {
    const auto v = view.actors[i];
    const auto& a = graph[v];
    std::string id = "a";  // "a" + to_string(v) trips a false -Wrestrict in g++ 12 (GCC bug 105329)
    id += std::to_string(v);
    Agnode_t* n = agnode(g.get(), c(id), 1);
    const auto style = style_of(a.type);
    agset(n, c("label"), c(a.name));
    agset(n, c("shape"), c(style.shape));
    agset(n, c("fillcolor"), c(style.color));
    if (!clusters.empty()) agsubnode(clusters[group[i]], n, 1);
    nodes.emplace(v, n);
  }
  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto e = view.relations[k];
    const auto& r = graph[e];
    std::string id = "r";
    id += std::to_string(view.relation_numbers[k]);
    Agedge_t* edge = agedge(g.get(), nodes.at(boost::source(e, graph)), nodes.at(boost::target(e, graph)), c(id), 1);
    std::string label = r.label;
    if (r.count() > 1) label.append(" (").append(std::to_string(r.count())).append(")");
    agset(edge, c("label"), c(label));
    agset(edge, c("penwidth"), c(pen_width(r.count())));
    if (r.symmetric) agset(edge, c("dir"), c("both"));
  }
  return g;
}

struct gvc_closer {
  void operator()(GVC_t* gvc) const { gvFreeContext(gvc); }
};

}  // namespace

void write_dot(const graph_view& view, const export_options& options, std::ostream& out) {
  auto g = build_cgraph(view, options);
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

void write_dot(const knowledge_graph& g, std::ostream& out) { write_dot(make_view(g), {}, out); }

void render(const graph_view& view, const export_options& options, export_format format, const std::string& path) {
  const char* renderer = format == export_format::svg ? "svg" : format == export_format::png ? "png" : nullptr;
  if (!renderer) throw export_error("render: only svg and png are rendered");
  auto g = build_cgraph(view, options);
  std::unique_ptr<GVC_t, gvc_closer> gvc(gvContext());
  // dot's layered layout reads best but grows superlinearly; sfdp scales to large graphs.
  const std::string layout = !options.layout.empty() ? options.layout : view.actors.size() > 300 ? "sfdp" : "dot";
  if (gvLayout(gvc.get(), g.get(), layout.c_str()) != 0) {
    std::string message = "render: Graphviz layout '";
    throw export_error(message.append(layout).append("' failed"));
  }
  const int status = gvRenderFilename(gvc.get(), g.get(), renderer, path.c_str());
  gvFreeLayout(gvc.get(), g.get());
  if (status != 0) throw export_error(path + ": Graphviz could not render " + renderer);
}

void render(const knowledge_graph& g, export_format format, const std::string& path) {
  render(make_view(g), {}, format, path);
}

}  // namespace newsgraph
