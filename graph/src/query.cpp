#include "newsgraph/query.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <map>
#include <span>
#include <thread>
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
// The undirected view as adjacency arrays: the neighbours of v are targets[offsets[v]] to
// targets[offsets[v + 1]], sorted and unique.
struct query_engine::undirected {
  std::vector<std::size_t> offsets;
  std::vector<vertex_id> targets;
};

namespace {

// Counting sort by source, then each neighbour list sorted: linear but for the (short) lists.
// Whether `cancel` was set; checked every few thousand steps, so that stopping a background
// computation takes a millisecond, not the rest of a pass.
bool cancelled(const std::atomic<bool>* cancel, std::size_t step) {
  return cancel && (step & 4095) == 0 && cancel->load(std::memory_order_relaxed);
}

void build_undirected(const graph_type& g, std::vector<std::size_t>& offsets, std::vector<vertex_id>& targets,
                      const std::atomic<bool>* cancel = nullptr) {
  // Out-edge lists per vertex, not boost::edges: those walk a linked list of edge properties, a
  // cache miss per edge, several times slower on 300,000 edges.
  const auto n = boost::num_vertices(g);
  offsets.assign(n + 1, 0);
  for (vertex_id s = 0; s < n; ++s) {
    if (cancelled(cancel, s)) return;
    for (auto t : boost::make_iterator_range(boost::adjacent_vertices(s, g)))
      if (s != t) ++offsets[s + 1], ++offsets[t + 1];
  }
  for (std::size_t v = 0; v < n; ++v) offsets[v + 1] += offsets[v];
  targets.assign(offsets[n], 0);
  std::vector<std::size_t> fill(offsets.begin(), offsets.end() - 1);
  for (vertex_id s = 0; s < n; ++s) {
    if (cancelled(cancel, s)) return;
    for (auto t : boost::make_iterator_range(boost::adjacent_vertices(s, g)))
      if (s != t) targets[fill[s]++] = t, targets[fill[t]++] = s;
  }
  // Parallel edges and both directions of a pair leave duplicates: sort, unique, compact.
  std::size_t out = 0;
  for (std::size_t v = 0; v < n; ++v) {
    const auto begin = targets.begin() + static_cast<std::ptrdiff_t>(offsets[v]);
    const auto end = targets.begin() + static_cast<std::ptrdiff_t>(offsets[v + 1]);
    std::sort(begin, end);
    const auto last = std::unique(begin, end);
    offsets[v] = out;
    out = static_cast<std::size_t>(std::move(begin, last, targets.begin() + static_cast<std::ptrdiff_t>(out)) - targets.begin());
  }
  offsets[n] = out;
  targets.resize(out);
}

// Best-first comparison of names without touching the strings for most pairs: the first 8 bytes
// as one big-endian number, then the whole names when those agree.
std::uint64_t name_prefix(const std::string& name) {
  std::uint64_t x = 0;
  for (std::size_t i = 0; i < 8; ++i) x = (x << 8) | (i < name.size() ? static_cast<unsigned char>(name[i]) : 0U);
  return x;
}

}  // namespace

query_engine::query_engine(const knowledge_graph& g) : graph_(&g), lookup_(g) {
  const auto& graph = g.graph();
  // Labels are few (tens) and edges many: remember the last label's list, the usual next one.
  std::unordered_map<std::string_view, std::vector<edge_id>> by_label;
  const std::string* last = nullptr;
  std::vector<edge_id>* last_list = nullptr;
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const auto& label = graph[e].label;
    if (!last || *last != label) last = &label, last_list = &by_label[label];
    last_list->push_back(e);
  }
  std::vector<std::string_view> sorted;
  for (const auto& [label, edges] : by_label) sorted.push_back(label);
  std::sort(sorted.begin(), sorted.end());
  for (auto label : sorted) {
    labels_.emplace_back(label);
    label_keys_.push_back(relation_key(label));
    edges_of_label_.push_back(std::move(by_label[label]));
  }
}

