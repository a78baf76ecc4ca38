// The shared model: filtered views, communities, stable identifiers and small text helpers.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <numeric>
#include <optional>
#include <unordered_map>

#include "model.h"

namespace newsgraph {

namespace detail {

std::string slug(std::string_view name) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : name_key(name)) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_') out += static_cast<char>(ch);
    else if (ch == ' ') out += '-';
    else out += {'%', hex[ch >> 4], hex[ch & 15]};
  }
  return out.empty() ? "_" : out;
}

namespace {

// Makes `iri` unique among those seen so far: the second of a kind becomes "<iri>-2".
std::string unique(std::string iri, std::unordered_map<std::string, int>& used) {
  if (const int n = used[iri]++; n > 0) iri.append("-").append(std::to_string(n + 1));
  return iri;
}

}  // namespace

identifiers::identifiers(const knowledge_graph& g) {
  const auto& graph = g.graph();
  std::unordered_map<std::string, int> used;
  for (const auto& d : g.documents()) {
    std::string iri = "urn:newsgraph:document:";
    iri += slug(d.id);
    document.emplace(d.id, unique(std::move(iri), used));
  }
  actor.reserve(boost::num_vertices(graph));
  std::string iri;
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    iri = "urn:newsgraph:actor:";
    iri += slug(graph[v].name);
    actor.push_back(unique(iri, used));
  }
  relation.reserve(boost::num_edges(graph));
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    constexpr std::string_view actor_prefix = "urn:newsgraph:actor:";
    iri = "urn:newsgraph:relation:";
    iri.append(actor[boost::source(e, graph)], actor_prefix.size()).append("/").append(slug(graph[e].label));
    iri.append("/").append(actor[boost::target(e, graph)], actor_prefix.size());
    relation.push_back(unique(iri, used));
  }
}

std::string identifiers::document_iri(const std::string& id) const {
  if (const auto it = document.find(id); it != document.end()) return it->second;
  std::string iri = "urn:newsgraph:document:";
  return iri.append(slug(id));
}

std::string evidence_iri(const std::string& relation_iri, std::size_t n) {
  std::string iri = relation_iri;
  return iri.append("/evidence/").append(std::to_string(n + 1));
}

date_range dates_of(const relation& r) {
  date_range out;
  for (const auto& ev : r.evidence) {
    if (ev.date.empty()) continue;
    if (out.first.empty() || ev.date < out.first) out.first = ev.date;
    if (out.last.empty() || ev.date > out.last) out.last = ev.date;
  }
  return out;
}

bool is_iso_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  const int month = (s[5] - '0') * 10 + (s[6] - '0'), day = (s[8] - '0') * 10 + (s[9] - '0');
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

double rounded_confidence(float c) { return std::round(static_cast<double>(c) * 10000.0) / 10000.0; }

std::string canonical_double(double d) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%1.15E", d);
  std::string s = buffer;
  const auto e = s.find('E');
  if (e == std::string::npos || s[e + 1] != '+') return s;  // JSON-LD leaves negative exponents alone
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 2);
  while (mantissa.size() > 1 && mantissa.back() == '0' && mantissa[mantissa.size() - 2] != '.') mantissa.pop_back();
  while (exponent.size() > 1 && exponent.front() == '0') exponent.erase(0, 1);
  return mantissa.append("E").append(exponent);
}

