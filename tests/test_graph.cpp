#include <doctest/doctest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "newsgraph/graph_file.h"
#include "newsgraph/knowledge_graph.h"
#include "newsgraph/query.h"
#include "newsgraph/utf8.h"

using namespace newsgraph;

namespace {

mention person(const std::string& doc, const std::string& name, const std::string& text = "") {
  return {doc, {0, 1}, text.empty() ? name : text, name, actor_type::person, ""};
}

triple statement(const mention& s, const std::string& relation, const mention& o) {
  triple t;
  t.subject = s;
  t.object = o;
  t.relation = relation;
  t.relation_surface = relation;
  t.sentence_text = s.text + " " + relation + " " + o.text + ".";
  t.confidence = 0.5F;
  return t;
}

document doc(const std::string& id) { return {id, "text", std::nullopt, std::nullopt, std::nullopt}; }

std::string temporary_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("newsgraph-test-" + name)).string();
}

}  // namespace

TEST_CASE("name_key folds what does not tell names apart") {
  CHECK(name_key("Sergey Lavrov") == "sergey lavrov");
  CHECK(name_key("@JosepBorrellF") == "josepborrellf");
  CHECK(name_key("#Lavrov") == "lavrov");
  CHECK(name_key("the Kremlin's") == "kremlin");
  CHECK(name_key("Lavrov\xE2\x80\x99s") == "lavrov");
  CHECK(name_key("U.S.") == "u s");
  CHECK(name_key("Zelenskyy") != name_key("Zelensky"));  // transliterations are the alias resolver's job
}

TEST_CASE("name_key folds ASCII without utf8proc, as utf8proc would") {
  // The fast path assumes utf8::fold lower-cases ASCII and changes nothing else in it.
  for (int c = 1; c < 128; ++c) {
    const std::string one(1, static_cast<char>(c));
    CHECK(utf8::fold(one) == std::string(1, static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c)));
  }
  CHECK(name_key("The KREMLIN's") == "kremlin");
  CHECK(name_key("Pedro S\xC3\xA1nchez") == "pedro sanchez");  // and the rest still goes through utf8proc
}

TEST_CASE("knowledge_graph merges exact names and surnames") {
  knowledge_graph g;
  g.add_document(doc("d1"), {statement(person("d1", "Josep Borrell"), "reply to", person("d1", "Sergey Lavrov"))});
  g.add_document(doc("d2"), {statement(person("d2", "Borrell"), "meet", person("d2", "Antony Blinken")),
                             statement(person("d2", "Lavrov"), "blame", person("d2", "Antony Blinken"))});
  g.resolve();
  const auto& graph = g.graph();

  SUBCASE("one vertex per actor") {
    CHECK(boost::num_vertices(graph) == 3);
    CHECK(boost::num_edges(graph) == 3);
  }
  SUBCASE("a surname finds its full name, canonical name is the full form") {
    const auto v = g.find_actor("Borrell");
    REQUIRE(v.has_value());
    CHECK(graph[*v].name == "Josep Borrell");
    CHECK(g.find_actor("josep BORRELL") == v);
    CHECK(graph[*v].aliases.size() == 2);
    CHECK(graph[*v].document_count == 2);
  }
  SUBCASE("why explains a merge") {
    const auto chain = g.why("Lavrov");
    REQUIRE(chain.size() == 1);
    CHECK(chain[0].target == "Sergey Lavrov");
    CHECK(chain[0].rule == "surname");
  }
  SUBCASE("most connected actor first") {
    const auto top = g.most_connected(1);
    REQUIRE(top.size() == 1);
    CHECK(graph[top[0]].name == "Antony Blinken");
  }
  SUBCASE("an unknown name is not found") { CHECK_FALSE(g.find_actor("Nobody").has_value()); }
}

TEST_CASE("mentions outside statements add aliases, never actors") {
  knowledge_graph g;
  auto burel = person("d1", "Joseph Burel", "Barrel");  // the article wrote "Barrel" for Burel
  g.add_document(doc("d1"), {statement(person("d1", "Joseph Burel"), "reply to", person("d1", "Sergey Lavrov"))},
                 {burel, person("d1", "Thursday")});
  g.resolve();
  CHECK(boost::num_vertices(g.graph()) == 2);  // "Thursday" is in no statement: no vertex
  const auto v = g.find_actor("Barrel");
  REQUIRE(v.has_value());
  CHECK(g.graph()[*v].name == "Joseph Burel");
  const auto path = temporary_path("mentions.ngraph");
  g.save(path);
  CHECK(knowledge_graph::load(path).find_actor("Barrel") == v);
  std::remove(path.c_str());
}

TEST_CASE("a surname shared by two people stays apart") {
  knowledge_graph g;
  g.add_document(doc("d1"), {statement(person("d1", "David Miliband"), "meet", person("d1", "Ed Miliband")),
                             statement(person("d1", "Miliband"), "criticise", person("d1", "Keir Starmer"))});
  g.resolve();
  CHECK(boost::num_vertices(g.graph()) == 4);
  CHECK(g.why("Miliband").empty());
}

