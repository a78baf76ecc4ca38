#include <doctest/doctest.h>

#include "newsgraph/extractor.h"

using namespace newsgraph;

namespace {
std::vector<triple> extract(const std::string& text) {
  const extractor ex({NEWSGRAPH_SOURCE_DIR, false});
  return ex.extract({"doc", text, std::nullopt, "2022-02-10", std::nullopt});
}
}  // namespace

TEST_CASE("a clause 'NAME verb prep NAME' gives a triple with provenance") {
  const std::string text = "Something happened. Angela Merkel replied to Emmanuel Macron on Monday.";
  const auto triples = extract(text);
  REQUIRE(triples.size() == 1);
  const auto& t = triples[0];
  CHECK(t.subject.name == "Angela Merkel");
  CHECK(t.relation == "reply to");
  CHECK(t.object.name == "Emmanuel Macron");
  CHECK(t.subject.span.of(text) == "Angela Merkel");
  CHECK(t.object.span.of(text) == "Emmanuel Macron");
  CHECK(t.sentence.of(text) == "Angela Merkel replied to Emmanuel Macron on Monday.");
  CHECK(t.date == "2022-02-10");
  CHECK(t.subject.document_id == "doc");
}

TEST_CASE("a surname resolves to the full name met earlier in the document") {
  const auto triples = extract("Olaf Scholz spoke. Emmanuel Macron spoke too. Scholz met with Macron later.");
  REQUIRE(triples.size() == 1);
  CHECK(triples[0].subject.name == "Olaf Scholz");
  CHECK(triples[0].subject.text == "Scholz");
  CHECK(triples[0].relation == "meet with");
  CHECK(triples[0].object.name == "Emmanuel Macron");
}

TEST_CASE("no triple from a sentence without two names") {
  CHECK(extract("The talks ended without agreement.").empty());
  CHECK(extract("").empty());
}
