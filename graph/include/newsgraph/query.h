// Questions asked of a resolved knowledge_graph: forgiving actor lookup, relation matching on
// inflected labels, triple patterns with joins, and graph algorithms from Boost.Graph.
//
// A query_engine indexes one graph as it is when the engine is built; it holds a reference and
// edge descriptors into that graph, so it must be rebuilt after anything changes the graph
// (merge, split). Algorithms run on first use and are cached for the engine's life; PageRank and
// betweenness come from the graph (graph files store them) or from a background computation.
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/knowledge_graph.h"

namespace newsgraph {

// A question that cannot be answered as asked: unknown or ambiguous actor, unknown relation,
// malformed pattern. The message is one line, fit for the user.
class query_error : public error {
public:
  using error::error;
};

// ---- relation phrases -------------------------------------------------------------------------

// A relation phrase folded word by word to a crude stem, so that inflected forms meet:
// "replied to", "replies to" and "reply to" all give "repli to"; "met" gives "meet". Only ever
// compared with another key, never shown: it is not a lemma.
std::string relation_key(std::string_view phrase);

// Whether a relation asked for (its key) names a label (its key): the same words, or the label's
// first words ("meet" names "meet with", "reply" names "reply to").
bool relation_key_matches(std::string_view query_key, std::string_view label_key);

// ---- string distances (actor lookup, "did you mean") ------------------------------------------

// Optimal string alignment distance (Levenshtein plus adjacent transpositions) over bytes; gives
// up and returns limit + 1 as soon as the distance must exceed `limit`.
std::size_t osa_distance(std::string_view a, std::string_view b, std::size_t limit);

// ---- forgiving actor lookup (actor_lookup.cpp) --------------------------------------------------

// How a name was matched, from most to least certain; lookup stops at the first tier with a hit.
enum class match_kind { none, name, alias, surname, word, fuzzy };

struct actor_match {
  match_kind kind = match_kind::none;
  std::vector<vertex_id> candidates;  // one: found; several: ambiguous (by mentions, then name)
};

class actor_lookup {
public:
  // `compact_after`: how large the changes since construction may grow before they are folded
  // into the index (see `part` below); tests pass a small bound to fold them often.
  static constexpr std::size_t default_compact_after = 4096;
  explicit actor_lookup(const knowledge_graph& g, std::size_t compact_after = default_compact_after);

  // Tiers: canonical name, alias, surname of a person, any word of a longer name (4+ letters),
  // then misspellings: the smallest optimal-string-alignment distance between name keys (of
  // names, aliases and surnames), allowed up to 1 edit for keys of 4 to 7 bytes and 2 from 8.
  // Keys fold case, accents, "@", "#", "the " and "'s" (name_key).
  actor_match match(std::string_view name) const;

  // The single actor `name` denotes. Throws query_error "no actor named 'X' (try 'actors')" or
  // "'X' is ambiguous: A, B or C (quote the full name)".
  vertex_id find(std::string_view name) const;

  // Names and aliases whose key starts with the key of `prefix`, sorted and unique, at most
  // `limit` (Tab completion).
  std::vector<std::string> complete(std::string_view prefix, std::size_t limit) const;

