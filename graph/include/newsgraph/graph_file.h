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
//                       actors of the mentions: per statement (u32 subject, u32 object actor),
//                       per mention (u32 actor, or 0xFFFFFFFF when in no statement)
//                       centralities: u8 present; if 1, per actor f64 PageRank, per actor f64
//                       betweenness, u8 betweenness exact, u32 betweenness sources (query.h:
//                       compute_centralities; `build` always stores them)
//   checksum u64      graph_file_checksum of the payload; a mismatch means truncation or corruption
// The resolved graph and its centralities are stored so that load() computes nothing (a
// 100,000-actor graph loads in about a second); re-resolve after adding documents or when the
// resolution rules changed. Versions 1 (statements only) and 2 (no mention actors, no
// centralities, byte-wise FNV-1a checksum) are refused: rebuild.
#pragma once

#include <cstdint>
#include <string_view>

namespace newsgraph {

inline constexpr char graph_file_magic[8] = {'N', 'G', 'R', 'A', 'P', 'H', '\r', '\n'};
inline constexpr std::uint32_t graph_file_version = 3;

// FNV-1a 64 over the payload read as little-endian 64-bit words in four interleaved lanes (bytes
// 0-7 to lane 0, 8-15 to lane 1, ..., 32-39 to lane 0 again; lane i starts from the offset basis
// xor i), up to the last whole 32 bytes; then, FNV-1a style from the offset basis, the four lane
// values (each as one 64-bit word) and the remaining size mod 32 bytes (each as one byte). Any
// changed 64-bit word changes it.
std::uint64_t graph_file_checksum(std::string_view payload);

}  // namespace newsgraph
