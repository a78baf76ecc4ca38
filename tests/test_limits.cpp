// Robustness (issue 9): the bounds on what one sentence costs, the HTML clean-up, and graph files
// whose checksum is right but whose content is not.
#include <doctest/doctest.h>

#include <cstring>
#include <string>

#include "html.h"
#include "newsgraph/analysis.h"
#include "newsgraph/extractor.h"
#include "newsgraph/graph_file.h"
#include "newsgraph/knowledge_graph.h"

using namespace newsgraph;

namespace {

// A sentence of `n` one-letter tokens ("a b c ..."), or with `word` at the given indexes.
sentence words(std::size_t n, std::size_t comma_at = static_cast<std::size_t>(-1)) {
  sentence s;
  std::uint32_t at = 0;
  for (std::size_t i = 0; i < n; ++i) {
    token t;
    t.form = i == comma_at ? "," : "a";
    t.span = {at, at + 1};
    at += 2;
    s.tokens.push_back(t);
  }
  s.span = {0, at - 1};
  return s;
}

}  // namespace

TEST_CASE("cut_long_sentences keeps every sentence within the limits") {
  SUBCASE("short sentences are left alone") {
    std::vector<sentence> s{words(10), words(250)};
    CHECK(cut_long_sentences(s) == 0);
    CHECK(s.size() == 2);
  }
  SUBCASE("a long sentence becomes consecutive parts, every token kept once") {
    std::vector<sentence> s{words(3), words(1001), words(4)};
    CHECK(cut_long_sentences(s, {100, 100000}) == 1);
    REQUIRE(s.size() == 13);
    CHECK(s[0].tokens.size() == 3);
    CHECK(s.back().tokens.size() == 4);
    std::size_t total = 0;
    std::uint32_t next = 0;
    for (std::size_t i = 1; i + 1 < s.size(); ++i) {
      CHECK(s[i].tokens.size() <= 100);
      CHECK(s[i].span.begin == next);
      CHECK(s[i].span.begin == s[i].tokens.front().span.begin);
      CHECK(s[i].span.end == s[i].tokens.back().span.end);
      next = s[i].span.end + 1;
      total += s[i].tokens.size();
    }
    CHECK(total == 1001);
  }
  SUBCASE("a part ends after a comma in its second half rather than mid-phrase") {
    std::vector<sentence> s{words(150, 70)};
    CHECK(cut_long_sentences(s, {100, 100000}) == 1);
    REQUIRE(s.size() == 2);
    CHECK(s[0].tokens.size() == 71);
    CHECK(s[0].tokens.back().form == ",");
  }
  SUBCASE("the byte limit holds too, and a token longer than it is a part of its own") {
    sentence s;
    for (std::uint32_t i = 0; i < 5; ++i) {
      token t;
      t.form = "x";
      t.span = i == 2 ? byte_span{100, 1100} : byte_span{i < 2 ? i * 50 : 1100 + (i - 2) * 50, i < 2 ? i * 50 + 40 : 1100 + (i - 2) * 50 + 40};
      s.tokens.push_back(t);
    }
    s.span = {0, s.tokens.back().span.end};
    std::vector<sentence> all{s};
    CHECK(cut_long_sentences(all, {250, 200}) == 1);
    REQUIRE(all.size() == 3);
    CHECK(all[0].tokens.size() == 2);
    CHECK(all[1].tokens.size() == 1);
    CHECK(all[1].span.size() == 1000);
    CHECK(all[2].tokens.size() == 2);
  }
}

TEST_CASE("the extractor warns about the sentences it cut") {
  static const extractor ex({NEWSGRAPH_SOURCE_DIR, false});
  std::string text = "Angela Merkel met Emmanuel Macron";
  for (int i = 0; i < 140; ++i) text += " and Olaf Scholz";
  text += ".";
  const auto result = ex.extract_all({"long", text, std::nullopt, std::nullopt, std::nullopt});
  REQUIRE(result.warnings.size() == 1);
  CHECK(result.warnings[0] == "1 sentence over 250 tokens or 8192 bytes cut into parts");
  CHECK_FALSE(result.triples.empty());
  CHECK(ex.extract_all({"short", "Angela Merkel met Emmanuel Macron.", std::nullopt, std::nullopt, std::nullopt})
            .warnings.empty());
}

