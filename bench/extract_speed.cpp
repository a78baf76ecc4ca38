// One-thread speed of the whole extraction stage (analysis, mentions, coreference, clause rules)
// over a JSONL corpus (one article per line, field "text").
//
//   extract_speed DATA_DIR CORPUS.jsonl [MAX_DOCS]
//
// Prints key=value figures: extractor load time, documents, tokens (counted by the tokenizer in an
// untimed pass), triples, seconds, tokens/s and documents/s of the extraction (ordered_extraction on one
// thread, in batches, as `newsgraph extract --threads 1` runs it).
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "newsgraph/extractor.h"
#include "newsgraph/ordered_extraction.h"
#include "newsgraph/input.h"
#include "newsgraph/tokenizer.h"

int main(int argc, char** argv) {
  using clock_type = std::chrono::steady_clock;
  auto since = [](clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); };
  if (argc < 3) {
    std::cerr << "usage: extract_speed DATA_DIR CORPUS.jsonl [MAX_DOCS]\n";
    return 2;
  }
  const std::size_t max_docs = argc > 3 ? std::strtoul(argv[3], nullptr, 10) : SIZE_MAX;
  std::vector<newsgraph::document> docs;
  newsgraph::read_inputs(
      {argv[2]}, {}, [&](newsgraph::document&& d) { if (docs.size() < max_docs) docs.push_back(std::move(d)); },
      [](const newsgraph::input_problem& p) { std::cerr << p.where << ": " << p.message << '\n'; });
  const auto tok = newsgraph::tokenizer::load(argv[1]);
  std::size_t tokens = 0;
  for (const auto& d : docs)
    for (const auto& s : tok.tokenize(d.text)) tokens += s.tokens.size();

  auto t0 = clock_type::now();
  const newsgraph::extractor ex({argv[1], false});
  const double load = since(t0);
  std::size_t triples = 0;
  t0 = clock_type::now();
  {
    // As `newsgraph extract --threads 1` runs it: batches of documents through one thread.
    newsgraph::ordered_extraction pool(ex, 1, [&](newsgraph::document&&, newsgraph::extraction&& result) {
      triples += result.triples.size();
    });
    for (auto& d : docs) pool.submit(std::move(d));
    pool.finish();
  }
  const double seconds = since(t0);
  std::cout << "load_seconds=" << load << " documents=" << docs.size() << " tokens=" << tokens
            << " triples=" << triples << " seconds=" << seconds << " tokens_per_second=" << tokens / seconds
            << " documents_per_second=" << docs.size() / seconds << '\n';
}
