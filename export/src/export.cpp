#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "newsgraph/export.h"

namespace newsgraph {

export_format parse_export_format(std::string_view name) {
  if (name == "dot") return export_format::dot;
  if (name == "svg") return export_format::svg;
  if (name == "png") return export_format::png;
  if (name == "jsonld") return export_format::jsonld;
  throw export_error("unknown export format '" + std::string(name) + "' (expected dot, svg, png or jsonld)");
}

void export_graph(const knowledge_graph& kg, export_format format, const std::string& path, std::ostream& out) {
  const bool to_stream = path.empty() || path == "-";
  if (format == export_format::svg || format == export_format::png) {
    if (!to_stream) return render(kg, format, path);
    // gvc renders to files; go through a temporary one to reach the stream.
    char name[] = "/tmp/newsgraph-render-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) throw export_error("render: cannot create a temporary file");
    close(fd);
    try {
      render(kg, format, name);
    } catch (...) {
      std::remove(name);
      throw;
    }
    std::ifstream in(name, std::ios::binary);
    out << in.rdbuf();
    std::remove(name);
    return;
  }
  std::ofstream file;
  if (!to_stream) {
    file.open(path, std::ios::binary);
    if (!file) throw export_error(path + ": cannot open for writing");
  }
  std::ostream& sink = to_stream ? out : file;
  if (format == export_format::dot) write_dot(kg, sink);
  else write_jsonld(kg, sink);
  if (!to_stream && !file.flush()) throw export_error(path + ": write failed");
}

}  // namespace newsgraph
