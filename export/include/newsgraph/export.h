// Writers of the knowledge graph for diagrams (DOT, SVG, PNG), linked data (JSON-LD, N-Quads,
// Turtle) and graph tools and databases (GraphML, Neo4j/Kùzu CSV, Cypher).
//
// Every format is written from the same model, so an actor or relation has the same identity in
// each: actors are `urn:newsgraph:actor:<slug of the canonical name>`, relations
// `urn:newsgraph:relation:<subject>/<label>/<object>`, documents `urn:newsgraph:document:<id>`
// (a clash of slugs takes "-2", "-3"... in vertex/edge order). The same graph file therefore
// gives byte-identical output, and filters never renumber what they keep.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/knowledge_graph.h"

namespace newsgraph {

// Thrown when a format is unknown, a filter names no actor, a file cannot be written or a
// renderer fails; the message is one line naming the format or file.
class export_error : public error {
public:
  using error::error;
};

enum class export_format { dot, svg, png, jsonld, nquads, turtle, graphml, csv, cypher };

// "dot", "svg", ..., "cypher"; throws export_error listing the known formats otherwise.
export_format parse_export_format(std::string_view name);
std::string_view to_string(export_format format);

// Binary formats (png) must not be written to a terminal; csv writes a directory of files.
bool is_binary(export_format format);

enum class cluster_mode { none, type, community };

// Writes "newsgraph: LINE" to standard error: export_options::notice's default.
void print_notice(std::string_view line);

// "none", "type", "community"; throws export_error otherwise.
cluster_mode parse_cluster_mode(std::string_view name);

// What to keep and how to draw it. The filters apply to every format, so that a diagram and a
// database load of the same options hold the same actors and relations; `cluster` and `layout`
// only affect DOT, SVG and PNG.
struct export_options {
  std::uint32_t min_count = 1;       // keep relations stated at least this many times
  std::size_t top = 0;               // keep the N most connected actors (0: all)
  std::string actor;                 // ego graph around this actor (empty: whole graph)
  std::size_t depth = 2;             // ego graph radius in relations, either direction
  cluster_mode cluster = cluster_mode::none;
  std::string layout;                // Graphviz engine; empty: dot up to 300 actors, sfdp up to
                                     // 5,000, above that newsgraph's own layout (see render)
  // Reports a choice the user did not make, one line without "newsgraph: " or a newline (the
  // layout of a very large drawing); default: standard error. Empty: say nothing.
  std::function<void(std::string_view)> notice = print_notice;

  bool filtered() const { return min_count > 1 || top > 0 || !actor.empty(); }
};

// The part of a graph an export writes. Filters apply in this order: relations below min_count go;
// the ego graph keeps actors within `depth` of `actor` over the remaining relations; `top` keeps
// the most connected of those (degree = evidence count over the remaining relations, ties by
// name); relations between two kept actors stay. With any filter set, actors left without a
// relation are dropped (except the ego centre), since a diagram of isolated names helps nobody.
struct graph_view {
  const knowledge_graph* graph = nullptr;
  std::vector<vertex_id> actors;         // ascending
  std::vector<edge_id> relations;        // in boost::edges order
  std::vector<std::size_t> relation_numbers;  // each kept relation's position in boost::edges order
};

// Throws export_error "no actor named 'X' in the graph" when options.actor names nobody.
graph_view make_view(const knowledge_graph& g, const export_options& options = {});

// Community of each actor of the view (index into view.actors -> community number from 0, largest
// community first): label propagation weighted by evidence count, in vertex order, so the result
// is deterministic; isolated actors form their own communities.
std::vector<std::size_t> communities(const graph_view& view);

// DOT built as a Graphviz cgraph graph (Agraph_t): one node per actor, labelled by its canonical
// name, shaped and coloured by type; one edge per relation, labelled "label (count)" when the count
// exceeds 1, pen width growing with the count; optional clusters by type or community.
void write_dot(const knowledge_graph& g, std::ostream& out);
void write_dot(const graph_view& view, const export_options& options, std::ostream& out);

// SVG or PNG rendered by Graphviz's gvc, laid out by options.layout, else by dot up to 300 actors
// and sfdp up to 5,000. Above that Graphviz's layouts take minutes to hours (sfdp does not finish
// 100,000 actors in 20 minutes), so newsgraph places every actor itself (communities, or the
// clusters, on disks, then a linear-time force-directed refinement: detail::large_layout), routes
// straight edges and has Graphviz only draw (engine nop2); options.notice says so. Every actor
// and relation of the view is drawn; a drawing that large is for zooming, not reading: the
// filters (--top, --actor) make one that can be read. A PNG is at most 8000 pixels a side
// (scaled down, at 96 dpi). Binary formats need a real file: `path` is written directly.
void render(const knowledge_graph& g, export_format format, const std::string& path);
void render(const graph_view& view, const export_options& options, export_format format, const std::string& path);

// JSON-LD with a schema.org @context: actors as schema.org nodes with name and alternateName;
// relations as ng:Relation nodes with subject, predicate, object, count, relationClass, firstDate,
// lastDate and evidence; each evidence item prov:wasDerivedFrom its document.
void write_jsonld(const knowledge_graph& g, std::ostream& out);
void write_jsonld(const graph_view& view, std::ostream& out);

// RDF 1.1 N-Quads (default graph) and Turtle: exactly the statements the JSON-LD denotes, so a
// JSON-LD processor's toRdf of our JSON-LD gives the same set of N-Quads.
void write_nquads(const graph_view& view, std::ostream& out);
void write_turtle(const graph_view& view, std::ostream& out);

// GraphML through boost::write_graphml: vertices with iri, name, type, aliases, mentions; edges
// with iri, label, relation_class, count, first_date, last_date.
void write_graphml(const graph_view& view, std::ostream& out);

// Property-graph CSV into the directory `dir` (created if missing):
//   neo4j_actors.csv, neo4j_relations.csv  for `neo4j-admin database import full --nodes=...
//                                           --relationships=...` (:ID, :LABEL, :START_ID, :END_ID, :TYPE)
//   kuzu_actors.csv, kuzu_relations.csv, kuzu_load.cypher  for Kùzu (CREATE NODE/REL TABLE + COPY,
//                                           paths relative to `dir`: run it from there)
void write_csv(const graph_view& view, const std::string& dir);

// An openCypher script (Neo4j, Memgraph; Kùzu after its schema) creating the same graph: one
// :Actor node per actor, one relationship per relation typed by its label in upper snake case.
void write_cypher(const graph_view& view, std::ostream& out);

// Writes `format` to the file `path`, or to `out` when path is empty or "-" (csv needs a directory
// path). This is the entry point for the CLI and the REPL's `export FORMAT FILE`.
void export_graph(const knowledge_graph& g, export_format format, const std::string& path, std::ostream& out,
                  const export_options& options);
void export_graph(const knowledge_graph& g, export_format format, const std::string& path, std::ostream& out);

}  // namespace newsgraph
