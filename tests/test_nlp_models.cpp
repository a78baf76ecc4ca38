// The statistical NLP core: CoNLL-U reading, a tiny tagger and parser trained here on
// tests/data/nlp_tiny.conllu, model save/load round trips and refused model files.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "newsgraph/conllu.h"
#include "newsgraph/parser.h"
#include "newsgraph/tagger.h"
#include "nlp/perceptron.h"

namespace {

using namespace newsgraph;
namespace fs = std::filesystem;

const std::string tiny = std::string(NEWSGRAPH_TEST_DATA) + "/nlp_tiny.conllu";

std::vector<sentence> tiny_sentences() {
  std::vector<sentence> out;
  for (auto& s : nlp::read_conllu(tiny)) out.push_back(std::move(s.sent));
  return out;
}

// A fresh folder per test process, removed at exit.
struct temp_dir {
  fs::path path = fs::temp_directory_path() / ("newsgraph_test_nlp_" + std::to_string(::getpid()));
  temp_dir() { fs::create_directories(path); }
  ~temp_dir() { fs::remove_all(path); }
  std::string file(const std::string& name) const { return (path / name).string(); }
};

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}

// Offsets of the container header (see nlp/perceptron.h): magic, u32 version, u32 kind length,
// kind bytes, u64 fingerprint.
constexpr std::size_t version_offset = 8;
std::size_t fingerprint_offset(const std::string& kind) { return 12 + 4 + kind.size(); }

std::uint64_t read_u64(const std::string& bytes, std::size_t at) {
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data() + at, 8);
  return v;
}

std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

// Everything the models set, one line per token, for comparing two runs.
std::string dump(const std::vector<sentence>& sentences) {
  std::ostringstream out;
  for (const auto& s : sentences) nlp::write_conllu(out, s);
  return out.str();
}

sentence unseen_sentence() {
  sentence s;
  for (const char* w : {"The", "minister", "warned", "Paris", "on", "Monday", "."}) {
    token t;
    t.form = w;
    s.tokens.push_back(t);
  }
  return s;
}

}  // namespace

TEST_CASE("CoNLL-U reader") {
  const auto doc = nlp::read_conllu(tiny);
  REQUIRE(doc.size() == 9);
  SUBCASE("comments, heads and SpaceAfter") {
    const auto& first = doc[0];
    REQUIRE(first.comments.size() >= 2);
    CHECK(first.comments[first.comments.size() - 1] == "# text = The cat sleeps.");
    REQUIRE(first.sent.tokens.size() == 4);
    CHECK(first.sent.tokens[0].head == 1);
    CHECK(first.sent.tokens[2].head == -1);
    CHECK(first.sent.tokens[2].deprel == "root");
    CHECK(first.sent.tokens[2].lemma == "sleep");
    CHECK_FALSE(first.sent.tokens[2].space_after);
    CHECK(first.sent.tokens[3].space_after);
  }
  SUBCASE("multiword ranges and empty nodes are skipped") {
    const auto& last = doc[8].sent;
    REQUIRE(last.tokens.size() == 5);
    CHECK(last.tokens[1].form == "did");
    CHECK(last.tokens[2].form == "n't");
    CHECK(last.tokens[4].form == ".");
  }
  SUBCASE("write then read gives the same sentences") {
    std::ostringstream out;
    for (const auto& s : doc) nlp::write_conllu(out, s);
    const auto again = nlp::parse_conllu(out.str(), "written");
    CHECK(dump({again[0].sent}) == dump({doc[0].sent}));
    CHECK(out.str().find("SpaceAfter=No") != std::string::npos);
  }
  SUBCASE("a malformed line is named by file and line") {
    const std::string bad = std::string(NEWSGRAPH_TEST_DATA) + "/nlp_malformed.conllu";
    CHECK_THROWS_WITH_AS(nlp::read_conllu(bad), (bad + ":3: expected 10 tab-separated columns, found 7").c_str(),
                         input_error);
    CHECK_THROWS_WITH_AS(nlp::read_conllu(bad + ".missing"), (bad + ".missing: cannot open CoNLL-U file").c_str(),
                         input_error);
  }
}