query_engine::~query_engine() {
  // The background computation reads the graph, which may change once the engine is gone.
  stop_background();
}

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
  auto view = std::make_unique<undirected>();
  build_undirected(graph_->graph(), view->offsets, view->targets);
  undirected_ = std::move(view);
  return *undirected_;
}

const std::vector<double>& query_engine::statement_degree() const {
  if (degree_) return *degree_;
  const auto& g = graph_->graph();
  std::vector<double> degree(boost::num_vertices(g), 0.0);
  for (vertex_id v = 0; v < degree.size(); ++v)
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) {
      degree[v] += g[e].count();
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

const std::vector<double>& query_engine::scores(std::string_view by, bool wait) const {
  switch (ranking_index(by)) {
    case 0: return statement_degree();
    case 1: return pagerank();
    default: return wait || !serving_stale_ ? betweenness().score : stale_betweenness_->score;
  }
}

const std::vector<vertex_id>& query_engine::ranking(std::string_view by, bool wait) const {
  const auto index = ranking_index(by);
  auto& cached = rankings_[index];
  const bool stale = index == 2 && !wait && serving_stale_;
  if (cached && (index != 2 || ranked_stale_ == stale)) return *cached;
  const auto& score = scores(by, wait);
  if (index == 2) ranked_stale_ = stale;
  const auto& g = graph_->graph();
  struct entry {
    double score;
    std::uint64_t prefix;
    vertex_id v;
  };
  std::vector<entry> entries(boost::num_vertices(g));
  for (vertex_id v = 0; v < entries.size(); ++v) entries[v] = {score[v], name_prefix(g[v].name), v};
  std::sort(entries.begin(), entries.end(), [&](const entry& a, const entry& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.prefix != b.prefix) return a.prefix < b.prefix;
    return g[a.v].name < g[b.v].name;  // the order of ranked_before
  });
  std::vector<vertex_id> order(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) order[i] = entries[i].v;
  cached = std::move(order);
  return *cached;
}

std::vector<double> compute_pagerank(const graph_type& g, const std::atomic<bool>* cancel) {
  // boost::graph::page_rank's bidirectional step, to the bit (same sums in the same order), on
  // flat arrays: Boost reads each source's out-degree through the adjacency list, a cache miss
  // per edge and iteration; and this one can stop between iterations.
  const auto n = boost::num_vertices(g);
  std::vector<double> rank(n, 1.0 / static_cast<double>(n)), next(n);
  std::vector<std::size_t> offsets(n + 1, 0), out_degree(n);
  std::vector<vertex_id> sources;
  sources.reserve(boost::num_edges(g));
  for (vertex_id v = 0; v < n; ++v) {
    if (cancelled(cancel, v)) return rank;
    for (auto e : boost::make_iterator_range(boost::in_edges(v, g))) sources.push_back(boost::source(e, g));
    offsets[v + 1] = sources.size();
    out_degree[v] = boost::out_degree(v, g);
  }
  constexpr double damping = 0.85;
  for (int iteration = 0; iteration < 20; ++iteration) {
    if (cancel && cancel->load(std::memory_order_relaxed)) break;
    for (vertex_id v = 0; v < n; ++v) {
      double sum = 0;
      for (auto j = offsets[v]; j < offsets[v + 1]; ++j) sum += rank[sources[j]] / static_cast<double>(out_degree[sources[j]]);
      next[v] = (1.0 - damping) + damping * sum;
    }
    rank.swap(next);
  }
  return rank;
}

