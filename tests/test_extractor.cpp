// The whole extraction stage with the shipped models, on sentences of our own. The clause rules
// are tested construction by construction on hand-parsed sentences in test_relations.cpp.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>

#include "newsgraph/extractor.h"
#include "newsgraph/ordered_extraction.h"
#include "newsgraph/triples_jsonl.h"

using namespace newsgraph;

namespace {
const extractor& shared_extractor(bool open = false) {
  static const extractor closed({NEWSGRAPH_SOURCE_DIR, false});
  static const extractor open_ie({NEWSGRAPH_SOURCE_DIR, true});
  return open ? open_ie : closed;
}

std::vector<triple> extract(const std::string& text, bool open = false) {
  return shared_extractor(open).extract({"doc", text, std::nullopt, "2022-02-10", std::nullopt});
}
}  // namespace

TEST_CASE("a clause gives a triple with its provenance") {
  const std::string text = "Something happened. Angela Merkel replied to Emmanuel Macron on Monday.";
  const auto triples = extract(text);
  REQUIRE(triples.size() == 1);
  const auto& t = triples[0];
  CHECK(t.subject.name == "Angela Merkel");
  CHECK(t.subject.type == actor_type::person);
  CHECK(t.relation == "reply to");
  CHECK(t.relation_class == "statement");
  CHECK(t.object.name == "Emmanuel Macron");
  CHECK(t.subject.span.of(text) == "Angela Merkel");
  CHECK(t.object.span.of(text) == "Emmanuel Macron");
  CHECK(t.sentence.of(text) == "Angela Merkel replied to Emmanuel Macron on Monday.");
  CHECK(t.date == "2022-02-10");
  CHECK(t.subject.document_id == "doc");
  CHECK(t.confidence > 0.5F);
  CHECK(t.confidence <= 1.0F);
}

TEST_CASE("pronouns and surnames resolve to the full name met earlier in the document") {
  const auto triples =
      extract("Olaf Scholz arrived in Paris on Monday. He thanked Emmanuel Macron for the invitation. "
              "Later, Scholz met with Pedro Sanchez.");
  REQUIRE(triples.size() == 2);
  CHECK(triples[0].subject.name == "Olaf Scholz");
  CHECK(triples[0].subject.text == "He");
  CHECK(triples[0].relation == "thank");
  CHECK(triples[1].subject.name == "Olaf Scholz");
  CHECK(triples[1].subject.text == "Scholz");
  CHECK(triples[1].relation == "meet with");
  CHECK(triples[1].symmetric);
}

TEST_CASE("group actors and capitals stand for their country") {
  const auto triples = extract("Russian authorities accused Poland of espionage.");
  REQUIRE(triples.size() == 1);
  CHECK(triples[0].subject.name == "Russia");
  CHECK(triples[0].subject.text == "Russian authorities");
  CHECK(triples[0].relation == "accuse");
  CHECK(triples[0].object.name == "Poland");
}

TEST_CASE("no triple without two actors, and none from page furniture") {
  CHECK(extract("The talks ended without agreement.").empty());
  CHECK(extract("").empty());
  CHECK(extract("Source Link: Read our privacy policy for more info.").empty());
}

TEST_CASE("open extraction keeps propositions whose arguments are no actors") {
  const auto closed = extract("The minister signed the treaty.");
  CHECK(closed.empty());
  const auto open = extract("The minister signed the treaty.", true);
  REQUIRE(open.size() == 1);
  CHECK(open[0].subject.name == "minister");
  CHECK(open[0].relation == "sign");
  CHECK(open[0].object.name == "treaty");
}

TEST_CASE("several threads hand results back in input order, and the JSONL form round-trips") {
  const std::vector<std::string> texts = {
      "Angela Merkel met with Emmanuel Macron.", "Olaf Scholz called Joe Biden.", "The talks ended without agreement.",
      "Russian authorities accused Poland of espionage.", "Pedro Sanchez criticised Viktor Orban on Tuesday."};
  std::vector<document> docs;
  for (int round = 0; round < 8; ++round)
    for (std::size_t i = 0; i < texts.size(); ++i)
      docs.push_back({std::string("d").append(std::to_string(round)).append("-").append(std::to_string(i)), texts[i],
                      std::nullopt, "2022-02-10", std::nullopt});

  auto run = [&](unsigned threads, std::size_t window) {
    std::string lines;
    std::vector<std::string> order;
    ordered_extraction pool(shared_extractor(), threads, [&](document&& doc, extraction&& result) {
      order.push_back(doc.id);
      append_extraction_jsonl(doc, result, lines);
    }, window);
    for (const auto& d : docs) pool.submit(document(d));
    pool.finish();
    std::vector<std::string> expected;
    for (const auto& d : docs) expected.push_back(d.id);
    CHECK(order == expected);
    return lines;
  };
  const std::string one = run(1, 0);
  SUBCASE("any thread count and window give the same lines") {
    CHECK(run(2, 0) == one);
    CHECK(run(3, 1) == one);
    CHECK(run(4, 5) == one);
  }
  SUBCASE("reading the lines back gives the same documents, triples and mentions") {
    const std::string path = "/tmp/newsgraph-test-shard.jsonl";
    {
      std::ofstream(path) << one;
    }
    std::string again;
    std::vector<input_problem> problems;
    read_extraction_jsonl({path}, [&](document&& doc, extraction&& result) { append_extraction_jsonl(doc, result, again); },
                          [&](const input_problem& p) { problems.push_back(p); });
    CHECK(problems.empty());
    CHECK(again == one);
    std::remove(path.c_str());
  }
  SUBCASE("an error in the consumer reaches the caller") {
    ordered_extraction pool(shared_extractor(), 2, [](document&& doc, extraction&&) {
      if (doc.id == "d0-3") throw error(std::string("consumer failed on ").append(doc.id));
    });
    CHECK_THROWS_WITH_AS(
        {
          for (const auto& d : docs) pool.submit(document(d));
          pool.finish();
        },
        "consumer failed on d0-3", error);
  }
}
