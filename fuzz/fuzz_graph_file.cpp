// libFuzzer target: the graph-file loader. Each input is loaded as it is (magic, version, size and
// checksum checks), then again with its header and checksum made right, so that mutations reach
// the payload parser instead of stopping at the checksum. A bad file must be refused with
// newsgraph::error; anything else escaping (bad_alloc, length_error) is a finding. A loaded graph
// is then read a little, as the REPL would.
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "newsgraph/graph_file.h"
#include "newsgraph/knowledge_graph.h"

namespace {

void load(std::string_view bytes) {
  try {
    const auto g = newsgraph::knowledge_graph::load_bytes(bytes, "fuzz.ngraph");
    (void)g.most_connected(5);
    (void)g.find_actor("Sergey Lavrov");
    for (const auto& m : g.merges()) (void)g.why_text(m.alias);
  } catch (const newsgraph::error&) {
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  load(bytes);
  constexpr std::size_t header = sizeof newsgraph::graph_file_magic + 12;
  if (size < header + 8) return 0;
  std::string fixed(bytes);
  const std::uint64_t length = size - header - 8;
  const std::uint64_t sum = newsgraph::graph_file_checksum(std::string_view(fixed).substr(header, length));
  std::memcpy(fixed.data(), newsgraph::graph_file_magic, sizeof newsgraph::graph_file_magic);
  std::memcpy(fixed.data() + 8, &newsgraph::graph_file_version, 4);
  std::memcpy(fixed.data() + 12, &length, 8);
  std::memcpy(fixed.data() + header + length, &sum, 8);
  load(fixed);
  return 0;
}