betweenness_scores compute_betweenness(const graph_type& g, std::size_t pivots, const std::atomic<bool>* cancel) {
  std::vector<std::size_t> offsets;
  std::vector<vertex_id> targets;
  build_undirected(g, offsets, targets, cancel);
  const std::size_t n = boost::num_vertices(g);
  betweenness_scores out;
  out.score.assign(n, 0.0);
  if (cancel && cancel->load()) return out;
  const std::size_t k = std::min(pivots, n);
  out.sources = k;
  out.exact = k == n;
  if (k == 0) return out;
  // Brandes' dependency accumulation from each source. Path counts are doubles: on large graphs
  // their number overflows any integer.
  std::vector<double> sigma(n, 0.0), delta(n, 0.0);
  std::vector<std::int64_t> dist(n, -1);
  std::vector<vertex_id> order;
  order.reserve(n);
  for (std::size_t i = 0; i < k; ++i) {
    if (cancel && cancel->load(std::memory_order_relaxed)) break;
    const vertex_id s = i * n / k;
    order.clear();
    dist[s] = 0, sigma[s] = 1;
    order.push_back(s);
    for (std::size_t head = 0; head < order.size(); ++head) {
      if (cancelled(cancel, head + 1)) return out;
      const auto v = order[head];
      for (auto j = offsets[v]; j < offsets[v + 1]; ++j) {
        const auto w = targets[j];
        if (dist[w] < 0) dist[w] = dist[v] + 1, sigma[w] = 0, order.push_back(w);
        if (dist[w] == dist[v] + 1) sigma[w] += sigma[v];
      }
    }
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const auto w = *it;
      for (auto j = offsets[w]; j < offsets[w + 1]; ++j) {
        const auto v = targets[j];
        if (dist[v] == dist[w] - 1) delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
      }
      if (w != s) out.score[w] += delta[w];
    }
    for (auto v : order) dist[v] = -1, delta[v] = 0.0;
  }
  // Each unordered pair is reached from both of its ends when every actor is a source.
  const double scale = static_cast<double>(n) / static_cast<double>(k) / 2;
  for (auto& x : out.score) x *= scale;
  return out;
}

namespace {
// Betweenness as graph files store it: exact while |V|·(|V|+|E|) fits the step budget.
betweenness_scores budgeted_betweenness(const graph_type& g, const std::atomic<bool>* cancel) {
  std::size_t links = 0;
  for (vertex_id v = 0; v < boost::num_vertices(g); ++v)
    for (auto t : boost::make_iterator_range(boost::adjacent_vertices(v, g))) links += v != t ? 1 : 0;
  const double n = static_cast<double>(boost::num_vertices(g)), steps = n + static_cast<double>(links);
  const std::size_t pivots = n * steps <= betweenness_step_budget
                                 ? boost::num_vertices(g)
                                 : std::max<std::size_t>(16, static_cast<std::size_t>(betweenness_step_budget / steps));
  return compute_betweenness(g, pivots, cancel);
}
}  // namespace

centrality_scores compute_centralities(const graph_type& g, const std::atomic<bool>* cancel) {
  centrality_scores out;
  out.pagerank = compute_pagerank(g, cancel);
  auto b = budgeted_betweenness(g, cancel);
  out.betweenness = std::move(b.score);
  out.betweenness_exact = b.exact;
  out.betweenness_sources = static_cast<std::uint32_t>(b.sources);
  return out;
}

betweenness_scores carry_over(betweenness_scores before, const graph_change& change, std::size_t vertices) {
  // Where each earlier actor went: its own number if an actor still has it and some of its
  // mentions (a split leaves the rest of the actor there), else the actor holding most of them.
  std::map<vertex_id, std::pair<vertex_id, std::size_t>> continuation;  // was -> (actor, statements)
  for (const auto& o : change.origins) {
    auto [it, added] = continuation.try_emplace(o.was, o.actor, o.statements);
    auto& [actor, statements] = it->second;
    if (added || actor == o.was) continue;
    if (o.actor == o.was || o.statements > statements) actor = o.actor, statements = o.statements;
  }
  // The scores carried, read before any is overwritten: the scores are changed in place.
  std::vector<std::pair<vertex_id, double>> carried;
  for (const auto& [was, to] : continuation)
    if (to.first < vertices && was < before.score.size()) carried.emplace_back(to.first, before.score[was]);
  betweenness_scores out = std::move(before);
  out.stale = true;
  out.score.resize(vertices, 0.0);
  for (auto v : change.actors)
    if (v < vertices) out.score[v] = 0.0;
  for (const auto& [v, score] : carried) out.score[v] = std::max(out.score[v], score);
  return out;
}

