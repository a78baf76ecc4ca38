#include "newsgraph/query.h"

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/breadth_first_search.hpp>
#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/pending/disjoint_sets.hpp>
#include <boost/graph/page_rank.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <map>
#include <unordered_map>

#include "newsgraph/utf8.h"

namespace newsgraph {

// ---- relation phrases -------------------------------------------------------------------------

namespace {

// Past forms that no suffix rule undoes; mapped to the base form before stemming.
const std::unordered_map<std::string_view, std::string_view>& irregular_verbs() {
  static const std::unordered_map<std::string_view, std::string_view> table{
      {"met", "meet"},      {"sent", "send"},         {"said", "say"},       {"told", "tell"},
      {"spoke", "speak"},   {"spoken", "speak"},      {"gave", "give"},      {"given", "give"},
      {"held", "hold"},     {"made", "make"},         {"took", "take"},      {"taken", "take"},
      {"wrote", "write"},   {"written", "write"},     {"left", "leave"},     {"brought", "bring"},
      {"thought", "think"}, {"sought", "seek"},       {"fought", "fight"},   {"bought", "buy"},
      {"caught", "catch"},  {"taught", "teach"},      {"found", "find"},     {"won", "win"},
      {"lost", "lose"},     {"led", "lead"},          {"fled", "flee"},      {"struck", "strike"},
      {"threw", "throw"},   {"thrown", "throw"},      {"began", "begin"},    {"begun", "begin"},
      {"saw", "see"},       {"seen", "see"},          {"came", "come"},      {"went", "go"},
      {"gone", "go"},       {"got", "get"},           {"felt", "feel"},      {"kept", "keep"},
      {"meant", "mean"},    {"paid", "pay"},          {"ran", "run"},        {"sold", "sell"},
      {"stood", "stand"},   {"withdrew", "withdraw"}, {"withdrawn", "withdraw"}, {"shook", "shake"},
      {"drove", "drive"},   {"chose", "choose"},      {"chosen", "choose"},  {"broke", "break"},
      {"broken", "break"},  {"knew", "know"},         {"known", "know"},     {"shown", "show"},
      {"drew", "draw"},     {"drawn", "draw"},        {"forbade", "forbid"}, {"forbidden", "forbid"},
      {"heard", "hear"},    {"sat", "sit"},           {"spent", "spend"},    {"understood", "understand"},
      {"hung", "hang"},     {"bore", "bear"},         {"swore", "swear"},    {"woke", "wake"},
  };
  return table;
}

bool is_consonant(char c) { return std::isalpha(static_cast<unsigned char>(c)) && !std::strchr("aeiou", c); }

std::string stem(std::string word) {
  if (const auto it = irregular_verbs().find(word); it != irregular_verbs().end()) word = it->second;
  if (word.size() <= 3) return word;  // to, of, on, by, met (handled above)
  for (std::size_t at; (at = word.find("iz")) != std::string::npos;) word[at + 1] = 's';  // -ize, -ise
  auto strip = [&](std::string_view suffix, std::string_view with = {}) {
    if (!word.ends_with(suffix) || word.size() - suffix.size() < 3) return false;
    word.resize(word.size() - suffix.size());
    word.append(with);
    return true;
  };
  if (!strip("ies", "i") && !strip("ied", "i") && !strip("ing") && !strip("ed")) {
    if (word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us") && !word.ends_with("is")) strip("s");
  }
  if (word.size() > 3 && word.ends_with('e')) word.pop_back();
  if (word.ends_with('y')) word.back() = 'i';
  // stopped -> stopp -> stop, like stop; applied to every key alike, so "call" -> "cal" is harmless.
  if (word.size() > 3 && word[word.size() - 1] == word[word.size() - 2] && is_consonant(word.back())) word.pop_back();
  return word;
}

}  // namespace

std::string relation_key(std::string_view phrase) {
  const std::string folded = utf8::fold(phrase);
  std::string key, word;
  auto flush = [&] {
    if (word.empty()) return;
    if (!key.empty()) key += ' ';
    key += stem(std::move(word));
    word.clear();
  };
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) word += c;
    else if (c != '\'' && c != '-') flush();  // "hand-over" reads as one word, like "handover"
  }
  flush();
  return key;
}

