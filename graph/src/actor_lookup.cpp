// Forgiving actor lookup: the names analysts type are partial, unaccented and misspelt
// ("lavrow", "borrel"), so exact keys come first and edit distance only as a last resort.
#include <algorithm>
#include <iterator>
#include <set>
#include <tuple>

#include "newsgraph/query.h"

namespace newsgraph {

std::size_t osa_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::size_t gap = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (gap > limit) return limit + 1;
  // Three rows: the transposition case looks two rows back.
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    std::size_t row_min = current[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      std::size_t d = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d = std::min(d, before[j - 2] + 1);
      current[j] = d;
      row_min = std::min(row_min, d);
    }
    if (row_min > limit) return limit + 1;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[b.size()], limit + 1);
}

namespace {

std::vector<std::string_view> words_of(std::string_view key) {
  std::vector<std::string_view> out;
  while (!key.empty()) {
    const auto space = key.find(' ');
    out.push_back(key.substr(0, space));
    if (space == std::string_view::npos) break;
    key.remove_prefix(space + 1);
  }
  return out;
}

// Edits forgiven in a key of this many bytes: none in short keys, where one edit makes another word.
std::size_t allowed_edits(std::size_t length) { return length < 4 ? 0 : length < 8 ? 1 : 2; }

// The entries whose key equals `key` (the vector is sorted by key).
template <class Entry>
std::pair<typename std::vector<Entry>::const_iterator, typename std::vector<Entry>::const_iterator> equal_keys(
    const std::vector<Entry>& index, std::string_view key) {
  return std::equal_range(index.begin(), index.end(), key, [](const auto& a, const auto& b) {
    if constexpr (std::is_same_v<std::decay_t<decltype(a)>, std::string_view>) return a < std::string_view(b.key);
    else return std::string_view(a.key) < b;
  });
}

}  // namespace

void actor_lookup::add_keys(vertex_id v, std::vector<name_entry>& names, std::vector<word_entry>& words) const {
  const auto& a = graph_->graph()[v];
  auto key = name_key(a.name);
  for (std::uint32_t i = 0; i < a.aliases.size(); ++i) {
    if (a.aliases[i].text == a.name) continue;
    auto alias_key = name_key(a.aliases[i].text);
    if (!alias_key.empty() && alias_key != key) names.push_back({std::move(alias_key), v, i});
  }
  const auto w = words_of(key);
  if (w.size() >= 2)
    for (std::size_t i = 0; i < w.size(); ++i) {
      const bool surname = i + 1 == w.size() && a.type == actor_type::person;
      if (surname || w[i].size() >= 4) words.push_back({std::string(w[i]), v, surname});
    }
  names.push_back({std::move(key), v, name_alias});
}

namespace {
bool by_key(const auto& a, const auto& b) { return a.key < b.key; }
// Names in the total order of actor_lookup::part.
template <class Entry>
bool name_order(const Entry& a, const Entry& b) {
  return std::tie(a.key, a.actor, a.alias) < std::tie(b.key, b.actor, b.alias);
}
}  // namespace

actor_lookup::actor_lookup(const knowledge_graph& g, std::size_t compact_after) : graph_(&g), compact_after_(compact_after) {
  const auto& graph = g.graph();
  base_.names.reserve(boost::num_vertices(graph) * 2);
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) add_keys(v, base_.names, base_.words);
  std::sort(base_.names.begin(), base_.names.end(), name_order<name_entry>);
  std::sort(base_.words.begin(), base_.words.end(), by_key<word_entry, word_entry>);
  index_fuzzy(base_);
}

void actor_lookup::index_fuzzy(part& p) {
  p.by_length.clear();
  auto add_fuzzy = [&](std::string_view key, vertex_id v, bool surname) {
    if (key.size() < 4) return;
    if (p.by_length.size() <= key.size()) p.by_length.resize(key.size() + 1);
    p.by_length[key.size()].push_back({key, v, surname});
  };
  for (const auto& e : p.names) add_fuzzy(e.key, e.actor, false);
  for (const auto& e : p.words)
    if (e.surname) add_fuzzy(e.key, e.actor, true);
}

