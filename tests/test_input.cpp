#include <doctest/doctest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
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
  // RapidJSON decodes a lone low surrogate into bytes that are not UTF-8: refused, not passed on.
  CHECK_THROWS_WITH_AS(parse_jsonl_article(R"({"id": "s", "text": "a\udc00b"})", "x.jsonl:2"),
                       R"(x.jsonl:2: "text" holds a lone UTF-16 surrogate (\udc00-\udfff))", input_error);
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

// --- damaged and oversized input (issue 9) -------------------------------------------------------

namespace {

// A scratch folder for inputs too big or too odd to commit.
struct scratch {
  std::filesystem::path dir;
  scratch() {
    dir = std::filesystem::temp_directory_path() / ("newsgraph-test-input-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
  }
  ~scratch() { std::filesystem::remove_all(dir); }
  std::string file(const std::string& name, const std::string& bytes) const {
    const auto path = (dir / name).string();
    std::ofstream(path, std::ios::binary) << bytes;
    return path;
  }
};

collected read_with(const std::vector<std::string>& inputs, const input_options& options) {
  collected c;
  read_inputs(
      inputs, options, [&](document&& d) { c.documents.push_back(std::move(d)); },
      [&](const input_problem& p) { c.problems.push_back(p); });
  return c;
}

collected read_jsonl_text(const std::string& text, const input_options& options = {}) {
  collected c;
  std::istringstream in(text);
  read_jsonl(
      in, "t.jsonl", options, [&](document&& d) { c.documents.push_back(std::move(d)); },
      [&](const input_problem& p) { c.problems.push_back(p); });
  return c;
}

}  // namespace

TEST_CASE("a document over the size limit is cut, reported, and never read whole") {
  const scratch s;
  input_options options;
  options.max_document_bytes = 1024;
  SUBCASE("at the last line break in the second half of the limit") {
    std::string text(700, 'a');
    text += '\n';
    text.append(5000, 'b');
    const auto path = s.file("long.txt", text);
    const auto c = read_with({path}, options);
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].text == std::string(700, 'a') + "\n");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].where == path);
    CHECK(c.problems[0].message ==
          "5701 bytes, over the limit of 1024 bytes (--max-document-bytes): only its first 701 bytes read");
    CHECK(c.problems[0].skipped);
  }
  SUBCASE("else after a sentence end, else at a space") {
    const auto sentences = read_with({s.file("s.txt", std::string(600, 'a') + ". " + std::string(3000, 'b'))}, options);
    REQUIRE(sentences.documents.size() == 1);
    CHECK(sentences.documents[0].text == std::string(600, 'a') + ".");
    const auto words = read_with({s.file("w.txt", std::string(600, 'a') + " " + std::string(3000, 'b'))}, options);
    REQUIRE(words.documents.size() == 1);
    CHECK(words.documents[0].text == std::string(600, 'a') + " ");
  }
  SUBCASE("one unbroken word is cut at a character boundary, never inside a UTF-8 sequence") {
    std::string text;
    while (text.size() < 3000) text += "\xC3\xA9";  // é
    const auto c = read_with({s.file("e.txt", "x" + text)}, options);
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].text.size() == 1023);
    CHECK_FALSE(utf8::first_invalid_byte(c.documents[0].text).has_value());
  }
  SUBCASE("a JSONL article's text is cut the same way") {
    const auto c = read_jsonl_text(R"({"id": "big", "text": ")" + std::string(2000, 'x') + "\"}\n", options);
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].text.size() == 1024);
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].where == "t.jsonl:1");
    CHECK(c.problems[0].message ==
          "2000 bytes, over the limit of 1024 bytes (--max-document-bytes): only its first 1024 bytes read");
  }
  SUBCASE("a JSONL line over 4 times the limit is skipped, and the next line read") {
    const std::string huge = R"({"id": "huge", "text": ")" + std::string(200000, 'x') + "\"}\n";
    const auto c = read_jsonl_text(huge + R"({"id": "next", "text": "Olaf Scholz called Joe Biden."})" "\n", options);
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].id == "next");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].where == "t.jsonl:1");
    CHECK(c.problems[0].message == "line of 200026 bytes, over the limit of 8192 bytes (4 times --max-document-bytes), skipped");
  }
}

TEST_CASE("damaged input is reported, never a crash") {
  const scratch s;
  SUBCASE("UTF-16 is named as such") {
    const auto c = read({s.file("u16.txt", std::string("\xFF\xFE" "A\0b\0", 6))});
    CHECK(c.documents.empty());
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].message == "UTF-16 text (byte-order mark), skipped: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)");
  }
  SUBCASE("repaired UTF-8 is a warning, not a skip") {
    const auto c = read({data + "/invalid-utf8.txt"}, true);
    REQUIRE(c.problems.size() == 1);
    CHECK_FALSE(c.problems[0].skipped);
  }
  SUBCASE("deeply nested JSON does not overflow the stack") {
    const std::string deep(1'000'000, '[');
    const auto c = read_jsonl_text(R"({"id": "n", "text": "t", "x": )" + deep + std::string(1'000'000, ']') + "}\n" + deep +
                                   "\n" R"({"id": "ok", "text": "t"})" "\n");
    REQUIRE(c.documents.size() == 2);
    CHECK(c.documents[1].id == "ok");
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].where == "t.jsonl:2");
    CHECK(c.problems[0].message == "malformed JSON at column 1000001: Invalid value.");
  }
  SUBCASE("truncated JSON, two objects on one line, and a NUL byte are each one bad line") {
    const auto c = read_jsonl_text(R"({"id": "a", "text": "t"})" "\n"
                                   R"({"id": "b", "text": "Olaf Sch)" "\n"
                                   R"({"id": "c", "text": "t"}{"id": "d", "text": "t"})" "\n" +
                                   std::string("{\"id\": \"e\", \0}\n", 15) + R"({"id": "f", "text": "t"})");
    REQUIRE(c.documents.size() == 2);
    CHECK(c.documents[0].id == "a");
    CHECK(c.documents[1].id == "f");
    REQUIRE(c.problems.size() == 3);
    CHECK(c.problems[0].where == "t.jsonl:2");
    CHECK(c.problems[0].message == "malformed JSON at column 30: Missing a closing quotation mark in string.");
    CHECK(c.problems[1].message == "malformed JSON at column 25: The document root must not be followed by other values.");
    CHECK(c.problems[2].where == "t.jsonl:4");
    CHECK(c.problems[2].message == "binary file (NUL byte), skipped");
  }
  SUBCASE("leftover HTML is blanked out, keeping byte offsets") {
    const std::string text = "<p>Angela Merkel met <b>Emmanuel Macron</b>.</p>";
    const auto c = read({s.file("h.txt", text)});
    REQUIRE(c.documents.size() == 1);
    CHECK(c.documents[0].text.size() == text.size());
    CHECK(c.documents[0].text == "\n\n Angela Merkel met    Emmanuel Macron    .\n\n  ");
    CHECK(c.problems.empty());
  }
  SUBCASE("a document of markup only is empty") {
    const auto c = read({s.file("m.txt", "<html><script>var x = 1;</script></html>")});
    CHECK(c.documents.empty());
    REQUIRE(c.problems.size() == 1);
    CHECK(c.problems[0].message == "empty document, skipped");
  }
}