bool relation_key_matches(std::string_view query_key, std::string_view label_key) {
  if (query_key.empty()) return false;
  return label_key == query_key || (label_key.starts_with(query_key) && label_key[query_key.size()] == ' ');
}

// ---- words and patterns -----------------------------------------------------------------------

std::vector<query_word> split_words(std::string_view line) {
  std::vector<query_word> words;
  query_word current;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
      current.quoted = true;
    } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(current)), current = {};
      in_word = false;
    } else {
      current.text += c;
      in_word = true;
    }
  }
  if (quoted) throw query_error("unclosed quote");
  if (in_word) words.push_back(std::move(current));
  return words;
}

bool looks_like_pattern(const std::vector<query_word>& words) {
  return std::any_of(words.begin(), words.end(), [](const query_word& w) { return !w.quoted && w.text.starts_with('?'); });
}

std::vector<triple_pattern> parse_patterns(const std::vector<query_word>& words) {
  std::vector<triple_pattern> patterns;
  std::vector<const query_word*> group;
  auto term = [](const query_word& w) {
    if (!w.quoted && w.text.starts_with('?')) {
      const auto name = std::string_view(w.text).substr(1);
      const bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
      });
      if (!ok) throw query_error("bad variable '" + w.text + "' (a variable is ? and letters, digits or _: ?x, ?who)");
      return pattern_term{true, std::string(name)};
    }
    return pattern_term{false, w.text};
  };
  auto flush = [&] {
    if (group.size() != 3) {
      std::string text;
      for (const auto* w : group) text.append(text.empty() ? "" : " ").append(w->quoted ? "\"" + w->text + "\"" : w->text);
      throw query_error("pattern '" + text + "' has " + std::to_string(group.size()) +
                        " terms; a pattern is SUBJECT RELATION OBJECT (quote names of several words: ?x \"reply to\" "
                        "\"Sergey Lavrov\")");
    }
    patterns.push_back({term(*group[0]), term(*group[1]), term(*group[2])});
    group.clear();
  };
  for (const auto& w : words) {
    if (!w.quoted && w.text == ".") {
      if (group.empty()) throw query_error("empty pattern: a '.' joins two patterns");
      flush();
    } else {
      group.push_back(&w);
    }
  }
  if (!group.empty()) flush();
  if (patterns.empty()) throw query_error("empty pattern");
  return patterns;
}

// ---- the engine -------------------------------------------------------------------------------

// The undirected view: a Boost CSR graph holding both arcs of every linked pair once (parallel
// labels are one link), and the same arrays for the hand-written sampled Brandes.
struct query_engine::undirected {
  using graph_t = boost::compressed_sparse_row_graph<boost::directedS>;
  graph_t graph;
  std::vector<std::size_t> offsets;
  std::vector<vertex_id> targets;
};

query_engine::query_engine(const knowledge_graph& g) : graph_(&g), lookup_(g) {
  const auto& graph = g.graph();
  std::map<std::string, std::vector<edge_id>> by_label;
  for (auto e : boost::make_iterator_range(boost::edges(graph))) by_label[graph[e].label].push_back(e);
  for (auto& [label, edges] : by_label) {
    labels_.push_back(label);
    label_keys_.push_back(relation_key(label));
    edges_of_label_.push_back(std::move(edges));
  }
}

query_engine::~query_engine() = default;

std::vector<std::size_t> query_engine::find_relation(std::string_view relation) const {
  const auto key = relation_key(relation);
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < labels_.size(); ++i)
    if (relation_key_matches(key, label_keys_[i])) out.push_back(i);
  if (out.empty()) throw query_error("no relation '" + std::string(relation) + "' in the graph (try 'relations')");
  return out;
}

