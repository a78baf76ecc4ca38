#include <doctest/doctest.h>
#include <gvc.h>
#include <rapidjson/document.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "newsgraph/export.h"

using namespace newsgraph;

namespace {

knowledge_graph sample_graph() {
  auto m = [](const std::string& name, actor_type type) { return mention{"d1", {0, 1}, name, name, type, ""}; };
  auto t = [&](const mention& s, const std::string& rel, const mention& o) {
    triple x;
    x.subject = s;
    x.object = o;
    x.relation = rel;
    x.sentence = {0, 20};
    x.sentence_text = "evidence of " + rel;
    x.confidence = 0.75F;
    return x;
  };
  const auto borrell = m("Josep Borrell", actor_type::person), lavrov = m("Sergey Lavrov", actor_type::person),
             russia = m("Russia", actor_type::country);
  knowledge_graph g;
  g.add_document({"d1", "text", "A title", "2022-02-10", std::nullopt},
                 {t(borrell, "reply to", lavrov), t(borrell, "reply to", lavrov), t(borrell, "call on", russia)});
  g.resolve();
  return g;
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

  Agraph_t* parsed = agmemread(dot.c_str());
  REQUIRE(parsed != nullptr);
  CHECK(agnnodes(parsed) == 3);
  CHECK(agnedges(parsed) == 2);
  agclose(parsed);
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
    if (type == "Relation") {
      ++relations;
      if (std::string(node["predicate"].GetString()) == "reply to") {
        CHECK(std::string(node["subject"].GetString()) == "urn:newsgraph:actor:josep-borrell");
        CHECK(std::string(node["object"].GetString()) == "urn:newsgraph:actor:sergey-lavrov");
        CHECK(node["count"].GetInt() == 2);
        CHECK(node["evidence"].Size() == 2);
        CHECK(std::string(node["evidence"][0]["wasDerivedFrom"].GetString()) == "urn:newsgraph:document:d1");
      }
    }
  }
  CHECK(people == 2);
  CHECK(countries == 1);
  CHECK(relations == 2);
  CHECK(articles == 1);
}

TEST_CASE("export formats") {
  SUBCASE("names parse") {
    CHECK(parse_export_format("jsonld") == export_format::jsonld);
    CHECK_THROWS_WITH_AS(parse_export_format("xml"), "unknown export format 'xml' (expected dot, svg, png or jsonld)",
                         export_error);
  }
  SUBCASE("SVG and PNG are rendered by Graphviz") {
    const auto g = sample_graph();
    const auto dir = std::filesystem::temp_directory_path();
    const auto svg = (dir / "newsgraph-test.svg").string(), png = (dir / "newsgraph-test.png").string();
    render(g, export_format::svg, svg);
    std::ifstream in(svg);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(text.find("<svg") != std::string::npos);
    CHECK(text.find("Sergey Lavrov") != std::string::npos);
    render(g, export_format::png, png);
    std::ifstream png_in(png, std::ios::binary);
    char magic[8] = {};
    png_in.read(magic, 8);
    CHECK(std::string(magic + 1, 3) == "PNG");
    std::remove(svg.c_str());
    std::remove(png.c_str());
  }
  SUBCASE("an unwritable path is reported") {
    CHECK_THROWS_WITH_AS(export_graph(sample_graph(), export_format::dot, "/nonexistent-dir/g.dot", std::cout),
                         "/nonexistent-dir/g.dot: cannot open for writing", export_error);
  }
}
