#include "newsgraph/knowledge_graph.h"

#include <boost/pending/disjoint_sets.hpp>

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "newsgraph/utf8.h"

namespace newsgraph {

std::string name_key(std::string_view name) {
  std::string folded = utf8::fold(name);
  // Typographic apostrophes fold to themselves; treat them as the ASCII one.
  for (std::size_t at; (at = folded.find("\xE2\x80\x99")) != std::string::npos;) {
    folded[at] = '\'';
    folded.erase(at + 1, 2);
  }
  std::string key;
  key.reserve(folded.size());
  for (char c : folded) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      key += c;
    } else if (c == '\'') {
      key += c;
    } else if (!key.empty() && key.back() != ' ') {
      key += ' ';  // punctuation and spaces separate words; "@", "#", "." vanish at the edges
    }
  }
  while (!key.empty() && key.back() == ' ') key.pop_back();
  if (key.ends_with("'s")) key.resize(key.size() - 2);
  std::erase(key, '\'');
  if (key.starts_with("the ")) key.erase(0, 4);
  return key;
}

namespace {

std::string last_word(const std::string& key) {
  const auto space = key.rfind(' ');
  return space == std::string::npos ? key : key.substr(space + 1);
}

std::size_t word_count(const std::string& key) {
  return key.empty() ? 0 : static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

// Everything known about one distinct name key while resolving.
struct name_record {
  std::string key;
  std::map<std::string, std::uint32_t> names;     // resolved names (mention::name) with counts
  std::map<std::string, std::uint32_t> surfaces;  // surface forms (mention::text) with counts
  std::map<std::string, std::uint32_t> roles;
  std::array<std::uint32_t, 6> type_votes{};
  std::set<std::string> documents;
  std::uint32_t mentions = 0;

  actor_type type() const {
    std::size_t best = static_cast<std::size_t>(actor_type::other);
    std::uint32_t best_votes = 0;
    for (std::size_t t = 0; t < type_votes.size(); ++t) {
      if (t == static_cast<std::size_t>(actor_type::other)) continue;
      if (type_votes[t] > best_votes) best = t, best_votes = type_votes[t];
    }
    return static_cast<actor_type>(best);
  }
};

std::vector<alias_count> sorted_counts(const std::map<std::string, std::uint32_t>& counts) {
  std::vector<alias_count> out;
  for (const auto& [text, n] : counts) out.push_back({text, n});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return out;
}

}  // namespace

void knowledge_graph::add_document(const document& doc, const std::vector<triple>& triples) {
  if (std::any_of(documents_.begin(), documents_.end(), [&](const auto& d) { return d.id == doc.id; }))
    throw error("document id '" + doc.id + "' appears twice; ids must be unique within a graph");
  documents_.push_back({doc.id, doc.title.value_or(""), doc.date.value_or(""), doc.url.value_or("")});
  statements_.insert(statements_.end(), triples.begin(), triples.end());
}

void knowledge_graph::resolve() {
  // 1. One record per distinct name key.
  std::vector<name_record> records;
  std::unordered_map<std::string, std::size_t> record_of_key;
  auto record_for = [&](const mention& m) -> std::size_t {
    auto key = name_key(m.name);
    auto [it, inserted] = record_of_key.try_emplace(key, records.size());
    if (inserted) records.push_back({std::move(key), {}, {}, {}, {}, {}, 0});
    auto& r = records[it->second];
    ++r.names[m.name];
    ++r.surfaces[m.text.empty() ? m.name : m.text];
    if (!m.role.empty()) ++r.roles[m.role];
    ++r.type_votes[static_cast<std::size_t>(m.type)];
    r.documents.insert(m.document_id);
    ++r.mentions;
    return it->second;
  };
  std::vector<std::pair<std::size_t, std::size_t>> statement_records;
  statement_records.reserve(statements_.size());
  for (const auto& t : statements_) statement_records.emplace_back(record_for(t.subject), record_for(t.object));

  // 2. Union-find over records (the shape of Boost's incremental_components example).
  std::vector<std::size_t> rank(records.size()), parent(records.size());
  boost::disjoint_sets<std::size_t*, std::size_t*> sets(rank.data(), parent.data());
  for (std::size_t i = 0; i < records.size(); ++i) sets.make_set(i);
  merges_.clear();

  // A one-word name joins the multi-word person names ending in it when they are all one actor
  // ("Lavrov" -> "Sergey Lavrov"); if two different people share the surname it stays apart.
  std::unordered_map<std::string, std::vector<std::size_t>> full_names_by_surname;
  for (std::size_t i = 0; i < records.size(); ++i)
    if (word_count(records[i].key) >= 2 && records[i].type() == actor_type::person)
      full_names_by_surname[last_word(records[i].key)].push_back(i);
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (word_count(records[i].key) != 1) continue;
    const auto it = full_names_by_surname.find(records[i].key);
    if (it == full_names_by_surname.end()) continue;
    std::set<std::size_t> roots;
    for (auto j : it->second) roots.insert(sets.find_set(j));
    if (roots.size() != 1) continue;
    const auto target = it->second.front();
    sets.union_set(i, target);
    merges_.push_back({records[i].names.begin()->first, records[target].names.begin()->first, "surname"});
  }

