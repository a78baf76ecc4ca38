// The tokenizer's hard cases for news text: exact token forms, byte spans and sentence boundaries.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "newsgraph/tokenizer.h"

using newsgraph::sentence;
using newsgraph::tokenizer;

namespace {

const tokenizer& tok() {
  static const tokenizer t = tokenizer::load(NEWSGRAPH_SOURCE_DIR);
  return t;
}

using sentences_forms = std::vector<std::vector<std::string>>;

sentences_forms forms(const std::vector<sentence>& ss) {
  sentences_forms out;
  for (const auto& s : ss) {
    out.emplace_back();
    for (const auto& t : s.tokens) out.back().push_back(t.form);
  }
  return out;
}

sentences_forms split(std::string_view text) { return forms(tok().tokenize(text)); }

// Every token's span is its form in the text (unless rejoined), spans increase, sentence spans
// cover their tokens.
void check_spans(std::string_view text, const std::vector<sentence>& ss) {
  std::uint32_t last = 0;
  for (const auto& s : ss) {
    REQUIRE_FALSE(s.tokens.empty());
    CHECK(s.span.begin == s.tokens.front().span.begin);
    CHECK(s.span.end == s.tokens.back().span.end);
    for (const auto& t : s.tokens) {
      CHECK(t.span.begin >= last);
      CHECK(t.span.end > t.span.begin);
      CHECK(t.span.end <= text.size());
      last = t.span.end;
      if (t.form.find('-') == std::string::npos && t.span.of(text).find('-') == std::string::npos)
        CHECK(t.span.of(text) == t.form);
    }
  }
}

}  // namespace

