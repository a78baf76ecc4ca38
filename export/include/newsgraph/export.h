// Writers of the knowledge graph for diagrams (DOT, SVG, PNG) and linked data (JSON-LD).
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "newsgraph/knowledge_graph.h"

namespace newsgraph {

// Thrown when a format is unknown or a renderer fails; the message names the format or file.
class export_error : public error {
public:
  using error::error;
};

enum class export_format { dot, svg, png, jsonld };

// "dot", "svg", "png", "jsonld"; throws export_error listing the known formats otherwise.
export_format parse_export_format(std::string_view name);

// DOT built as a Graphviz cgraph graph (Agraph_t): one node per actor, labelled by its canonical
// name and shaped by type; one edge per relation, labelled "label (count)".
void write_dot(const knowledge_graph& g, std::ostream& out);

// SVG or PNG laid out and rendered by Graphviz's gvc (dot layout; sfdp above 300 actors).
// Binary formats need a real file: `path` is written directly.
void render(const knowledge_graph& g, export_format format, const std::string& path);

// JSON-LD with a schema.org @context: actors as schema.org nodes with name and alternateName,
// relations as nodes with subject, predicate, object, count and evidence. Ids are stable: the same
// graph gives the same document.
void write_jsonld(const knowledge_graph& g, std::ostream& out);

// Writes `format` to the file `path`, or to `out` when path is empty or "-".
void export_graph(const knowledge_graph& g, export_format format, const std::string& path, std::ostream& out);

}  // namespace newsgraph