TEST_CASE("evidence accumulates on one edge and symmetric relations keep one direction") {
  knowledge_graph g;
  auto a = person("d1", "Ann Lee"), b = person("d1", "Bo Chan");
  auto met = statement(a, "meet", b), met_back = statement(b, "meet", a);
  met.symmetric = met_back.symmetric = true;
  g.add_document(doc("d1"), {met, met_back, statement(a, "call", b), statement(a, "call", b)});
  g.resolve();
  CHECK(boost::num_edges(g.graph()) == 2);
  for (auto e : boost::make_iterator_range(boost::edges(g.graph()))) CHECK(g.graph()[e].count() == 2);
}

TEST_CASE("document ids are unique") {
  knowledge_graph g;
  g.add_document(doc("d1"), {});
  CHECK_THROWS_WITH_AS(g.add_document(doc("d1"), {}), "document id 'd1' appears twice; ids must be unique within a graph",
                       error);
}

TEST_CASE("graph files round-trip and refuse damage") {
  knowledge_graph g;
  auto t = statement(person("d1", "Josep Borrell", "Borrell"), "reply to", person("d1", "Sergey Lavrov"));
  t.negated = true;
  t.sentence = {10, 42};
  g.add_document({"d1", "text", "Title", "2022-02-10", "https://example.org"}, {t});
  g.resolve();
  const auto path = temporary_path("roundtrip.ngraph");
  g.save(path);

  SUBCASE("a saved graph loads back the same") {
    const auto h = knowledge_graph::load(path);
    CHECK(h.document_count() == 1);
    CHECK(h.documents()[0].date == "2022-02-10");
    REQUIRE(h.statement_count() == 1);
    CHECK(h.statements()[0].negated);
    CHECK(h.statements()[0].sentence == byte_span{10, 42});
    CHECK(h.statements()[0].subject.text == "Borrell");
    CHECK(boost::num_vertices(h.graph()) == 2);
  }
  SUBCASE("a truncated file is refused") {
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 3);
    CHECK_THROWS_WITH_AS(knowledge_graph::load(path), (path + ": truncated or corrupted graph file (size mismatch)").c_str(),
                         error);
  }
  SUBCASE("a flipped byte is refused") {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(40);
    f.put('\x7f');
    f.close();
    CHECK_THROWS_WITH_AS(knowledge_graph::load(path), (path + ": corrupted graph file (checksum mismatch)").c_str(), error);
  }
  SUBCASE("another version is refused") {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(sizeof graph_file_magic);
    f.put('\x09');
    f.close();
    CHECK_THROWS_WITH_AS(knowledge_graph::load(path),
                         (path + ": graph file version 9 is not supported (this newsgraph reads version 3); rebuild it").c_str(),
                         error);
  }
  SUBCASE("a file that is not a graph is refused") {
    std::ofstream(path) << "hello";
    CHECK_THROWS_WITH_AS(knowledge_graph::load(path),
                         (path + ": not a newsgraph graph file (build one with 'newsgraph build')").c_str(), error);
  }
  SUBCASE("the centralities are computed when saved and loaded back") {
    CHECK(g.centralities() == nullptr);  // resolve() drops them
    const auto h = knowledge_graph::load(path);
    REQUIRE(h.centralities() != nullptr);
    CHECK(*h.centralities() == compute_centralities(h.graph()));
    CHECK(h.centralities()->betweenness_exact);
  }
  SUBCASE("a graph saved without its centralities loads without them") {
    g.save(path, knowledge_graph::missing_centralities::omit);
    CHECK(knowledge_graph::load(path).centralities() == nullptr);
    auto scores = compute_centralities(g.graph());
    g.set_centralities(scores);
    g.save(path, knowledge_graph::missing_centralities::omit);  // what is known is saved
    CHECK(*knowledge_graph::load(path).centralities() == scores);
    scores.pagerank.pop_back();
    CHECK_THROWS_AS(g.set_centralities(scores), error);
  }
  SUBCASE("the checksum catches any changed word of the payload") {
    const std::string payload(100, 'x');
    std::string changed = payload;
    changed[99] = 'y';  // in the tail after the last 32-byte block
    CHECK(graph_file_checksum(payload) != graph_file_checksum(changed));
    changed = payload;
    changed[40] ^= 1;
    CHECK(graph_file_checksum(payload) != graph_file_checksum(changed));
    CHECK(graph_file_checksum(payload) != graph_file_checksum(payload.substr(0, 99)));
  }
  SUBCASE("a missing file is refused") {
    CHECK_THROWS_WITH_AS(knowledge_graph::load(path + ".missing"), (path + ".missing: cannot open graph file").c_str(), error);
  }
  std::remove(path.c_str());
}
