// Reading articles: .txt files, directories of .txt files, JSON Lines and standard input.
#pragma once

#include <cstddef>
#include <functional>
#include <istream>
#include <string>
#include <vector>

#include "newsgraph/document.h"

namespace newsgraph {

// A problem with one input that did not stop the others (a bad JSONL line, an unreadable file).
struct input_problem {
  std::string where;    // "file.jsonl:12" or "file.txt"
  std::string message;  // one line, no trailing newline
  // True when some or all of the input was not read (the CLI then exits with status 2); false
  // for a warning after which all of it was (invalid UTF-8 repaired).
  bool skipped = true;
};

// A news article is a few kilobytes; a bigger "document" is a dump, a log or a whole site, and
// the extraction's cost grows faster than linearly with one document's length.
inline constexpr std::size_t default_max_document_bytes = 1 << 20;

struct input_options {
  // Invalid UTF-8 is rejected (the document is reported and skipped) unless repair is set,
  // in which case each bad byte becomes U+FFFD and a warning is reported.
  bool repair_utf8 = false;
  // A longer document is cut at the last line break (else sentence end, else space) before this
  // many bytes and reported; the rest is not read, and not held in memory. A JSONL line longer than
  // 4 times this plus 4 KiB (room for JSON escapes and the other fields) cannot be parsed in part:
  // it is reported and skipped.
  std::size_t max_document_bytes = default_max_document_bytes;
  // Leftover HTML (tags, comments, <script>, entities) is blanked out in place, keeping byte offsets.
  bool clean_html = true;
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

// Reads JSON Lines from `in` as read_inputs reads a .jsonl file; problems are named "name:LINE".
void read_jsonl(std::istream& in, const std::string& name, const input_options& options,
                const std::function<void(document&&)>& on_document,
                const std::function<void(const input_problem&)>& on_problem);

// Parses one JSONL line into a document; throws input_error("<where>: <reason>") when it is not a
// JSON object with a string "id" and a string "text".
document parse_jsonl_article(std::string_view line, const std::string& where);

}  // namespace newsgraph