void query_engine::stop_background() const {
  auto ready = [](const auto& future) { return future.valid() && future.wait_for(std::chrono::seconds(0)) == std::future_status::ready; };
  // Finished results are complete: keep them (update() carries the betweenness over a change).
  if (!pagerank_ && ready(background_pagerank_)) pagerank_ = background_pagerank_.get();
  if (!betweenness_ && ready(background_betweenness_)) betweenness_ = background_betweenness_.get();
  if (const auto* stored = graph_->centralities(); stored && !betweenness_)
    betweenness_ = betweenness_scores{stored->betweenness, stored->betweenness_exact, stored->betweenness_sources};
  cancel_->store(true);
  if (background_pagerank_.valid()) background_pagerank_.wait();
  if (background_betweenness_.valid()) background_betweenness_.wait();
  background_pagerank_ = {};
  background_betweenness_ = {};
  cancel_ = std::make_shared<std::atomic<bool>>(false);
}

void query_engine::update(const graph_change& change) {
  stop_background();
  const auto vertices = boost::num_vertices(graph_->graph());
  // The last complete betweenness (or the one carried over the changes before), carried over
  // this one for current_betweenness() until the background computation delivers.
  if (betweenness_) stale_betweenness_ = carry_over(std::move(*betweenness_), change, vertices);
  else if (stale_betweenness_) stale_betweenness_ = carry_over(std::move(*stale_betweenness_), change, vertices);
  serving_stale_ = stale_betweenness_.has_value();
  pagerank_.reset();
  betweenness_.reset();
  auto degree_ranking = std::move(rankings_[0]);
  for (auto& r : rankings_) r.reset();
  undirected_.reset();
  components_.reset();
  const auto& g = graph_->graph();
  const auto n = boost::num_vertices(g);
  std::vector<char> changed(std::max<std::size_t>(n, change.actors.empty() ? 0 : change.actors.back() + 1), 0);
  for (auto v : change.actors) changed[v] = 1;
  lookup_.update(change.actors);
  // Relations: drop every edge touching a changed actor (its descriptor names the vertices, no
  // property is read), then add those the graph now has.
  for (auto& edges : edges_of_label_)
    std::erase_if(edges, [&](const edge_id& e) { return changed[boost::source(e, g)] || changed[boost::target(e, g)]; });
  auto add = [&](const edge_id& e) {
    const auto& label = g[e].label;
    auto at = static_cast<std::size_t>(std::lower_bound(labels_.begin(), labels_.end(), label) - labels_.begin());
    if (at == labels_.size() || labels_[at] != label) {
      labels_.insert(labels_.begin() + static_cast<std::ptrdiff_t>(at), label);
      label_keys_.insert(label_keys_.begin() + static_cast<std::ptrdiff_t>(at), relation_key(label));
      // emplace, not insert(pos, {}): that is the initializer_list overload, which inserts nothing.
      edges_of_label_.emplace(edges_of_label_.begin() + static_cast<std::ptrdiff_t>(at));
    }
    edges_of_label_[at].push_back(e);
  };
  for (auto v : change.actors) {
    if (v >= n) continue;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) add(e);
    for (auto e : boost::make_iterator_range(boost::in_edges(v, g)))
      if (!changed[boost::source(e, g)]) add(e);
  }
  for (std::size_t i = labels_.size(); i-- > 0;)
    if (edges_of_label_[i].empty()) {
      labels_.erase(labels_.begin() + static_cast<std::ptrdiff_t>(i));
      label_keys_.erase(label_keys_.begin() + static_cast<std::ptrdiff_t>(i));
      edges_of_label_.erase(edges_of_label_.begin() + static_cast<std::ptrdiff_t>(i));
    }
  // Degrees: an unchanged actor keeps its statements, wherever their other actor went; so does
  // its place in the degree ranking, where the changed actors are put back by binary search.
  if (degree_) {
    auto& degree = *degree_;
    degree.resize(n, 0.0);
    for (auto v : change.actors) {
      if (v >= n) continue;
      degree[v] = 0;
      for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) degree[v] += g[e].count();
      for (auto e : boost::make_iterator_range(boost::in_edges(v, g))) degree[v] += g[e].count();
    }
    if (degree_ranking) {
      auto& order = *degree_ranking;
      std::erase_if(order, [&](vertex_id v) { return changed[v] != 0; });
      auto before = [&](vertex_id a, vertex_id b) { return degree[a] != degree[b] ? degree[a] > degree[b] : g[a].name < g[b].name; };
      for (auto v : change.actors)
        if (v < n) order.insert(std::upper_bound(order.begin(), order.end(), v, before), v);
      rankings_[0] = std::move(degree_ranking);
    }
  }
}

