// The graph file format (.ngraph), written by knowledge_graph::save and read by ::load.
//
// Layout, all integers little-endian:
//   magic    8 bytes  "NGRAPH\r\n" (the CR LF catches text-mode transfers)
//   version  u32      graph_file_version; a file of another version is refused
//   length   u64      number of payload bytes that follow
//   payload           documents, then statements (strings as u32 length + bytes)
//   checksum u64      FNV-1a 64 of the payload; a mismatch means truncation or corruption
// The resolved Boost graph is not stored: load() re-runs resolve(), so a file never disagrees
// with the resolution rules of the binary that reads it.
#pragma once

#include <cstdint>

namespace newsgraph {

inline constexpr char graph_file_magic[8] = {'N', 'G', 'R', 'A', 'P', 'H', '\r', '\n'};
inline constexpr std::uint32_t graph_file_version = 1;

}  // namespace newsgraph