  // Follows a merge or split (graph_change): the keys those actors have now replace the ones
  // they had. Costs time and memory writes in proportion to the actors changed, not to the graph
  // (see `part` below), so that a merge during a background save copies few pages.
  void update(const std::vector<vertex_id>& actors);

private:
  // A key and what it names. `alias` indexes the actor's aliases; `name_alias` marks the
  // canonical name itself (its alias entry is not repeated when both fold to one key).
  static constexpr std::uint32_t name_alias = static_cast<std::uint32_t>(-1);
  struct name_entry {
    std::string key;
    vertex_id actor;
    std::uint32_t alias;
  };
  struct word_entry {
    std::string key;
    vertex_id actor;
    bool surname;  // the last word of a person's name of several words
  };
  // Fuzzy candidates bucketed by key length, so a lookup only measures keys within reach.
  struct fuzzy_key {
    std::string_view key;  // into the names or words of the same part, which it is rebuilt with
    vertex_id actor;
    bool surname;  // a surname loses to a whole name or alias at the same distance
  };
  // Names sorted by (key, actor, alias), a total order: complete() walks them in that order and
  // stops at its limit, so an updated lookup and a fresh one must agree on it. Words by key.
  struct part {
    std::vector<name_entry> names;  // canonical names and aliases
    std::vector<word_entry> words;  // 4+ byte words of names of several words
    std::vector<std::vector<fuzzy_key>> by_length;
  };
  // The index is a base and a delta. A merge or split changes a handful of actors; rewriting the
  // base's arrays (hundreds of thousands of keys on 100,000 actors) for them would cost tens of
  // milliseconds while a background save's child shares the memory, every first write to a page
  // copying it. So the base stays as built, its entries of the actors changed since (replaced_)
  // are skipped, and those actors' keys now are in the delta, small and rebuilt on each update.
  // When the delta and replaced_ together pass compact_after_ entries (4096: a few hundred
  // merges or splits), they are folded into a new base: what a fresh lookup costs (a few
  // milliseconds on 100,000 actors), once in a while; a lookup meanwhile also scans the delta.
  std::string_view text_of(const name_entry& e) const;
  // The keys of one actor, appended unsorted.
  void add_keys(vertex_id v, std::vector<name_entry>& names, std::vector<word_entry>& words) const;
  static void index_fuzzy(part& p);  // p.by_length from p.names and p.words
  bool live(const part& p, vertex_id v) const;  // an entry of `p` naming `v` is current
  void compact();  // the delta folded into the base