bool actor_lookup::live(const part& p, vertex_id v) const {
  return &p != &base_ || !std::binary_search(replaced_.begin(), replaced_.end(), v);
}

void actor_lookup::update(const std::vector<vertex_id>& actors) {
  std::vector<vertex_id> changed(actors);
  std::sort(changed.begin(), changed.end());
  changed.erase(std::unique(changed.begin(), changed.end()), changed.end());
  std::vector<vertex_id> replaced;
  replaced.reserve(replaced_.size() + changed.size());
  std::set_union(replaced_.begin(), replaced_.end(), changed.begin(), changed.end(), std::back_inserter(replaced));
  replaced_ = std::move(replaced);
  // The delta's keys of these actors are out of date too; numbers past the last vertex were
  // removed and get none.
  auto is_changed = [&](const auto& e) { return std::binary_search(changed.begin(), changed.end(), e.actor); };
  std::erase_if(delta_.names, is_changed);
  std::erase_if(delta_.words, is_changed);
  const auto kept_names = delta_.names.size(), kept_words = delta_.words.size();
  const auto n = boost::num_vertices(graph_->graph());
  for (auto v : changed)
    if (v < n) add_keys(v, delta_.names, delta_.words);
  auto sort_added = [](auto& entries, std::size_t kept, auto order) {
    const auto middle = entries.begin() + static_cast<std::ptrdiff_t>(kept);
    std::sort(middle, entries.end(), order);
    std::inplace_merge(entries.begin(), middle, entries.end(), order);
  };
  sort_added(delta_.names, kept_names, name_order<name_entry>);
  sort_added(delta_.words, kept_words, by_key<word_entry, word_entry>);
  if (delta_.names.size() + delta_.words.size() + replaced_.size() > compact_after_) compact();
  else index_fuzzy(delta_);
}

void actor_lookup::compact() {
  // Sorted lists merged in linear time; the fuzzy buckets point into them, so they follow.
  auto fold = [&](auto& base, auto& delta, auto order) {
    std::erase_if(base, [&](const auto& e) { return !live(base_, e.actor); });
    std::remove_reference_t<decltype(base)> out;
    out.reserve(base.size() + delta.size());
    std::merge(std::make_move_iterator(base.begin()), std::make_move_iterator(base.end()), std::make_move_iterator(delta.begin()),
               std::make_move_iterator(delta.end()), std::back_inserter(out), order);
    base = std::move(out);
  };
  fold(base_.names, delta_.names, name_order<name_entry>);
  fold(base_.words, delta_.words, by_key<word_entry, word_entry>);
  delta_ = {};
  replaced_.clear();
  index_fuzzy(base_);
}

std::string_view actor_lookup::text_of(const name_entry& e) const {
  const auto& a = graph_->graph()[e.actor];
  return e.alias == name_alias ? std::string_view(a.name) : std::string_view(a.aliases[e.alias].text);
}

