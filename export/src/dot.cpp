#include <gvc.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <tuple>
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

// The cgraph graph of a view, with handles on what render() may lay out itself.
struct cgraph_build {
  graph_ptr graph;
  std::vector<Agnode_t*> nodes;    // per view actor
  std::vector<Agedge_t*> edges;    // per view relation
  std::vector<Agraph_t*> clusters;
  std::vector<std::size_t> group;  // per view actor: its cluster, when clustered
};

cgraph_build build_cgraph(const graph_view& view, const export_options& options) {
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

  // Attribute handles looked up once: agset finds the attribute by name at every call, and a
  // 100,000-actor graph makes a million calls. A value equal to the default is not set: agwrite
  // leaves it out anyway.
  Agsym_t* node_label = agattr(g.get(), AGNODE, c("label"), nullptr);
  Agsym_t* node_shape = agattr(g.get(), AGNODE, c("shape"), nullptr);
  Agsym_t* node_fill = agattr(g.get(), AGNODE, c("fillcolor"), nullptr);
  Agsym_t* edge_label = agattr(g.get(), AGEDGE, c("label"), nullptr);
  Agsym_t* edge_pen = agattr(g.get(), AGEDGE, c("penwidth"), nullptr);
  Agsym_t* edge_dir = agattr(g.get(), AGEDGE, c("dir"), nullptr);
  std::vector<Agnode_t*> nodes(boost::num_vertices(graph), nullptr);
  cgraph_build out;
  out.nodes.reserve(view.actors.size());
  out.edges.reserve(view.relations.size());
  std::string id;
  for (std::size_t i = 0; i < view.actors.size(); ++i) {
    const auto v = view.actors[i];
    const auto& a = graph[v];
    id.clear();  // "a" + to_string(v) trips a false -Wrestrict in g++ 12 (GCC bug 105329)
    id += 'a';
    id += std::to_string(v);
    Agnode_t* n = agnode(g.get(), c(id), 1);
    const auto style = style_of(a.type);
    agxset(n, node_label, c(a.name));
    if (std::strcmp(style.shape, "ellipse") != 0) agxset(n, node_shape, c(style.shape));
    agxset(n, node_fill, c(style.color));
    if (!clusters.empty()) agsubnode(clusters[group[i]], n, 1);
    nodes[v] = n;
    out.nodes.push_back(n);
  }
  std::string label;
  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto e = view.relations[k];
    const auto& r = graph[e];
    id.clear();
    id += 'r';
    id += std::to_string(view.relation_numbers[k]);
    Agedge_t* edge = agedge(g.get(), nodes[boost::source(e, graph)], nodes[boost::target(e, graph)], c(id), 1);
    label = r.label;
    if (r.count() > 1) label.append(" (").append(std::to_string(r.count())).append(")");
    agxset(edge, edge_label, c(label));
    agxset(edge, edge_pen, c(pen_width(r.count())));
    if (r.symmetric) agxset(edge, edge_dir, c("both"));
    out.edges.push_back(edge);
  }
  out.graph = std::move(g);
  out.clusters = std::move(clusters);
  if (!out.clusters.empty()) out.group = std::move(group);
  return out;
}

// One Graphviz context for the process, never freed: Graphviz 2.42's pango plugin remembers the
// last font it measured by a pointer into the context, which freeing the context leaves dangling
// (AddressSanitizer: a use after free in textspan_size at the next render of the process, such
// as a second `export` in the REPL). Renders run one at a time.
GVC_t* graphviz_context() {
  static GVC_t* const context = gvContext();
  return context;
}

}  // namespace

void write_dot(const graph_view& view, const export_options& options, std::ostream& out) {
  const auto built = build_cgraph(view, options);
  Agraph_t* g = built.graph.get();
  char* buffer = nullptr;
  std::size_t size = 0;
  FILE* memory = open_memstream(&buffer, &size);
  if (!memory) throw export_error("dot: cannot allocate an output buffer");
  const int status = agwrite(g, memory);
  std::fclose(memory);
  std::unique_ptr<char, decltype(&std::free)> owner(buffer, &std::free);
  if (status != 0) throw export_error("dot: cgraph failed to write the graph");
  out.write(buffer, static_cast<std::streamsize>(size));
}

void write_dot(const knowledge_graph& g, std::ostream& out) { write_dot(make_view(g), {}, out); }

namespace {

// Above this many actors sfdp takes minutes (about 25 s of CPU on 5,000 synthetic actors, and
// on 100,000 it does not finish in 20 minutes): newsgraph lays the drawing out itself.
constexpr std::size_t large_drawing = 5000;

// A PNG is at most this many pixels a side (Graphviz's `size` scales larger drawings down): the
// raster of a 100,000-actor drawing at full size would take gigabytes.
constexpr double max_png_pixels = 8000, png_dpi = 96;

// Display width of a label in code points.
std::size_t characters(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; }));
}

std::string format_points(std::initializer_list<detail::layout_point> points, const char* flags = "") {
  std::string out = flags;
  char buffer[64];
  for (const auto& p : points) {
    std::snprintf(buffer, sizeof buffer, "%s%.1f,%.1f", out.empty() || out.back() == ' ' ? "" : " ", p.x, p.y);
    out += buffer;
  }
  return out;
}