  const knowledge_graph* graph_;
  std::size_t compact_after_;
  part base_;
  part delta_;                      // the current keys of the actors in replaced_
  std::vector<vertex_id> replaced_;  // ascending: actors whose entries in base_ are void
};

// ---- triple patterns ----------------------------------------------------------------------------

// A word of a command line; `quoted` tells "?x" (a name) from ?x (a variable) and "." from .
struct query_word {
  std::string text;
  bool quoted = false;
};

// Splits a line into words; "double quotes" group words. Throws query_error "unclosed quote".
std::vector<query_word> split_words(std::string_view line);

struct pattern_term {
  bool variable = false;  // ?name
  std::string text;       // the variable's name without "?", or the constant as written
};

struct triple_pattern {
  pattern_term subject, relation, object;
};

// True when the words look like a pattern rather than a command: one of them is an unquoted ?var.
bool looks_like_pattern(const std::vector<query_word>& words);

// SUBJECT RELATION OBJECT, joined by " . ". Throws query_error naming the bad part.
std::vector<triple_pattern> parse_patterns(const std::vector<query_word>& words);

struct pattern_result {
  std::vector<std::string> variables;          // in order of first appearance, without "?"
  std::vector<std::vector<std::string>> rows;  // actor names or relation labels; sorted, unique
};

// ---- graph algorithms ---------------------------------------------------------------------------

struct betweenness_scores {
  std::vector<double> score;  // per vertex, on the undirected view, each unordered pair counted once
  bool exact = true;          // false: estimated from `sources` sampled source vertices
  std::size_t sources = 0;
  // Scores of the graph as it was before the last merges or splits, carried over to the actors
  // now (query_engine::current_betweenness) while the new ones are computed.
  bool stale = false;
};

// Betweenness computed before a merge or split, renumbered for the graph after it: an actor that
// kept its number and mentions keeps its score, one moved to another number takes its score
// along, a merged actor gets the larger of its parts' scores, and an actor split off gets its own
// score only when it kept its own number (else 0: nothing was ever computed for it). The result is
// marked stale. Only the changed actors' scores are written: query_engine::update moves its
// scores in rather than copying 100,000 of them per merge.
betweenness_scores carry_over(betweenness_scores before, const graph_change& change, std::size_t vertices);

// PageRank as boost::graph::page_rank computes it on the directed graph (damping 0.85, 20
// iterations, ranks starting at 1/|V|, each step (1 - d) + d·Σ rank(u)/outdegree(u) over in-edges),
// to the bit. `cancel`, when set during the run, stops it early with meaningless ranks.
std::vector<double> compute_pagerank(const graph_type& g, const std::atomic<bool>* cancel = nullptr);

// Betweenness on the undirected view (parallel edges and directions merged, self-loops dropped),
// each unordered pair of actors counted once: Brandes' dependency accumulation from `pivots`
// source actors spread evenly over the vertex numbers (vertex i·|V|/k for i < k), scaled by |V|/k
// (Brandes & Pich 2007, an unbiased estimate; deterministic). With pivots >= |V| every actor is a
// source and the scores are exact: those of boost::brandes_betweenness_centrality on the
// undirected graph.
// `cancel`, when set during the run, stops it early with meaningless scores.
betweenness_scores compute_betweenness(const graph_type& g, std::size_t pivots, const std::atomic<bool>* cancel = nullptr);

// BFS steps (source actors times |V| + |E|) spent on betweenness by compute_centralities: exact
// up to a few thousand actors; on 100,000 actors and 300,000 relations about 100 pivots, about
// a second of one core.
inline constexpr double betweenness_step_budget = 4e7;

// What graph files store: PageRank, and betweenness exact when |V|·(|V|+|E|) fits the budget,
// else estimated from max(16, budget / (|V|+|E|)) pivots.
centrality_scores compute_centralities(const graph_type& g, const std::atomic<bool>* cancel = nullptr);

// One step of a path; `edge` may point either way (paths walk the undirected view).
struct path_step {
  vertex_id from, to;
  edge_id edge;
};

class query_engine {
public:
  explicit query_engine(const knowledge_graph& g);
  ~query_engine();
  query_engine(const query_engine&) = delete;
  query_engine& operator=(const query_engine&) = delete;

  const knowledge_graph& graph() const { return *graph_; }
  const actor_lookup& lookup() const { return lookup_; }
  vertex_id find(std::string_view name) const { return lookup_.find(name); }

  // Distinct relation labels, sorted, and the edges carrying each.
  const std::vector<std::string>& labels() const { return labels_; }
  const std::vector<edge_id>& edges_of_label(std::size_t label) const { return edges_of_label_[label]; }
  // Indexes into labels() of the labels `relation` names (relation_key_matches). Throws
  // query_error "no relation 'X' in the graph (try 'relations')" when none does.
  std::vector<std::size_t> find_relation(std::string_view relation) const;
  std::size_t label_index(const edge_id& e) const;

  // Edges from a to b and from b to a.
  std::vector<edge_id> edges_between(vertex_id a, vertex_id b) const;

  // Every solution of the patterns (a join on shared variables). Constants are looked up
  // forgivingly; a symmetric relation matches both ways. Throws query_error.
  pattern_result match(const std::vector<triple_pattern>& patterns) const;

  // Statements naming each actor, as subject or object (the degree most_connected ranks by).
  const std::vector<double>& statement_degree() const;
  // Every vertex by descending score, ties by name; `by` is "degree", "pagerank" or
  // "betweenness" (else query_error). Cached, so `actors --top N` is a walk down a list. Without
  // `wait`, betweenness is current_betweenness() as it was last answered (so that a ranking and
  // the scores beside it agree), else betweenness().
  const std::vector<vertex_id>& ranking(std::string_view by, bool wait = true) const;
  const std::vector<double>& scores(std::string_view by, bool wait = true) const;

