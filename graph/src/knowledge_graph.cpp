#include "newsgraph/knowledge_graph.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <map>
#include <tuple>
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

std::size_t word_count(const std::string& key) {
  return key.empty() ? 0 : static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1;
}

// Small count maps: a name key has few distinct spellings, roles and types; linear search in a
// vector beats a node-based map in allocation and speed at these sizes.
using counts = std::vector<std::pair<std::string, std::uint32_t>>;
void bump(counts& c, const std::string& text) {
  for (auto& [t, n] : c)
    if (t == text) {
      ++n;
      return;
    }
  c.emplace_back(text, 1);
}

// Everything known about one distinct name key while resolving.
struct name_record {
  std::string key;
  counts names;     // resolved names (mention::name) with counts
  counts surfaces;  // surface forms (mention::text) with counts
  counts roles;
  std::array<std::uint32_t, 6> type_votes{};
  std::vector<std::uint32_t> documents;
  std::uint32_t mentions = 0;
  bool split = false;
};

// Surface forms that refer without naming (the extractor's coreference gives them a name); they
// are not aliases.
bool is_pronoun(std::string_view key) {
  static constexpr std::string_view pronouns[] = {
      "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your", "yours", "yourself",
      "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its", "itself", "they", "them", "their",
      "theirs", "themselves", "who", "whom", "whose", "this", "that", "these", "those"};
  return std::find(std::begin(pronouns), std::end(pronouns), key) != std::end(pronouns);
}

actor_type majority_type(const std::array<std::uint32_t, 6>& votes) {
  std::size_t best = static_cast<std::size_t>(actor_type::other);
  std::uint32_t best_votes = 0;
  for (std::size_t t = 0; t < votes.size(); ++t) {
    if (t == static_cast<std::size_t>(actor_type::other)) continue;
    if (votes[t] > best_votes) best = t, best_votes = votes[t];
  }
  return static_cast<actor_type>(best);
}

std::vector<alias_count> sorted_counts(const std::map<std::string, std::uint32_t>& counts) {
  std::vector<alias_count> out;
  for (const auto& [text, n] : counts) out.push_back({text, n});
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.count > b.count; });
  return out;
}

