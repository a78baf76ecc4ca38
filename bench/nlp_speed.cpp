// One-thread speed of the NLP pipeline over a JSONL corpus (one document per line, field "text").
//
//   nlp_speed MODELS_DIR CORPUS.jsonl [MAX_DOCS]
//
// Prints, one per line, key=value figures: model load time, then tokens per second of each stage
// run separately (tokenize; tag; parse one sentence at a time; parse_all a document at a time;
// ner) and of the whole analyze() call. Each stage is timed
// over the same tokenized sentences, after one untimed warm-up pass over the first documents.
// Rates are given per wall-clock second and per CPU second of this process: on a machine shared
// with other jobs the CPU figure is the one that measures the code.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <string>
#include <vector>

#include "corpus.h"
#include "newsgraph/parser.h"
#include "newsgraph/pipeline.h"
#include "newsgraph/tagger.h"
#include "newsgraph/tokenizer.h"

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

struct stopwatch {
  clock_type::time_point wall = clock_type::now();
  std::clock_t cpu = std::clock();
  double wall_s() const { return since(wall); }
  double cpu_s() const { return double(std::clock() - cpu) / CLOCKS_PER_SEC; }
};

void rate(const char* name, std::size_t tokens, double wall, double cpu) {
  std::printf("%s_tokens_per_s=%.0f %s_tokens_per_cpu_s=%.0f\n", name, tokens / wall, name, tokens / cpu);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: nlp_speed MODELS_DIR CORPUS.jsonl [MAX_DOCS]\n";
    return 2;
  }
  const std::size_t max_docs = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : SIZE_MAX;
  const auto texts = newsgraph::bench::read_corpus_texts(argv[2], max_docs);
  std::size_t bytes = 0;
  for (const auto& t : texts) bytes += t.size();

  try {
    const auto t0 = clock_type::now();
    const newsgraph::nlp_pipeline pipeline(argv[1]);
    const double load_s = since(t0);
    newsgraph::tokenize("Warm-up.");  // loads the tokenizer's data files outside the timings
    const double load_all_s = since(t0);

    // Warm-up: touches the model tables so that page faults are not timed.
    for (std::size_t i = 0; i < texts.size() && i < 200; ++i) pipeline.analyze(texts[i]);

    stopwatch w;
    std::vector<std::vector<newsgraph::sentence>> docs;
    docs.reserve(texts.size());
    for (const auto& text : texts) docs.push_back(newsgraph::tokenize(text));
    const double tok_wall = w.wall_s(), tok_cpu = w.cpu_s();
    std::size_t tokens = 0, sentences = 0;
    for (const auto& d : docs)
      for (const auto& s : d) tokens += s.tokens.size(), ++sentences;

    w = stopwatch{};
    for (auto& d : docs)
      for (auto& s : d) pipeline.tagger().tag(s);
    const double tag_wall = w.wall_s(), tag_cpu = w.cpu_s();
    w = stopwatch{};
    for (auto& d : docs)
      for (auto& s : d) pipeline.parser().parse(s);
    const double parse_wall = w.wall_s(), parse_cpu = w.cpu_s();
    // The same sentences again through parse_all(), a document at a time, as analyze() does.
    w = stopwatch{};
    for (auto& d : docs) pipeline.parser().parse_all(d);
    const double parse_all_wall = w.wall_s(), parse_all_cpu = w.cpu_s();

    w = stopwatch{};
    std::size_t check = 0;
    for (const auto& text : texts) check += pipeline.analyze(text).sentences.size();
    const double all_wall = w.wall_s(), all_cpu = w.cpu_s();
    // analyze_all() over batches of texts, as the extractor runs it.
    std::vector<std::pair<std::size_t, std::pair<double, double>>> batched;
    for (std::size_t batch : {8, 32, 128}) {
      w = stopwatch{};
      std::vector<std::string_view> views;
      for (std::size_t i = 0; i < texts.size(); i += batch) {
        views.assign(texts.begin() + static_cast<std::ptrdiff_t>(i),
                     texts.begin() + static_cast<std::ptrdiff_t>(std::min(texts.size(), i + batch)));
        for (const auto& a : pipeline.analyze_all(views)) check += a.sentences.size();
      }
      batched.push_back({batch, {w.wall_s(), w.cpu_s()}});
    }

    std::printf("documents=%zu bytes=%zu sentences=%zu tokens=%zu ner=%s\n", texts.size(), bytes, sentences, tokens,
                pipeline.has_ner() ? "yes" : "no");
    std::printf("load_s=%.3f load_with_tokenizer_s=%.3f\n", load_s, load_all_s);
    rate("tokenize", tokens, tok_wall, tok_cpu);
    rate("tag", tokens, tag_wall, tag_cpu);
    rate("parse", tokens, parse_wall, parse_cpu);
    rate("parse_all", tokens, parse_all_wall, parse_all_cpu);
    rate("tag_parse", tokens, tag_wall + parse_wall, tag_cpu + parse_cpu);
    rate(pipeline.has_ner() ? "pipeline_tokenize_tag_parse_ner" : "pipeline_tokenize_tag_parse", tokens, all_wall, all_cpu);
    for (const auto& [batch, t] : batched)
      rate(("analyze_all_" + std::to_string(batch)).c_str(), tokens, t.first, t.second);
    if (check != 4 * sentences) std::fprintf(stderr, "nlp_speed: sentence counts differ between runs\n");
  } catch (const std::exception& e) {
    std::cerr << "nlp_speed: " << e.what() << '\n';
    return 1;
  }
}