std::size_t query_engine::label_index(const edge_id& e) const {
  const auto& label = graph_->graph()[e].label;
  return static_cast<std::size_t>(std::lower_bound(labels_.begin(), labels_.end(), label) - labels_.begin());
}

std::vector<edge_id> query_engine::edges_between(vertex_id a, vertex_id b) const {
  const auto& g = graph_->graph();
  std::vector<edge_id> out;
  for (auto e : boost::make_iterator_range(boost::out_edges(a, g)))
    if (boost::target(e, g) == b) out.push_back(e);
  if (a != b)
    for (auto e : boost::make_iterator_range(boost::out_edges(b, g)))
      if (boost::target(e, g) == a) out.push_back(e);
  return out;
}

namespace {

// A value bound to a variable: an actor (vertex) or a relation (label index), never both.
constexpr std::size_t unbound = static_cast<std::size_t>(-1);

struct compiled_term {
  std::size_t variable = unbound;                 // index into the bindings, or unbound for a constant
  std::vector<std::size_t> constants;             // resolved vertices or labels
};

}  // namespace

pattern_result query_engine::match(const std::vector<triple_pattern>& patterns) const {
  const auto& g = graph_->graph();
  pattern_result result;
  std::vector<bool> is_relation_variable;
  auto variable = [&](const pattern_term& t, bool relation) {
    const auto it = std::find(result.variables.begin(), result.variables.end(), t.text);
    const auto index = static_cast<std::size_t>(it - result.variables.begin());
    if (it == result.variables.end()) {
      result.variables.push_back(t.text);
      is_relation_variable.push_back(relation);
    } else if (is_relation_variable[index] != relation) {
      throw query_error("?" + t.text + " stands for a relation in one pattern and an actor in another");
    }
    return index;
  };
  struct compiled {
    compiled_term subject, relation, object;
  };
  std::vector<compiled> plan;
  for (const auto& p : patterns) {
    compiled c;
    for (auto [term, out, relation] : {std::tuple{&p.subject, &c.subject, false}, {&p.relation, &c.relation, true},
                                      {&p.object, &c.object, false}}) {
      if (term->variable) out->variable = variable(*term, relation);
      else if (relation) out->constants = find_relation(term->text);
      else out->constants = {lookup_.find(term->text)};
    }
    plan.push_back(std::move(c));
  }

  // Depth-first join: each step takes the pattern with the most terms already fixed, so the
  // edges it scans are those of a known actor rather than the whole graph.
  std::vector<std::size_t> binding(result.variables.size(), unbound);
  std::vector<bool> done(plan.size(), false);
  std::vector<std::vector<std::size_t>> solutions;
  auto fixed = [&](const compiled_term& t) { return t.variable == unbound || binding[t.variable] != unbound; };
  auto value_ok = [&](const compiled_term& t, std::size_t value) {
    if (t.variable == unbound) return std::find(t.constants.begin(), t.constants.end(), value) != t.constants.end();
    return binding[t.variable] == unbound || binding[t.variable] == value;
  };
  auto single = [&](const compiled_term& t) -> std::optional<std::size_t> {
    if (t.variable != unbound) return binding[t.variable] == unbound ? std::nullopt : std::optional(binding[t.variable]);
    if (t.constants.size() == 1) return t.constants.front();
    return std::nullopt;
  };

  auto solve = [&](auto& self, std::size_t remaining) -> void {
    if (remaining == 0) {
      solutions.push_back(binding);
      return;
    }
    std::size_t next = unbound;
    int best_score = -1;
    for (std::size_t i = 0; i < plan.size(); ++i) {
      if (done[i]) continue;
      const int score = (fixed(plan[i].subject) ? 2 : 0) + (fixed(plan[i].object) ? 2 : 0) + (fixed(plan[i].relation) ? 1 : 0);
      if (score > best_score) best_score = score, next = i;
    }
    const auto& p = plan[next];
    done[next] = true;
    // Tries one edge read as subject -> object; binds what is free, recurses, unbinds.
    auto try_edge = [&](const edge_id& e, vertex_id s, vertex_id o) {
      const auto label = label_index(e);
      if (!value_ok(p.subject, s) || !value_ok(p.object, o) || !value_ok(p.relation, label)) return;
      std::vector<std::size_t> set_here;
      for (auto [t, value] : {std::pair{&p.subject, std::size_t{s}}, {&p.relation, label}, {&p.object, std::size_t{o}}}) {
        if (t->variable == unbound) continue;
        if (binding[t->variable] == unbound) binding[t->variable] = value, set_here.push_back(t->variable);
        else if (binding[t->variable] != value) {  // ?x meet ?x: bound by this very edge to another value
          for (auto v : set_here) binding[v] = unbound;
          return;
        }
      }
      self(self, remaining - 1);
      for (auto v : set_here) binding[v] = unbound;
    };
    auto try_both_ways = [&](const edge_id& e) {
      const auto s = boost::source(e, g), o = boost::target(e, g);
      try_edge(e, s, o);
      if (g[e].symmetric && s != o) try_edge(e, o, s);
    };
    if (const auto s = single(p.subject)) {
      for (auto e : boost::make_iterator_range(boost::out_edges(*s, g))) try_edge(e, *s, boost::target(e, g));
      for (auto e : boost::make_iterator_range(boost::in_edges(*s, g)))
        if (g[e].symmetric) try_edge(e, *s, boost::source(e, g));
    } else if (const auto o = single(p.object)) {
      for (auto e : boost::make_iterator_range(boost::in_edges(*o, g))) try_edge(e, boost::source(e, g), *o);
      for (auto e : boost::make_iterator_range(boost::out_edges(*o, g)))
        if (g[e].symmetric) try_edge(e, boost::target(e, g), *o);
    } else if (p.relation.variable == unbound || binding[p.relation.variable] != unbound) {
      const auto labels = p.relation.variable == unbound ? p.relation.constants
                                                         : std::vector<std::size_t>{binding[p.relation.variable]};
      for (auto label : labels)
        for (const auto& e : edges_of_label_[label]) try_both_ways(e);
    } else {
      for (auto e : boost::make_iterator_range(boost::edges(g))) try_both_ways(e);
    }
    done[next] = false;
  };
  solve(solve, plan.size());

  std::vector<std::vector<std::string>> rows;
  rows.reserve(solutions.size());
  for (const auto& s : solutions) {
    std::vector<std::string> row;
    for (std::size_t i = 0; i < s.size(); ++i) row.push_back(is_relation_variable[i] ? labels_[s[i]] : g[s[i]].name);
    rows.push_back(std::move(row));
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  result.rows = std::move(rows);
  return result;
}

// ---- algorithms -------------------------------------------------------------------------------

const query_engine::undirected& query_engine::undirected_view() const {
  if (undirected_) return *undirected_;
  const auto& g = graph_->graph();
  const auto n = boost::num_vertices(g);
  std::vector<std::pair<std::size_t, std::size_t>> arcs;
  arcs.reserve(2 * boost::num_edges(g));
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    const auto s = boost::source(e, g), t = boost::target(e, g);
    if (s == t) continue;
    arcs.emplace_back(s, t);
    arcs.emplace_back(t, s);
  }
  std::sort(arcs.begin(), arcs.end());
  arcs.erase(std::unique(arcs.begin(), arcs.end()), arcs.end());
  auto view = std::make_unique<undirected>();
  view->graph = undirected::graph_t(boost::edges_are_sorted, arcs.begin(), arcs.end(), n);
  view->offsets.assign(n + 1, 0);
  view->targets.reserve(arcs.size());
  for (const auto& [s, t] : arcs) ++view->offsets[s + 1], view->targets.push_back(t);
  for (std::size_t v = 0; v < n; ++v) view->offsets[v + 1] += view->offsets[v];
  undirected_ = std::move(view);
  return *undirected_;
}