void sort_unique(std::vector<std::uint32_t>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

void knowledge_graph::add_document(const document& doc, const std::vector<triple>& triples) {
  // The id set is rebuilt when documents_ was filled elsewhere (graph_file); a linear scan per
  // document would make a 50,000-document build quadratic.
  if (document_ids_.size() != documents_.size()) {
    document_ids_.clear();
    for (const auto& d : documents_) document_ids_.insert(d.id);
  }
  if (!document_ids_.insert(doc.id).second)
    throw error("document id '" + doc.id + "' appears twice; ids must be unique within a graph");
  documents_.push_back({doc.id, doc.title.value_or(""), doc.date.value_or(""), doc.url.value_or("")});
  statements_.insert(statements_.end(), triples.begin(), triples.end());
}

void knowledge_graph::add_document(const document& doc, const std::vector<triple>& triples,
                                   const std::vector<mention>& mentions) {
  add_document(doc, triples);
  mentions_.insert(mentions_.end(), mentions.begin(), mentions.end());
}

void knowledge_graph::resolve() {
  // 1. One record per distinct name key. A name under a user `split` rule keys its mentions by
  //    their surface form, so that a surface the article resolved to a fuller name can leave it.
  std::unordered_set<std::string> split_keys;
  for (const auto& r : user_rules_)
    if (r.what == user_rule::kind::split) split_keys.insert(name_key(r.a));
  std::unordered_map<std::string, std::uint32_t> document_index;
  for (std::uint32_t d = 0; d < documents_.size(); ++d) document_index.emplace(documents_[d].id, d);

  std::vector<name_record> records;
  std::unordered_map<std::string, std::uint32_t> record_of_key;
  std::unordered_map<std::string, std::string> key_of_text;  // memo: raw name -> name_key
  auto key_for = [&](const std::string& text) -> const std::string& {
    auto it = key_of_text.find(text);
    if (it == key_of_text.end()) it = key_of_text.emplace(text, name_key(text)).first;
    return it->second;
  };
  constexpr std::uint32_t no_document = 0xFFFFFFFFU;
  std::string last_document = "\x01";  // no document id is this
  std::uint32_t last_document_index = no_document;
  auto record_for = [&](const mention& m) -> std::uint32_t {
    const std::string& surface = m.text.empty() ? m.name : m.text;
    std::string key = key_for(m.name);
    bool split = false;
    if (!split_keys.empty()) {
      const auto& surface_key = key_for(surface);
      if (split_keys.contains(surface_key)) {
        key = surface_key;
        split = true;
      } else if (split_keys.contains(key)) {
        split = true;
      }
    }
    auto [it, inserted] = record_of_key.try_emplace(key, static_cast<std::uint32_t>(records.size()));
    if (inserted) {
      records.emplace_back();
      records.back().key = std::move(key);
    }
    auto& r = records[it->second];
    r.split = r.split || split;
    bump(r.names, split ? surface : m.name);
    if (!is_pronoun(key_for(surface))) bump(r.surfaces, surface);  // "he" does not name anyone
    if (!m.role.empty()) bump(r.roles, m.role);
    ++r.type_votes[static_cast<std::size_t>(m.type)];
    // Statements come document by document: remember the last id's index.
    if (m.document_id != last_document) {
      last_document = m.document_id;
      const auto d = document_index.find(m.document_id);
      last_document_index = d == document_index.end() ? no_document : d->second;
    }
    if (last_document_index != no_document) r.documents.push_back(last_document_index);
    ++r.mentions;
    return it->second;
  };
  std::vector<std::pair<std::uint32_t, std::uint32_t>> statement_records;
  statement_records.reserve(statements_.size());
  for (const auto& t : statements_) statement_records.emplace_back(record_for(t.subject), record_for(t.object));
  // Mentions outside the statements only add surface forms to names the statements know.
  for (const auto& m : mentions_) {
    const auto it = record_of_key.find(key_for(m.name));
    if (it == record_of_key.end() || m.text.empty() || is_pronoun(key_for(m.text))) continue;
    bump(records[it->second].surfaces, m.text);
  }

  // 2. The resolver's view of each record.
  std::vector<alias_record> input(records.size());
  std::unordered_map<std::string, std::uint32_t> label_ids;
  for (std::size_t s = 0; s < statements_.size(); ++s) {
    const auto [a, b] = statement_records[s];
    if (a == b) continue;
    const auto label = label_ids.try_emplace(statements_[s].relation, static_cast<std::uint32_t>(label_ids.size())).first->second;
    input[a].neighbours.push_back(b);
    input[b].neighbours.push_back(a);
    input[a].relations.push_back((static_cast<std::uint64_t>(label) << 32) | b);
    input[b].relations.push_back((static_cast<std::uint64_t>(label | 0x80000000U) << 32) | a);  // passive side
  }
  for (std::size_t i = 0; i < records.size(); ++i) {
    auto& r = records[i];
    auto& in = input[i];
    sort_unique(r.documents);
    in.key = r.key;
    std::stable_sort(r.names.begin(), r.names.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    in.name = r.names.front().first;
    for (const auto& [n, c] : r.names) in.spellings.push_back(n);
    for (const auto& [n, c] : r.surfaces) {
      in.spellings.push_back(n);
      auto k = key_for(n);
      if (k != r.key) in.surface_keys.push_back(std::move(k));
    }
    in.type = majority_type(r.type_votes);
    in.mentions = r.mentions;
    for (const auto& [role, c] : r.roles) in.roles.push_back(name_key(role));
    sort_unique(in.neighbours);
    std::sort(in.relations.begin(), in.relations.end());
    in.relations.erase(std::unique(in.relations.begin(), in.relations.end()), in.relations.end());
    in.documents = r.documents;
    in.split = r.split;
  }
  if (!alias_data_) alias_data_ = alias_data::default_data();
  const auto resolved = alias_resolver(alias_data_).resolve(input, user_rules_);
  merges_ = resolved.merges;

  // 3. One vertex per cluster, named by its most complete well-attested name.
  std::unordered_set<std::string> merged_alias, gazetteer_alias;
  for (const auto& m : merges_) merged_alias.insert(key_for(m.alias));
  for (std::size_t i = 0; i < records.size(); ++i)
    if (resolved.gazetteer_variant[i])
      for (const auto& [n, c] : records[i].names) gazetteer_alias.insert(key_for(n));
  graph_.clear();
  std::unordered_map<std::uint32_t, vertex_id> vertex_of_root;
  std::vector<vertex_id> vertex_of_record(records.size());
  std::vector<std::vector<std::uint32_t>> members;
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    auto [it, inserted] = vertex_of_root.try_emplace(resolved.cluster[i], 0);
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
    std::vector<std::uint32_t> docs;
    auto& a = graph_[v];
    for (auto i : members[v]) {
      const auto& r = records[i];
      for (const auto& [n, c] : r.names) names[n] += c;
      for (const auto& [n, c] : r.surfaces) surfaces[n] += c;
      for (const auto& [n, c] : r.roles) roles[n] += c;
      for (std::size_t t = 0; t < votes.size(); ++t) votes[t] += r.type_votes[t];
      docs.insert(docs.end(), r.documents.begin(), r.documents.end());
      a.mention_count += r.mentions;
    }
    // Most complete well-attested: among names seen at least max(2, best/4) times (or the best
    // count when none is), the one with most words (handles count none), then the most frequent,
    // then one that no merge made an alias of (the gazetteer's or the fuller form).
    std::uint32_t best_count = 0;
    for (const auto& [n, c] : names) best_count = std::max(best_count, c);
    // Attested means written: a form an article resolved many words to ("Josep Borrell Fontelles"
    // for every "I" of a quoted tweet) but wrote once is not well attested.
    auto written = [&](const std::string& n, std::uint32_t resolved) {
      const auto it = surfaces.find(n);
      return it == surfaces.end() ? resolved : std::min(resolved, it->second);
    };
    best_count = 0;
    for (const auto& [n, c] : names) best_count = std::max(best_count, written(n, c));
    const std::uint32_t attested = std::min(best_count, std::max<std::uint32_t>(2, (best_count + 3) / 4));
    std::string best;
    auto words_of = [&](const std::string& n) { return n.starts_with('@') ? 0 : word_count(key_for(n)); };
    // A gazetteer variant ("US", "Kremlin") never names its entity when the entity's own name is there.
    auto gazetteer_variant = [&](const std::string& n) { return gazetteer_alias.contains(key_for(n)); };
    std::tuple<bool, std::size_t, std::uint32_t, bool> best_rank{};
    for (const auto& [n, c] : names) {
      if (written(n, c) < attested) continue;
      const std::tuple<bool, std::size_t, std::uint32_t, bool> rank{!gazetteer_variant(n), words_of(n), c, !merged_alias.contains(key_for(n))};
      if (best.empty() || rank > best_rank) best = n, best_rank = rank;
    }
    a.name = best;
    // Type: the majority; a tie goes to the type the canonical name was given.
    for (auto i : members[v])
      if (std::any_of(records[i].names.begin(), records[i].names.end(), [&](const auto& x) { return x.first == best; }))
        for (std::size_t t = 0; t < votes.size(); ++t) votes[t] = votes[t] * 2 + (records[i].type_votes[t] > 0 ? 1 : 0);
    a.type = majority_type(votes);
    a.roles = sorted_counts(roles);
    for (const auto& [n, c] : names) surfaces.try_emplace(n, 0);  // resolved names are aliases too
    a.aliases = sorted_counts(surfaces);
    sort_unique(docs);
    a.document_count = static_cast<std::uint32_t>(docs.size());
    for (const auto& alias : a.aliases) name_index_.emplace_back(key_for(alias.text), v);
    // Surfaces only ever written for a fuller name: their first link in `why`.
    for (auto i : members[v]) {
      const auto& r = records[i];
      for (const auto& [surface, c] : r.surfaces) {
        const auto& k = key_for(surface);
        if (k == r.key || record_of_key.contains(k)) continue;
        merges_.push_back({surface, r.names.front().first, "in document", 0.0F,
                           std::string("written so ").append(std::to_string(c)).append(" time(s) where the article names ").append(r.names.front().first)});
      }
    }
  }
  std::sort(name_index_.begin(), name_index_.end());
  name_index_.erase(std::unique(name_index_.begin(), name_index_.end()), name_index_.end());

  // 4. Edges: one per (subject, label, object); a symmetric relation is stored in one direction.
  // Keyed by (from, to, label id) packed in two words; labels are interned.
  struct edge_key_hash {
    std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& k) const {
      return std::hash<std::uint64_t>()(k.first * 0x9E3779B97F4A7C15ULL ^ k.second);
    }
  };
  std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, edge_id, edge_key_hash> edge_of;
  std::unordered_map<std::string_view, std::uint64_t> label_of;
  for (std::size_t s = 0; s < statements_.size(); ++s) {
    const auto& t = statements_[s];
    auto from = vertex_of_record[statement_records[s].first];
    auto to = vertex_of_record[statement_records[s].second];
    if (from == to) continue;  // an actor acting on itself is an extraction artefact once merged
    if (t.symmetric && to < from) std::swap(from, to);
    const auto label = label_of.try_emplace(t.relation, label_of.size()).first->second;
    auto [it, inserted] = edge_of.try_emplace({(static_cast<std::uint64_t>(from) << 32) | to, label}, edge_id{});
    if (inserted) {
      it->second = boost::add_edge(from, to, graph_).first;
      auto& r = graph_[it->second];
      r.label = t.relation;
      r.relation_class = t.relation_class;
      r.symmetric = t.symmetric;
    }
    auto& r = graph_[it->second];
    r.evidence.push_back({t.subject.document_id, t.sentence, t.sentence_text, t.relation_surface, t.date, t.confidence});
    r.statements.push_back(static_cast<std::uint32_t>(s));
  }
}

