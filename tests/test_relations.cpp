// The clause rules, mention finder and in-document coreference on hand-parsed sentences of our
// own, so that each construction is tested independently of the statistical models.
#include <doctest/doctest.h>

#include <sstream>

#include "newsgraph/gazetteer.h"
#include "relations/clauses.h"
#include "relations/lexicon.h"
#include "relations/mentions.h"

using namespace newsgraph;
using namespace newsgraph::relations;

namespace {

const std::string source_dir = NEWSGRAPH_SOURCE_DIR;

const gazetteer& names() {
  static const gazetteer g = gazetteer::load(source_dir);
  return g;
}
const lexicon& words() {
  static const lexicon l = lexicon::load(source_dir);
  return l;
}

// A hand-parsed document: sentences separated by blank lines, one token per line as
// "ID FORM LEMMA UPOS XPOS HEAD DEPREL NER" (1-based ids and heads, 0 for the root). The text is
// the forms joined by single spaces, sentences by `separator`.
struct parsed_document {
  std::string text;
  analysis a;
};

parsed_document parse(std::string_view spec, std::string_view separator = " ") {
  parsed_document d;
  std::istringstream in{std::string(spec)};
  sentence current;
  auto flush = [&] {
    if (current.tokens.empty()) return;
    current.span = {current.tokens.front().span.begin, current.tokens.back().span.end};
    d.a.sentences.push_back(std::move(current));
    current = {};
    d.text += separator;
  };
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    token t;
    int id = 0, head = 0;
    if (!(fields >> id >> t.form >> t.lemma >> t.upos >> t.xpos >> head >> t.deprel >> t.ner)) {
      flush();
      continue;
    }
    t.head = head - 1;
    if (!current.tokens.empty()) d.text += ' ';
    t.span = {static_cast<std::uint32_t>(d.text.size()), static_cast<std::uint32_t>(d.text.size() + t.form.size())};
    d.text += t.form;
    current.tokens.push_back(std::move(t));
  }
  flush();
  return d;
}

struct result {
  std::string subject, label, object;
  bool negated, modal, symmetric;
  std::string subject_role;
};

std::vector<result> read(const parsed_document& d, bool open = false) {
  const auto mentions = find_mentions(d.a, d.text, names(), words());
  std::vector<result> out;
  for (std::size_t si = 0; si < d.a.sentences.size(); ++si)
    for (const auto& p : read_clauses(d.a, si, d.text, mentions, words(), open))
      out.push_back({p.subject ? p.subject->name : p.subject_text, p.label, p.object ? p.object->name : p.object_text,
                     p.negated, p.modal, p.symmetric, p.subject ? p.subject->role : ""});
  return out;
}

}  // namespace

