#include <unistd.h>

#include <array>
#include <cstdio>
#include <fstream>

#include "model.h"

namespace newsgraph {

namespace {

constexpr std::array<std::pair<std::string_view, export_format>, 9> format_names{{
    {"dot", export_format::dot},
    {"svg", export_format::svg},
    {"png", export_format::png},
    {"jsonld", export_format::jsonld},
    {"nquads", export_format::nquads},
    {"turtle", export_format::turtle},
    {"graphml", export_format::graphml},
    {"csv", export_format::csv},
    {"cypher", export_format::cypher},
}};

// gvc renders to files; a stream is reached through a temporary one.
void render_to_stream(const graph_view& view, const export_options& options, export_format format, std::ostream& out) {
  char name[] = "/tmp/newsgraph-render-XXXXXX";
  const int fd = mkstemp(name);
  if (fd < 0) throw export_error("render: cannot create a temporary file");
  close(fd);
  try {
    render(view, options, format, name);
  } catch (...) {
    std::remove(name);
    throw;
  }
  std::ifstream in(name, std::ios::binary);
  out << in.rdbuf();
  std::remove(name);
}

}  // namespace

export_format parse_export_format(std::string_view name) {
  for (const auto& [word, format] : format_names)
    if (word == name) return format;
  throw export_error("unknown export format '" + std::string(name) +
                     "' (expected dot, svg, png, jsonld, nquads, turtle, graphml, csv or cypher)");
}

std::string_view to_string(export_format format) {
  for (const auto& [word, f] : format_names)
    if (f == format) return word;
  return "?";
}

bool is_binary(export_format format) { return format == export_format::png; }

cluster_mode parse_cluster_mode(std::string_view name) {
  if (name == "none") return cluster_mode::none;
  if (name == "type") return cluster_mode::type;
  if (name == "community") return cluster_mode::community;
  throw export_error("unknown cluster mode '" + std::string(name) + "' (expected none, type or community)");
}

void export_graph(const knowledge_graph& kg, export_format format, const std::string& path, std::ostream& out,
                  const export_options& options) {
  const bool to_stream = path.empty() || path == "-";
  if (format == export_format::csv && to_stream)
    throw export_error("csv: needs an output directory (-o DIR): it writes several files");
  const auto view = make_view(kg, options);
  if (format == export_format::csv) return write_csv(view, path);
  if (format == export_format::svg || format == export_format::png) {
    if (to_stream) return render_to_stream(view, options, format, out);
    return render(view, options, format, path);
  }
  std::ofstream file;
  if (!to_stream) {
    file.open(path, std::ios::binary);
    if (!file) throw export_error(path + ": cannot open for writing");
  }
  std::ostream& sink = to_stream ? out : file;
  switch (format) {
    case export_format::dot: write_dot(view, options, sink); break;
    case export_format::jsonld: write_jsonld(view, sink); break;
    case export_format::nquads: write_nquads(view, sink); break;
    case export_format::turtle: write_turtle(view, sink); break;
    case export_format::graphml: write_graphml(view, sink); break;
    case export_format::cypher: write_cypher(view, sink); break;
    default: break;
  }
  if (!to_stream && !file.flush()) throw export_error(path + ": write failed");
}

void export_graph(const knowledge_graph& kg, export_format format, const std::string& path, std::ostream& out) {
  export_graph(kg, format, path, out, {});
}

}  // namespace newsgraph