namespace {
// Betweenness is recomputed on another thread for a second or more; with two cores it would make
// the commands typed meanwhile wait for a core. Linux gives each thread its own nice value: this
// one's is lowered, as a background writer's is (cli/repl_jobs.cpp).
void give_way_to_commands() { ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 10); }
}  // namespace

void query_engine::compute_centralities_in_background() const {
  if (graph_->centralities()) return;
  // Two tasks: PageRank is ready in tens of milliseconds, betweenness takes a second or more;
  // `actors --by pagerank` need not wait for both.
  const auto* g = &graph_->graph();
  auto cancel = cancel_;
  if (!pagerank_ && !background_pagerank_.valid())
    background_pagerank_ = std::async(std::launch::async, [g, cancel] { return compute_pagerank(*g, cancel.get()); }).share();
  // Fault injection for the tests: a recomputation that takes this long (cancellable), so that
  // a test can ask for a ranking while it runs, on a graph where it would end at once.
  long delay_ms = 0;
  if (const char* delay = std::getenv("NEWSGRAPH_TEST_BETWEENNESS_DELAY_MS")) delay_ms = std::strtol(delay, nullptr, 10);
  if (!betweenness_ && !background_betweenness_.valid())
    background_betweenness_ = std::async(std::launch::async, [g, cancel, delay_ms] {
                                give_way_to_commands();
                                const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(delay_ms);
                                while (std::chrono::steady_clock::now() < until && !cancel->load())
                                  std::this_thread::sleep_for(std::chrono::milliseconds(5));
                                return budgeted_betweenness(*g, cancel.get());
                              }).share();
}

const std::vector<double>& query_engine::pagerank() const {
  if (const auto* stored = graph_->centralities()) return stored->pagerank;
  if (!pagerank_) pagerank_ = background_pagerank_.valid() ? background_pagerank_.get() : compute_pagerank(graph_->graph());
  return *pagerank_;
}

const betweenness_scores& query_engine::betweenness() const {
  if (betweenness_) return *betweenness_;
  if (const auto* stored = graph_->centralities())
    betweenness_ = betweenness_scores{stored->betweenness, stored->betweenness_exact, stored->betweenness_sources};
  else
    betweenness_ = background_betweenness_.valid() ? background_betweenness_.get() : budgeted_betweenness(graph_->graph(), nullptr);
  return *betweenness_;
}

const betweenness_scores& query_engine::current_betweenness() const {
  auto running = [](const auto& future) { return future.valid() && future.wait_for(std::chrono::seconds(0)) != std::future_status::ready; };
  if (serving_stale_ && (betweenness_ || graph_->centralities() || !running(background_betweenness_))) serving_stale_ = false;
  return serving_stale_ ? *stale_betweenness_ : betweenness();
}