  // PageRank and betweenness (compute_centralities): the graph's own when it has them (a loaded
  // graph file), else those of the background computation when one was started (waiting for it),
  // else computed now.
  const std::vector<double>& pagerank() const;
  const betweenness_scores& betweenness() const;
  // Betweenness without waiting: after a merge or split, while the background computation runs,
  // the last complete scores carried over the changes since (carry_over; `stale` is set); once it
  // has finished, or when there were no scores before, betweenness(). A REPL at a terminal
  // answers at once from these; a script waits for betweenness() and gets the same output on
  // every run.
  const betweenness_scores& current_betweenness() const;
  // Starts computing the centralities on other threads (PageRank, ready in tens of milliseconds,
  // and betweenness, a second or more) when the graph has none (after merge or split), so that
  // the first ranking by them does not pay for it; returns at once. The engine's destructor stops
  // and joins them.
  void compute_centralities_in_background() const;
  // The centralities as the graph file stores them: the graph's own, or those computed (waiting
  // for the background computation, or computing now). For save() after merge or split.
  centrality_scores centralities() const;
  // The centralities if available without waiting or computing: the graph's own, or those of a
  // finished background computation.
  std::optional<centrality_scores> ready_centralities() const;
  // Stops the background computation (before the graph changes under it), keeping its results
  // if it had finished, and the graph's betweenness, for carrying over the change.
  void stop_background() const;
  // Follows a merge or split of the graph this engine indexes (knowledge_graph::merge, split):
  // re-reads the actors and relations it touched, drops the cached algorithm results (computed
  // again on first use; the last complete betweenness is carried over for current_betweenness)
  // and keeps the rest, so a REPL answers at once after a correction. Call stop_background()
  // before changing the graph. A `whole` change needs a new engine instead.
  void update(const graph_change& change);
  // Connected components of the undirected view (breadth-first search), numbered in order of
  // their first vertex.
  const std::vector<std::size_t>& component_of() const;
  std::size_t component_count() const;
  // A shortest chain from `from` to `to` on the undirected view (breadth-first search, neighbours
  // in vertex order), each step with the edge that links it (the one with most evidence);
  // nullopt when unconnected.
  std::optional<std::vector<path_step>> shortest_path(vertex_id from, vertex_id to) const;
  // Builds now what the first `path`, `stats` and rankings would otherwise build: the undirected
  // view, the components, the rankings (tens of milliseconds on 100,000 actors); starts computing
  // the centralities in the background when the graph has none.
  void prepare() const;

private:
  struct undirected;  // the undirected view, built on first use
  const undirected& undirected_view() const;

  const knowledge_graph* graph_;
  actor_lookup lookup_;
  std::vector<std::string> labels_;
  std::vector<std::string> label_keys_;
  std::vector<std::vector<edge_id>> edges_of_label_;
  mutable std::unique_ptr<undirected> undirected_;
  mutable std::optional<std::vector<double>> degree_;
  mutable std::optional<std::vector<vertex_id>> rankings_[3];  // degree, pagerank, betweenness
  mutable std::optional<std::vector<double>> pagerank_;  // computed here when the graph has none
  mutable std::optional<betweenness_scores> betweenness_;
  // The last complete betweenness carried over the merges and splits since (carry_over), and
  // whether current_betweenness() still answers with it; only current_betweenness() turns that
  // off, so one command sees one version of the scores.
  mutable std::optional<betweenness_scores> stale_betweenness_;
  mutable bool serving_stale_ = false;
  mutable bool ranked_stale_ = false;  // rankings_[2] was sorted from stale_betweenness_
  mutable std::shared_future<std::vector<double>> background_pagerank_;
  mutable std::shared_future<betweenness_scores> background_betweenness_;
  mutable std::shared_ptr<std::atomic<bool>> cancel_ = std::make_shared<std::atomic<bool>>(false);
  mutable std::optional<std::vector<std::size_t>> components_;
  mutable std::size_t component_count_ = 0;
};

}  // namespace newsgraph