actor_match actor_lookup::match(std::string_view name) const {
  const auto key = name_key(name);
  actor_match result;
  if (key.empty()) return result;
  const auto& graph = graph_->graph();
  auto finish = [&](match_kind kind, std::vector<vertex_id> found) {
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::sort(found.begin(), found.end(), [&](vertex_id x, vertex_id y) {
      if (graph[x].mention_count != graph[y].mention_count) return graph[x].mention_count > graph[y].mention_count;
      return graph[x].name < graph[y].name;
    });
    result.kind = kind;
    result.candidates = std::move(found);
    return result;
  };
  const part* parts[] = {&base_, &delta_};
  {
    std::vector<vertex_id> by_name, by_alias;
    for (const auto* p : parts) {
      const auto [first, last] = equal_keys(p->names, key);
      for (auto it = first; it != last; ++it)
        if (live(*p, it->actor)) (it->alias == name_alias ? by_name : by_alias).push_back(it->actor);
    }
    if (!by_name.empty()) return finish(match_kind::name, by_name);
    if (!by_alias.empty()) return finish(match_kind::alias, by_alias);
  }
  {
    std::vector<vertex_id> surname, word;
    for (const auto* p : parts) {
      const auto [first, last] = equal_keys(p->words, key);
      for (auto it = first; it != last; ++it)
        if (live(*p, it->actor)) (it->surname ? surname : word).push_back(it->actor);
    }
    if (!surname.empty()) return finish(match_kind::surname, surname);
    if (!word.empty() && key.size() >= 4) return finish(match_kind::word, word);
  }

  const std::size_t limit = allowed_edits(key.size());
  if (limit == 0) return result;
  // The closest keys win; at equal distance a whole name or alias beats a surname, as in the
  // exact tiers ("lavrow" is the alias Lavrov before it is the surname of a longer name).
  std::pair<std::size_t, bool> best{limit + 1, true};
  std::vector<vertex_id> found;
  const std::size_t low = key.size() > limit ? key.size() - limit : 0;
  for (const auto* p : parts)
    for (std::size_t length = low; length <= key.size() + limit && length < p->by_length.size(); ++length)
      for (const auto& candidate : p->by_length[length]) {
        const auto d = osa_distance(key, candidate.key, std::min(best.first, limit));
        if (d > limit || !live(*p, candidate.actor)) continue;
        const std::pair<std::size_t, bool> rank{d, candidate.surname};
        if (rank < best) best = rank, found.clear();
        if (rank == best) found.push_back(candidate.actor);
      }
  if (found.empty()) return result;
  return finish(match_kind::fuzzy, found);
}

vertex_id actor_lookup::find(std::string_view name) const {
  const auto m = match(name);
  if (m.candidates.size() == 1) return m.candidates.front();
  if (m.candidates.empty()) throw query_error("no actor named '" + std::string(name) + "' (try 'actors')");
  const auto& graph = graph_->graph();
  constexpr std::size_t shown = 8;
  std::string message = "'";
  message.append(name).append("' is ambiguous: ");
  const std::size_t n = std::min(shown, m.candidates.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i > 0) message.append(i + 1 == n && m.candidates.size() <= shown ? " or " : ", ");
    message.append(graph[m.candidates[i]].name);
  }
  if (m.candidates.size() > shown) message.append(" and ").append(std::to_string(m.candidates.size() - shown)).append(" more");
  message.append(" (quote the full name)");
  throw query_error(message);
}

std::vector<std::string> actor_lookup::complete(std::string_view prefix, std::size_t limit) const {
  const auto key = name_key(prefix);
  // name_key drops a trailing space; keep it, or "sergey " would also offer "Sergeyev".
  const std::string wanted = !prefix.empty() && prefix.back() == ' ' && !key.empty() ? key + ' ' : key;
  std::set<std::string> out;
  // The base's live names and the delta's, walked in one order as if they were one list.
  auto from = [&](const part& p) {
    return std::lower_bound(p.names.begin(), p.names.end(), wanted, [](const auto& e, const std::string& k) { return e.key < k; });
  };
  auto b = from(base_), d = from(delta_);
  auto wanted_at = [&](auto it, const part& p) { return it != p.names.end() && it->key.starts_with(wanted); };
  while (out.size() < limit) {
    while (wanted_at(b, base_) && !live(base_, b->actor)) ++b;
    const bool in_base = wanted_at(b, base_), in_delta = wanted_at(d, delta_);
    if (!in_base && !in_delta) break;
    const bool base_first = in_base && (!in_delta || name_order(*b, *d));
    out.emplace(text_of(base_first ? *b++ : *d++));
  }
  return {out.begin(), out.end()};
}

}  // namespace newsgraph