  // 3. One vertex per set, named by its most complete well-attested name.
  graph_.clear();
  std::unordered_map<std::size_t, vertex_id> vertex_of_root;
  std::vector<vertex_id> vertex_of_record(records.size());
  std::vector<std::vector<std::size_t>> members;
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto root = sets.find_set(i);
    auto [it, inserted] = vertex_of_root.try_emplace(root, 0);
    if (inserted) {
      it->second = boost::add_vertex(graph_);
      members.emplace_back();
    }
    vertex_of_record[i] = it->second;
    members[it->second].push_back(i);
  }
  name_index_.clear();
  for (vertex_id v = 0; v < members.size(); ++v) {
    std::map<std::string, std::uint32_t> names, surfaces, roles;
    std::array<std::uint32_t, 6> votes{};
    std::set<std::string> docs;
    auto& a = graph_[v];
    for (auto i : members[v]) {
      const auto& r = records[i];
      for (const auto& [n, c] : r.names) names[n] += c;
      for (const auto& [n, c] : r.surfaces) surfaces[n] += c;
      for (const auto& [n, c] : r.roles) roles[n] += c;
      for (std::size_t t = 0; t < votes.size(); ++t) votes[t] += r.type_votes[t];
      docs.insert(r.documents.begin(), r.documents.end());
      a.mention_count += r.mentions;
    }
    std::uint32_t best_count = 0;
    for (const auto& [n, c] : names) best_count = std::max(best_count, c);
    const std::uint32_t attested = std::min<std::uint32_t>(best_count, 2);
    std::string best;
    for (const auto& [n, c] : names) {
      if (c < attested) continue;
      const auto words = word_count(name_key(n)), best_words = word_count(name_key(best));
      if (best.empty() || words > best_words || (words == best_words && c > names[best])) best = n;
    }
    a.name = best;
    name_record merged_votes;
    merged_votes.type_votes = votes;
    a.type = merged_votes.type();
    a.roles = sorted_counts(roles);
    for (const auto& [n, c] : names) surfaces.try_emplace(n, 0);  // resolved names are aliases too
    a.aliases = sorted_counts(surfaces);
    a.document_count = static_cast<std::uint32_t>(docs.size());
    for (const auto& alias : a.aliases) name_index_.emplace_back(name_key(alias.text), v);
  }
  std::sort(name_index_.begin(), name_index_.end());
  name_index_.erase(std::unique(name_index_.begin(), name_index_.end()), name_index_.end());

  // 4. Edges: one per (subject, label, object); a symmetric relation is stored in one direction.
  std::map<std::tuple<vertex_id, std::string, vertex_id>, edge_id> edge_of;
  for (std::size_t s = 0; s < statements_.size(); ++s) {
    const auto& t = statements_[s];
    auto from = vertex_of_record[statement_records[s].first];
    auto to = vertex_of_record[statement_records[s].second];
    if (from == to) continue;  // an actor acting on itself is an extraction artefact once merged
    if (t.symmetric && to < from) std::swap(from, to);
    auto [it, inserted] = edge_of.try_emplace({from, t.relation, to}, edge_id{});
    if (inserted) {
      it->second = boost::add_edge(from, to, graph_).first;
      auto& r = graph_[it->second];
      r.label = t.relation;
      r.relation_class = t.relation_class;
      r.symmetric = t.symmetric;
    }
    graph_[it->second].evidence.push_back(
        {t.subject.document_id, t.sentence, t.sentence_text, t.relation_surface, t.date, t.confidence});
  }
}

std::optional<vertex_id> knowledge_graph::find_actor(std::string_view name) const {
  const auto key = name_key(name);
  const auto it = std::lower_bound(name_index_.begin(), name_index_.end(), std::make_pair(key, vertex_id{0}));
  if (it == name_index_.end() || it->first != key) return std::nullopt;
  return it->second;
}

std::vector<vertex_id> knowledge_graph::most_connected(std::size_t limit) const {
  std::vector<std::pair<std::uint32_t, vertex_id>> degree;
  for (auto v : boost::make_iterator_range(boost::vertices(graph_))) {
    std::uint32_t d = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, graph_))) d += graph_[e].count();
    for (auto e : boost::make_iterator_range(boost::in_edges(v, graph_))) d += graph_[e].count();
    degree.emplace_back(d, v);
  }
  std::sort(degree.begin(), degree.end(), [&](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : graph_[a.second].name < graph_[b.second].name;
  });
  std::vector<vertex_id> out;
  for (std::size_t i = 0; i < degree.size() && i < limit; ++i) out.push_back(degree[i].second);
  return out;
}

std::vector<merge_reason> knowledge_graph::why(std::string_view alias) const {
  std::vector<merge_reason> chain;
  const auto key = name_key(alias);
  std::unordered_set<std::string> seen;
  std::string current = key;
  while (seen.insert(current).second) {
    const auto it = std::find_if(merges_.begin(), merges_.end(),
                                 [&](const auto& m) { return name_key(m.alias) == current; });
    if (it == merges_.end()) break;
    chain.push_back(*it);
    current = name_key(it->target);
  }
  return chain;
}

}  // namespace newsgraph