// Positions every node and edge of `b` (large_layout), for Graphviz's nop2 engine, which then
// only draws: shapes of a size estimated from the label (fixedsize=shape, so the edges meet
// them), straight edges from shape to shape with their arrowheads, parallel edges side by side,
// labels at their middles, clusters as the boxes around their members.
void lay_out_large(cgraph_build& b, const graph_view& view) {
  Agraph_t* g = b.graph.get();
  const auto& graph = view.graph->graph();
  const auto n = view.actors.size();
  // Helvetica 14 averages about 7 points a character; 0.5 inch high, as Graphviz's default.
  std::vector<detail::layout_point> half(n);
  std::vector<bool> boxy(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& a = graph[view.actors[i]];
    half[i] = {std::max(27.0, 7.0 * static_cast<double>(characters(a.name)) / 2 + 14), 18};
    boxy[i] = a.type == actor_type::organization || a.type == actor_type::other;
  }
  const auto group = b.group.empty() ? communities(view) : b.group;
  const auto pos = detail::large_layout(view, half, group);

  Agsym_t* width = agattr(g, AGNODE, c("width"), c("0.75"));
  Agsym_t* height = agattr(g, AGNODE, c("height"), c("0.5"));
  Agsym_t* fixed = agattr(g, AGNODE, c("fixedsize"), c("false"));
  Agsym_t* node_pos = agattr(g, AGNODE, c("pos"), c(""));
  Agsym_t* edge_pos = agattr(g, AGEDGE, c("pos"), c(""));
  Agsym_t* edge_lp = agattr(g, AGEDGE, c("lp"), c(""));
  agattr(g, AGRAPH, c("outputorder"), c("edgesfirst"));  // shapes and their labels over the edges
  char buffer[64];
  for (std::size_t i = 0; i < n; ++i) {
    std::snprintf(buffer, sizeof buffer, "%.2f", 2 * half[i].x / 72);
    agxset(b.nodes[i], width, buffer);
    std::snprintf(buffer, sizeof buffer, "%.2f", 2 * half[i].y / 72);
    agxset(b.nodes[i], height, buffer);
    agxset(b.nodes[i], fixed, c("shape"));
    std::snprintf(buffer, sizeof buffer, "%.1f,%.1f", pos[i].x, pos[i].y);
    agxset(b.nodes[i], node_pos, buffer);
  }
  std::vector<std::uint32_t> index(boost::num_vertices(graph), 0);
  for (std::size_t i = 0; i < n; ++i) index[view.actors[i]] = static_cast<std::uint32_t>(i);
  // Relations between one pair of actors, in view order: the k-th of m is drawn (k - (m-1)/2)
  // times 10 points to the side of the line between the two centres.
  std::vector<std::tuple<std::uint32_t, std::uint32_t, std::size_t>> pairs;
  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto a = index[boost::source(view.relations[k], graph)], z = index[boost::target(view.relations[k], graph)];
    pairs.emplace_back(std::min(a, z), std::max(a, z), k);
  }
  std::sort(pairs.begin(), pairs.end());
  // Distance from a shape's centre to its outline in direction (ux, uy): an ellipse, or a box.
  auto reach = [&](std::size_t i, double ux, double uy) {
    const double rx = half[i].x, ry = half[i].y;
    if (boxy[i]) return std::min(ux == 0 ? 1e300 : rx / std::abs(ux), uy == 0 ? 1e300 : ry / std::abs(uy));
    return 1 / std::sqrt((ux / rx) * (ux / rx) + (uy / ry) * (uy / ry));
  };
  constexpr double arrow = 10;  // Graphviz's arrowhead length
  for (std::size_t first = 0; first < pairs.size();) {
    std::size_t last = first;
    while (last < pairs.size() && std::get<0>(pairs[last]) == std::get<0>(pairs[first]) && std::get<1>(pairs[last]) == std::get<1>(pairs[first])) ++last;
    const auto low = std::get<0>(pairs[first]), high = std::get<1>(pairs[first]);
    const double dx = pos[high].x - pos[low].x, dy = pos[high].y - pos[low].y, length = std::sqrt(dx * dx + dy * dy);
    const double ux = length > 0 ? dx / length : 1, uy = length > 0 ? dy / length : 0;  // low -> high
    for (std::size_t j = first; j < last; ++j) {
      const auto k = std::get<2>(pairs[j]);
      const auto e = view.relations[k];
      const bool forward = index[boost::source(e, graph)] == low, both = graph[e].symmetric;
      const double side = (static_cast<double>(j - first) - static_cast<double>(last - first - 1) / 2) * 10;
      const detail::layout_point shift{-uy * side, ux * side};
      const detail::layout_point from{pos[low].x + shift.x + ux * reach(low, ux, uy), pos[low].y + shift.y + uy * reach(low, ux, uy)};
      const detail::layout_point to{pos[high].x + shift.x - ux * reach(high, -ux, -uy), pos[high].y + shift.y - uy * reach(high, -ux, -uy)};
      const double gap = (to.x - from.x) * ux + (to.y - from.y) * uy;
      // Tail and head in the edge's own direction.
      auto tail = forward ? from : to, head = forward ? to : from;
      const double sx = forward ? ux : -ux, sy = forward ? uy : -uy;
      std::string route;
      if (gap <= arrow + 1) {  // shapes (nearly) touching: no room for an arrowhead, a line between the centres
        const detail::layout_point a{pos[forward ? low : high].x + shift.x, pos[forward ? low : high].y + shift.y};
        const detail::layout_point z{pos[forward ? high : low].x + shift.x, pos[forward ? high : low].y + shift.y};
        route = format_points({a, {a.x + (z.x - a.x) / 3, a.y + (z.y - a.y) / 3}, {a.x + 2 * (z.x - a.x) / 3, a.y + 2 * (z.y - a.y) / 3}, z});
      } else {
        const detail::layout_point start = both ? detail::layout_point{tail.x + sx * arrow, tail.y + sy * arrow} : tail;
        const detail::layout_point end{head.x - sx * arrow, head.y - sy * arrow};
        std::string flags = both ? format_points({tail}, "s,") + " " : "";
        flags += format_points({head}, "e,") + " ";
        route = format_points({start, {start.x + (end.x - start.x) / 3, start.y + (end.y - start.y) / 3},
                               {start.x + 2 * (end.x - start.x) / 3, start.y + 2 * (end.y - start.y) / 3}, end},
                              flags.c_str());
      }
      agxset(b.edges[k], edge_pos, c(route));
      std::snprintf(buffer, sizeof buffer, "%.1f,%.1f", (from.x + to.x) / 2, (from.y + to.y) / 2);
      agxset(b.edges[k], edge_lp, buffer);
    }
    first = last;
  }
  // nop2 draws a cluster only with a bounding box.
  if (!b.clusters.empty()) {
    Agsym_t* bb = agattr(g, AGRAPH, c("bb"), c(""));
    std::vector<std::array<double, 4>> box(b.clusters.size(), {1e300, 1e300, -1e300, -1e300});
    for (std::size_t i = 0; i < n; ++i) {
      auto& x = box[b.group[i]];
      x = {std::min(x[0], pos[i].x - half[i].x - 8), std::min(x[1], pos[i].y - half[i].y - 8), std::max(x[2], pos[i].x + half[i].x + 8),
           std::max(x[3], pos[i].y + half[i].y + 24)};  // room for the cluster's label on top
    }
    for (std::size_t k = 0; k < b.clusters.size(); ++k) {
      if (box[k][0] > box[k][2]) continue;
      std::snprintf(buffer, sizeof buffer, "%.1f,%.1f,%.1f,%.1f", box[k][0], box[k][1], box[k][2], box[k][3]);
      agxset(b.clusters[k], bb, buffer);
    }
  }
}

}  // namespace

