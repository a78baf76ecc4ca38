// Reading articles: .txt files, directories of .txt files, JSON Lines and standard input.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "newsgraph/document.h"

namespace newsgraph {

// A problem with one input that did not stop the others (a bad JSONL line, an unreadable file).
struct input_problem {
  std::string where;    // "file.jsonl:12" or "file.txt"
  std::string message;  // one line, no trailing newline
};

struct input_options {
  // Invalid UTF-8 is rejected (the document is reported and skipped) unless repair is set,
  // in which case each bad byte becomes U+FFFD and a warning is reported.
  bool repair_utf8 = false;
};

// Calls `on_document` for each article of each input, in order: a file ending in .jsonl (one JSON
// object per line with "id" and "text", optional "title", "date", "url"), a directory (its *.txt
// files recursively, sorted by path, each one document whose id is the file stem), "-" for standard
// input (JSONL if its first non-blank character is '{', else one plain-text document with id "stdin"),
// or any other file as one plain-text document.
// Bad lines and unreadable documents go to `on_problem` and reading goes on.
// Throws input_error when an input cannot be read at all (missing path, directory without .txt).
void read_inputs(const std::vector<std::string>& inputs, const input_options& options,
                 const std::function<void(document&&)>& on_document,
                 const std::function<void(const input_problem&)>& on_problem);

// Parses one JSONL line into a document; throws input_error("<where>: <reason>") when it is not a
// JSON object with a string "id" and a string "text".
document parse_jsonl_article(std::string_view line, const std::string& where);

}  // namespace newsgraph
