// One-thread speed of the tokenizer (and of the NER over its output) on a JSONL corpus with a
// "text" field per line, e.g. ../shared/data/news/reuters21578.jsonl.
//
//   tokenizer_speed DATA_DIR CORPUS.jsonl [NER_MODEL] [MAX_DOCS]
//
// Prints key=value lines: corpus size, tokenizer tokens/s (best of 3 passes, the texts already in
// memory), and with NER_MODEL its load time and NER tokens/s over the tokenized sentences. Rates
// are given per second of wall-clock time and per second of this process's CPU time (the latter
// is the one-thread speed when other jobs share the cores).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "corpus.h"
#include "newsgraph/ner.h"
#include "newsgraph/tokenizer.h"

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }
double cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tokenizer_speed DATA_DIR CORPUS.jsonl [NER_MODEL] [MAX_DOCS]\n";
    return 2;
  }
  const std::size_t max_docs = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : SIZE_MAX;
  const auto texts = newsgraph::bench::read_corpus_texts(argv[2], max_docs);
  try {
    const auto tokenizer = newsgraph::tokenizer::load(argv[1]);
    std::size_t bytes = 0;
    for (const auto& t : texts) bytes += t.size();

    std::vector<std::vector<newsgraph::sentence>> docs(texts.size());
    double best = 1e30, best_cpu = 1e30;
    for (int pass = 0; pass < 3; ++pass) {
      const auto t0 = clock_type::now();
      const double c0 = cpu_now();
      for (std::size_t i = 0; i < texts.size(); ++i) docs[i] = tokenizer.tokenize(texts[i]);
      best = std::min(best, since(t0));
      best_cpu = std::min(best_cpu, cpu_now() - c0);
    }
    std::size_t tokens = 0, sentences = 0;
    for (const auto& d : docs)
      for (const auto& s : d) tokens += s.tokens.size(), ++sentences;
    std::printf("documents=%zu bytes=%zu sentences=%zu tokens=%zu\n", texts.size(), bytes, sentences, tokens);
    std::printf("tokenize_s=%.3f tokenize_tokens_per_s=%.0f tokenize_mb_per_s=%.1f tokenize_cpu_tokens_per_s=%.0f\n",
                best, double(tokens) / best, double(bytes) / best / 1e6, double(tokens) / best_cpu);

    if (argc > 3 && argv[3][0] != '\0') {
      auto t0 = clock_type::now();
      const auto model = newsgraph::ner_model::load(argv[3]);
      const double load_s = since(t0);
      for (std::size_t i = 0; i < docs.size() && i < 100; ++i)  // warm-up: page in the tables
        for (auto& s : docs[i]) model.label(s);
      t0 = clock_type::now();
      const double c0 = cpu_now();
      for (auto& d : docs)
        for (auto& s : d) model.label(s);
      const double ner_s = since(t0);
      const double ner_cpu = cpu_now() - c0;
      std::size_t entities = 0;
      for (const auto& d : docs)
        for (const auto& s : d)
          for (const auto& t : s.tokens) entities += t.ner[0] == 'B';
      std::printf("ner_load_s=%.3f ner_s=%.3f ner_tokens_per_s=%.0f ner_cpu_tokens_per_s=%.0f entities=%zu\n", load_s,
                  ner_s, double(tokens) / ner_s, double(tokens) / ner_cpu, entities);
    }
  } catch (const std::exception& e) {
    std::cerr << "tokenizer_speed: " << e.what() << '\n';
    return 1;
  }
}