void print_notice(std::string_view line) { std::cerr << "newsgraph: " << line << '\n'; }

void render(const graph_view& view, const export_options& options, export_format format, const std::string& path) {
  const char* renderer = format == export_format::svg ? "svg" : format == export_format::png ? "png" : nullptr;
  if (!renderer) throw export_error("render: only svg and png are rendered");
  auto built = build_cgraph(view, options);
  Agraph_t* g = built.graph.get();
  GVC_t* gvc = graphviz_context();
  // dot's layered layout reads best but grows superlinearly; sfdp scales to thousands of actors;
  // beyond, newsgraph positions everything and Graphviz only draws (nop2).
  std::string layout = options.layout;
  if (layout.empty() && view.actors.size() > large_drawing) {
    lay_out_large(built, view);
    layout = "nop2";
    if (options.notice) {
      std::string line = std::to_string(view.actors.size()) + " actors, " + std::to_string(view.relations.size()) +
                         " relations: too many for Graphviz's layouts; laid out by newsgraph (groups on disks, force-directed "
                         "refinement, straight edges) and drawn by Graphviz";
      if (format == export_format::png) line += "; at most 8000 pixels a side";
      options.notice(line);
    }
  } else if (layout.empty()) {
    layout = view.actors.size() > 300 ? "sfdp" : "dot";
  }
  if (format == export_format::png) {  // `size` only ever scales down: small drawings are unchanged
    char size[64];
    std::snprintf(size, sizeof size, "%.2f,%.2f", max_png_pixels / png_dpi, max_png_pixels / png_dpi);
    agattr(g, AGRAPH, c("size"), size);
    std::snprintf(size, sizeof size, "%.0f", png_dpi);
    agattr(g, AGRAPH, c("dpi"), size);
  }
  if (gvLayout(gvc, g, layout.c_str()) != 0) {
    std::string message = "render: Graphviz layout '";
    throw export_error(message.append(layout).append("' failed"));
  }
  const int status = gvRenderFilename(gvc, g, renderer, path.c_str());
  gvFreeLayout(gvc, g);
  if (status != 0) throw export_error(path + ": Graphviz could not render " + renderer);
}

void render(const knowledge_graph& g, export_format format, const std::string& path) {
  render(make_view(g), {}, format, path);
}

}  // namespace newsgraph
