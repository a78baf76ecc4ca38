// The knowledge graph: one vertex per real-world actor, one edge per (subject, relation, object)
// with every piece of evidence that states it.
//
// What is stored is the extracted statements (triples with their provenance), never the articles:
// the Boost graph is derived from them by resolve(), which merges the names that denote one actor
// (see alias_resolver.h). Re-resolving after adding documents therefore needs no article to be read
// again. Graph files also store the resolved graph and the user's alias decisions, so load() does
// not re-resolve.
#pragma once

#include <boost/graph/adjacency_list.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "newsgraph/alias_resolver.h"
#include "newsgraph/document.h"

namespace newsgraph {

struct alias_count {
  std::string text;  // surface form as written ("Burel", "@JosepBorrellF")
  std::uint32_t count = 0;
};

struct actor {
  std::string name;  // canonical: the most complete well-attested form
  actor_type type = actor_type::other;
  std::vector<alias_count> aliases;  // every surface form with its count, most frequent first
  std::vector<alias_count> roles;    // titles and appositions ("Russian Foreign Minister")
  std::uint32_t mention_count = 0;
  std::uint32_t document_count = 0;
};

struct evidence_item {
  std::string document_id;
  byte_span sentence;  // half-open byte span in the document's text
  std::string sentence_text;
  std::string relation_surface;
  std::string date;
  float confidence = 0.0F;
};

struct relation {
  std::string label;           // normalised lemma label, "reply to"
  std::string relation_class;  // coarse class, may be empty
  bool symmetric = false;
  std::vector<evidence_item> evidence;  // one per statement, in insertion order
  std::vector<std::uint32_t> statements;  // parallel to evidence: indexes into knowledge_graph::statements()
  std::uint32_t count() const { return static_cast<std::uint32_t>(evidence.size()); }
};

// Vertices and edges live in vectors, so descriptors are indexes; parallel edges carry different labels.
using graph_type = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS, actor, relation>;
using vertex_id = graph_type::vertex_descriptor;
using edge_id = graph_type::edge_descriptor;

struct document_info {
  std::string id;
  std::string title;
  std::string date;
  std::string url;
};

class knowledge_graph {
public:
  // Adds one document's metadata and its triples. Call resolve() before querying.
  // Throws newsgraph::error if a document with this id was added before.
  void add_document(const document& doc, const std::vector<triple>& triples);
  // The same, with every actor mention of the document (extractor::extract_all): their surface
  // forms count as aliases of the actors the triples name ("Barrel wrote" in an article about
  // Borrell). A mention of a name no triple uses adds no actor.
  void add_document(const document& doc, const std::vector<triple>& triples, const std::vector<mention>& mentions);

  // Rebuilds the Boost graph from every statement: merges names into actors (honouring the user
  // rules), aggregates edges. Reads the resolver's data files through alias_data::default_data()
  // unless set_alias_data() gave others.
  void resolve();
  void set_alias_data(std::shared_ptr<const alias_data> data) { alias_data_ = std::move(data); }

  // User decisions, kept in the graph file and honoured by every later resolve().
  // apply_alias_file reads lines `same<TAB>A<TAB>B`, `distinct<TAB>A<TAB>B` or `split<TAB>A`
  // (# comments and blank lines ignored) and adds them; it does not resolve. Throws input_error
  // naming file:line on a bad line, or the file when it cannot be read.
  void apply_alias_file(const std::string& path);
  // merge: A and B are one actor; split: ALIAS is its own actor. Both take any alias of a known
  // actor (else throw newsgraph::error), drop earlier rules they contradict, and re-resolve.
  void merge(std::string_view a, std::string_view b);
  void split(std::string_view alias);
  void add_rule(user_rule rule);  // no validation, no re-resolution
  const std::vector<user_rule>& user_rules() const { return user_rules_; }

  const graph_type& graph() const { return graph_; }
  std::size_t document_count() const { return documents_.size(); }
  std::size_t statement_count() const { return statements_.size(); }
  const std::vector<document_info>& documents() const { return documents_; }
  const std::vector<triple>& statements() const { return statements_; }

  // The actor a name denotes: exact canonical name or alias, compared case-, accent- and
  // punctuation-insensitively ("@JosepBorrellF", "the Kremlin's" and "KREMLIN" all fold).
  std::optional<vertex_id> find_actor(std::string_view name) const;

  // Actors by descending degree (in + out edges, counting evidence), ties by name; at most `limit`.
  std::vector<vertex_id> most_connected(std::size_t limit) const;

  // Why `alias` belongs to its actor: the chain of merges that led there (empty if not merged).
  // The first link is "in document" when the alias was only ever written for a fuller name that
  // its own article resolved it to.
  std::vector<merge_reason> why(std::string_view alias) const;
  // The chain rendered for a terminal, at most ~20 lines: "Burel is Josep Borrell:" then one block
  // per link with its rule, score and signals. Throws newsgraph::error if no actor has the alias.
  std::string why_text(std::string_view alias) const;
  const std::vector<merge_reason>& merges() const { return merges_; }

  // Graph files: see graph_file.h for the format. save() writes atomically; load() throws
  // newsgraph::error naming the file when it is missing, truncated, corrupted or of another version.
  void save(const std::string& path) const;
  static knowledge_graph load(const std::string& path);

private:
  std::vector<document_info> documents_;
  std::vector<triple> statements_;
  std::vector<mention> mentions_;  // actor mentions beyond the statements' own
  graph_type graph_;
  std::vector<std::pair<std::string, vertex_id>> name_index_;  // folded name -> vertex, sorted
  std::vector<merge_reason> merges_;
  std::vector<user_rule> user_rules_;
  std::unordered_set<std::string> document_ids_;  // ids of documents_, for add_document's check
  std::shared_ptr<const alias_data> alias_data_;

  friend struct graph_file;
};

// The key names are compared by: folded (utf8::fold), without a leading "the ", "@" or "#",
// without a trailing possessive "'s", inner punctuation and runs of spaces collapsed.
std::string name_key(std::string_view name);

}  // namespace newsgraph