const std::vector<double>& query_engine::statement_degree() const {
  if (degree_) return *degree_;
  const auto& g = graph_->graph();
  std::vector<double> degree(boost::num_vertices(g), 0.0);
  for (auto e : boost::make_iterator_range(boost::edges(g))) {
    degree[boost::source(e, g)] += g[e].count();
    degree[boost::target(e, g)] += g[e].count();
  }
  degree_ = std::move(degree);
  return *degree_;
}

namespace {
constexpr std::string_view rankings[] = {"degree", "pagerank", "betweenness"};
std::size_t ranking_index(std::string_view by) {
  for (std::size_t i = 0; i < std::size(rankings); ++i)
    if (rankings[i] == by) return i;
  throw query_error("unknown ranking '" + std::string(by) + "' (expected degree, pagerank or betweenness)");
}
}  // namespace

const std::vector<double>& query_engine::scores(std::string_view by) const {
  switch (ranking_index(by)) {
    case 0: return statement_degree();
    case 1: return pagerank();
    default: return betweenness().score;
  }
}

const std::vector<vertex_id>& query_engine::ranking(std::string_view by) const {
  auto& cached = rankings_[ranking_index(by)];
  if (cached) return *cached;
  const auto& score = scores(by);
  const auto& g = graph_->graph();
  std::vector<vertex_id> order(boost::num_vertices(g));
  for (vertex_id v = 0; v < order.size(); ++v) order[v] = v;
  std::sort(order.begin(), order.end(), [&](vertex_id a, vertex_id b) {
    return score[a] != score[b] ? score[a] > score[b] : g[a].name < g[b].name;
  });
  cached = std::move(order);
  return *cached;
}