void knowledge_graph::add_rule(user_rule rule) {
  if (std::find(user_rules_.begin(), user_rules_.end(), rule) == user_rules_.end()) user_rules_.push_back(std::move(rule));
}

void knowledge_graph::apply_alias_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw input_error(path + ": cannot open alias file");
  std::string line;
  std::size_t number = 0;
  auto fail = [&](const std::string& what) {
    std::string message = path;
    message.append(":").append(std::to_string(number)).append(": ").append(what);
    throw input_error(message);
  };
  std::vector<user_rule> rules;
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    std::vector<std::string> fields;
    std::size_t start = 0;
    while (true) {
      const auto tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    user_rule rule;
    if (fields[0] == "same" || fields[0] == "distinct") {
      rule.what = fields[0] == "same" ? user_rule::kind::same : user_rule::kind::distinct;
      if (fields.size() != 3 || name_key(fields[1]).empty() || name_key(fields[2]).empty())
        fail("'" + fields[0] + "' needs two names separated by tabs");
      rule.a = fields[1];
      rule.b = fields[2];
    } else if (fields[0] == "split") {
      rule.what = user_rule::kind::split;
      if (fields.size() != 2 || name_key(fields[1]).empty()) fail("'split' needs one name after a tab");
      rule.a = fields[1];
    } else {
      fail("unknown rule '" + fields[0] + "' (expected same, distinct or split)");
    }
    rules.push_back(std::move(rule));
  }
  for (auto& r : rules) add_rule(std::move(r));
}