TEST_CASE("tokenizer: hard cases of news text") {
  SUBCASE("abbreviations stay whole and do not end sentences") {
    const std::string text = "Mr. Smith met Gen. Jones in the U.S. on Feb. 3. Acme Corp. said no.";
    const auto ss = tok().tokenize(text);
    check_spans(text, ss);
    CHECK(forms(ss) == sentences_forms{{"Mr.", "Smith", "met", "Gen.", "Jones", "in", "the", "U.S.", "on", "Feb.", "3", "."},
                                       {"Acme", "Corp.", "said", "no", "."}});
  }
  SUBCASE("an abbreviation that may end a sentence does before a sentence starter") {
    CHECK(split("He moved to the U.S. The move was quick.") ==
          sentences_forms{{"He", "moved", "to", "the", "U.S."}, {"The", "move", "was", "quick", "."}});
    CHECK(split("The U.S. President spoke.") == sentences_forms{{"The", "U.S.", "President", "spoke", "."}});
  }
  SUBCASE("initials") {
    const std::string text = "J. R. Smith arrived.";
    const auto ss = tok().tokenize(text);
    CHECK(forms(ss) == sentences_forms{{"J.", "R.", "Smith", "arrived", "."}});
    CHECK(ss[0].tokens[0].span == newsgraph::byte_span{0, 2});
    CHECK(ss[0].tokens[1].span == newsgraph::byte_span{3, 5});
  }
  SUBCASE("numbers, dates and money") {
    CHECK(split("It rose 2.5% to 1,750 bags, $1.5 billion and €20 on 2022-02-10 at 3:29 in the 1980s.") ==
          sentences_forms{{"It", "rose", "2.5", "%", "to", "1,750", "bags", ",", "$", "1.5", "billion", "and", "€", "20",
                           "on", "2022-02-10", "at", "3:29", "in", "the", "1980s", "."}});
    CHECK(split("Brussels 10.02.2022 Anna said.") == sentences_forms{{"Brussels", "10.02.2022", "Anna", "said", "."}});
  }
  SUBCASE("straight and smart quotes, clitics as in EWT") {
    const std::string text = "“We don’t know,” he said. \"Russia's army can't,\" she said.";
    const auto ss = tok().tokenize(text);
    check_spans(text, ss);
    CHECK(forms(ss) == sentences_forms{{"“", "We", "do", "n’t", "know", ",", "”", "he", "said", "."},
                                       {"\"", "Russia", "'s", "army", "ca", "n't", ",", "\"", "she", "said", "."}});
    CHECK(ss[0].tokens[0].span == newsgraph::byte_span{0, 3});  // “ is three bytes
    CHECK(ss[0].tokens[2].span == newsgraph::byte_span{6, 8});
    CHECK(ss[0].tokens[3].span == newsgraph::byte_span{8, 13});
    CHECK_FALSE(ss[0].tokens[2].space_after);
  }
  SUBCASE("a closing quote glued to the next word") {
    const std::string text = "“Only those would question such a decision”he stressed.";
    CHECK(split(text) == sentences_forms{{"“", "Only", "those", "would", "question", "such", "a", "decision", "”", "he",
                                          "stressed", "."}});
  }
  SUBCASE("dashes") {
    CHECK(split("Moscow — and Kyiv – agreed -- or not.") ==
          sentences_forms{{"Moscow", "—", "and", "Kyiv", "–", "agreed", "--", "or", "not", "."}});
  }
  SUBCASE("hyphenated compounds split as in EWT, prefixes kept") {
    CHECK(split("short-range missiles of 27 member-states, Nord Stream-2, e-mail and co-workers") ==
          sentences_forms{{"short", "-", "range", "missiles", "of", "27", "member", "-", "states", ",", "Nord", "Stream",
                           "-", "2", ",", "e-mail", "and", "co-workers"}});
  }
  SUBCASE("a word broken by a stray hyphen is rejoined") {
    const std::string text = "the Krem-lin said";
    const auto ss = tok().tokenize(text);
    CHECK(forms(ss) == sentences_forms{{"the", "Kremlin", "said"}});
    CHECK(ss[0].tokens[1].span == newsgraph::byte_span{4, 12});
    CHECK(ss[0].tokens[1].span.of(text) == "Krem-lin");
  }
  SUBCASE("URLs and e-mail addresses") {
    const std::string text = "See https://t.co/yKTm8mDYWE, www.example.com/a_(b). Mail john.doe@example.com.";
    const auto ss = tok().tokenize(text);
    check_spans(text, ss);
    CHECK(forms(ss) == sentences_forms{{"See", "https://t.co/yKTm8mDYWE", ",", "www.example.com/a_(b)", "."},
                                       {"Mail", "john.doe@example.com", "."}});
  }
  SUBCASE("handles and hashtags") {
    CHECK(split("FM Sergey #Lavrov during talks with @trussliz: fine.") ==
          sentences_forms{{"FM", "Sergey", "#Lavrov", "during", "talks", "with", "@trussliz", ":", "fine", "."}});
  }
  SUBCASE("emoji are tokens of their own, never glued to words") {
    const std::string text = "💬 FM said👍 MFA Russia 🇷🇺 ok";
    const auto ss = tok().tokenize(text);
    check_spans(text, ss);
    CHECK(forms(ss) == sentences_forms{{"💬", "FM", "said", "👍", "MFA", "Russia", "🇷🇺", "ok"}});
    CHECK(ss[0].tokens[6].span.size() == 8);  // a flag: two regional indicators
  }
  SUBCASE("bullet lists: each item starts a sentence") {
    const std::string text = "Threats\n\n  • According to US intelligence, troops are there\n  • Russia denies it";
    CHECK(split(text) == sentences_forms{{"Threats"},
                                         {"•", "According", "to", "US", "intelligence", ",", "troops", "are", "there"},
                                         {"•", "Russia", "denies", "it"}});
  }
  SUBCASE("a leading date metadata field is its own sentence") {
    const std::string text = " date 2022-02-10 Brussels 10.02.2022 Anna van Densky: The EU replied.";
    const auto ss = tok().tokenize(text);
    CHECK(forms(ss) == sentences_forms{{"date", "2022-02-10"},
                                       {"Brussels", "10.02.2022", "Anna", "van", "Densky", ":", "The", "EU", "replied", "."}});
    CHECK(ss[0].span == newsgraph::byte_span{1, 16});
  }
  SUBCASE("text without a final period") {
    CHECK(split("Russia wants to divide the European Union") ==
          sentences_forms{{"Russia", "wants", "to", "divide", "the", "European", "Union"}});
  }
  SUBCASE("blank lines are hard boundaries") {
    CHECK(split("A headline without period\n\nThe text starts here") ==
          sentences_forms{{"A", "headline", "without", "period"}, {"The", "text", "starts", "here"}});
  }
  SUBCASE("a quoted tweet's attribution is its own sentence") {
    const std::string text =
        "We call on Russia to de-escalate. — Josep Borrell Fontelles (@JosepBorrellF) February 10, 2022\n\nNext";
    CHECK(split(text) == sentences_forms{{"We", "call", "on", "Russia", "to", "de-escalate", "."},
                                         {"—", "Josep", "Borrell", "Fontelles", "(", "@JosepBorrellF", ")", "February",
                                          "10", ",", "2022"},
                                         {"Next"}});
    CHECK(split("The build-up is a threat pic.twitter.com/YdwdKQRlDz — Liz Truss (@trussliz) February 10, 2022") ==
          sentences_forms{{"The", "build", "-", "up", "is", "a", "threat", "pic.twitter.com/YdwdKQRlDz"},
                          {"—", "Liz", "Truss", "(", "@trussliz", ")", "February", "10", ",", "2022"}});
  }
  SUBCASE("a missing space after a period between sentences") {
    CHECK(split("a single answer from HR @JosepBorrellF.An exemplary reminder.When Moscow pretends") ==
          sentences_forms{{"a", "single", "answer", "from", "HR", "@JosepBorrellF", "."},
                          {"An", "exemplary", "reminder", "."},
                          {"When", "Moscow", "pretends"}});
  }
  SUBCASE("sentence splitting: ?, !, quotes; never inside numbers or URLs") {
    CHECK(split("Why? \"Because.\" It cost 5.93 mln, see www.a.com/x.html today! ok") ==
          sentences_forms{{"Why", "?"},
                          {"\"", "Because", ".", "\""},
                          {"It", "cost", "5.93", "mln", ",", "see", "www.a.com/x.html", "today", "!", "ok"}});
  }
  SUBCASE("EWT conventions: emoticons, negation without apostrophe, rules, numbered items") {
    CHECK(split("I dont know :) it's #1 on 01-Feb-02 _____") ==
          sentences_forms{{"I", "do", "nt", "know", ":)", "it", "'s", "#", "1", "on", "01-Feb-02", "_____"}});
  }
  SUBCASE("space_after and sentence spans") {
    const std::string text = "Hi, you.";
    const auto ss = tok().tokenize(text);
    REQUIRE(ss.size() == 1);
    CHECK_FALSE(ss[0].tokens[0].space_after);
    CHECK(ss[0].tokens[1].space_after);
    CHECK_FALSE(ss[0].tokens[3].space_after);
    CHECK(ss[0].span == newsgraph::byte_span{0, 8});
  }
  SUBCASE("empty and white-space text") {
    CHECK(tok().tokenize("").empty());
    CHECK(tok().tokenize(" \n\n\t ").empty());
  }
}

TEST_CASE("tokenizer: without data files") {
  const tokenizer bare;
  // Letter-dot abbreviations and initials are structural; a listed abbreviation needs the file.
  CHECK(forms(bare.tokenize("The U.S. and J. Smith met Gen. Li.")) ==
        sentences_forms{{"The", "U.S.", "and", "J.", "Smith", "met", "Gen", "."}, {"Li", "."}});
}

TEST_CASE("tokenizer: a bad data file names the file and line") {
  CHECK_THROWS_WITH_AS(tokenizer::load("/nonexistent"), doctest::Contains("/nonexistent/data/abbreviations.txt"),
                       newsgraph::input_error);
}
