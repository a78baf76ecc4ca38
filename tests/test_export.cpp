#include <doctest/doctest.h>
#include <gvc.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "distinct_names.h"
#include "model.h"
#include "newsgraph/export.h"

using namespace newsgraph;

namespace {

triple make_triple(const mention& s, const std::string& rel, const mention& o, const std::string& date,
                   const std::string& sentence = {}) {
  triple x;
  x.subject = s;
  x.object = o;
  x.relation = rel;
  x.relation_surface = rel + "ed";
  x.relation_class = "statement";
  x.sentence = {0, 20};
  x.sentence_text = sentence.empty() ? "evidence of " + rel : sentence;
  x.date = date;
  x.confidence = 0.75F;
  return x;
}

mention make_mention(const std::string& doc, const std::string& name, actor_type type) {
  return mention{doc, {0, 1}, name, name, type, ""};
}

knowledge_graph sample_graph() {
  auto m = [](const std::string& name, actor_type type) { return make_mention("d1", name, type); };
  const auto borrell = m("Josep Borrell", actor_type::person), lavrov = m("Sergey Lavrov", actor_type::person),
             russia = m("Russia", actor_type::country);
  knowledge_graph g;
  g.add_document({"d1", "text", "A title", "2022-02-10", std::nullopt},
                 {make_triple(borrell, "reply to", lavrov, "2022-02-10"),
                  make_triple(borrell, "reply to", lavrov, "2022-02-10"),
                  make_triple(borrell, "call on", russia, "2022-02-10")});
  g.resolve();
  return g;
}

// Two loosely linked groups and an awkward name, for filters, communities and escaping.
knowledge_graph bigger_graph() {
  auto m = [](const std::string& name, actor_type type) { return make_mention("d2", name, type); };
  const auto a = m("Alpha One", actor_type::person), b = m("Bravo Two", actor_type::person),
             c = m("Charlie Three", actor_type::organization), d = m("Delta Four", actor_type::person),
             e = m("Echo Five", actor_type::person), f = m("Foxtrot \"Six\" \\ Co", actor_type::group);
  knowledge_graph g;
  g.add_document({"d2", "text", "", "2022-03-01", std::nullopt},
                 {make_triple(a, "meet", b, "2022-03-01"), make_triple(a, "meet", b, "2022-03-02"),
                  make_triple(a, "meet", b, "2022-02-27"), make_triple(b, "warn", c, "2022-03-01"),
                  make_triple(a, "warn", c, "2022-03-01"), make_triple(c, "warn", d, "2022-03-01"),
                  make_triple(d, "accuse", e, "2022-03-01", "He said \"no\"\nand\tleft \\ quickly"),
                  make_triple(d, "accuse", e, "2022-03-01"), make_triple(e, "accuse", f, "2022-03-01"),
                  make_triple(d, "accuse", f, "2022-03-01")});
  g.resolve();
  return g;
}

std::string export_text(const knowledge_graph& g, export_format format, const export_options& options = {}) {
  std::ostringstream out;
  export_graph(g, format, "", out, options);
  return out.str();
}

// Sorted: vertex order is resolve()'s business.
std::vector<std::string> names(const graph_view& view) {
  std::vector<std::string> out;
  for (auto v : view.actors) out.push_back(view.graph->graph()[v].name);
  std::sort(out.begin(), out.end());
  return out;
}

std::size_t index_of(const graph_view& view, const std::string& name) {
  for (std::size_t i = 0; i < view.actors.size(); ++i)
    if (view.graph->graph()[view.actors[i]].name == name) return i;
  FAIL("no actor " << name);
  return 0;
}

std::size_t count_lines(const std::string& s) { return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n')); }

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("DOT is written through cgraph and reads back") {
  const auto g = sample_graph();
  std::ostringstream out;
  write_dot(g, out);
  const auto dot = out.str();
  CHECK(dot.find("label=\"Josep Borrell\"") != std::string::npos);
  CHECK(dot.find("label=\"reply to (2)\"") != std::string::npos);
  CHECK(dot.find("shape=hexagon") != std::string::npos);  // Russia, a country
  CHECK(dot.find("fillcolor=\"#d9ead3\"") != std::string::npos);
  CHECK(dot.find("penwidth=2.0") != std::string::npos);   // count 2
  CHECK(dot.find("penwidth=1.0") != std::string::npos);   // count 1

  Agraph_t* parsed = agmemread(dot.c_str());
  REQUIRE(parsed != nullptr);
  CHECK(agnnodes(parsed) == 3);
  CHECK(agnedges(parsed) == 2);
  agclose(parsed);
}

TEST_CASE("DOT clusters by type and by community") {
  const auto g = bigger_graph();
  SUBCASE("type") {
    export_options options;
    options.cluster = cluster_mode::type;
    const auto dot = export_text(g, export_format::dot, options);
    CHECK(dot.find("subgraph cluster_person") != std::string::npos);
    CHECK(dot.find("subgraph cluster_organization") != std::string::npos);
    CHECK(dot.find("subgraph cluster_group") != std::string::npos);
    Agraph_t* parsed = agmemread(dot.c_str());
    REQUIRE(parsed != nullptr);
    CHECK(agnnodes(parsed) == 6);
    agclose(parsed);
  }
  SUBCASE("community") {
    const auto view = make_view(g);
    const auto community = communities(view);
    REQUIRE(community.size() == 6);
    const auto of = [&](const char* name) { return community[index_of(view, name)]; };
    // Alpha, Bravo, Charlie are one group; Delta, Echo, Foxtrot the other (heavier links inside).
    CHECK(of("Alpha One") == of("Bravo Two"));
    CHECK(of("Alpha One") == of("Charlie Three"));
    CHECK(of("Delta Four") == of("Echo Five"));
    CHECK(of("Delta Four") == of("Foxtrot \"Six\" \\ Co"));
    CHECK(of("Alpha One") != of("Delta Four"));
    export_options options;
    options.cluster = cluster_mode::community;
    const auto dot = export_text(g, export_format::dot, options);
    CHECK(dot.find("subgraph cluster_1") != std::string::npos);
    CHECK(dot.find("subgraph cluster_2") != std::string::npos);
    CHECK(dot.find("subgraph cluster_3") == std::string::npos);
  }
  SUBCASE("names parse") {
    CHECK(parse_cluster_mode("community") == cluster_mode::community);
    CHECK_THROWS_WITH_AS(parse_cluster_mode("colour"), "unknown cluster mode 'colour' (expected none, type or community)",
                         export_error);
  }
}

TEST_CASE("filters keep big graphs readable") {
  const auto g = bigger_graph();
  SUBCASE("min-count") {
    export_options options;
    options.min_count = 2;
    const auto view = make_view(g, options);
    CHECK(names(view) == std::vector<std::string>{"Alpha One", "Bravo Two", "Delta Four", "Echo Five"});
    CHECK(view.relations.size() == 2);
  }
  SUBCASE("top") {
    export_options options;
    options.top = 2;
    const auto view = make_view(g, options);
    // Alpha: 3 meet + 1 warn = 4; Bravo: 3 + 1 = 4; Delta: 1 + 2 + 1 = 4; Echo: 2 + 1 = 3.
    // Ties by name: Alpha, Bravo.
    CHECK(names(view) == std::vector<std::string>{"Alpha One", "Bravo Two"});
    CHECK(view.relations.size() == 1);
  }
  SUBCASE("ego graph") {
    export_options options;
    options.actor = "Alpha One";
    options.depth = 1;
    CHECK(names(make_view(g, options)) == std::vector<std::string>{"Alpha One", "Bravo Two", "Charlie Three"});
    options.depth = 2;  // through Charlie to Delta, against the direction of nothing: direction is ignored
    CHECK(names(make_view(g, options)) ==
          std::vector<std::string>{"Alpha One", "Bravo Two", "Charlie Three", "Delta Four"});
    options.actor = "echo five";  // names fold like the REPL's
    options.depth = 1;
    CHECK(names(make_view(g, options)) ==
          std::vector<std::string>{"Delta Four", "Echo Five", "Foxtrot \"Six\" \\ Co"});
  }
  SUBCASE("an ego graph of an unknown actor is an error") {
    export_options options;
    options.actor = "Nobody";
    CHECK_THROWS_WITH_AS(make_view(g, options), "no actor named 'Nobody' in the graph", export_error);
    std::ostringstream out;
    CHECK_THROWS_WITH_AS(export_graph(g, export_format::jsonld, "", out, options),
                         "no actor named 'Nobody' in the graph", export_error);
  }
  SUBCASE("ids do not change under a filter") {
    export_options options;
    options.min_count = 2;
    const auto all = export_text(g, export_format::nquads), some = export_text(g, export_format::nquads, options);
    std::istringstream lines(some);
    for (std::string line; std::getline(lines, line);) CHECK(all.find(line) != std::string::npos);
    CHECK(count_lines(some) < count_lines(all));
  }
}

TEST_CASE("JSON-LD carries actors, relations, evidence and stable ids") {
  const auto g = sample_graph();
  std::ostringstream first, second;
  write_jsonld(g, first);
  write_jsonld(g, second);
  CHECK(first.str() == second.str());

  rapidjson::Document doc;
  doc.Parse(first.str().c_str());
  REQUIRE_FALSE(doc.HasParseError());
  REQUIRE(doc.HasMember("@context"));
  CHECK(std::string(doc["@context"]["@vocab"].GetString()) == "https://schema.org/");
  int people = 0, countries = 0, relations = 0, articles = 0;
  for (const auto& node : doc["@graph"].GetArray()) {
    const std::string type = node["@type"].GetString();
    if (type == "Person") ++people;
    if (type == "Country") ++countries;
    if (type == "NewsArticle") ++articles;
    if (type == "Person") CHECK(node.HasMember("alternateName"));
    if (type == "Relation") {
      ++relations;
      if (std::string(node["predicate"].GetString()) == "reply to") {
        CHECK(std::string(node["@id"].GetString()) ==
              "urn:newsgraph:relation:josep-borrell/reply-to/sergey-lavrov");
        CHECK(std::string(node["subject"].GetString()) == "urn:newsgraph:actor:josep-borrell");
        CHECK(std::string(node["object"].GetString()) == "urn:newsgraph:actor:sergey-lavrov");
        CHECK(node["count"].GetInt() == 2);
        CHECK(std::string(node["relationClass"].GetString()) == "statement");
        CHECK(std::string(node["firstDate"]["@value"].GetString()) == "2022-02-10");
        CHECK(std::string(node["firstDate"]["@type"].GetString()) == "xsd:date");
        CHECK(node["evidence"].Size() == 2);
        const auto& ev = node["evidence"][1];
        CHECK(std::string(ev["@id"].GetString()) ==
              "urn:newsgraph:relation:josep-borrell/reply-to/sergey-lavrov/evidence/2");
        CHECK(std::string(ev["wasDerivedFrom"].GetString()) == "urn:newsgraph:document:d1");
        CHECK(ev["confidence"].GetDouble() == 0.75);
      }
    }
  }
  CHECK(people == 2);
  CHECK(countries == 1);
  CHECK(relations == 2);
  CHECK(articles == 1);
}

TEST_CASE("RDF literals, IRIs and numbers are written per the specs") {
  using namespace newsgraph::detail;
  CHECK(canonical_double(0.75) == "7.500000000000000E-01");  // what pyld's toRdf writes
  CHECK(canonical_double(1.0) == "1.0E0");
  CHECK(canonical_double(0.0) == "0.0E0");
  CHECK(canonical_double(12.5) == "1.25E1");
  CHECK(relationship_type("reply to") == "REPLY_TO");
  CHECK(relationship_type("send weapons-to") == "SEND_WEAPONS_TO");
  CHECK(relationship_type("") == "RELATED_TO");
  CHECK(slug("Foxtrot \"Six\" \\ Co") == "foxtrot-six-co");
  CHECK(slug("Émile Zola") == "emile-zola");  // name_key folds accents
  CHECK(slug("Влади́мир Путин") == "%D0%B2%D0%BB%D0%B0%D0%B4%D0%B8%D0%BC%D0%B8%D1%80-%D0%BF%D1%83%D1%82%D0%B8%D0%BD");
  CHECK(is_iso_date("2022-02-10"));
  CHECK_FALSE(is_iso_date("10 February 2022"));
  CHECK_FALSE(is_iso_date("2022-13-10"));

  const auto nquads = export_text(bigger_graph(), export_format::nquads);
  CHECK(nquads.find("\"He said \\\"no\\\"\\nand\\tleft \\\\ quickly\"") != std::string::npos);
  CHECK(nquads.find("<urn:newsgraph:actor:foxtrot-six-co> <https://schema.org/name> \"Foxtrot \\\"Six\\\" \\\\ Co\" .")
        != std::string::npos);
  CHECK(nquads.find("\"2022-02-27\"^^<http://www.w3.org/2001/XMLSchema#date>") != std::string::npos);
  CHECK(nquads.find("\"3\"^^<http://www.w3.org/2001/XMLSchema#integer>") != std::string::npos);
  // Every line is one statement: no raw line break escaped into the data.
  std::istringstream lines(nquads);
  for (std::string line; std::getline(lines, line);) {
    CHECK(line.starts_with("<"));
    CHECK(line.ends_with(" ."));
  }
}

TEST_CASE("every format through export_graph") {
  const auto g = sample_graph();
  const auto dir = std::filesystem::temp_directory_path() / "newsgraph-test-export";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  SUBCASE("dot") { CHECK(export_text(g, export_format::dot).starts_with("digraph newsgraph {")); }
  SUBCASE("svg and png are rendered by Graphviz") {
    const auto svg = (dir / "g.svg").string(), png = (dir / "g.png").string();
    export_graph(g, export_format::svg, svg, std::cout);
    const auto text = read_file(svg);
    CHECK(text.find("<svg") != std::string::npos);
    CHECK(text.find("Sergey Lavrov") != std::string::npos);
    export_graph(g, export_format::png, png, std::cout);
    CHECK(read_file(png).substr(0, 8) == "\x89PNG\r\n\x1a\n");
    CHECK(export_text(g, export_format::svg).find("<svg") != std::string::npos);  // through a temporary file
  }
  SUBCASE("jsonld") { CHECK(export_text(g, export_format::jsonld).find("\"@graph\"") != std::string::npos); }
  SUBCASE("nquads") {
    const auto nquads = export_text(g, export_format::nquads);
    // document: 4 statements; actors: 3 each (no alias, no role); relations: 8 + one per evidence;
    // evidence: 8 each.
    CHECK(nquads.find("<urn:newsgraph:actor:josep-borrell> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                      "<https://schema.org/Person> .") != std::string::npos);
    CHECK(nquads.find("<urn:newsgraph:relation:josep-borrell/reply-to/sergey-lavrov/evidence/1> "
                      "<http://www.w3.org/ns/prov#wasDerivedFrom> <urn:newsgraph:document:d1> .") != std::string::npos);
    CHECK(count_lines(nquads) == 4 + 3 * 3 + (8 + 2) + (8 + 1) + 3 * 8);
  }
  SUBCASE("turtle") {
    const auto turtle = export_text(g, export_format::turtle);
    CHECK(turtle.starts_with("@prefix schema: <https://schema.org/> ."));
    CHECK(turtle.find("<urn:newsgraph:actor:sergey-lavrov>\n  a schema:Person ;\n  schema:name \"Sergey Lavrov\" ;")
          != std::string::npos);
    CHECK(turtle.find("ng:count \"2\"^^xsd:integer") != std::string::npos);
  }
  SUBCASE("graphml") {
    const auto graphml = export_text(g, export_format::graphml);
    CHECK(graphml.find("<graphml") != std::string::npos);
    CHECK(graphml.find("<key id=\"key7\" for=\"node\" attr.name=\"name\" attr.type=\"string\" />") !=
          std::string::npos);  // write_graphml numbers keys by name
    CHECK(graphml.find("<data key=\"key7\">Josep Borrell</data>") != std::string::npos);
    std::size_t nodes = 0, edges = 0;
    for (std::size_t at = 0; (at = graphml.find("<node id=", at)) != std::string::npos; ++at) ++nodes;
    for (std::size_t at = 0; (at = graphml.find("<edge id=", at)) != std::string::npos; ++at) ++edges;
    CHECK(nodes == 3);
    CHECK(edges == 2);
  }
  SUBCASE("csv writes a directory for neo4j-admin and Kùzu") {
    export_graph(g, export_format::csv, (dir / "csv").string(), std::cout);
    const auto actors = read_file(dir / "csv" / "neo4j_actors.csv");
    CHECK(actors.starts_with("iri:ID,name,type,aliases:string[],mentions:long,documents:long,:LABEL\n"));
    CHECK(actors.find("urn:newsgraph:actor:russia,Russia,country,,1,1,Actor\n") != std::string::npos);
    const auto relations = read_file(dir / "csv" / "neo4j_relations.csv");
    CHECK(relations.find("urn:newsgraph:actor:josep-borrell,urn:newsgraph:actor:sergey-lavrov,REPLY_TO,") !=
          std::string::npos);
    CHECK(count_lines(read_file(dir / "csv" / "kuzu_actors.csv")) == 4);
    CHECK(count_lines(read_file(dir / "csv" / "kuzu_relations.csv")) == 3);
    CHECK(read_file(dir / "csv" / "kuzu_load.cypher").find("COPY Relation FROM 'kuzu_relations.csv'") !=
          std::string::npos);
  }
  SUBCASE("cypher") {
    const auto cypher = export_text(g, export_format::cypher);
    CHECK(cypher.find("CREATE (:Actor {iri: 'urn:newsgraph:actor:russia', name: 'Russia', type: 'country', "
                      "aliases: [], mentions: 1, documents: 1});") != std::string::npos);
    CHECK(cypher.find("CREATE (s)-[:REPLY_TO {iri: 'urn:newsgraph:relation:josep-borrell/reply-to/sergey-lavrov', "
                      "label: 'reply to', relation_class: 'statement', count: 2, first_date: '2022-02-10', "
                      "last_date: '2022-02-10', symmetric: false}]->(o);") != std::string::npos);
    const auto tricky = export_text(bigger_graph(), export_format::cypher);
    CHECK(tricky.find("name: 'Foxtrot \"Six\" \\\\ Co'") != std::string::npos);
  }
  SUBCASE("errors name the format or file") {
    CHECK(parse_export_format("graphml") == export_format::graphml);
    CHECK_THROWS_WITH_AS(parse_export_format("xml"),
                         "unknown export format 'xml' (expected dot, svg, png, jsonld, nquads, turtle, graphml, csv "
                         "or cypher)",
                         export_error);
    CHECK_THROWS_WITH_AS(export_graph(g, export_format::dot, "/nonexistent-dir/g.dot", std::cout),
                         "/nonexistent-dir/g.dot: cannot open for writing", export_error);
    CHECK_THROWS_WITH_AS(export_graph(g, export_format::csv, "", std::cout),
                         "csv: needs an output directory (-o DIR): it writes several files", export_error);
    CHECK_THROWS_WITH_AS(export_graph(g, export_format::csv, "/proc/newsgraph-csv", std::cout),
                         "/proc/newsgraph-csv: cannot create the csv directory", export_error);
    export_options options;
    options.layout = "no-such-engine";
    std::ostringstream out;
    CHECK_THROWS_WITH_AS(export_graph(g, export_format::svg, "", out, options),
                         "render: Graphviz layout 'no-such-engine' failed", export_error);
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("the same graph gives byte-identical output in every text format") {
  for (auto format : {export_format::dot, export_format::jsonld, export_format::nquads, export_format::turtle,
                      export_format::graphml, export_format::cypher}) {
    CAPTURE(to_string(format));
    CHECK(export_text(bigger_graph(), format) == export_text(bigger_graph(), format));
  }
}

namespace {

// `groups` tight communities of `size` actors each (a ring with chords), joined by one relation
// per pair of neighbouring groups; names that the alias resolver keeps apart (no word shared,
// nothing phonetically close: testing::code_word).
knowledge_graph grouped_graph(std::size_t groups, std::size_t size, std::map<std::string, std::size_t>* group_of = nullptr) {
  const auto word = testing::code_word;
  auto actor = [&](std::size_t i) {
    if (group_of) (*group_of)[word(i) + " Institute"] = i / size;
    return make_mention("d", word(i) + " Institute", actor_type::organization);
  };
  std::vector<triple> ts;
  for (std::size_t g = 0; g < groups; ++g) {
    for (std::size_t i = 0; i < size; ++i) {
      const auto a = g * size + i;
      ts.push_back(make_triple(actor(a), "support", actor(g * size + (i + 1) % size), "2022-01-01"));
      ts.push_back(make_triple(actor(a), "warn", actor(g * size + (i * 7 + 3) % size), "2022-01-01"));
    }
    ts.push_back(make_triple(actor(g * size), "call", actor(((g + 1) % groups) * size + 1), "2022-01-01"));
  }
  knowledge_graph kg;
  kg.add_document({"d", "text", "", "2022-01-01", std::nullopt}, ts);
  kg.resolve();
  return kg;
}

}  // namespace

TEST_CASE("drawings too large for Graphviz's layouts are laid out by newsgraph") {
  std::map<std::string, std::size_t> group_of;
  const auto g = grouped_graph(24, 220, &group_of);
  const auto view = make_view(g);
  REQUIRE(view.actors.size() == 24 * 220);  // the resolver merged none: above the 5,000 limit
  SUBCASE("every actor has a place of its own, its group around it, the same each time") {
    std::vector<detail::layout_point> half(view.actors.size(), {40, 18});
    std::vector<std::size_t> group;  // the groups as planted (as --cluster would give them)
    for (auto v : view.actors) group.push_back(group_of.at(g.graph()[v].name));
    const auto pos = detail::large_layout(view, half, group);
    CHECK(pos.size() == view.actors.size());
    CHECK(detail::large_layout(view, half, group).front().x == pos.front().x);  // deterministic
    // Shapes do not overlap (but for a few the last pass of overlap removal left).
    std::vector<std::pair<double, double>> sorted;
    for (const auto& p : pos) sorted.emplace_back(p.x, p.y);
    std::sort(sorted.begin(), sorted.end());
    std::size_t crowded = 0;
    for (std::size_t i = 0; i < sorted.size(); ++i)
      for (std::size_t j = i + 1; j < sorted.size() && sorted[j].first - sorted[i].first < 80; ++j)
        if (std::abs(sorted[j].second - sorted[i].second) < 36) ++crowded;
    CHECK(crowded < pos.size() / 200);
    // A group's actors are nearer their own centre than other groups' actors are.
    const auto groups = *std::max_element(group.begin(), group.end()) + 1;
    std::vector<detail::layout_point> centre(groups);
    std::vector<double> count(groups, 0);
    for (std::size_t i = 0; i < pos.size(); ++i) centre[group[i]].x += pos[i].x, centre[group[i]].y += pos[i].y, ++count[group[i]];
    for (std::size_t k = 0; k < groups; ++k) centre[k].x /= count[k], centre[k].y /= count[k];
    std::size_t nearest_own = 0;
    for (std::size_t i = 0; i < pos.size(); ++i) {
      std::size_t best = 0;
      double best_d = 1e300;
      for (std::size_t k = 0; k < groups; ++k) {
        const double d = std::hypot(pos[i].x - centre[k].x, pos[i].y - centre[k].y);
        if (d < best_d) best_d = d, best = k;
      }
      nearest_own += best == group[i] ? 1 : 0;
    }
    CHECK(nearest_own > pos.size() * 9 / 10);
    CHECK(groups == 24);
  }
  SUBCASE("the SVG draws every actor and relation, and says how it was laid out") {
    const auto path = std::filesystem::temp_directory_path() / "newsgraph-large.svg";
    export_options options;
    std::vector<std::string> notices;
    options.notice = [&](std::string_view line) { notices.emplace_back(line); };
    render(view, options, export_format::svg, path.string());
    const auto svg = read_file(path);
    auto occurrences = [&](std::string_view what) {
      std::size_t n = 0;
      for (auto at = svg.find(what); at != std::string::npos; at = svg.find(what, at + 1)) ++n;
      return n;
    };
    CHECK(occurrences("class=\"node\"") == view.actors.size());
    CHECK(occurrences("class=\"edge\"") == view.relations.size());
    // An arrowhead on each, but where two shapes nearly touch.
    CHECK(occurrences("<polygon fill=\"black\"") >= view.relations.size() * 99 / 100);
    REQUIRE(notices.size() == 1);
    CHECK(notices[0].find("laid out by newsgraph") != std::string::npos);
    std::filesystem::remove(path);
  }
}
