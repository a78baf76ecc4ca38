// The JSON Lines form of what extraction yields: the output of `newsgraph extract --format jsonl`
// and the input of `newsgraph build --from-triples`. It is what crosses machines when extraction
// runs under a cluster engine and the merge on one machine, so it carries everything the graph
// needs, and a graph built from it equals one built from the articles directly.
//
// Per document, in this order:
//   one line per triple:   {"doc": ID, "subject": MENTION, "relation": ..., "relation_surface": ...,
//                           "relation_class": ..., "object": MENTION, "confidence": ..., "sentence": ...,
//                           "sentence_begin": B, "sentence_end": E, ["date": ...,] "negated": false,
//                           "modal": false, "symmetric": false}
//   then one closing line: {"document": {"id": ID, ["title", "date", "url"]}, "triples": N,
//                           "mentions": [MENTION, ...]}
// MENTION = {"name", "text", "type", "begin", "end", ["role"]}; begin/end are half-open byte offsets
// into the article text. "mentions" are the actor mentions no triple uses (they add aliases).
// The closing line is what makes a document count even when it has no triple; jq users who want
// only triples select lines with a "relation".
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "newsgraph/document.h"
#include "newsgraph/extractor.h"
#include "newsgraph/input.h"

namespace newsgraph {

// Appends the lines of one document (its triples, then its closing line) to out.
void append_extraction_jsonl(const document& doc, const extraction& result, std::string& out);
// Appends the line of one triple (no closing line).
void append_triple_jsonl(const triple& t, std::string& out);

// Reads files written by append_extraction_jsonl ("-" is standard input) and calls on_document once
// per closing line, in file order, with the document's metadata (no text), triples and mentions.
// Bad lines go to on_problem ("FILE:LINE", reason) and are skipped; triples whose closing line never
// comes (a truncated shard) are reported and still delivered, under a document with only an id.
// Throws input_error when a file cannot be opened.
void read_extraction_jsonl(const std::vector<std::string>& files,
                           const std::function<void(document&&, extraction&&)>& on_document,
                           const std::function<void(const input_problem&)>& on_problem);

}  // namespace newsgraph
