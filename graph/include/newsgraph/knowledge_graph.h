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
#include <functional>
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

// How central each actor is, for `actors --by pagerank|betweenness`. Computed once for a graph
// (save() stores them in the graph file), because over 100,000 actors they take far longer than a
// REPL answer may; see compute_centralities in query.h for the algorithms.
struct centrality_scores {
  std::vector<double> pagerank;     // per vertex
  std::vector<double> betweenness;  // per vertex, on the undirected view, each unordered pair once
  bool betweenness_exact = true;    // false: estimated from `betweenness_sources` pivot actors
  std::uint32_t betweenness_sources = 0;
  friend bool operator==(const centrality_scores&, const centrality_scores&) = default;
};

// The actors one merge or split touched: every vertex number whose actor, relations or existence
// changed (numbers past the last vertex were removed). Indexes over the graph
// (query_engine::update) drop what they hold for these numbers and read again the ones that
// still exist; every other vertex keeps its number and every other edge its descriptor.
// `whole`: the graph was resolved again (documents had been added): rebuild every index.
struct graph_change {
  std::vector<vertex_id> actors;  // ascending, unique
  bool whole = false;
  // Where the actors of `actors` that still exist came from: `statements` mentions (as subject
  // or object) that were `was`'s before the change are `actor`'s now. A merged actor comes from
  // both parts, a split-off actor from the one it left, an actor moved to a vacated number from
  // its old number. Sorted by (actor, was). Lets per-actor figures computed before the change
  // (betweenness, which takes a second to compute again) be carried over while they are redone.
  struct origin {
    vertex_id actor;
    vertex_id was;
    std::size_t statements;
    friend bool operator==(const origin&, const origin&) = default;
  };
  std::vector<origin> origins;
};

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
  // actor (else throw newsgraph::error), drop earlier rules they contradict, record the rule
  // (honoured by every later resolve()) and update the graph incrementally rather than
  // re-resolving: merge unites the two actors (its `why` link is "user same"); split gives the
  // alias's mentions an actor of their own and leaves every other name where it was. The actors
  // concerned are rebuilt from their mentions exactly as resolve() builds an actor from its
  // names, and only the statements whose actors changed move between edges, so the graph is
  // what resolve() makes of the same clusters. A later resolve() may still cluster differently:
  // it may keep apart a name that could be two people once the user joined one of them to a
  // third, or regroup names linked only through a split alias. The actor that a merge (or a
  // split emptying one) removes is replaced by the last vertex, so no other actor is renumbered;
  // the centralities are dropped. merge throws newsgraph::error when a `distinct` rule between
  // other names of the two actors keeps them apart.
  graph_change merge(std::string_view a, std::string_view b);
  graph_change split(std::string_view alias);
  void add_rule(user_rule rule);  // no validation, no re-resolution
  const std::vector<user_rule>& user_rules() const { return user_rules_; }

  const graph_type& graph() const { return graph_; }
  std::size_t document_count() const { return documents_.size(); }
  std::size_t statement_count() const { return statements_.size(); }
  const std::vector<document_info>& documents() const { return documents_; }
  const std::vector<triple>& statements() const { return statements_; }
  const std::vector<mention>& mentions() const { return mentions_; }  // beyond the statements' own

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
  // What the last resolve() of this object cost (zeros after load, merge or split alone).
  const resolution_stats& resolve_stats() const { return resolve_stats_; }

  // PageRank and betweenness of the current graph, or nullptr when they were not computed since
  // it last changed (resolve, merge, split clear them). set_centralities throws newsgraph::error
  // when the vectors do not have one score per actor.
  const centrality_scores* centralities() const { return centralities_ ? &*centralities_ : nullptr; }
  void set_centralities(centrality_scores scores);

  // Graph files: see graph_file.h for the format. save() writes atomically, computing the
  // centralities first when they are missing, unless told to `omit` them (the REPL saves while
  // they are being computed; a graph loaded without them gets them computed in the background);
  // load() throws newsgraph::error naming the file when it is missing, truncated, corrupted or
  // of another version.
  enum class missing_centralities { compute, omit };
  void save(const std::string& path, missing_centralities missing = missing_centralities::compute) const;
  static knowledge_graph load(const std::string& path);
  // load() on the bytes of a graph file already in memory; `path` only names it in errors.
  static knowledge_graph load_bytes(std::string_view bytes, const std::string& path);

private:
  std::vector<document_info> documents_;
  std::vector<triple> statements_;
  std::vector<mention> mentions_;  // actor mentions beyond the statements' own
  graph_type graph_;
  // Folded name -> vertex, for find_actor: sorted, unique. A merge or split changes a handful of
  // actors; rewriting 100,000 names for them would copy most of the index's pages while a
  // background save's child shares them. So name_index_ stays as built, its entries of the
  // actors changed since (name_replaced_, ascending) are void, and those actors' names now are
  // in name_added_ (sorted, unique), folded into name_index_ once the two together pass
  // name_compact_after entries (a few hundred merges or splits).
  std::vector<std::pair<std::string, vertex_id>> name_index_;
  std::vector<std::pair<std::string, vertex_id>> name_added_;
  std::vector<vertex_id> name_replaced_;
  static constexpr std::size_t name_compact_after = 4096;
  std::vector<merge_reason> merges_;
  std::vector<user_rule> user_rules_;
  // The actor each mention was resolved to, so that merge and split find the mentions of an actor
  // without re-reading every name: per statement (subject, object), per extra mention (or
  // no_actor when its name is in no statement).
  static constexpr std::uint32_t no_actor = 0xFFFFFFFFU;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> statement_actors_;
  std::vector<std::uint32_t> mention_actors_;
  std::optional<centrality_scores> centralities_;
  std::unordered_set<std::string> document_ids_;  // ids of documents_, for add_document's check
  std::shared_ptr<const alias_data> alias_data_;
  resolution_stats resolve_stats_;

  // merge and split: rebuilds the actors of `change` from the mentions statement_actors_ and
  // mention_actors_ now give them (calling `before_naming` once their records are known), and
  // moves the statements whose actors changed to the edges they now make.
  struct local_change;
  void rebuild_actors(local_change& change, const std::function<void(local_change&)>& before_naming);
  // `before`: (statement, its actors before the change) for the statements reassigned, by statement.
  void move_statements(const std::vector<std::pair<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>>>& before);
  // Empties the actors `gone` (left without mentions) by moving the last actors into their
  // numbers: adds every number concerned to change.actors and returns how many vertices to drop
  // from the end once rebuilt (vecS removes the last vertex without renumbering any other).
  std::size_t vacate(std::vector<vertex_id> gone, local_change& change);
  void drop_last_vertices(std::size_t count);
  // The name index as one list (name_index_ without its void entries, plus name_added_): the
  // actors a folded name denotes, ascending; the number of entries, and each entry in (key,
  // vertex) order as graph files store them.
  std::vector<vertex_id> actors_named(const std::string& key) const;
  void for_each_name(const std::function<void(const std::string&, vertex_id)>& visit) const;
  std::size_t name_count() const;
  void compact_name_index();

  friend struct graph_file;
};

// The key names are compared by: folded (utf8::fold), without a leading "the ", "@" or "#",
// without a trailing possessive "'s", inner punctuation and runs of spaces collapsed.
std::string name_key(std::string_view name);

}  // namespace newsgraph