const std::vector<double>& query_engine::pagerank() const {
  if (pagerank_) return *pagerank_;
  const auto& g = graph_->graph();
  std::vector<double> rank(boost::num_vertices(g), 0.0);
  if (!rank.empty())
    boost::graph::page_rank(g, boost::make_iterator_property_map(rank.begin(), boost::get(boost::vertex_index, g)),
                            boost::graph::n_iterations(20), 0.85);
  pagerank_ = std::move(rank);
  return *pagerank_;
}

const betweenness_scores& query_engine::betweenness() const {
  if (betweenness_) return *betweenness_;
  const auto& view = undirected_view();
  const std::size_t n = view.offsets.size() - 1;
  const std::size_t links = view.targets.size() / 2;
  constexpr double budget = 5e6;  // BFS steps: about 50 ms on one idle core
  betweenness_scores out;
  out.score.assign(n, 0.0);
  if (static_cast<double>(n) * static_cast<double>(n + links) <= budget) {
    boost::brandes_betweenness_centrality(
        view.graph, boost::make_iterator_property_map(out.score.begin(), boost::get(boost::vertex_index, view.graph)));
    for (auto& s : out.score) s /= 2;  // both arcs of each link are in the view: every pair counted twice
    out.sources = n;
  } else {
    // Brandes' dependency accumulation from evenly spread sources (Brandes & Pich 2007), each
    // source's dependencies scaled by n / k. Deterministic: the same graph gives the same scores.
    const std::size_t k = std::max<std::size_t>(8, static_cast<std::size_t>(budget / static_cast<double>(n + links)));
    std::vector<std::size_t> sigma(n), order;
    std::vector<std::int64_t> dist(n, -1);
    std::vector<double> delta(n, 0.0);
    order.reserve(n);
    for (std::size_t i = 0; i < k; ++i) {
      const vertex_id s = i * n / k;
      order.clear();
      dist[s] = 0, sigma[s] = 1;
      order.push_back(s);
      for (std::size_t head = 0; head < order.size(); ++head) {
        const auto v = order[head];
        for (auto j = view.offsets[v]; j < view.offsets[v + 1]; ++j) {
          const auto w = view.targets[j];
          if (dist[w] < 0) dist[w] = dist[v] + 1, sigma[w] = 0, order.push_back(w);
          if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
        }
      }
      for (auto it = order.rbegin(); it != order.rend(); ++it) {
        const auto w = *it;
        for (auto j = view.offsets[w]; j < view.offsets[w + 1]; ++j) {
          const auto v = view.targets[j];
          if (dist[v] == dist[w] - 1)
            delta[v] += static_cast<double>(sigma[v]) / static_cast<double>(sigma[w]) * (1.0 + delta[w]);
        }
        if (w != s) out.score[w] += delta[w];
      }
      for (auto v : order) dist[v] = -1, delta[v] = 0.0;
    }
    const double scale = static_cast<double>(n) / static_cast<double>(k) / 2;
    for (auto& s : out.score) s *= scale;
    out.exact = false;
    out.sources = k;
  }
  betweenness_ = std::move(out);
  return *betweenness_;
}

