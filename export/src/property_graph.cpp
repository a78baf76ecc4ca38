// Property-graph exports: CSV for neo4j-admin and Kùzu, and a Cypher script. All three hold one
// :Actor node per actor (its type a property, so the same script runs on Kùzu, whose node tables
// take one label) and one relationship per relation.
#include <filesystem>
#include <fstream>

#include "model.h"

namespace newsgraph {

namespace {

// RFC 4180 field: quoted when it holds a delimiter, quote or line break; quotes doubled. Line
// breaks become spaces: neo4j-admin rejects them unless --multiline-fields is given.
std::string csv_field(std::string_view s) {
  std::string value = detail::one_line(s);
  if (value.find_first_of(",\"") == std::string::npos) return value;
  std::string out = "\"";
  for (char ch : value) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out += '"';
}

// Aliases without the canonical name, joined by `separator`; the separator itself may not occur in
// an alias, so it becomes a comma there.
std::string joined_aliases(const actor& a, char separator) {
  std::string out;
  for (const auto& alias : a.aliases) {
    if (alias.text == a.name) continue;
    if (!out.empty()) out += separator;
    for (char ch : alias.text) out += ch == separator ? ',' : ch;
  }
  return out;
}

std::ofstream open_file(const std::filesystem::path& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) throw export_error(path.string() + ": cannot open for writing");
  return out;
}

void close_file(std::ofstream& out, const std::filesystem::path& path) {
  if (!out.flush()) throw export_error(path.string() + ": write failed");
}

// Cypher string literal: single quotes, backslash escapes (Neo4j, Memgraph and Kùzu agree on these).
std::string cypher_string(std::string_view s) {
  std::string out = "'";
  for (char ch : s) {
    switch (ch) {
      case '\'': out += "\\'"; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: out += ch;
    }
  }
  return out += '\'';
}

}  // namespace

void write_csv(const graph_view& view, const std::string& dir) {
  namespace fs = std::filesystem;
  const auto& kg = *view.graph;
  const auto& graph = kg.graph();
  const detail::identifiers ids(kg);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) throw export_error(dir + ": cannot create the csv directory");
  const fs::path root(dir);

  // neo4j-admin database import full --nodes=neo4j_actors.csv --relationships=neo4j_relations.csv
  {
    const auto path = root / "neo4j_actors.csv";
    auto out = open_file(path);
    out << "iri:ID,name,type,aliases:string[],mentions:long,documents:long,:LABEL\n";
    for (auto v : view.actors) {
      const auto& a = graph[v];
      out << csv_field(ids.actor[v]) << ',' << csv_field(a.name) << ',' << to_string(a.type) << ','
          << csv_field(joined_aliases(a, ';')) << ',' << a.mention_count << ',' << a.document_count << ",Actor\n";
    }
    close_file(out, path);
  }
  {
    const auto path = root / "neo4j_relations.csv";
    auto out = open_file(path);
    out << ":START_ID,:END_ID,:TYPE,iri,label,relation_class,count:long,first_date,last_date,symmetric:boolean\n";
    for (std::size_t k = 0; k < view.relations.size(); ++k) {
      const auto e = view.relations[k];
      const auto& r = graph[e];
      const auto dates = detail::dates_of(r);
      out << csv_field(ids.actor[boost::source(e, graph)]) << ',' << csv_field(ids.actor[boost::target(e, graph)])
          << ',' << detail::relationship_type(r.label) << ',' << csv_field(ids.relation[view.relation_numbers[k]])
          << ',' << csv_field(r.label) << ',' << csv_field(r.relation_class) << ',' << r.count() << ','
          << csv_field(dates.first) << ',' << csv_field(dates.last) << ',' << (r.symmetric ? "true" : "false")
          << '\n';
    }
    close_file(out, path);
  }

  // Kùzu: one node table and one relationship table (the relation's label is a property: Kùzu
  // needs a table per relationship type, and a graph of many labels would need as many files).
  {
    const auto path = root / "kuzu_actors.csv";
    auto out = open_file(path);
    out << "iri,name,type,aliases,mentions,documents\n";
    for (auto v : view.actors) {
      const auto& a = graph[v];
      out << csv_field(ids.actor[v]) << ',' << csv_field(a.name) << ',' << to_string(a.type) << ','
          << csv_field(joined_aliases(a, ';')) << ',' << a.mention_count << ',' << a.document_count << '\n';
    }
    close_file(out, path);
  }
  {
    const auto path = root / "kuzu_relations.csv";
    auto out = open_file(path);
    out << "from,to,iri,label,relation_class,count,first_date,last_date,symmetric\n";
    for (std::size_t k = 0; k < view.relations.size(); ++k) {
      const auto e = view.relations[k];
      const auto& r = graph[e];
      const auto dates = detail::dates_of(r);
      out << csv_field(ids.actor[boost::source(e, graph)]) << ',' << csv_field(ids.actor[boost::target(e, graph)])
          << ',' << csv_field(ids.relation[view.relation_numbers[k]]) << ',' << csv_field(r.label) << ','
          << csv_field(r.relation_class) << ',' << r.count() << ',' << csv_field(dates.first) << ','
          << csv_field(dates.last) << ',' << (r.symmetric ? "true" : "false") << '\n';
    }
    close_file(out, path);
  }
  {
    const auto path = root / "kuzu_load.cypher";
    auto out = open_file(path);
    // Quotes are doubled inside quoted fields (RFC 4180): ESCAPE says so, as Kùzu's default is '\'.
    out << "// Kùzu: run from this directory, e.g. kuzu DB < kuzu_load.cypher\n"
           "CREATE NODE TABLE Actor(iri STRING, name STRING, type STRING, aliases STRING, mentions INT64, "
           "documents INT64, PRIMARY KEY (iri));\n"
           "CREATE REL TABLE Relation(FROM Actor TO Actor, iri STRING, label STRING, relation_class STRING, "
           "count INT64, first_date STRING, last_date STRING, symmetric BOOLEAN);\n"
           "COPY Actor FROM 'kuzu_actors.csv' (HEADER=true, ESCAPE='\"');\n"
           "COPY Relation FROM 'kuzu_relations.csv' (HEADER=true, ESCAPE='\"');\n";
    close_file(out, path);
  }
}