centrality_scores query_engine::centralities() const {
  if (const auto* stored = graph_->centralities()) return *stored;
  const auto& b = betweenness();
  return {pagerank(), b.score, b.exact, static_cast<std::uint32_t>(b.sources)};
}

std::optional<centrality_scores> query_engine::ready_centralities() const {
  auto ready = [](const auto& future) { return future.valid() && future.wait_for(std::chrono::seconds(0)) == std::future_status::ready; };
  if (graph_->centralities() || ((pagerank_ || ready(background_pagerank_)) && (betweenness_ || ready(background_betweenness_))))
    return centralities();
  return std::nullopt;
}

void query_engine::prepare() const {
  undirected_view();
  component_of();
  ranking("degree");
  if (graph_->centralities()) {  // stored: sorted now, not at the first `actors --by`
    ranking("pagerank");
    ranking("betweenness");
  }
  compute_centralities_in_background();
}

const std::vector<std::size_t>& query_engine::component_of() const {
  if (components_) return *components_;
  const auto& view = undirected_view();
  const auto n = view.offsets.size() - 1;
  std::vector<std::size_t> component(n, n);
  std::vector<vertex_id> queue;
  queue.reserve(n);
  component_count_ = 0;
  for (vertex_id start = 0; start < n; ++start) {
    if (component[start] != n) continue;
    const auto number = component_count_++;
    component[start] = number;
    queue.assign(1, start);
    for (std::size_t head = 0; head < queue.size(); ++head)
      for (auto j = view.offsets[queue[head]]; j < view.offsets[queue[head] + 1]; ++j)
        if (const auto w = view.targets[j]; component[w] == n) component[w] = number, queue.push_back(w);
  }
  components_ = std::move(component);
  return *components_;
}

std::size_t query_engine::component_count() const {
  component_of();
  return component_count_;
}

std::optional<std::vector<path_step>> query_engine::shortest_path(vertex_id from, vertex_id to) const {
  if (from == to) return std::vector<path_step>{};
  const auto& g = graph_->graph();
  const auto n = boost::num_vertices(g);
  // Breadth-first from `from`, each vertex's neighbours in vertex order (as the undirected view
  // holds them), until `to` is discovered.
  std::vector<vertex_id> parent(n, n), queue{from};
  parent[from] = from;
  auto search = [&](auto&& neighbours) {
    for (std::size_t head = 0; head < queue.size() && parent[to] == n; ++head) {
      const auto v = queue[head];
      for (const auto w : neighbours(v)) {
        if (parent[w] != n) continue;
        parent[w] = v;
        if (w == to) break;
        queue.push_back(w);
      }
    }
  };
  if (undirected_) {
    if (component_of()[from] != component_of()[to]) return std::nullopt;
    const auto& view = *undirected_;
    search([&](vertex_id v) {
      return std::span<const vertex_id>(view.targets.data() + view.offsets[v], view.offsets[v + 1] - view.offsets[v]);
    });
  } else {
    // Right after a merge or split the view and the components are gone, and rebuilding them
    // costs tens of milliseconds on 100,000 actors (more while a background save's child shares
    // the memory): one search does without them, reading the graph's own edges. Same order, so
    // the same chain; a pair in different components costs a search of `from`'s component.
    std::vector<vertex_id> around;
    search([&](vertex_id v) -> const std::vector<vertex_id>& {
      around.clear();
      for (auto e : boost::make_iterator_range(boost::out_edges(v, g))) around.push_back(boost::target(e, g));
      for (auto e : boost::make_iterator_range(boost::in_edges(v, g))) around.push_back(boost::source(e, g));
      std::sort(around.begin(), around.end());
      around.erase(std::unique(around.begin(), around.end()), around.end());
      return around;
    });
  }
  if (parent[to] == n) return std::nullopt;
  std::vector<vertex_id> chain{to};
  while (chain.back() != from) chain.push_back(parent[chain.back()]);
  std::reverse(chain.begin(), chain.end());
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
