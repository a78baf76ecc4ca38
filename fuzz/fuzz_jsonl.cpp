// libFuzzer target: the JSON Lines reader (line splitting, size limits, UTF-8 checks and repair,
// RapidJSON, HTML clean-up) on any bytes. A problem must be one line naming its line number; a
// document must be valid UTF-8 within the size limit.
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

#include "newsgraph/input.h"
#include "newsgraph/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  // The first byte picks the options, so that both ways of treating bad UTF-8 and HTML are fuzzed.
  newsgraph::input_options options;
  options.repair_utf8 = (data[0] & 1) != 0;
  options.clean_html = (data[0] & 2) != 0;
  options.max_document_bytes = 256;  // small, so that cutting happens and long lines are skipped
  std::istringstream in(std::string(reinterpret_cast<const char*>(data) + 1, size - 1));
  newsgraph::read_jsonl(
      in, "f.jsonl", options,
      [&](newsgraph::document&& doc) {
        if (doc.id.empty() || doc.text.size() > options.max_document_bytes) std::abort();
        if (newsgraph::utf8::first_invalid_byte(doc.text)) std::abort();
      },
      [](const newsgraph::input_problem& p) {
        if (!p.where.starts_with("f.jsonl:") || p.message.empty()) std::abort();
        if (p.message.find('\n') != std::string::npos) std::abort();
      });
  return 0;
}
