#include "newsgraph/knowledge_graph.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "newsgraph/utf8.h"

namespace newsgraph {

std::string name_key(std::string_view name) {
  // Pure ASCII folds to its lower case (compatibility decomposition, case folding and mark
  // stripping change no ASCII character); skipping utf8proc there makes loading, lookup indexes
  // and resolution several times faster, since most names in the news are ASCII.
  const bool ascii = std::all_of(name.begin(), name.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  std::string folded;
  if (ascii) {
    folded.assign(name);
    for (auto& c : folded)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  } else {
    folded = utf8::fold(name);
  }
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
  counts names;     // resolved names (mention::name) with counts; most frequent first once finished
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

constexpr std::uint32_t no_document = 0xFFFFFFFFU;
constexpr std::uint32_t no_record = 0xFFFFFFFFU;

// Resolution step 1: one record per distinct name key, fed mention by mention. A name under a
// user `split` rule keys its mentions by their surface form, so that a surface the article
// resolved to a fuller name can leave it. resolve() feeds every mention; merge and split feed the
// mentions of the actors they rebuild, which gives those actors' records exactly.
class record_table {
public:
  // `document_index`: a document id's number, or no_document for an id no document has.
  record_table(const std::vector<user_rule>& rules, std::function<std::uint32_t(const std::string&)> document_index)
      : document_index_(std::move(document_index)) {
    for (const auto& r : rules)
      if (r.what == user_rule::kind::split) split_keys_.insert(name_key(r.a));
  }

  // name_key, memoised: a name is written thousands of times.
  const std::string& key_for(const std::string& text) { return entry_for(text).key; }

  // The key of the record a statement's subject or object belongs to.
  std::string record_key(const mention& m, bool* split = nullptr) {
    std::string key = key_for(m.name);
    bool is_split = false;
    if (!split_keys_.empty()) {
      const auto& surface_key = key_for(m.text.empty() ? m.name : m.text);
      if (split_keys_.contains(surface_key)) {
        key = surface_key;
        is_split = true;
      } else if (split_keys_.contains(key)) {
        is_split = true;
      }
    }
    if (split) *split = is_split;
    return key;
  }

  // A statement's subject or object: counted in its record, created on first sight.
  std::uint32_t add(const mention& m) {
    const bool same_surface = m.text.empty() || m.text == m.name;
    const std::string& surface = same_surface ? m.name : m.text;
    bool split = false;
    std::uint32_t index = no_record;
    bool pronoun = false;
    if (split_keys_.empty()) {
      // Without split rules a name's record follows from the name alone: one lookup per mention
      // instead of one for the key and one for the record (a million mentions miss the cache).
      auto& entry = entry_for(m.name);
      if (entry.record == no_record) entry.record = record_of(std::string(entry.key));
      index = entry.record;
      pronoun = entry.pronoun;
    } else {
      index = record_of(record_key(m, &split));
      pronoun = entry_for(m.name).pronoun;
    }
    // A surface that is the name itself (most are) needs no second lookup.
    if (!same_surface) pronoun = entry_for(surface).pronoun;
    auto& r = records[index];
    r.split = r.split || split;
    bump(r.names, split ? surface : m.name);
    if (!pronoun) bump(r.surfaces, surface);  // "he" does not name anyone
    if (!m.role.empty()) bump(r.roles, m.role);
    ++r.type_votes[static_cast<std::size_t>(m.type)];
    // Statements come document by document: remember the last id's index.
    if (m.document_id != last_document_) {
      last_document_ = m.document_id;
      last_document_index_ = document_index_(m.document_id);
    }
    // An actor named again in the same document adds nothing (finish() makes them unique).
    if (last_document_index_ != no_document && (r.documents.empty() || r.documents.back() != last_document_index_))
      r.documents.push_back(last_document_index_);
    ++r.mentions;
    return index;
  }

  // A mention outside the statements only adds its surface form to the record of its name, when
  // the statements know that name. Returns that record, or no_record.
  std::uint32_t add_surface(const mention& m) {
    const auto it = record_of_key.find(key_for(m.name));
    if (it == record_of_key.end()) return no_record;
    if (!m.text.empty() && !entry_for(m.text).pronoun) bump(records[it->second].surfaces, m.text);
    return it->second;
  }

  // After the last mention: names most frequent first, documents sorted and unique.
  void finish() {
    for (auto& r : records) {
      sort_unique(r.documents);
      std::stable_sort(r.names.begin(), r.names.end(), [](const auto& x, const auto& y) { return x.second > y.second; });
    }
  }

  std::vector<name_record> records;
  std::unordered_map<std::string, std::uint32_t> record_of_key;

private:
  // What a written name is known to be: its key, whether it is a pronoun, and (without split
  // rules) the record of the mentions that resolve to it.
  struct text_entry {
    std::string key;
    bool pronoun = false;
    std::uint32_t record = no_record;
  };

  text_entry& entry_for(const std::string& text) {
    auto [it, inserted] = entry_of_text_.try_emplace(text);
    if (inserted) {
      it->second.key = name_key(text);
      it->second.pronoun = is_pronoun(it->second.key);
    }
    return it->second;
  }

  // The record of a key, created on first sight.
  std::uint32_t record_of(std::string key) {
    auto [it, inserted] = record_of_key.try_emplace(std::move(key), static_cast<std::uint32_t>(records.size()));
    if (inserted) {
      records.emplace_back();
      records.back().key = it->first;
    }
    return it->second;
  }

  std::unordered_set<std::string> split_keys_;
  std::unordered_map<std::string, text_entry> entry_of_text_;  // memo: raw name -> what it is
  std::function<std::uint32_t(const std::string&)> document_index_;
  std::string last_document_ = "\x01";  // no document id is this
  std::uint32_t last_document_index_ = no_document;
};

// Resolution step 3: the actor one cluster of records makes, named by its most complete
// well-attested name. `merged_alias` holds the keys of names a merge made an alias of,
// `gazetteer_alias` those of names that are another name of a gazetteer entity.
actor make_actor(const std::vector<const name_record*>& members, record_table& table,
                 const std::unordered_set<std::string>& merged_alias, const std::unordered_set<std::string>& gazetteer_alias) {
  actor a;
  std::map<std::string, std::uint32_t> names, surfaces, roles;
  std::array<std::uint32_t, 6> votes{};
  std::vector<std::uint32_t> docs;
  for (const auto* r : members) {
    for (const auto& [n, c] : r->names) names[n] += c;
    for (const auto& [n, c] : r->surfaces) surfaces[n] += c;
    for (const auto& [n, c] : r->roles) roles[n] += c;
    for (std::size_t t = 0; t < votes.size(); ++t) votes[t] += r->type_votes[t];
    docs.insert(docs.end(), r->documents.begin(), r->documents.end());
    a.mention_count += r->mentions;
  }
  // Most complete well-attested: among names seen at least max(2, best/4) times (or the best
  // count when none is), the one with most words (handles count none), then the most frequent,
  // then one that no merge made an alias of (the gazetteer's or the fuller form).
  // Attested means written: a form an article resolved many words to ("Josep Borrell Fontelles"
  // for every "I" of a quoted tweet) but wrote once is not well attested.
  auto written = [&](const std::string& n, std::uint32_t resolved) {
    const auto it = surfaces.find(n);
    return it == surfaces.end() ? resolved : std::min(resolved, it->second);
  };
  std::uint32_t best_count = 0;
  for (const auto& [n, c] : names) best_count = std::max(best_count, written(n, c));
  const std::uint32_t attested = std::min(best_count, std::max<std::uint32_t>(2, (best_count + 3) / 4));
  std::string best;
  auto words_of = [&](const std::string& n) { return n.starts_with('@') ? 0 : word_count(table.key_for(n)); };
  // A gazetteer variant ("US", "Kremlin") never names its entity when the entity's own name is there.
  auto gazetteer_variant = [&](const std::string& n) { return gazetteer_alias.contains(table.key_for(n)); };
  std::tuple<bool, std::size_t, std::uint32_t, bool> best_rank{};
  for (const auto& [n, c] : names) {
    if (written(n, c) < attested) continue;
    const std::tuple<bool, std::size_t, std::uint32_t, bool> rank{!gazetteer_variant(n), words_of(n), c,
                                                                  !merged_alias.contains(table.key_for(n))};
    if (best.empty() || rank > best_rank) best = n, best_rank = rank;
  }
  a.name = best;
  // Type: the majority; a tie goes to the type the canonical name was given.
  for (const auto* r : members)
    if (std::any_of(r->names.begin(), r->names.end(), [&](const auto& x) { return x.first == best; }))
      for (std::size_t t = 0; t < votes.size(); ++t) votes[t] = votes[t] * 2 + (r->type_votes[t] > 0 ? 1 : 0);
  a.type = majority_type(votes);
  a.roles = sorted_counts(roles);
  for (const auto& [n, c] : names) surfaces.try_emplace(n, 0);  // resolved names are aliases too
  a.aliases = sorted_counts(surfaces);
  sort_unique(docs);
  a.document_count = static_cast<std::uint32_t>(docs.size());
  return a;
}

// Surfaces only ever written for a fuller name: their first link in `why`.
void add_in_document_merges(const std::vector<const name_record*>& members, record_table& table,
                            std::vector<merge_reason>& merges) {
  for (const auto* r : members)
    for (const auto& [surface, c] : r->surfaces) {
      const auto& k = table.key_for(surface);
      if (k == r->key || table.record_of_key.contains(k)) continue;
      merges.push_back({surface, r->names.front().first, "in document", 0.0F,
                        std::string("written so ").append(std::to_string(c)).append(" time(s) where the article names ").append(r->names.front().first)});
    }
}

// Resolution step 4: one edge per (subject, label, object), evidence in statement order; a
// symmetric relation is stored in one direction; an actor acting on itself is an extraction
// artefact once merged and makes no edge. Keyed by (from, to, label id) packed in two words.
class edge_table {
public:
  explicit edge_table(graph_type& g) : g_(g) {}

  void add(const triple& t, std::uint32_t statement, vertex_id from, vertex_id to) {
    if (from == to) return;
    if (t.symmetric && to < from) std::swap(from, to);
    const auto label = label_of_.try_emplace(t.relation, label_of_.size()).first->second;
    auto [it, inserted] = edge_of_.try_emplace({(static_cast<std::uint64_t>(from) << 32) | to, label}, edge_id{});
    if (inserted) {
      it->second = boost::add_edge(from, to, g_).first;
      auto& r = g_[it->second];
      r.label = t.relation;
      r.relation_class = t.relation_class;
      r.symmetric = t.symmetric;
    }
    auto& r = g_[it->second];
    r.evidence.push_back({t.subject.document_id, t.sentence, t.sentence_text, t.relation_surface, t.date, t.confidence});
    r.statements.push_back(statement);
  }

private:
  struct key_hash {
    std::size_t operator()(const std::pair<std::uint64_t, std::uint64_t>& k) const {
      return std::hash<std::uint64_t>()(k.first * 0x9E3779B97F4A7C15ULL ^ k.second);
    }
  };
  graph_type& g_;
  std::unordered_map<std::pair<std::uint64_t, std::uint64_t>, edge_id, key_hash> edge_of_;
  std::unordered_map<std::string_view, std::uint64_t> label_of_;
};

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
  // 1. One record per distinct name key.
  std::unordered_map<std::string, std::uint32_t> document_index;
  for (std::uint32_t d = 0; d < documents_.size(); ++d) document_index.emplace(documents_[d].id, d);
  record_table table(user_rules_, [&](const std::string& id) {
    const auto it = document_index.find(id);
    return it == document_index.end() ? no_document : it->second;
  });
  std::vector<std::pair<std::uint32_t, std::uint32_t>> statement_records;
  statement_records.reserve(statements_.size());
  // Object before subject: the order records (hence actors) have always been numbered in, when
  // this was one emplace_back(add(subject), add(object)) that g++ evaluates right to left.
  for (const auto& t : statements_) {
    const auto object = table.add(t.object);
    statement_records.emplace_back(table.add(t.subject), object);
  }
  std::vector<std::uint32_t> mention_records;
  mention_records.reserve(mentions_.size());
  for (const auto& m : mentions_) mention_records.push_back(table.add_surface(m));
  table.finish();
  auto& records = table.records;

  // 2. The resolver's view of each record.
  std::vector<alias_record> input(records.size());
  std::unordered_map<std::string, std::uint32_t> label_ids;
  {
    // Each record's lists at their final size at once, not grown a statement at a time.
    std::vector<std::uint32_t> degree(records.size(), 0);
    for (const auto& [a, b] : statement_records)
      if (a != b) ++degree[a], ++degree[b];
    for (std::size_t i = 0; i < records.size(); ++i) {
      input[i].neighbours.reserve(degree[i]);
      input[i].relations.reserve(degree[i]);
    }
  }
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
    const auto& r = records[i];
    auto& in = input[i];
    in.key = r.key;
    in.name = r.names.front().first;
    for (const auto& [n, c] : r.names) in.spellings.push_back(n);
    for (const auto& [n, c] : r.surfaces) {
      in.spellings.push_back(n);
      auto k = table.key_for(n);
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
  std::vector<alias_record>().swap(input);  // the actors and edges below need the memory more
  merges_ = resolved.merges;
  resolve_stats_ = resolved.stats;

  // 3. One vertex per cluster.
  std::unordered_set<std::string> merged_alias, gazetteer_alias;
  for (const auto& m : merges_) merged_alias.insert(table.key_for(m.alias));
  for (std::size_t i = 0; i < records.size(); ++i)
    if (resolved.gazetteer_variant[i])
      for (const auto& [n, c] : records[i].names) gazetteer_alias.insert(table.key_for(n));
  graph_.clear();
  centralities_.reset();
  std::unordered_map<std::uint32_t, vertex_id> vertex_of_root;
  std::vector<vertex_id> vertex_of_record(records.size());
  std::vector<std::vector<const name_record*>> members;
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    auto [it, inserted] = vertex_of_root.try_emplace(resolved.cluster[i], 0);
    if (inserted) {
      it->second = boost::add_vertex(graph_);
      members.emplace_back();
    }
    vertex_of_record[i] = it->second;
    members[it->second].push_back(&records[i]);
  }
  name_index_.clear();
  for (vertex_id v = 0; v < members.size(); ++v) {
    graph_[v] = make_actor(members[v], table, merged_alias, gazetteer_alias);
    for (const auto& alias : graph_[v].aliases) name_index_.emplace_back(table.key_for(alias.text), v);
    add_in_document_merges(members[v], table, merges_);
  }
  std::sort(name_index_.begin(), name_index_.end());
  name_index_.erase(std::unique(name_index_.begin(), name_index_.end()), name_index_.end());
  name_added_.clear();
  name_replaced_.clear();

  // Where every mention went, for merge and split.
  statement_actors_.resize(statements_.size());
  for (std::size_t s = 0; s < statements_.size(); ++s)
    statement_actors_[s] = {static_cast<std::uint32_t>(vertex_of_record[statement_records[s].first]),
                            static_cast<std::uint32_t>(vertex_of_record[statement_records[s].second])};
  mention_actors_.resize(mentions_.size());
  for (std::size_t m = 0; m < mentions_.size(); ++m)
    mention_actors_[m] = mention_records[m] == no_record ? no_actor : static_cast<std::uint32_t>(vertex_of_record[mention_records[m]]);

  // 4. Edges.
  edge_table edges(graph_);
  for (std::size_t s = 0; s < statements_.size(); ++s)
    edges.add(statements_[s], static_cast<std::uint32_t>(s), statement_actors_[s].first, statement_actors_[s].second);
}

// What merge and split rebuild: actors whose mentions were reassigned in statement_actors_ and
// mention_actors_. Each gets a record table of its own mentions.
struct knowledge_graph::local_change {
  using actor_pair = std::pair<std::uint32_t, std::uint32_t>;
  std::vector<vertex_id> actors;  // ascending, unique
  std::map<vertex_id, record_table> tables;
  // The statements reassigned, each with its actors before the change: a record of the few
  // that change rather than a copy of statement_actors_ (300,000 pairs on 100,000 actors).
  // reassign() appends; sort_before() orders them by statement, keeping each one's first value.
  std::vector<std::pair<std::uint32_t, actor_pair>> before;
  void reassign(std::vector<actor_pair>& statement_actors, std::uint32_t s, actor_pair now) {
    before.emplace_back(s, statement_actors[s]);
    statement_actors[s] = now;
  }
  void sort_before() {
    std::stable_sort(before.begin(), before.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    before.erase(std::unique(before.begin(), before.end(), [](const auto& a, const auto& b) { return a.first == b.first; }), before.end());
  }
};

namespace {
// graph_change::origins: for each changed actor, the numbers its mentions had before the change
// (`before`: the statements reassigned, by statement; every other one kept its actors).
std::vector<graph_change::origin> origins_of(const std::vector<vertex_id>& changed_actors, std::size_t vertices,
                                             const std::vector<std::pair<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>>>& before,
                                             const std::vector<std::pair<std::uint32_t, std::uint32_t>>& after) {
  std::vector<char> changed(vertices, 0);
  for (auto v : changed_actors)
    if (v < vertices) changed[v] = 1;
  std::map<std::pair<vertex_id, vertex_id>, std::size_t> counts;
  auto reassigned = before.begin();
  for (std::size_t s = 0; s < after.size(); ++s) {
    while (reassigned != before.end() && reassigned->first < s) ++reassigned;
    const auto was = reassigned != before.end() && reassigned->first == s ? reassigned->second : after[s];
    if (after[s].first < vertices && changed[after[s].first]) ++counts[{after[s].first, was.first}];
    if (after[s].second < vertices && changed[after[s].second]) ++counts[{after[s].second, was.second}];
  }
  std::vector<graph_change::origin> out;
  out.reserve(counts.size());
  for (const auto& [key, n] : counts) out.push_back({key.first, key.second, n});
  return out;
}
}  // namespace

void knowledge_graph::rebuild_actors(local_change& change, const std::function<void(local_change&)>& before_naming) {
  const auto n = boost::num_vertices(graph_);
  std::vector<char> changed(n, 0);
  for (auto v : change.actors) changed[v] = 1;
  if (document_ids_.size() != documents_.size()) {
    document_ids_.clear();
    for (const auto& d : documents_) document_ids_.insert(d.id);
  }
  // Only whether two mentions share a document matters here, not the document's number.
  auto document_numbers = std::make_shared<std::unordered_map<std::string, std::uint32_t>>();
  auto document_index = [this, document_numbers](const std::string& id) {
    if (!document_ids_.contains(id)) return no_document;
    return document_numbers->try_emplace(id, static_cast<std::uint32_t>(document_numbers->size())).first->second;
  };
  for (auto v : change.actors) change.tables.try_emplace(v, user_rules_, document_index);
  // 1. The records of each actor, from its mentions in statement order, as resolve() sees them.
  for (std::size_t s = 0; s < statements_.size(); ++s) {
    const auto [from, to] = statement_actors_[s];
    if (changed[to]) change.tables.at(to).add(statements_[s].object);  // in resolve()'s order
    if (changed[from]) change.tables.at(from).add(statements_[s].subject);
  }
  for (std::size_t m = 0; m < mentions_.size(); ++m) {
    const auto v = mention_actors_[m];
    if (v == no_actor || !changed[v]) continue;
    if (change.tables.at(v).add_surface(mentions_[m]) == no_record) mention_actors_[m] = no_actor;
  }
  for (auto& [v, table] : change.tables) table.finish();
  if (before_naming) before_naming(change);
  // 3. The actors, named as resolve() names them.
  if (!alias_data_) alias_data_ = alias_data::default_data();
  std::unordered_set<std::string> merged_alias, gazetteer_alias;
  for (const auto& m : merges_)
    if (m.rule != "in document") merged_alias.insert(name_key(m.alias));
  std::vector<std::pair<std::string, vertex_id>> added;
  for (auto& [v, table] : change.tables) {
    std::vector<const name_record*> members;
    for (const auto& r : table.records) {
      members.push_back(&r);
      const auto entity = gazetteer_entity(*alias_data_, r.key, majority_type(r.type_votes) == actor_type::person);
      if (!entity.empty() && entity != r.key)
        for (const auto& [name, c] : r.names) gazetteer_alias.insert(table.key_for(name));
    }
    if (members.empty()) continue;  // left without mentions: the caller removes it
    graph_[v] = make_actor(members, table, merged_alias, gazetteer_alias);
    for (const auto& alias : graph_[v].aliases) added.emplace_back(table.key_for(alias.text), v);
  }
  // The name index: these actors' entries in name_index_ are void from now on, their names now
  // replace those they had in the delta.
  std::vector<vertex_id> replaced;
  replaced.reserve(name_replaced_.size() + change.actors.size());
  std::set_union(name_replaced_.begin(), name_replaced_.end(), change.actors.begin(), change.actors.end(), std::back_inserter(replaced));
  name_replaced_ = std::move(replaced);
  std::erase_if(name_added_, [&](const auto& entry) { return entry.second >= n || changed[entry.second] != 0; });
  std::sort(added.begin(), added.end());
  added.erase(std::unique(added.begin(), added.end()), added.end());
  const auto kept = static_cast<std::ptrdiff_t>(name_added_.size());
  name_added_.insert(name_added_.end(), std::make_move_iterator(added.begin()), std::make_move_iterator(added.end()));
  std::inplace_merge(name_added_.begin(), name_added_.begin() + kept, name_added_.end());
  if (name_added_.size() + name_replaced_.size() > name_compact_after) compact_name_index();
  // 4. The relations: only the statements whose actors changed move from edge to edge.
  change.sort_before();
  move_statements(change.before);
  centralities_.reset();
}

void knowledge_graph::compact_name_index() {
  std::erase_if(name_index_, [&](const auto& entry) {
    return std::binary_search(name_replaced_.begin(), name_replaced_.end(), entry.second);
  });
  std::vector<std::pair<std::string, vertex_id>> index;
  index.reserve(name_index_.size() + name_added_.size());
  std::merge(std::make_move_iterator(name_index_.begin()), std::make_move_iterator(name_index_.end()),
             std::make_move_iterator(name_added_.begin()), std::make_move_iterator(name_added_.end()), std::back_inserter(index));
  name_index_ = std::move(index);
  name_added_.clear();
  name_replaced_.clear();
}

std::vector<vertex_id> knowledge_graph::actors_named(const std::string& key) const {
  std::vector<vertex_id> out;
  for (auto it = std::lower_bound(name_index_.begin(), name_index_.end(), std::make_pair(key, vertex_id{0}));
       it != name_index_.end() && it->first == key; ++it)
    if (!std::binary_search(name_replaced_.begin(), name_replaced_.end(), it->second)) out.push_back(it->second);
  const auto from_base = static_cast<std::ptrdiff_t>(out.size());
  for (auto it = std::lower_bound(name_added_.begin(), name_added_.end(), std::make_pair(key, vertex_id{0}));
       it != name_added_.end() && it->first == key; ++it)
    out.push_back(it->second);
  std::inplace_merge(out.begin(), out.begin() + from_base, out.end());  // the two parts name different actors
  return out;
}

std::size_t knowledge_graph::name_count() const {
  if (name_replaced_.empty()) return name_index_.size() + name_added_.size();
  const auto live = std::count_if(name_index_.begin(), name_index_.end(), [&](const auto& entry) {
    return !std::binary_search(name_replaced_.begin(), name_replaced_.end(), entry.second);
  });
  return static_cast<std::size_t>(live) + name_added_.size();
}

void knowledge_graph::for_each_name(const std::function<void(const std::string&, vertex_id)>& visit) const {
  // A merge of the two sorted parts, as compact_name_index() would make them.
  auto base = name_index_.begin();
  auto added = name_added_.begin();
  while (true) {
    while (base != name_index_.end() && std::binary_search(name_replaced_.begin(), name_replaced_.end(), base->second)) ++base;
    if (base == name_index_.end() && added == name_added_.end()) break;
    const bool from_base = added == name_added_.end() || (base != name_index_.end() && *base < *added);
    const auto& entry = from_base ? *base++ : *added++;
    visit(entry.first, entry.second);
  }
}

void knowledge_graph::move_statements(const std::vector<std::pair<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>>>& before) {
  std::vector<std::pair<std::uint32_t, std::pair<std::uint32_t, std::uint32_t>>> moved;  // (statement, its actors before)
  for (const auto& [s, was] : before)
    if (was != statement_actors_[s]) moved.emplace_back(s, was);
  // An edge by (from, to, label), as resolve() keys them (edge_table), found among the edges of
  // whichever end has fewer (a hub's neighbours may be hubs: indexing all their edges would cost
  // more than the move), and remembered. The label views point into statements_.
  using key = std::tuple<vertex_id, vertex_id, std::string_view>;
  struct key_hash {
    std::size_t operator()(const key& k) const {
      // splitmix64's finaliser: std::hash of an integer is the integer itself.
      std::uint64_t x = (static_cast<std::uint64_t>(std::get<0>(k)) << 32) ^ std::get<1>(k);
      x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
      x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
      return static_cast<std::size_t>(x ^ (x >> 31)) ^ std::hash<std::string_view>()(std::get<2>(k));
    }
  };
  std::unordered_map<key, edge_id, key_hash> edge_of;
  auto find_edge = [&](const key& k) -> std::optional<edge_id> {
    if (const auto it = edge_of.find(k); it != edge_of.end()) return it->second;
    const auto& [from, to, label] = k;
    std::optional<edge_id> found;
    if (boost::out_degree(from, graph_) <= boost::in_degree(to, graph_)) {
      for (auto e : boost::make_iterator_range(boost::out_edges(from, graph_)))
        if (boost::target(e, graph_) == to && graph_[e].label == label) found = e;
    } else {
      for (auto e : boost::make_iterator_range(boost::in_edges(to, graph_)))
        if (boost::source(e, graph_) == from && graph_[e].label == label) found = e;
    }
    if (found) edge_of.emplace(k, *found);
    return found;
  };
  auto key_for = [&](std::uint32_t s, std::pair<std::uint32_t, std::uint32_t> actors) -> std::optional<key> {
    auto [from, to] = actors;
    if (from == to) return std::nullopt;  // an actor acting on itself makes no edge
    if (statements_[s].symmetric && to < from) std::swap(from, to);
    return key{from, to, statements_[s].relation};
  };
  // Out of the old edges (evidence is in statement order: binary search), then into the new.
  std::vector<edge_id> emptied;
  for (const auto& [s, was] : moved) {
    const auto k = key_for(s, was);
    if (!k) continue;
    const auto e = find_edge(*k);
    if (!e) throw error("merge/split: a statement's relation is missing from the graph");  // an inconsistent graph file
    auto& r = graph_[*e];
    const auto at = std::lower_bound(r.statements.begin(), r.statements.end(), s) - r.statements.begin();
    r.statements.erase(r.statements.begin() + at);
    r.evidence.erase(r.evidence.begin() + at);
    if (r.statements.empty()) emptied.push_back(*e);
  }
  for (const auto& [s, was] : moved) {
    const auto k = key_for(s, statement_actors_[s]);
    if (!k) continue;
    const auto& t = statements_[s];
    auto e = find_edge(*k);
    if (!e) {
      e = boost::add_edge(std::get<0>(*k), std::get<1>(*k), graph_).first;
      auto& r = graph_[*e];
      r.label = t.relation;
      r.relation_class = t.relation_class;
      r.symmetric = t.symmetric;
      edge_of.emplace(*k, *e);
    }
    auto& r = graph_[*e];
    const auto at = std::lower_bound(r.statements.begin(), r.statements.end(), s) - r.statements.begin();
    r.statements.insert(r.statements.begin() + at, s);
    r.evidence.insert(r.evidence.begin() + at, {t.subject.document_id, t.sentence, t.sentence_text, t.relation_surface, t.date, t.confidence});
  }
  // Emptied edges go in one pass over the edge lists of their busier end: one by one, each
  // removal would search a hub's list of thousands.
  std::vector<vertex_id> sweep;
  for (const auto& e : emptied) {
    if (!graph_[e].statements.empty()) continue;  // refilled
    const auto u = boost::source(e, graph_), v = boost::target(e, graph_);
    const auto busy = [&](vertex_id x) { return boost::out_degree(x, graph_) + boost::in_degree(x, graph_); };
    sweep.push_back(busy(u) >= busy(v) ? u : v);
  }
  std::sort(sweep.begin(), sweep.end());
  sweep.erase(std::unique(sweep.begin(), sweep.end()), sweep.end());
  const auto empty = [&](const edge_id& e) { return graph_[e].statements.empty(); };
  for (auto v : sweep) {
    boost::remove_out_edge_if(v, empty, graph_);
    boost::remove_in_edge_if(v, empty, graph_);
  }
}

std::size_t knowledge_graph::vacate(std::vector<vertex_id> gone, local_change& change) {
  std::sort(gone.begin(), gone.end(), std::greater<>());
  auto n = boost::num_vertices(graph_);
  for (auto v : gone) {
    const auto last = static_cast<std::uint32_t>(--n), into = static_cast<std::uint32_t>(v);
    change.actors.push_back(v);
    change.actors.push_back(last);
    for (auto& x : mention_actors_)  // a mention whose name no statement keeps
      if (x == into) x = no_actor;
    if (into == last) continue;
    for (std::uint32_t s = 0; s < statement_actors_.size(); ++s) {
      const auto [from, to] = statement_actors_[s];
      if (from == last || to == last) change.reassign(statement_actors_, s, {from == last ? into : from, to == last ? into : to});
    }
    for (auto& x : mention_actors_)
      if (x == last) x = into;
  }
  std::sort(change.actors.begin(), change.actors.end());
  change.actors.erase(std::unique(change.actors.begin(), change.actors.end()), change.actors.end());
  return gone.size();
}

void knowledge_graph::drop_last_vertices(std::size_t count) {
  for (; count > 0; --count) {
    const auto last = boost::num_vertices(graph_) - 1;
    boost::clear_vertex(last, graph_);
    boost::remove_vertex(last, graph_);  // the last vertex: no other vertex or edge is renumbered
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

graph_change knowledge_graph::merge(std::string_view a, std::string_view b) {
  const auto va = find_actor(a), vb = find_actor(b);
  for (auto [name, v] : {std::pair{a, va}, {b, vb}})
    if (!v) throw error(std::string("merge: no actor is named '").append(name).append("'"));
  const auto ka = name_key(a), kb = name_key(b);
  auto contradicted = [&](const user_rule& r) {
    if (r.what != user_rule::kind::distinct) return false;
    const auto ra = name_key(r.a), rb = name_key(r.b);
    return (ra == ka && rb == kb) || (ra == kb && rb == ka);
  };
  if (*va != *vb) {
    // A `distinct` rule between other names of the two actors would keep those names apart in
    // every later resolve(), whatever this merge says: refuse rather than make a graph the next
    // build undoes.
    auto keys_of = [&](vertex_id v) {
      std::unordered_set<std::string> keys;
      for (const auto& alias : graph_[v].aliases) keys.insert(name_key(alias.text));
      return keys;
    };
    const auto keys_a = keys_of(*va), keys_b = keys_of(*vb);
    for (const auto& r : user_rules_) {
      if (r.what != user_rule::kind::distinct || contradicted(r)) continue;
      const auto ra = name_key(r.a), rb = name_key(r.b);
      if ((keys_a.contains(ra) && keys_b.contains(rb)) || (keys_a.contains(rb) && keys_b.contains(ra)))
        throw error("merge: a 'distinct' rule keeps '" + r.a + "' and '" + r.b + "' apart; split one of them first");
    }
  }
  std::erase_if(user_rules_, contradicted);
  add_rule({user_rule::kind::same, std::string(a), std::string(b)});
  if (*va == *vb) return {};
  if (statement_actors_.size() != statements_.size() || mention_actors_.size() != mentions_.size()) {
    resolve();  // documents were added since the last resolution: nothing to be incremental about
    return {{}, true, {}};
  }
  // The actor with more relations takes the other's mentions (fewer statements move); the other
  // goes, and the last actor takes its number.
  const auto degree = [&](vertex_id v) { return boost::out_degree(v, graph_) + boost::in_degree(v, graph_); };
  const bool a_stays = degree(*va) > degree(*vb) || (degree(*va) == degree(*vb) && *va < *vb);
  const auto keep = static_cast<std::uint32_t>(a_stays ? *va : *vb), gone = static_cast<std::uint32_t>(a_stays ? *vb : *va);
  local_change change;
  for (std::uint32_t s = 0; s < statement_actors_.size(); ++s) {
    const auto [from, to] = statement_actors_[s];
    if (from == gone || to == gone) change.reassign(statement_actors_, s, {from == gone ? keep : from, to == gone ? keep : to});
  }
  for (auto& v : mention_actors_)
    if (v == gone) v = keep;
  change.actors = {keep};
  const auto dropped = vacate({gone}, change);
  rebuild_actors(change, [&](local_change& c) {
    // The link `why` shows, between the records the names denote, as resolve() writes it.
    auto& table = c.tables.at(keep);
    auto record_name = [&](std::string_view name, const std::string& key) {
      auto it = table.record_of_key.find(key);
      if (it == table.record_of_key.end())
        for (std::uint32_t i = 0; i < table.records.size() && it == table.record_of_key.end(); ++i)
          for (const auto& [surface, n] : table.records[i].surfaces)
            if (table.key_for(surface) == key) {
              it = table.record_of_key.find(table.records[i].key);
              break;
            }
      return it == table.record_of_key.end() ? std::string(name) : table.records[it->second].names.front().first;
    };
    merges_.push_back({record_name(a, ka), record_name(b, kb), "user same", 1.0F, "merged by the user (alias file or REPL merge)"});
  });
  drop_last_vertices(dropped);
  auto origins = origins_of(change.actors, boost::num_vertices(graph_), change.before, statement_actors_);
  return {std::move(change.actors), false, std::move(origins)};
}

graph_change knowledge_graph::split(std::string_view alias) {
  if (!find_actor(alias)) throw error(std::string("split: no actor is named '").append(alias).append("'"));
  const auto k = name_key(alias);
  std::erase_if(user_rules_, [&](const user_rule& r) {
    return r.what == user_rule::kind::same && (name_key(r.a) == k || name_key(r.b) == k);
  });
  add_rule({user_rule::kind::split, std::string(alias), ""});
  if (statement_actors_.size() != statements_.size() || mention_actors_.size() != mentions_.size()) {
    resolve();
    return {{}, true, {}};
  }
  // The actors holding a name or surface form with this key hold every mention that now forms
  // its record: those whose surface or name has the key (record_table::record_key).
  const auto n = boost::num_vertices(graph_);
  std::vector<char> holder(n, 0);
  const auto holders = actors_named(k);
  for (auto v : holders) holder[v] = 1;
  record_table keys(user_rules_, [](const std::string&) { return no_document; });
  std::vector<std::pair<std::size_t, bool>> moved;  // (statement, object side)
  std::vector<std::size_t> staying(n, 0);
  for (std::size_t s = 0; s < statements_.size(); ++s) {
    const auto [from, to] = statement_actors_[s];
    for (const bool object : {false, true}) {
      const auto v = object ? to : from;
      if (!holder[v]) continue;
      if (keys.record_key(object ? statements_[s].object : statements_[s].subject) == k) moved.emplace_back(s, object);
      else ++staying[v];
    }
  }
  if (moved.empty()) return {};  // no statement names it on its own: nothing to take out
  // The new actor: an actor all of whose mentions leave already is it; else a new vertex.
  vertex_id target = n;
  std::vector<vertex_id> emptied;
  for (auto v : holders) {
    if (staying[v] != 0) continue;
    if (target == n) target = v;
    else emptied.push_back(v);
  }
  if (holders.size() == 1 && target == holders.front()) return {};  // already an actor of its own
  if (target == n) target = boost::add_vertex(graph_);
  const auto w = static_cast<std::uint32_t>(target);
  local_change change;
  for (const auto& [s, object] : moved) {
    auto now = statement_actors_[s];
    (object ? now.second : now.first) = w;
    change.reassign(statement_actors_, static_cast<std::uint32_t>(s), now);
  }
  for (std::size_t m = 0; m < mentions_.size(); ++m) {
    auto& v = mention_actors_[m];
    if ((v == no_actor || (v < n && holder[v])) && keys.key_for(mentions_[m].name) == k) v = w;
  }
  // Links that merged the name automatically no longer hold: a split name is merged by no rule.
  std::erase_if(merges_, [&](const merge_reason& m) { return keys.key_for(m.alias) == k || keys.key_for(m.target) == k; });
  change.actors = holders;
  change.actors.push_back(target);
  // Other holders whose every mention left are gone.
  const auto dropped = vacate(std::move(emptied), change);
  rebuild_actors(change, {});
  drop_last_vertices(dropped);
  auto origins = origins_of(change.actors, boost::num_vertices(graph_), change.before, statement_actors_);
  return {std::move(change.actors), false, std::move(origins)};
}

void knowledge_graph::set_centralities(centrality_scores scores) {
  const auto n = boost::num_vertices(graph_);
  if (scores.pagerank.size() != n || scores.betweenness.size() != n)
    throw error("centralities of " + std::to_string(scores.pagerank.size()) + " actors for a graph of " + std::to_string(n));
  centralities_ = std::move(scores);
}

std::optional<vertex_id> knowledge_graph::find_actor(std::string_view name) const {
  const auto actors = actors_named(name_key(name));
  if (actors.empty()) return std::nullopt;
  return actors.front();
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