TEST_CASE("tiny tagger") {
  const auto train = tiny_sentences();
  tagger_options opt;
  opt.hash_bits = 16;
  opt.epochs = 10;
  const tagger t = tagger::train(train, {}, opt);
  temp_dir dir;
  const std::string path = dir.file("tagger.model");
  t.save(path);

  SUBCASE("learns its training sentences") {
    const auto s = t.evaluate(train);
    CHECK(s.tokens == 50);
    CHECK(s.upos >= 95.0);
    CHECK(s.xpos >= 95.0);
    CHECK(s.lemma >= 95.0);
  }
  SUBCASE("lemmas: lower case except proper nouns, dictionary then suffix rules") {
    auto s = unseen_sentence();
    t.tag(s);
    CHECK(s.tokens[0].lemma == "the");
    CHECK(s.tokens[3].upos == "PROPN");
    CHECK(s.tokens[3].lemma == "Paris");
    CHECK(s.tokens[2].upos == "VERB");
    CHECK(s.tokens[2].lemma == "warn");
  }
  SUBCASE("save/load round trip gives identical predictions") {
    const tagger loaded = tagger::load(path);
    auto a = train, b = train;
    a.push_back(unseen_sentence());
    b.push_back(unseen_sentence());
    for (auto& s : a) t.tag(s);
    for (auto& s : b) loaded.tag(s);
    CHECK(dump(a) == dump(b));
    CHECK(read_bytes(path) == [&] { loaded.save(dir.file("again.model")); return read_bytes(dir.file("again.model")); }());
  }
  SUBCASE("refuses a model of another format version") {
    std::string bytes = read_bytes(path);
    const std::uint32_t v = 99;
    std::memcpy(bytes.data() + version_offset, &v, 4);
    const std::string other = dir.file("v99.model");
    write_bytes(other, bytes);
    CHECK_THROWS_WITH_AS(tagger::load(other),
                         (other + ": model format version 99, this build reads version 1; retrain the model").c_str(),
                         nlp::model_error);
  }
  SUBCASE("refuses a model of another fingerprint") {
    std::string bytes = read_bytes(path);
    const std::uint64_t expected = read_u64(bytes, fingerprint_offset("tagger"));
    const std::uint64_t changed = expected ^ 0x1234;
    std::memcpy(bytes.data() + fingerprint_offset("tagger"), &changed, 8);
    const std::string other = dir.file("fingerprint.model");
    write_bytes(other, bytes);
    CHECK_THROWS_WITH_AS(tagger::load(other),
                         (other + ": model fingerprint " + hex16(changed) + ", this build expects " + hex16(expected) +
                          " (other features, labels or hashing); retrain the model")
                             .c_str(),
                         nlp::model_error);
  }
  SUBCASE("refuses another kind of model, a missing file and a truncated one") {
    CHECK_THROWS_WITH_AS(dependency_parser::load(path), (path + ": is a tagger model, expected a parser model").c_str(),
                         nlp::model_error);
    const std::string missing = dir.file("missing.model");
    CHECK_THROWS_WITH_AS(tagger::load(missing), (missing + ": cannot open model file").c_str(), nlp::model_error);
    const std::string cut = dir.file("cut.model");
    const std::string bytes = read_bytes(path);
    write_bytes(cut, bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_WITH_AS(tagger::load(cut), (cut + ": model file is truncated").c_str(), nlp::model_error);
  }
}

TEST_CASE("tiny parser") {
  const auto train = tiny_sentences();
  parser_options opt;
  opt.hash_bits = 16;
  opt.epochs = 10;
  opt.min_weight = 0.0F;  // nine sentences give small averaged weights; the default would drop them
  dependency_parser p = dependency_parser::train(train, {}, opt);
  temp_dir dir;
  const std::string path = dir.file("parser.model");
  p.save(path);

  SUBCASE("learns its training sentences") {
    const auto s = p.evaluate(train);
    CHECK(s.tokens == 50);
    CHECK(s.uas >= 90.0);
    CHECK(s.las >= 90.0);
  }
  SUBCASE("every parse is a tree with one root, even from a model pruned to nothing") {
    auto s = unseen_sentence();
    tagger_options topt;
    topt.hash_bits = 16;
    tagger::train(train, {}, topt).tag(s);
    p.parse(s);
    sentence again = s;
    p.prune(1e9F);
    p.parse(again);
    for (const sentence* parsed : {&s, &again}) {
      int roots = 0;
      for (std::size_t i = 0; i < parsed->tokens.size(); ++i) {
        const auto& t = parsed->tokens[i];
        roots += t.head == -1;
        CHECK(t.head < static_cast<int>(parsed->tokens.size()));
        CHECK(t.head != static_cast<int>(i));
        CHECK_FALSE(t.deprel.empty());
        // following heads from any token reaches the root without a cycle
        int h = static_cast<int>(i), steps = 0;
        while (h != -1 && steps <= static_cast<int>(parsed->tokens.size())) h = parsed->tokens[h].head, ++steps;
        CHECK(h == -1);
      }
      CHECK(roots == 1);
    }
  }
  SUBCASE("save/load round trip gives identical parses") {
    const dependency_parser loaded = dependency_parser::load(path);
    auto a = train, b = train;
    for (auto& s : a) p.parse(s);
    for (auto& s : b) loaded.parse(s);
    CHECK(dump(a) == dump(b));
  }
  SUBCASE("the mean of two parsers: of one with itself parses the same, of two seeds is valid") {
    const dependency_parser self = dependency_parser::mean(p, p);
    auto a = train, b = train;
    for (auto& s : a) p.parse(s);
    for (auto& s : b) self.parse(s);
    CHECK(dump(a) == dump(b));
    parser_options other = opt;
    other.seed = 7;
    const dependency_parser mixed = dependency_parser::mean(p, dependency_parser::train(train, {}, other));
    CHECK(mixed.evaluate(train).uas >= 90.0);
  }
  SUBCASE("refuses a model of another fingerprint") {
    std::string bytes = read_bytes(path);
    const std::uint64_t expected = read_u64(bytes, fingerprint_offset("parser"));
    const std::uint64_t changed = ~expected;
    std::memcpy(bytes.data() + fingerprint_offset("parser"), &changed, 8);
    const std::string other = dir.file("fingerprint.model");
    write_bytes(other, bytes);
    CHECK_THROWS_WITH_AS(dependency_parser::load(other),
                         (other + ": model fingerprint " + hex16(changed) + ", this build expects " + hex16(expected) +
                          " (other features, labels or hashing); retrain the model")
                             .c_str(),
                         nlp::model_error);
  }
}

TEST_CASE("perceptron: int8 dense rows and the vector loops") {
  // A model whose rows are dense: few features, each seen with every class.
  constexpr std::uint32_t classes = 40, features_per_decision = 12;
  nlp::averaged_perceptron trained(classes, 10);
  std::uint64_t state = 7;
  auto next = [&] { return state = nlp::mix64(state); };
  auto draw = [&](std::vector<std::uint64_t>& f) {
    f.clear();
    for (std::uint32_t k = 0; k < features_per_decision; ++k) f.push_back(nlp::mix64(next() % 64));
  };
  std::vector<std::uint64_t> f;
  std::vector<float> scores(classes);
  for (int step = 0; step < 20000; ++step) {
    draw(f);
    const auto truth = static_cast<std::uint32_t>((f[0] ^ f[1]) % classes);
    trained.score(f, scores);
    const auto guess = static_cast<std::uint32_t>(std::max_element(scores.begin(), scores.end()) - scores.begin());
    trained.update(f, truth, guess);
    trained.tick();
  }
  const fs::path file = fs::temp_directory_path() / ("ng_perceptron_" + std::to_string(::getpid()) + ".model");
  {
    nlp::model_writer out("test", 1);
    trained.averaged().save(out);
    out.write_file(file.string());
  }
  auto load = [&](nlp::dense_row_precision precision) {
    nlp::model_reader in(file.string(), "test");
    nlp::averaged_perceptron m;
    m.load(in, precision);
    return m;
  };
  const auto exact = load(nlp::dense_row_precision::int16);
  const auto compact = load(nlp::dense_row_precision::int8);
  fs::remove(file);
  std::vector<float> s16(classes), s8(classes);

  SUBCASE("each row's int8 scores are within half a step of its scale (max |w| / 128)") {
    bool any_rounded = false;
    for (std::uint64_t id = 0; id < 64; ++id) {
      const std::uint64_t one[] = {nlp::mix64(id)};
      exact.score(one, s16);
      compact.score(one, s8);
      float row_max = 0;
      for (float w : s16) row_max = std::max(row_max, std::fabs(w));
      for (std::uint32_t c = 0; c < classes; ++c) {
        CHECK(std::fabs(s8[c] - s16[c]) <= row_max / 128 * 1.0001F);
        any_rounded |= s8[c] != s16[c];
      }
    }
    CHECK(any_rounded);  // the int8 layout is in use, not the int16 one
  }
  SUBCASE("the vector and the portable loops give the same sums") {
    for (int trial = 0; trial < 200; ++trial) {
      draw(f);
      for (const auto* m : {&exact, &compact}) {
        m->score(f, s16);
        nlp::use_vector_kernels(false);
        m->score(f, s8);
        nlp::use_vector_kernels(true);
        CHECK(s16 == s8);
      }
    }
  }
}