void knowledge_graph::merge(std::string_view a, std::string_view b) {
  for (auto name : {a, b})
    if (!find_actor(name)) throw error(std::string("merge: no actor is named '").append(name).append("'"));
  const auto ka = name_key(a), kb = name_key(b);
  std::erase_if(user_rules_, [&](const user_rule& r) {
    const auto ra = name_key(r.a), rb = name_key(r.b);
    return r.what == user_rule::kind::distinct && ((ra == ka && rb == kb) || (ra == kb && rb == ka));
  });
  add_rule({user_rule::kind::same, std::string(a), std::string(b)});
  resolve();
}

void knowledge_graph::split(std::string_view alias) {
  if (!find_actor(alias)) throw error(std::string("split: no actor is named '").append(alias).append("'"));
  const auto k = name_key(alias);
  std::erase_if(user_rules_, [&](const user_rule& r) {
    return r.what == user_rule::kind::same && (name_key(r.a) == k || name_key(r.b) == k);
  });
  add_rule({user_rule::kind::split, std::string(alias), ""});
  resolve();
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
  // The merges of one actor form a tree over its names (each union added one link); the chain is
  // the path in that tree from the alias to the canonical name, each link oriented along it.
  std::vector<merge_reason> chain;
  const auto v = find_actor(alias);
  if (!v) return chain;
  const auto from = name_key(alias), to = name_key(graph_[*v].name);
  if (from == to) return chain;
  std::unordered_map<std::string, std::vector<std::pair<std::size_t, bool>>> links;  // key -> (merge, forward)
  for (std::size_t m = 0; m < merges_.size(); ++m) {
    auto a = name_key(merges_[m].alias);
    if (find_actor(a) != v) continue;
    auto b = name_key(merges_[m].target);
    links[a].emplace_back(m, true);
    links[b].emplace_back(m, false);
  }
  std::unordered_map<std::string, std::pair<std::string, std::pair<std::size_t, bool>>> came_from;
  std::vector<std::string> queue{from};
  came_from[from] = {"", {0, true}};
  for (std::size_t head = 0; head < queue.size() && !came_from.contains(to); ++head) {
    const auto key = queue[head];
    const auto it = links.find(key);
    if (it == links.end()) continue;
    for (const auto& [m, forward] : it->second) {
      auto next = name_key(forward ? merges_[m].target : merges_[m].alias);
      if (came_from.try_emplace(next, key, std::make_pair(m, forward)).second) queue.push_back(std::move(next));
    }
  }
  if (!came_from.contains(to)) {
    // No path to the canonical name (a file of an older resolver): follow the links forward.
    std::unordered_set<std::string> seen;
    std::string current = from;
    while (seen.insert(current).second) {
      const auto it = std::find_if(merges_.begin(), merges_.end(), [&](const auto& m) { return name_key(m.alias) == current; });
      if (it == merges_.end()) break;
      chain.push_back(*it);
      current = name_key(it->target);
    }
    return chain;
  }
  for (std::string key = to; key != from;) {
    const auto& [previous, link] = came_from.at(key);
    auto reason = merges_[link.first];
    if (!link.second) std::swap(reason.alias, reason.target);  // shown in the direction walked
    chain.push_back(std::move(reason));
    key = previous;
  }
  std::reverse(chain.begin(), chain.end());
  return chain;
}

std::string knowledge_graph::why_text(std::string_view alias) const {
  const auto v = find_actor(alias);
  if (!v) throw error(std::string("why: no actor is named '").append(alias).append("'"));
  const auto& name = graph_[*v].name;
  std::string out(alias);
  const auto chain = why(alias);
  if (chain.empty()) {
    out.append(" is ").append(name).append(name_key(alias) == name_key(name) ? " (its canonical name)\n" : " (same actor, no merge needed)\n");
    return out;
  }
  out.append(" is ").append(name).append(":\n");
  std::size_t lines = 1;
  for (const auto& m : chain) {
    if (lines >= 20) {
      out.append("  ...\n");
      break;
    }
    out.append("  ").append(m.alias).append(" -> ").append(m.target).append("  [").append(m.rule);
    if (m.score > 0) {
      char score[16];
      std::snprintf(score, sizeof score, "%.2f", static_cast<double>(m.score));
      out.append(", score ").append(score);
    }
    out.append("]\n");
    ++lines;
    if (!m.signals.empty() && lines < 20) {
      out.append("      ").append(m.signals).append("\n");
      ++lines;
    }
  }
  return out;
}

}  // namespace newsgraph
