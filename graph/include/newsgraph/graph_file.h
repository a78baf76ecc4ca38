// The graph file format (.ngraph), written by knowledge_graph::save and read by ::load.
//
// Layout, all integers little-endian:
//   magic    8 bytes  "NGRAPH\r\n" (the CR LF catches text-mode transfers)
//   version  u32      graph_file_version; a file of another version is refused
//   length   u64      number of payload bytes that follow
//   payload           strings are u32 length + bytes; in order:
//                       documents (id, title, date, url)
//                       statements (the triples with provenance: what re-resolution starts from)
//                       mentions (every other actor mention: more surface forms for the aliases)
//                       user alias rules (u8 kind same|distinct|split, a, b)
//                       resolved actors (name, type, mention and document counts, aliases, roles)
//                       edges (source, target, label, class, symmetric, statement indexes)
//                       name index (folded alias key -> actor), merge reasons (alias, target,
//                       rule, f32 score, signals)
//   checksum u64      FNV-1a 64 of the payload; a mismatch means truncation or corruption
// The resolved graph is stored so that load() needs no resolution (a 100,000-actor graph loads in
// well under 2 s); re-resolve after adding documents or when the resolution rules changed.
// Version 1 (statements only) is refused: rebuild.
#pragma once

#include <cstdint>

namespace newsgraph {

inline constexpr char graph_file_magic[8] = {'N', 'G', 'R', 'A', 'P', 'H', '\r', '\n'};
inline constexpr std::uint32_t graph_file_version = 2;

}  // namespace newsgraph
