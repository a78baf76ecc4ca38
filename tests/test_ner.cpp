// The NER: a tiny model trained inside the test, its save/load round trip, refused model files,
// and the CoNLL entity scoring.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <initializer_list>
#include <span>
#include <string>
#include <vector>

#include "newsgraph/ner.h"
#include "newsgraph/tagger.h"
#include "newsgraph/tokenizer.h"
#include "nlp/perceptron.h"

using namespace newsgraph;

namespace {

iob2_sentence make(const std::string& text) {
  // "Word/TAG" pairs separated by spaces; a bare word is O.
  iob2_sentence s;
  std::size_t p = 0;
  while (p < text.size()) {
    std::size_t q = text.find(' ', p);
    if (q == std::string::npos) q = text.size();
    const std::string item = text.substr(p, q - p);
    const std::size_t slash = item.rfind('/');
    if (slash == std::string::npos || slash == 0) {
      s.forms.push_back(item);
      s.tags.push_back("O");
    } else {
      s.forms.push_back(item.substr(0, slash));
      s.tags.push_back(item.substr(slash + 1));
    }
    p = q + 1;
  }
  return s;
}

std::vector<iob2_sentence> tiny_corpus() {
  return {
      make("Anna/B-PER Smith/I-PER works/O for/O Acme/B-ORG Corp/I-ORG in/O Paris/B-LOC ./O"),
      make("Peter/B-PER Jones/I-PER visited/O Berlin/B-LOC yesterday/O ./O"),
      make("Acme/B-ORG Corp/I-ORG opened/O an/O office/O in/O Rome/B-LOC ./O"),
      make("Maria/B-PER Lopez/I-PER said/O the/O talks/O in/O Madrid/B-LOC failed/O ./O"),
      make("The/O company/O Globex/B-ORG Inc/I-ORG hired/O John/B-PER Brown/I-PER ./O"),
      make("They/O met/O in/O London/B-LOC and/O Vienna/B-LOC ./O"),
      make("Anna/B-PER Smith/I-PER met/O Peter/B-PER Jones/I-PER in/O Rome/B-LOC ./O"),
      make("Globex/B-ORG Inc/I-ORG and/O Acme/B-ORG Corp/I-ORG merged/O ./O"),
  };
}

gazetteer tiny_gazetteer() {
  gazetteer g;
  g.add("Paris", gazetteer_type::capital, "France");
  g.add("Berlin", gazetteer_type::capital, "Germany");
  return g;
}

ner_model tiny_model() {
  ner_train_options opt;
  opt.epochs = 8;
  opt.hash_bits = 16;
  opt.verbose = false;
  opt.augment = 1;
  const auto corpus = tiny_corpus();
  return train_ner(corpus, corpus, tiny_gazetteer(), opt);
}

}  // namespace

TEST_CASE("ner: a tiny model learns its training sentences") {
  const ner_model m = tiny_model();
  CHECK(m.labels().front() == "O");
  for (const auto& s : tiny_corpus()) CHECK(m.label(s.forms) == s.tags);
  const ner_scores r = evaluate_ner(m, tiny_corpus());
  CHECK(r.overall.f1() == doctest::Approx(100.0));
  CHECK(r.types == std::vector<std::string>{"PER", "ORG", "LOC"});

  sentence s;
  for (const char* w : {"Anna", "Smith", "visited", "Paris", "."}) {
    token t;
    t.form = w;
    s.tokens.push_back(t);
  }
  m.label(s);
  CHECK(s.tokens[0].ner == "B-PER");
  CHECK(s.tokens[1].ner == "I-PER");
  CHECK(s.tokens[2].ner == "O");
  CHECK(s.tokens[3].ner == "B-LOC");
}

TEST_CASE("ner: POS features from a tagger run before NER") {
  // A tiny tagger: capitalised words are proper nouns, "." punctuation, the rest common words.
  std::vector<sentence> tagged;
  for (const auto& s : tiny_corpus()) {
    sentence t;
    for (const auto& f : s.forms) {
      token k;
      k.form = f;
      const bool proper = f[0] >= 'A' && f[0] <= 'Z' && f != "The" && f != "They";
      k.upos = f == "." ? "PUNCT" : proper ? "PROPN" : "X";
      k.xpos = f == "." ? "." : proper ? "NNP" : "XX";
      k.lemma = f;
      t.tokens.push_back(k);
    }
    tagged.push_back(t);
  }
  tagger_options topt;
  topt.hash_bits = 16;
  topt.epochs = 10;
  const tagger pos = tagger::train(tagged, {}, topt);

  ner_train_options opt;
  opt.epochs = 8;
  opt.hash_bits = 16;
  opt.verbose = false;
  opt.augment = 1;
  opt.pos_tagger = &pos;
  const auto corpus = tiny_corpus();
  const ner_model m = train_ner(corpus, corpus, tiny_gazetteer(), opt);
  const ner_scores r = evaluate_ner(m, corpus, &pos);
  CHECK(r.overall.f1() == doctest::Approx(100.0));

  // The pipeline's path: tags on the tokens, then label(sentence&).
  sentence s;
  for (const char* w : {"Peter", "Jones", "met", "Maria", "Lopez", "in", "Berlin", "."}) {
    token t;
    t.form = w;
    s.tokens.push_back(t);
  }
  pos.tag(s);
  CHECK(s.tokens[0].xpos == "NNP");
  m.label(s);
  const std::vector<std::string> want = {"B-PER", "I-PER", "O", "B-PER", "I-PER", "O", "B-LOC", "O"};
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(s.tokens[i].ner == want[i]);
}