TEST_CASE("html::clean blanks markup out in place") {
  auto cleaned = [](std::string text) {
    html::clean(text);
    return text;
  };
  SUBCASE("tags, comments and doctype become blanks; block elements a paragraph break") {
    CHECK(cleaned("<b>Lavrov</b> said") == "   Lavrov     said");
    CHECK(cleaned("one</p><p>two") == "one\n\n  \n\n two");
    CHECK(cleaned("a<br/>b") == "a\n\n   b");
    CHECK(cleaned("x<!-- <p>hidden</p> -->y") == "x" + std::string(22, ' ') + "y");
    CHECK(cleaned("<!DOCTYPE html>z") == "\n\n" + std::string(13, ' ') + "z");
    CHECK(cleaned(R"(<a href="https://example.org/?a=1&b=2">link</a>)") == std::string(39, ' ') + "link    ");
  }
  SUBCASE("script and style content goes with its tags") {
    CHECK(cleaned("a<script>if (x < y) alert('<p>');</script>b") == "a\n\n" + std::string(39, ' ') + "b");
    CHECK(cleaned("a<style>p{}") == "a\n\n" + std::string(8, ' '));  // cut short: blank to the end
  }
  SUBCASE("entities are decoded and padded to their length") {
    CHECK(cleaned("AT&amp;T") == "AT&    T");
    CHECK(cleaned("Russia&rsquo;s") == "Russia    \u2019s");
    CHECK(cleaned("a&nbsp;b&#8212;c&#x41;d") == "a      b\u2014    cA     d");
    CHECK(cleaned("&#0;&#xD800;&#1114112;") == "    &#xD800;&#1114112;");  // never a NUL, a surrogate or beyond U+10FFFF
  }
  SUBCASE("plain text is left alone") {
    for (const std::string text : {"a < b and c > d", "AT&T and R&D; 3 <4", "<Lavrov> said", "x <p no end", "&unknown; &;",
                                   "<!-- never closed", "\xE2\x80\x94 <\xC3\xA9t\xC3\xA9>"})
      CHECK(cleaned(text) == text);
  }
}

TEST_CASE("a graph file with a right checksum and wrong content is refused") {
  // documents 0, statements 0, mentions 0, rules 0, 1 actor "A" whose alias count is 2^32 - 1.
  std::string payload;
  auto u32 = [&](std::uint32_t v) { payload.append(reinterpret_cast<const char*>(&v), 4); };
  for (int i = 0; i < 4; ++i) u32(0);
  u32(1);
  u32(1);
  payload += "A";
  payload += '\0';
  u32(1);
  u32(1);
  u32(0xFFFFFFFF);
  std::string file(graph_file_magic, sizeof graph_file_magic);
  file.append(reinterpret_cast<const char*>(&graph_file_version), 4);
  const std::uint64_t length = payload.size(), sum = graph_file_checksum(payload);
  file.append(reinterpret_cast<const char*>(&length), 8);
  file += payload;
  file.append(reinterpret_cast<const char*>(&sum), 8);
  CHECK_THROWS_WITH_AS(knowledge_graph::load_bytes(file, "g.ngraph"), "g.ngraph: corrupted graph file (count runs past the end)",
                       error);
  SUBCASE("a directory is not read as a file") {
    CHECK_THROWS_WITH_AS(knowledge_graph::load(NEWSGRAPH_TEST_DATA), (std::string(NEWSGRAPH_TEST_DATA) + ": is a directory, not a graph file").c_str(),
                         error);
  }
  SUBCASE("a payload length beyond the file is a size mismatch") {
    std::string longer = file;
    const std::uint64_t huge = ~std::uint64_t{0} - 10;
    std::memcpy(longer.data() + 12, &huge, 8);
    CHECK_THROWS_WITH_AS(knowledge_graph::load_bytes(longer, "g.ngraph"),
                         "g.ngraph: truncated or corrupted graph file (size mismatch)", error);
  }
}
