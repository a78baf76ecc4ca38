#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "newsgraph/input.h"
#include "newsgraph/utf8.h"

using namespace newsgraph;

namespace {
const std::string data = NEWSGRAPH_TEST_DATA;

struct collected {
  std::vector<document> documents;
  std::vector<input_problem> problems;
};

collected read(const std::vector<std::string>& inputs, bool repair = false) {
  collected c;
  input_options options;
  options.repair_utf8 = repair;
  read_inputs(
      inputs, options, [&](document&& d) { c.documents.push_back(std::move(d)); },
      [&](const input_problem& p) { c.problems.push_back(p); });
  return c;
}
}  // namespace

TEST_CASE("read_inputs reads each kind of input") {
  SUBCASE("a .txt file is one document named by its stem") {
    const auto c = read({data + "/inputs/one.txt"});
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].id == "one");
    CHECK(c.documents[0].text == "Angela Merkel met Emmanuel Macron in Berlin.\n");
    CHECK(c.problems.empty());
  }
  SUBCASE("a directory is read recursively, .txt files only, sorted by path") {
    const auto c = read({data + "/inputs"});
    REQUIRE(c.documents.size() == 2);
    CHECK(c.documents[0].id == "two");  // inputs/nested/two.txt sorts before inputs/one.txt
    CHECK(c.documents[1].id == "one");
  }
  SUBCASE("a .jsonl file gives one document per good line and reports the bad ones by line") {
    const auto c = read({data + "/inputs/articles.jsonl"});
    REQUIRE(c.documents.size() == 2);
    CHECK(c.documents[0].id == "a1");
    CHECK(c.documents[0].title == "NATO chief warns Moscow");
    CHECK(c.documents[0].date == "2022-02-01");
    CHECK(c.documents[0].url == "https://example.org/a1");
    CHECK(c.documents[1].id == "a3");
    CHECK_FALSE(c.documents[1].title.has_value());
    REQUIRE(c.problems.size() == 3);
    CHECK(c.problems[0].where == data + "/inputs/articles.jsonl:2");
    CHECK(c.problems[0].message == "malformed JSON at column 71: Missing a comma or '}' after an object member.");
    CHECK(c.problems[1].message == "expected a JSON object");
    CHECK(c.problems[2].where == data + "/inputs/articles.jsonl:5");
    CHECK(c.problems[2].message == "missing \"text\"");
  }
}

TEST_CASE("read_inputs refuses what it cannot read") {
  SUBCASE("a missing path stops the run") {
    CHECK_THROWS_WITH_AS(read({data + "/no-such-file.txt"}), (data + "/no-such-file.txt: no such file or directory").c_str(),
                         input_error);
  }
  SUBCASE("a directory without .txt files stops the run") {
    CHECK_THROWS_WITH_AS(read({data + "/no-articles"}), (data + "/no-articles: directory holds no .txt file").c_str(),
                         input_error);
  }
  SUBCASE("invalid UTF-8 is reported with its byte offset and skipped") {
    const auto c = read({data + "/invalid-utf8.txt"});
    CHECK(c.documents.empty());
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].message == "invalid UTF-8 at byte 9, skipped (--repair-utf8 replaces bad bytes)");
  }
  SUBCASE("invalid UTF-8 is repaired on request") {
    const auto c = read({data + "/invalid-utf8.txt"}, true);
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].text.starts_with("Bad byte \xEF\xBF\xBD here."));
  }
  SUBCASE("binary and empty files are skipped with a warning") {
    const auto c = read({data + "/binary.txt", data + "/empty.txt"});
    CHECK(c.documents.empty());
    REQUIRE(c.problems.size() == 2);
    CHECK(c.problems[0].message == "binary file (NUL byte), skipped");
    CHECK(c.problems[1].message == "empty document, skipped");
  }
}

TEST_CASE("parse_jsonl_article names the place of the error") {
  CHECK_THROWS_WITH_AS(parse_jsonl_article(R"({"id": 7, "text": 3})", "x.jsonl:9"), "x.jsonl:9: \"text\" must be a string",
                       input_error);
  CHECK_THROWS_WITH_AS(parse_jsonl_article(R"({"id": "", "text": "t"})", "x.jsonl:1"), "x.jsonl:1: \"id\" is empty", input_error);
  CHECK(parse_jsonl_article(R"({"id": 7, "text": "t"})", "x.jsonl:1").id == "7");
}

TEST_CASE("utf8 helpers") {
  CHECK_FALSE(utf8::first_invalid_byte("Zelenskyy \xE2\x80\x94 Київ").has_value());
  CHECK(utf8::first_invalid_byte("ok\xC0\xAF") == 2u);      // overlong '/'
  CHECK(utf8::first_invalid_byte("ok\xED\xA0\x80") == 2u);  // surrogate
  CHECK(utf8::first_invalid_byte("\xE2\x80") == 0u);        // truncated sequence
  CHECK(utf8::repaired("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(utf8::fold("Sánchez ＥＵ") == "sanchez eu");
  CHECK(utf8::looks_binary(std::string("a\0b", 3)));
  CHECK_FALSE(utf8::looks_binary("plain"));
}