TEST_CASE("clause rules") {
  SUBCASE("active clause with a preposition") {
    const auto r = read(parse(R"(
1 Angela Angela PROPN NNP 2 compound B-PER
2 Merkel Merkel PROPN NNP 3 nsubj I-PER
3 replied reply VERB VBD 0 root O
4 to to ADP IN 6 case O
5 Emmanuel Emmanuel PROPN NNP 6 compound B-PER
6 Macron Macron PROPN NNP 3 obl I-PER
7 . . PUNCT . 3 punct O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Angela Merkel");
    CHECK(r[0].label == "reply to");
    CHECK(r[0].object == "Emmanuel Macron");
    CHECK_FALSE(r[0].negated);
  }
  SUBCASE("passive clause: the agent is the subject") {
    const auto r = read(parse(R"(
1 Kuwait Kuwait PROPN NNP 4 nsubj:pass B-LOC
2 had have AUX VBD 4 aux O
3 been be AUX VBN 4 aux:pass O
4 invaded invade VERB VBN 0 root O
5 by by ADP IN 6 case O
6 Iraq Iraq PROPN NNP 4 obl:agent B-LOC
7 . . PUNCT . 4 punct O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Iraq");
    CHECK(r[0].label == "invade");
    CHECK(r[0].object == "Kuwait");
  }
  SUBCASE("particle, light object noun and preposition") {
    const auto r = read(parse(R"(
1 Poland Poland PROPN NNP 2 nsubj B-LOC
2 handed hand VERB VBD 0 root O
3 over over ADP RP 2 compound:prt O
4 tanks tank NOUN NNS 2 obj O
5 to to ADP IN 6 case O
6 Ukraine Ukraine PROPN NNP 4 nmod B-LOC
7 . . PUNCT . 2 punct O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].label == "hand over tank to");
    CHECK(r[0].object == "Ukraine");
  }
  SUBCASE("light verb with a noun: held talks with") {
    const auto r = read(parse(R"(
1 Chile Chile PROPN NNP 2 nsubj B-LOC
2 held hold VERB VBD 0 root O
3 talks talk NOUN NNS 2 obj O
4 with with ADP IN 5 case O
5 Peru Peru PROPN NNP 3 nmod B-LOC
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].label == "hold talk with");
  }
  SUBCASE("coordinated subjects give one triple each; 'other countries' is no actor") {
    const auto r = read(parse(R"(
1 France France PROPN NNP 9 nsubj B-LOC
2 , , PUNCT , 3 punct O
3 Italy Italy PROPN NNP 1 conj B-LOC
4 , , PUNCT , 5 punct O
5 Spain Spain PROPN NNP 1 conj B-LOC
6 and and CCONJ CC 8 cc O
7 other other ADJ JJ 8 amod O
8 countries country NOUN NNS 1 conj O
9 sent send VERB VBD 0 root O
10 troops troop NOUN NNS 9 obj O
11 to to ADP IN 12 case O
12 Mali Mali PROPN NNP 9 obl B-LOC
)"));
    REQUIRE(r.size() == 3);
    CHECK(r[0].subject == "France");
    CHECK(r[1].subject == "Italy");
    CHECK(r[2].subject == "Spain");
    CHECK(r[2].label == "send to");
    CHECK(r[2].object == "Mali");
  }
  SUBCASE("coordinated subjects of a symmetric verb give one symmetric triple") {
    const auto r = read(parse(R"(
1 Narendra Narendra PROPN NNP 2 compound B-PER
2 Modi Modi PROPN NNP 6 nsubj I-PER
3 and and CCONJ CC 5 cc O
4 Joe Joe PROPN NNP 5 compound B-PER
5 Biden Biden PROPN NNP 2 conj I-PER
6 met meet VERB VBD 0 root O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Narendra Modi");
    CHECK(r[0].object == "Joe Biden");
    CHECK(r[0].symmetric);
  }
  SUBCASE("relative clause: who stands for the noun it modifies") {
    const auto r = read(parse(R"(
1 Olaf Olaf PROPN NNP 2 compound B-PER
2 Scholz Scholz PROPN NNP 9 nsubj I-PER
3 , , PUNCT , 5 punct O
4 who who PRON WP 5 nsubj O
5 met meet VERB VBD 2 acl:relcl O
6 with with ADP IN 8 case O
7 Emmanuel Emmanuel PROPN NNP 8 compound B-PER
8 Macron Macron PROPN NNP 5 obl I-PER
9 left leave VERB VBD 0 root O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Olaf Scholz");
    CHECK(r[0].label == "meet with");
    CHECK(r[0].object == "Emmanuel Macron");
    CHECK(r[0].symmetric);
  }
  SUBCASE("participial clause: letters sent by X to Y") {
    const auto r = read(parse(R"(
1 He he PRON PRP 2 nsubj O
2 read read VERB VBD 0 root O
3 letters letter NOUN NNS 2 obj O
4 sent send VERB VBN 3 acl O
5 by by ADP IN 7 case O
6 Pedro Pedro PROPN NNP 7 compound B-PER
7 Sanchez Sanchez PROPN NNP 4 obl:agent I-PER
8 to to ADP IN 9 case O
9 Portugal Portugal PROPN NNP 4 obl B-LOC
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Pedro Sanchez");
    CHECK(r[0].label == "send to");
    CHECK(r[0].object == "Portugal");
  }
  SUBCASE("control: the subject of 'agreed' sends; a capital stands for its country") {
    const auto r = read(parse(R"(
1 Paris Paris PROPN NNP 2 nsubj B-LOC
2 agreed agree VERB VBD 0 root O
3 to to PART TO 4 mark O
4 send send VERB VB 2 xcomp O
5 a a DET DT 6 det O
6 ship ship NOUN NN 4 obj O
7 to to ADP IN 8 case O
8 Greece Greece PROPN NNP 4 obl B-LOC
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "France");
    CHECK(r[0].label == "send to");
    CHECK(r[0].object == "Greece");
  }
  SUBCASE("possessive nominal relation and a message standing for its sender") {
    const auto r = read(parse(R"(
1 Lula Lula PROPN NNP 2 nsubj B-PER
2 answered answer VERB VBD 0 root O
3 Boric Boric PROPN NNP 5 nmod:poss B-PER
4 's 's PART POS 3 case O
5 letter letter NOUN NN 2 obj O
6 to to ADP IN 7 case O
7 Brazil Brazil PROPN NNP 5 nmod B-LOC
)"));
    REQUIRE(r.size() == 3);
    CHECK(r[0].subject == "Lula");
    CHECK(r[0].label == "answer");
    CHECK(r[0].object == "Boric");
    CHECK(r[1].label == "answer letter to");
    CHECK(r[1].object == "Brazil");
    CHECK(r[2].subject == "Boric");
    CHECK(r[2].label == "letter to");
    CHECK(r[2].object == "Brazil");
  }
  SUBCASE("negation and modality are flags, not dropped") {
    const auto r = read(parse(R"(
1 Chile Chile PROPN NNP 4 nsubj B-LOC
2 did do AUX VBD 4 aux O
3 not not PART RB 4 advmod O
4 recognize recognize VERB VB 0 root O
5 Peru Peru PROPN NNP 4 obj B-LOC

1 Chile Chile PROPN NNP 3 nsubj B-LOC
2 may may AUX MD 3 aux O
3 recognize recognize VERB VB 0 root O
4 Peru Peru PROPN NNP 3 obj B-LOC
)"));
    REQUIRE(r.size() == 2);
    CHECK(r[0].negated);
    CHECK_FALSE(r[0].modal);
    CHECK(r[1].modal);
    CHECK_FALSE(r[1].negated);
  }
  SUBCASE("a title before the name is kept as the role") {
    const auto r = read(parse(R"(
1 German German ADJ JJ 2 amod B-MISC
2 Chancellor Chancellor PROPN NNP 4 compound O
3 Olaf Olaf PROPN NNP 4 compound B-PER
4 Scholz Scholz PROPN NNP 5 nsubj I-PER
5 called call VERB VBD 0 root O
6 Emmanuel Emmanuel PROPN NNP 7 compound B-PER
7 Macron Macron PROPN NNP 5 obj I-PER
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Olaf Scholz");
    CHECK(r[0].subject_role == "German Chancellor");
  }
  SUBCASE("group actors: nationality + authorities is the country; Westerners are the West") {
    const auto r = read(parse(R"(
1 Russian Russian ADJ JJ 2 amod B-MISC
2 authorities authority NOUN NNS 3 nsubj O
3 accused accuse VERB VBD 0 root O
4 Westerners Westerner PROPN NNPS 3 obj O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Russia");
    CHECK(r[0].object == "West");
  }
  SUBCASE("open extraction keeps noun-phrase arguments") {
    const auto r = read(parse(R"(
1 The the DET DT 2 det O
2 minister minister NOUN NN 3 nsubj O
3 signed sign VERB VBD 0 root O
4 the the DET DT 5 det O
5 treaty treaty NOUN NN 3 obj O
)"), true);
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "minister");
    CHECK(r[0].label == "sign");
    CHECK(r[0].object == "treaty");
  }
}

TEST_CASE("in-document coreference") {
  SUBCASE("a surname and a pronoun resolve to the full name") {
    const auto r = read(parse(R"(
1 Olaf Olaf PROPN NNP 2 compound B-PER
2 Scholz Scholz PROPN NNP 3 nsubj I-PER
3 arrived arrive VERB VBD 0 root O

1 He he PRON PRP 2 nsubj O
2 thanked thank VERB VBD 0 root O
3 Macron Macron PROPN NNP 2 obj B-PER

1 Scholz Scholz PROPN NNP 2 nsubj B-PER
2 called call VERB VBD 0 root O
3 Poland Poland PROPN NNP 2 obj B-LOC
)"));
    REQUIRE(r.size() == 2);
    CHECK(r[0].subject == "Olaf Scholz");
    CHECK(r[0].object == "Macron");
    CHECK(r[1].subject == "Olaf Scholz");
  }
  SUBCASE("first person in a quoted tweet is its author; the handle is the author too") {
    const auto r = read(parse(R"(
1 I I PRON PRP 2 nsubj O
2 thanked thank VERB VBD 0 root O
3 @POTUS @POTUS PROPN NNP 2 obj O

1 — — PUNCT : 3 punct O
2 Olaf Olaf PROPN NNP 3 compound B-PER
3 Scholz Scholz PROPN NNP 0 root I-PER
4 ( ( PUNCT -LRB- 5 punct O
5 @OlafScholz @OlafScholz PROPN NNP 3 appos O
6 ) ) PUNCT -RRB- 5 punct O
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Olaf Scholz");
    CHECK(r[0].label == "thank");
    CHECK(r[0].object == "@POTUS");
  }
  SUBCASE("a definite description with a known role") {
    const auto r = read(parse(R"(
1 German German ADJ JJ 2 amod B-MISC
2 Chancellor Chancellor PROPN NNP 4 compound O
3 Olaf Olaf PROPN NNP 4 compound B-PER
4 Scholz Scholz PROPN NNP 5 nsubj I-PER
5 arrived arrive VERB VBD 0 root O

1 The the DET DT 2 det O
2 chancellor chancellor NOUN NN 3 nsubj O
3 thanked thank VERB VBD 0 root O
4 Poland Poland PROPN NNP 3 obj B-LOC
)"));
    REQUIRE(r.size() == 1);
    CHECK(r[0].subject == "Olaf Scholz");
  }
  SUBCASE("a misspelt surname in the same article is the person named in full") {
    const auto r = read(parse(R"(
1 Olaf Olaf PROPN NNP 2 compound B-PER
2 Scholz Scholz PROPN NNP 3 nsubj I-PER
3 arrived arrive VERB VBD 0 root O

1 Scholtz Scholtz PROPN NNP 2 nsubj B-PER
2 called call VERB VBD 0 root O
3 Poland Poland PROPN NNP 2 obj B-LOC

1 Scholzz Scholzz PROPN NNP 2 nsubj B-PER
2 called call VERB VBD 0 root O
3 Poland Poland PROPN NNP 2 obj B-LOC
)"));
    REQUIRE(r.size() == 2);
    CHECK(r[0].subject == "Olaf Scholz");  // one edit away
    CHECK(r[1].subject == "Olaf Scholz");
  }
  SUBCASE("a misspelt surname close to two full names stays unresolved") {
    const auto r = read(parse(R"(
1 Olaf Olaf PROPN NNP 2 compound B-PER
2 Scholz Scholz PROPN NNP 3 nsubj I-PER
3 met meet VERB VBD 0 root O
4 Martin Martin PROPN NNP 5 compound B-PER
5 Schulz Schulz PROPN NNP 3 obj I-PER

1 Scholtz Scholtz PROPN NNP 2 nsubj B-PER
2 called call VERB VBD 0 root O
3 Poland Poland PROPN NNP 2 obj B-LOC
)"));
    REQUIRE(r.size() == 2);
    CHECK(r[1].subject == "Scholtz");
  }
  SUBCASE("an unresolved pronoun gives no triple") {
    CHECK(read(parse(R"(
1 She she PRON PRP 2 nsubj O
2 thanked thank VERB VBD 0 root O
3 Poland Poland PROPN NNP 2 obj B-LOC
)")).empty());
  }
}

TEST_CASE("lexicon files") {
  CHECK(words().verb("meet")->symmetric);
  CHECK(words().verb("send")->light);
  CHECK(words().verb("accuse")->relation_class == "accuse");
  CHECK(words().verb("frobnicate") == nullptr);
  CHECK(*words().group("authorities") == group_rule::government);
}