std::string relationship_type(std::string_view label) {
  std::string out;
  for (unsigned char ch : label) {
    if (std::isalnum(ch)) out += static_cast<char>(std::toupper(ch));
    else if (!out.empty() && out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return "RELATED_TO";
  if (std::isdigit(static_cast<unsigned char>(out.front()))) out.insert(0, "R_");
  return out;
}

std::string one_line(std::string_view s) {
  std::string out(s);
  for (auto& ch : out)
    if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
  return out;
}

}  // namespace detail

graph_view make_view(const knowledge_graph& g, const export_options& options) {
  const auto& graph = g.graph();
  const auto n = boost::num_vertices(graph);
  graph_view view;
  view.graph = &g;

  // Relations stated often enough, with their positions in edge order.
  std::vector<std::pair<edge_id, std::size_t>> edges;
  std::size_t number = 0;
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    if (graph[e].count() >= options.min_count) edges.emplace_back(e, number);
    ++number;
  }

  std::vector<char> keep(n, 1);
  std::optional<vertex_id> centre;
  if (!options.actor.empty()) {
    centre = g.find_actor(options.actor);
    if (!centre) throw export_error("no actor named '" + options.actor + "' in the graph");
    // Breadth-first over the kept relations, ignoring direction: who is near, not who acts.
    std::vector<std::vector<vertex_id>> adjacent(n);
    for (const auto& [e, _] : edges) {
      adjacent[boost::source(e, graph)].push_back(boost::target(e, graph));
      adjacent[boost::target(e, graph)].push_back(boost::source(e, graph));
    }
    std::vector<std::size_t> distance(n, SIZE_MAX);
    std::deque<vertex_id> queue{*centre};
    distance[*centre] = 0;
    while (!queue.empty()) {
      const auto v = queue.front();
      queue.pop_front();
      if (distance[v] == options.depth) continue;
      for (auto w : adjacent[v])
        if (distance[w] == SIZE_MAX) distance[w] = distance[v] + 1, queue.push_back(w);
    }
    for (vertex_id v = 0; v < n; ++v) keep[v] = distance[v] != SIZE_MAX;
  }

  if (options.top > 0) {
    std::vector<std::uint64_t> degree(n, 0);
    for (const auto& [e, _] : edges) {
      const auto s = boost::source(e, graph), t = boost::target(e, graph);
      if (keep[s] && keep[t]) degree[s] += graph[e].count(), degree[t] += graph[e].count();
    }
    std::vector<vertex_id> ranked;
    for (vertex_id v = 0; v < n; ++v)
      if (keep[v]) ranked.push_back(v);
    const auto limit = std::min(options.top, ranked.size());
    std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(limit), ranked.end(),
                      [&](vertex_id a, vertex_id b) {
                        return degree[a] != degree[b] ? degree[a] > degree[b] : graph[a].name < graph[b].name;
                      });
    std::fill(keep.begin(), keep.end(), 0);
    for (std::size_t i = 0; i < limit; ++i) keep[ranked[i]] = 1;
  }

  std::vector<char> linked(n, 0);
  for (const auto& [e, num] : edges) {
    const auto s = boost::source(e, graph), t = boost::target(e, graph);
    if (!keep[s] || !keep[t]) continue;
    view.relations.push_back(e);
    view.relation_numbers.push_back(num);
    linked[s] = linked[t] = 1;
  }
  const bool drop_isolated = options.filtered();
  for (vertex_id v = 0; v < n; ++v)
    if (keep[v] && (!drop_isolated || linked[v] || (centre && v == *centre))) view.actors.push_back(v);
  return view;
}

std::vector<std::size_t> communities(const graph_view& view) {
  const auto& graph = view.graph->graph();
  const auto n = view.actors.size();
  std::unordered_map<vertex_id, std::size_t> index;
  index.reserve(n);
  for (std::size_t i = 0; i < n; ++i) index.emplace(view.actors[i], i);
  std::vector<std::vector<std::pair<std::size_t, std::uint32_t>>> adjacent(n);
  for (auto e : view.relations) {
    const auto s = index.at(boost::source(e, graph)), t = index.at(boost::target(e, graph));
    adjacent[s].emplace_back(t, graph[e].count());
    adjacent[t].emplace_back(s, graph[e].count());
  }
  // Asynchronous label propagation in a fixed order: each actor takes the label its neighbours
  // carry with the most evidence, ties going to the smallest label, until nothing changes.
  std::vector<std::size_t> label(n);
  std::iota(label.begin(), label.end(), 0);
  std::vector<std::pair<std::size_t, std::uint64_t>> votes;
  for (int round = 0; round < 30; ++round) {
    bool changed = false;
    for (std::size_t i = 0; i < n; ++i) {
      if (adjacent[i].empty()) continue;
      votes.clear();
      for (const auto& [j, w] : adjacent[i]) votes.emplace_back(label[j], w);
      std::sort(votes.begin(), votes.end());
      std::size_t best = label[i];
      std::uint64_t best_weight = 0;
      for (std::size_t k = 0; k < votes.size();) {
        std::uint64_t weight = 0;
        const auto l = votes[k].first;
        for (; k < votes.size() && votes[k].first == l; ++k) weight += votes[k].second;
        if (weight > best_weight) best = l, best_weight = weight;
      }
      if (best != label[i]) label[i] = best, changed = true;
    }
    if (!changed) break;
  }
  // Number the communities by size, largest first, ties by first member.
  std::unordered_map<std::size_t, std::pair<std::size_t, std::size_t>> size_first;  // label -> (size, first)
  std::vector<std::size_t> labels;
  for (std::size_t i = 0; i < n; ++i) {
    auto [it, inserted] = size_first.try_emplace(label[i], 0, i);
    if (inserted) labels.push_back(label[i]);
    ++it->second.first;
  }
  std::sort(labels.begin(), labels.end(), [&](std::size_t a, std::size_t b) {
    const auto &x = size_first.at(a), &y = size_first.at(b);
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  std::unordered_map<std::size_t, std::size_t> number;
  for (std::size_t k = 0; k < labels.size(); ++k) number.emplace(labels[k], k);
  std::vector<std::size_t> out(n);
  for (std::size_t i = 0; i < n; ++i) out[i] = number.at(label[i]);
  return out;
}

}  // namespace newsgraph