TEST_CASE("ner: save/load round trip and refused files") {
  const ner_model m = tiny_model();
  const std::string path = "test_ner_tiny.model";
  m.save(path);
  const ner_model back = ner_model::load(path);
  const std::vector<std::string> probe = {"Maria", "Lopez", "opened", "Globex", "Inc", "in", "Vienna", "."};
  CHECK(back.label(probe) == m.label(probe));
  CHECK(back.labels() == m.labels());

  SUBCASE("another kind of model") {
    nlp::model_writer w("tagger", 42);
    w.write_file(path);
    CHECK_THROWS_WITH_AS(ner_model::load(path), doctest::Contains("expected a ner model"), nlp::model_error);
  }
  SUBCASE("another fingerprint") {
    nlp::model_writer w("ner", 42);
    w.strings(m.labels());
    w.u32(16);
    w.write_file(path);
    CHECK_THROWS_WITH_AS(ner_model::load(path), doctest::Contains("fingerprint"), nlp::model_error);
  }
  SUBCASE("another format version") {
    {
      std::ofstream out(path, std::ios::binary | std::ios::trunc);
      out.write(nlp::model_magic, sizeof nlp::model_magic);
      const std::uint32_t version = nlp::model_format_version + 1;
      out.write(reinterpret_cast<const char*>(&version), 4);
    }
    CHECK_THROWS_WITH_AS(ner_model::load(path), doctest::Contains("format version"), nlp::model_error);
  }
  SUBCASE("truncated") {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    in.close();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
    out.close();
    CHECK_THROWS_AS(ner_model::load(path), nlp::model_error);
  }
  std::remove(path.c_str());
  CHECK_THROWS_AS(ner_model::load("/nonexistent/ner.model"), nlp::model_error);
}

TEST_CASE("ner: CoNLL entity scoring") {
  const std::vector<std::vector<std::string>> gold = {{"B-PER", "I-PER", "O", "B-LOC"}, {"B-ORG", "O"}};
  SUBCASE("exact spans only") {
    const std::vector<std::vector<std::string>> pred = {{"B-PER", "O", "O", "B-LOC"}, {"B-ORG", "O"}};
    const ner_scores r = score_ner(gold, pred);
    CHECK(r.overall.true_positives == 2);
    CHECK(r.overall.false_positives == 1);
    CHECK(r.overall.false_negatives == 1);
    CHECK(r.overall.f1() == doctest::Approx(200.0 / 3));
    CHECK(r.per_type[0].f1() == doctest::Approx(0.0));  // PER
  }
  SUBCASE("an I- without its B- starts an entity; types absent from gold are not scored") {
    const std::vector<std::vector<std::string>> pred = {{"I-PER", "I-PER", "B-MISC", "B-LOC"}, {"I-ORG", "O"}};
    const ner_scores r = score_ner(gold, pred);
    CHECK(r.overall.f1() == doctest::Approx(100.0));
    CHECK(r.types == std::vector<std::string>{"PER", "ORG", "LOC"});
  }
}

TEST_CASE("ner: IOB2 files") {
  const std::string path = "test_ner.iob2";
  {
    std::ofstream out(path);
    out << "# newdoc id = n01\n# sent_id = 1\n1\tAnna\tB-PER\t-\t-\n2\tsaid\tO\t-\t-\n\n"
        << "# newdoc id = w02\nParis\tB-LOC\n.\tO\n\n";
  }
  const auto s = read_iob2(path);
  REQUIRE(s.size() == 2);
  CHECK(s[0].document == "n01");
  CHECK(s[0].forms == std::vector<std::string>{"Anna", "said"});
  CHECK(s[1].tags == std::vector<std::string>{"B-LOC", "O"});
  {
    std::ofstream out(path);
    out << "Anna\tB-PER\nsaid\tX-Y\n";
  }
  CHECK_THROWS_WITH_AS(read_iob2(path), doctest::Contains("test_ner.iob2:2: bad IOB2 tag"), input_error);
  std::remove(path.c_str());
}

