// The texts of a benchmark corpus, read by the project's own input reader (JSONL, .txt or a
// directory): bad lines are reported on stderr and skipped, as `newsgraph build` would.
#pragma once

#include <cstddef>
#include <iostream>
#include <string>
#include <vector>

#include "newsgraph/input.h"

namespace newsgraph::bench {

inline std::vector<std::string> read_corpus_texts(const std::string& path, std::size_t max_docs) {
  std::vector<std::string> texts;
  read_inputs(
      {path}, {},
      [&](document&& d) {
        if (texts.size() < max_docs) texts.push_back(std::move(d.text));
      },
      [](const input_problem& p) { std::cerr << p.where << ": " << p.message << '\n'; });
  return texts;
}

}  // namespace newsgraph::bench