const std::vector<std::size_t>& query_engine::component_of() const {
  if (components_) return *components_;
  // boost::connected_components wants an undirected graph type; Boost's disjoint sets over the
  // edges (its incremental_components approach) give the same components without building one.
  const auto& g = graph_->graph();
  const auto n = boost::num_vertices(g);
  // Property maps rather than pointers: CSR's boost::detail::get would hide the pointer overload.
  std::vector<std::size_t> rank(n), parent(n);
  auto rank_map = boost::make_iterator_property_map(rank.begin(), boost::identity_property_map());
  auto parent_map = boost::make_iterator_property_map(parent.begin(), boost::identity_property_map());
  boost::disjoint_sets<decltype(rank_map), decltype(parent_map)> sets(rank_map, parent_map);
  for (std::size_t v = 0; v < n; ++v) sets.make_set(v);
  for (auto e : boost::make_iterator_range(boost::edges(g))) sets.union_set(boost::source(e, g), boost::target(e, g));
  std::vector<std::size_t> component(n), number_of_root(n, n);
  component_count_ = 0;
  for (std::size_t v = 0; v < n; ++v) {
    auto& number = number_of_root[sets.find_set(v)];
    if (number == n) number = component_count_++;
    component[v] = number;
  }
  components_ = std::move(component);
  return *components_;
}

std::size_t query_engine::component_count() const {
  component_of();
  return component_count_;
}

namespace {
struct reached_target {};

// Stops the breadth-first search as soon as the target is discovered.
class stop_at : public boost::default_bfs_visitor {
public:
  stop_at(vertex_id target, std::vector<vertex_id>& parent) : target_(target), parent_(&parent) {}
  template <class Edge, class Graph>
  void tree_edge(Edge e, const Graph& g) const {
    (*parent_)[boost::target(e, g)] = boost::source(e, g);
    if (boost::target(e, g) == target_) throw reached_target{};
  }

private:
  vertex_id target_;
  std::vector<vertex_id>* parent_;
};
}  // namespace

std::optional<std::vector<path_step>> query_engine::shortest_path(vertex_id from, vertex_id to) const {
  if (from == to) return std::vector<path_step>{};
  if (component_of()[from] != component_of()[to]) return std::nullopt;
  const auto& view = undirected_view();
  const auto n = boost::num_vertices(view.graph);
  std::vector<vertex_id> parent(n, n);
  std::vector<boost::default_color_type> colour(n);
  try {
    boost::breadth_first_search(
        view.graph, from,
        boost::visitor(stop_at(to, parent))
            .color_map(boost::make_iterator_property_map(colour.begin(), boost::get(boost::vertex_index, view.graph))));
  } catch (const reached_target&) {
  }
  if (parent[to] == n) return std::nullopt;
  std::vector<vertex_id> chain{to};
  while (chain.back() != from) chain.push_back(parent[chain.back()]);
  std::reverse(chain.begin(), chain.end());
  const auto& g = graph_->graph();
  std::vector<path_step> steps;
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) {
    auto edges = edges_between(chain[i], chain[i + 1]);
    const auto best = std::max_element(edges.begin(), edges.end(), [&](const edge_id& a, const edge_id& b) {
      return g[a].count() != g[b].count() ? g[a].count() < g[b].count() : g[a].label > g[b].label;
    });
    steps.push_back({chain[i], chain[i + 1], *best});
  }
  return steps;
}

}  // namespace newsgraph