namespace {

// Documents where only an earlier sentence tells what a name is: "Kalomir Inc hired Anna ." then
// "Kalomir said ." (an ORG), or "Kalomir Smith arrived ." then "Kalomir said ." (a PER).
std::vector<iob2_sentence> memory_corpus() {
  const std::vector<std::string> a = {"Ka", "Bo", "Ru", "Te", "Mi", "Za", "Lo", "Fe"};
  const std::vector<std::string> b = {"lomir", "drax", "venth", "quor", "stane"};
  std::vector<iob2_sentence> out;
  int n = 0;
  for (const auto& x : a)
    for (const auto& y : b) {
      const std::string name = x + y;
      const std::string doc = "d" + std::to_string(n);
      iob2_sentence first = (n % 2 == 0) ? make(name + "/B-ORG Inc/I-ORG hired/O Anna/B-PER ./O")
                                         : make(name + "/B-PER Smith/I-PER arrived/O ./O");
      iob2_sentence second = make(name + (n % 2 == 0 ? "/B-ORG" : "/B-PER") + " said/O ./O");
      first.document = second.document = doc;
      out.push_back(first);
      out.push_back(second);
      ++n;
    }
  return out;
}

ner_model memory_model(bool document_memory) {
  ner_train_options opt;
  opt.epochs = 10;
  opt.hash_bits = 16;
  opt.verbose = false;
  opt.augment = 0;
  opt.dropout = 0;
  opt.document_memory = document_memory;
  const auto corpus = memory_corpus();
  return train_ner(corpus, corpus, tiny_gazetteer(), opt);
}

sentence words(std::initializer_list<const char*> forms) {
  sentence s;
  for (const char* w : forms) {
    token t;
    t.form = w;
    s.tokens.push_back(t);
  }
  return s;
}

}  // namespace

TEST_CASE("ner: label_document remembers how a word was labelled earlier in the document") {
  const ner_model m = memory_model(true);
  // "Wextorn" is in no training sentence: only the first sentence of the document tells.
  std::vector<sentence> org = {words({"Wextorn", "Inc", "hired", "Anna", "."}), words({"Wextorn", "said", "."})};
  std::vector<sentence> per = {words({"Wextorn", "Smith", "arrived", "."}), sentence{}, words({"Wextorn", "said", "."})};

  SUBCASE("the second mention gets the type of the first") {
    m.label_document(org);
    CHECK(org[0].tokens[0].ner == "B-ORG");
    CHECK(org[1].tokens[0].ner == "B-ORG");
    m.label_document(per);  // a new document: nothing of the previous one is remembered
    CHECK(per[0].tokens[0].ner == "B-PER");
    CHECK(per[1].tokens.empty());  // empty sentences are skipped
    CHECK(per[2].tokens[0].ner == "B-PER");
    CHECK(per[2].tokens[1].ner == "O");
  }
  SUBCASE("label(sentence&) sees one sentence alone, whatever came before") {
    m.label_document(org);
    sentence alone = words({"Wextorn", "said", "."});
    m.label(alone);
    sentence again = words({"Wextorn", "said", "."});
    m.label_document(std::span<sentence>(&again, 1));
    CHECK(alone.tokens[0].ner == again.tokens[0].ner);
  }
  SUBCASE("the setting survives save and load") {
    const std::string path = "test_ner_memory.model";
    m.save(path);
    const ner_model back = ner_model::load(path);
    std::remove(path.c_str());
    back.label_document(per);
    CHECK(per[2].tokens[0].ner == "B-PER");
    back.label_document(org);
    CHECK(org[1].tokens[0].ner == "B-ORG");
  }
}

TEST_CASE("ner: without document memory, label_document labels each sentence alone") {
  const ner_model m = memory_model(false);
  const std::string path = "test_ner_nomemory.model";
  m.save(path);
  const ner_model back = ner_model::load(path);
  std::remove(path.c_str());
  for (const ner_model* model : {&m, &back}) {
    std::vector<sentence> doc = {words({"Wextorn", "Inc", "hired", "Anna", "."}), words({"Wextorn", "said", "."})};
    model->label_document(doc);
    sentence alone = words({"Wextorn", "said", "."});
    model->label(alone);
    for (std::size_t i = 0; i < alone.tokens.size(); ++i) CHECK(doc[1].tokens[i].ner == alone.tokens[i].ner);
  }
}
