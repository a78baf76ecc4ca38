// Counts the documents and tokens of a corpus as newsgraph reads and tokenizes it, streaming (any
// size), so that scale_bench.sh can turn seconds into tokens per second.
//
//   count_tokens CORPUS...      (JSONL, .txt or directories; prints "documents=N tokens=M")
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "newsgraph/input.h"
#include "newsgraph/tokenizer.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: count_tokens CORPUS...\n";
    return 2;
  }
  try {
    const std::vector<std::string> inputs(argv + 1, argv + argc);
    std::size_t documents = 0, tokens = 0;
    newsgraph::read_inputs(
        inputs, {},
        [&](newsgraph::document&& d) {
          ++documents;
          for (const auto& s : newsgraph::tokenize(d.text)) tokens += s.tokens.size();
        },
        [](const newsgraph::input_problem& p) { std::cerr << p.where << ": " << p.message << '\n'; });
    std::printf("documents=%zu tokens=%zu\n", documents, tokens);
  } catch (const std::exception& e) {
    std::cerr << "count_tokens: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
