// Reading the line-oriented data files of data/ (word lists, gazetteers, lexicons): one place that
// opens the file, numbers its lines, and skips blank lines and '#' comments.
#pragma once

#include <fstream>
#include <string>
#include <string_view>

#include "newsgraph/document.h"

namespace newsgraph {

// Calls on_line(line_number, line) for each line that is neither blank nor a '#' comment; line
// numbers count from 1 and include skipped lines, a trailing CR is dropped. Throws
// input_error("<path>: cannot open <what>") when the file cannot be opened.
template <typename F>
void for_each_data_line(const std::string& path, std::string_view what, F on_line) {
  std::ifstream in(path);
  if (!in) throw input_error(path + ": cannot open " + std::string(what));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    on_line(number, std::string_view(line));
  }
}

}  // namespace newsgraph