void write_cypher(const graph_view& view, std::ostream& out) {
  const auto& kg = *view.graph;
  const auto& graph = kg.graph();
  const detail::identifiers ids(kg);
  out << "// newsgraph: " << view.actors.size() << " actors, " << view.relations.size() << " relations.\n"
      << "// openCypher for Neo4j and Memgraph; on Kùzu, create the Actor table and one REL TABLE per\n"
      << "// relationship type first, and skip the constraint.\n"
      << "CREATE CONSTRAINT actor_iri IF NOT EXISTS FOR (a:Actor) REQUIRE a.iri IS UNIQUE;\n";
  for (auto v : view.actors) {
    const auto& a = graph[v];
    out << "CREATE (:Actor {iri: " << cypher_string(ids.actor[v]) << ", name: " << cypher_string(a.name)
        << ", type: " << cypher_string(to_string(a.type)) << ", aliases: [";
    bool first = true;
    for (const auto& alias : a.aliases) {
      if (alias.text == a.name) continue;
      out << (first ? "" : ", ") << cypher_string(alias.text);
      first = false;
    }
    out << "], mentions: " << a.mention_count << ", documents: " << a.document_count << "});\n";
  }
  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto e = view.relations[k];
    const auto& r = graph[e];
    const auto dates = detail::dates_of(r);
    out << "MATCH (s:Actor {iri: " << cypher_string(ids.actor[boost::source(e, graph)]) << "}), (o:Actor {iri: "
        << cypher_string(ids.actor[boost::target(e, graph)]) << "}) CREATE (s)-[:"
        << detail::relationship_type(r.label) << " {iri: " << cypher_string(ids.relation[view.relation_numbers[k]])
        << ", label: " << cypher_string(r.label);
    // Absent rather than empty, as neo4j-admin reads an empty CSV field.
    if (!r.relation_class.empty()) out << ", relation_class: " << cypher_string(r.relation_class);
    out << ", count: " << r.count();
    if (!dates.first.empty())
      out << ", first_date: " << cypher_string(dates.first) << ", last_date: " << cypher_string(dates.last);
    out << ", symmetric: " << (r.symmetric ? "true" : "false") << "}]->(o);\n";
  }
}

}  // namespace newsgraph
