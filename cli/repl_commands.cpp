// The REPL commands: each reads its arguments, asks the query_engine, and writes one result as
// text or JSON (repl_output.h). Errors are command_error (or query_error, turned into one).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iomanip>
#include <set>
#include <sstream>

#include "newsgraph/export.h"
#include "repl.h"
#include "repl_output.h"

namespace newsgraph::cli {

namespace {

void require_positional(const arguments& args, std::size_t n, std::string_view usage) {
  if (args.positional.size() != n) throw command_error("usage: " + std::string(usage));
}

std::string name_of_rest(const arguments& args, std::string_view usage) {
  if (args.positional.empty()) throw command_error("usage: " + std::string(usage));
  return args.joined();
}

std::int64_t count_of(const relation& r) { return static_cast<std::int64_t>(r.count()); }

// merge and split belong to the alias-merging work on knowledge_graph; until a build has them,
// the commands say so instead of failing to compile.
template <class Graph>
graph_change merge_actors(Graph& g, std::string_view a, std::string_view b) {
  if constexpr (requires { g.merge(a, b); }) return g.merge(a, b);
  else throw command_error("merge is not available in this build (knowledge_graph::merge is missing)");
}
template <class Graph>
graph_change split_alias(Graph& g, std::string_view alias) {
  if constexpr (requires { g.split(alias); }) return g.split(alias);
  else throw command_error("split is not available in this build (knowledge_graph::split is missing)");
}

// export FORMAT FILE: written to a temporary file beside FILE, then renamed over it, so that a
// failed or killed export never leaves half a file under the name (as graph files are written).
// A folder of files (csv) and a FILE that is not a plain file (/dev/stdout, a pipe, a link) are
// written in place.
void export_atomically(const knowledge_graph& g, export_format format, const std::string& file) {
  std::ostringstream unused;
  struct stat st{};
  if (format == export_format::csv || (::lstat(file.c_str(), &st) == 0 && !S_ISREG(st.st_mode))) {
    export_graph(g, format, file, unused);
    return;
  }
  const std::string temporary = file + ".tmp." + std::to_string(::getpid());
  try {
    export_graph(g, format, temporary, unused);
  } catch (const export_error& e) {
    ::unlink(temporary.c_str());
    // The user named FILE, not the temporary file.
    std::string message = e.what();
    for (auto at = message.find(temporary); at != std::string::npos; at = message.find(temporary, at + file.size()))
      message.replace(at, temporary.size(), file);
    throw export_error(message);
  } catch (...) {
    ::unlink(temporary.c_str());
    throw;
  }
  if (std::rename(temporary.c_str(), file.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    throw export_error(file + ": cannot replace: " + reason);
  }
}

std::string usage_of(const repl_session::command& c) {
  std::string usage(c.name);
  if (!c.arguments.empty()) usage.append(" ").append(c.arguments);
  for (const auto& f : c.flags) {
    usage.append(" [").append(f.name);
    if (!f.value.empty()) usage.append(" ").append(f.value);
    usage.append("]");
  }
  return usage;
}

}  // namespace

vertex_id repl_session::resolve_actor(std::string_view name) const {
  try {
    return engine().find(name);
  } catch (const query_error& e) {
    throw command_error(e.what());
  }
}

// Two names: two words (quoted when of several words), or unquoted words that split into two
// known names in exactly one way (`path Antony Blinken Sergey Lavrov`).
std::pair<vertex_id, vertex_id> repl_session::resolve_two(const arguments& args, std::string_view usage) const {
  const auto& p = args.positional;
  if (p.size() == 2) return {resolve_actor(p[0].text), resolve_actor(p[1].text)};
  const std::string message = "usage: " + std::string(usage) + " (quote names of several words: \"Sergey Lavrov\")";
  if (p.size() < 2 || std::any_of(p.begin(), p.end(), [](const query_word& w) { return w.quoted; }))
    throw command_error(message);
  auto words = [&](std::size_t from, std::size_t to) {
    std::string s;
    for (std::size_t i = from; i < to; ++i) s.append(s.empty() ? "" : " ").append(p[i].text);
    return s;
  };
  auto exactly_one = [&](const std::string& name) -> std::optional<vertex_id> {
    const auto m = engine().lookup().match(name);
    if (m.kind == match_kind::fuzzy || m.candidates.size() != 1) return std::nullopt;
    return m.candidates.front();
  };
  std::optional<std::pair<vertex_id, vertex_id>> found;
  for (std::size_t split = 1; split < p.size(); ++split) {
    const auto a = exactly_one(words(0, split)), b = exactly_one(words(split, p.size()));
    if (!a || !b) continue;
    if (found) throw command_error(message);  // two readings: refuse to guess
    found.emplace(*a, *b);
  }
  if (!found) throw command_error(message);
  return *found;
}

// After merge or split: the indexes follow the few actors that changed (a whole new engine
// would re-read 100,000 actors: a tenth of a second), and the centralities, which change
// everywhere, are computed again on another thread while the user reads.
void repl_session::after_change(const graph_change& change, std::string_view what) {
  if (change.whole) engine_.reset();
  else engine_->update(change);
  engine().compute_centralities_in_background();
  ++changes_;  // a save started before this one no longer holds the session's state
  last_change_ = what;
  unsaved_ = true;
}

// A merge or split refused (a `distinct` rule) left the graph as it was: the computation
// stop_background() cancelled starts again, or the next ranking would wait for it.
graph_change repl_session::change_or_restart(const std::function<graph_change()>& change) {
  try {
    return change();
  } catch (...) {
    engine().compute_centralities_in_background();
    throw;
  }
}

void repl_session::cmd_help(const arguments& args, reply& r) {
  if (args.positional.size() > 1) throw command_error("usage: help [COMMAND]");
  std::vector<const command*> shown;
  for (const auto& c : commands())
    if (args.positional.empty() || c.name == args.positional[0].text) shown.push_back(&c);
  if (shown.empty()) throw command_error("no command named '" + args.positional[0].text + "'");
  if (r.json) {
    r.json->begin_array();
    for (const auto* c : shown)
      r.json->begin_object().key("name").string(c->name).key("usage").string(usage_of(*c)).key("summary").string(c->summary).end_object();
    r.json->end_array();
    return;
  }
  for (const auto* c : shown) {
    std::string usage(c->name);
    if (!c->arguments.empty()) usage.append(" ").append(c->arguments);
    r.out << std::left << std::setw(20) << usage << (usage.size() < 20 ? "" : " ") << c->summary << '\n';
    if (!c->flags.empty()) {
      std::string options;
      for (const auto& f : c->flags) {
        options.append(options.empty() ? "" : ", ").append(f.name);
        if (!f.value.empty()) options.append(" ").append(f.value);
      }
      r.out << std::setw(20) << "" << "options: " << options << '\n';
    }
  }
  if (args.positional.empty())
    r.out << std::setw(20) << "?x REL B [. ...]"
          << "triple patterns: ?variables join across patterns (?x meet ?y . ?y accuse Russia)\n";
}

void repl_session::cmd_stats(const arguments& args, reply& r) {
  require_positional(args, 0, "stats");
  const auto& g = graph_.graph();
  const std::pair<const char*, std::int64_t> figures[] = {
      {"documents", static_cast<std::int64_t>(graph_.document_count())},
      {"actors", static_cast<std::int64_t>(boost::num_vertices(g))},
      {"relations", static_cast<std::int64_t>(boost::num_edges(g))},
      {"statements", static_cast<std::int64_t>(graph_.statement_count())},
      {"components", static_cast<std::int64_t>(engine().component_count())},
  };
  if (r.json) {
    r.json->begin_object();
    for (const auto& [name, n] : figures) r.json->key(name).integer(n);
    r.json->end_object();
    return;
  }
  for (const auto& [name, n] : figures) r.out << name << '\t' << n << '\n';
}

void repl_session::cmd_actors(const arguments& args, reply& r) {
  if (args.positional.size() > 1) throw command_error("usage: actors [TYPE] [--top N] [--by degree|pagerank|betweenness]");
  std::optional<actor_type> type;
  if (!args.positional.empty()) {
    try {
      type = parse_actor_type(args.positional[0].text);
    } catch (const error& e) {
      throw command_error(e.what());
    }
  }
  std::size_t top = static_cast<std::size_t>(-1);
  if (const auto it = args.flags.find("--top"); it != args.flags.end()) {
    const auto& text = it->second;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), top);
    if (ec != std::errc() || end != text.data() + text.size() || top == 0)
      throw command_error("--top needs a positive number, not '" + text + "'");
  }
  std::string by = "degree";
  if (const auto it = args.flags.find("--by"); it != args.flags.end()) by = it->second;
  if (by != "degree" && by != "pagerank" && by != "betweenness")
    throw command_error("unknown ranking '" + by + "' (expected degree, pagerank or betweenness)");

  const auto& g = graph_.graph();
  const auto& q = engine();
  // In background mode a ranking by betweenness right after merge or split does not wait a
  // second for the recomputation: it answers from the scores before, and says so.
  const bool wait = !options_.background;
  const betweenness_scores* between = nullptr;
  if (by == "betweenness") between = wait ? &q.betweenness() : &q.current_betweenness();
  const auto& score = between ? between->score : q.scores(by);
  const std::string stale_note =
      between && between->stale ? "(betweenness from before the last " + last_change_ + "; recomputing in the background)" : "";
  // A short --top is a partial sort of the actors of that type; a long listing walks the cached
  // full ranking, which pays the sort (ties broken by name) once.
  std::vector<vertex_id> chosen;
  const auto n = boost::num_vertices(g);
  if (top <= 1000 && top < n) {
    for (vertex_id v = 0; v < n; ++v)
      if (!type || g[v].type == *type) chosen.push_back(v);
    const auto keep = std::min(top, chosen.size());
    std::partial_sort(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(keep), chosen.end(),
                      [&](vertex_id a, vertex_id b) { return score[a] != score[b] ? score[a] > score[b] : g[a].name < g[b].name; });
    chosen.resize(keep);
  } else {
    for (auto v : q.ranking(by, wait)) {
      if (chosen.size() == top) break;
      if (!type || g[v].type == *type) chosen.push_back(v);
    }
  }
  if (!r.json && !r.aligned) {
    // Plain text: written straight from the graph; `actors` lists all 100,000 actors of a large
    // graph, and a table of copies would cost as much again.
    std::string text;
    char number[32];
    for (auto v : chosen) {
      text.append(g[v].name).append("\t").append(to_string(g[v].type)).append("\t");
      if (by == "degree") text.append(number, std::to_chars(number, number + sizeof number, static_cast<std::int64_t>(score[v])).ptr);
      else text.append(number, std::to_chars(number, number + sizeof number, score[v], std::chars_format::general, 6).ptr);
      text += '\n';
    }
    r.out.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!stale_note.empty()) (err_ ? *err_ : std::cerr) << stale_note << '\n';  // a note, not a result
    return;
  }
  table t{{"name", "type", by}, {}};
  for (auto v : chosen) {
    cell value = by == "degree" ? cell(static_cast<std::int64_t>(score[v])) : cell(score[v]);
    t.rows.push_back({g[v].name, std::string(to_string(g[v].type)), value});
  }
  if (r.json) {
    r.json->begin_object().key("by").string(by);
    if (between)
      r.json->key("exact").boolean(between->exact).key("sources").integer(static_cast<std::int64_t>(between->sources))
          .key("stale").boolean(between->stale);
    r.json->key("actors");
    t.write_json(*r.json);
    r.json->end_object();
    return;
  }
  t.print(r);
  if (between && !between->exact && r.aligned)
    r.out << "(betweenness estimated from " << between->sources << " of " << boost::num_vertices(g) << " source actors)\n";
  if (!stale_note.empty()) r.out << stale_note << '\n';
}

void repl_session::cmd_show(const arguments& args, reply& r) {
  const auto v = resolve_actor(name_of_rest(args, "show ACTOR"));
  const auto& g = graph_.graph();
  const auto& a = g[v];
  if (r.json) {
    auto& j = *r.json;
    j.begin_object().key("name").string(a.name).key("type").string(to_string(a.type));
    j.key("mentions").integer(a.mention_count).key("documents").integer(a.document_count);
    for (auto [key, list] : {std::pair{"roles", &a.roles}, {"aliases", &a.aliases}}) {
      j.key(key).begin_array();
      for (const auto& x : *list) j.begin_object().key("text").string(x.text).key("count").integer(x.count).end_object();
      j.end_array();
    }
    j.key("out").begin_array();
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
      j.begin_object().key("relation").string(g[e].label).key("actor").string(g[boost::target(e, g)].name).key("count").integer(count_of(g[e])).end_object();
    j.end_array().key("in").begin_array();
    for (auto e : boost::make_iterator_range(boost::in_edges(v, g)))
      j.begin_object().key("relation").string(g[e].label).key("actor").string(g[boost::source(e, g)].name).key("count").integer(count_of(g[e])).end_object();
    j.end_array().end_object();
    return;
  }
  r.out << a.name << " (" << to_string(a.type) << ")\n";
  r.out << "  mentions: " << a.mention_count << " in " << a.document_count << " document(s)\n";
  if (!a.roles.empty()) {
    r.out << "  roles:";
    for (const auto& x : a.roles) r.out << ' ' << x.text << " (" << x.count << ')' << (&x == &a.roles.back() ? "" : ";");
    r.out << '\n';
  }
  r.out << "  aliases:";
  for (const auto& x : a.aliases) r.out << ' ' << x.text << (&x == &a.aliases.back() ? "" : ",");
  r.out << '\n';
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
    r.out << "  -> " << g[e].label << ' ' << g[boost::target(e, g)].name << " (" << g[e].count() << ")\n";
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g)))
    r.out << "  <- " << g[boost::source(e, g)].name << ' ' << g[e].label << " (" << g[e].count() << ")\n";
}

void repl_session::cmd_aliases(const arguments& args, reply& r) {
  const auto v = resolve_actor(name_of_rest(args, "aliases ACTOR"));
  table t{{"alias", "count"}, {}};
  for (const auto& a : graph_.graph()[v].aliases) t.rows.push_back({a.text, static_cast<std::int64_t>(a.count)});
  t.print(r);
}

void repl_session::cmd_why(const arguments& args, reply& r) {
  const auto alias = name_of_rest(args, "why ALIAS");
  const auto v = resolve_actor(alias);
  const auto& name = graph_.graph()[v].name;
  // A name the graph knows is explained by the alias resolver; a forgiven spelling is not an
  // alias at all, and saying so is the honest answer.
  const bool known = graph_.find_actor(alias).has_value();
  const auto chain = known ? graph_.why(alias) : std::vector<merge_reason>{};
  if (r.json) {
    auto& j = *r.json;
    j.begin_object().key("alias").string(alias).key("actor").string(name).key("known").boolean(known).key("chain").begin_array();
    for (const auto& x : chain)
      j.begin_object().key("alias").string(x.alias).key("target").string(x.target).key("rule").string(x.rule)
          .key("score").number(static_cast<double>(x.score)).key("signals").string(x.signals).end_object();
    j.end_array().end_object();
    return;
  }
  if (known) {
    r.out << graph_.why_text(alias);
    return;
  }
  r.out << alias << " is not a name of any actor; it was read as " << name << '\n';
}

void repl_session::cmd_neighbors(const arguments& args, reply& r) {
  const auto v = resolve_actor(name_of_rest(args, "neighbors ACTOR [--in|--out] [--relation R]"));
  const auto& g = graph_.graph();
  const bool in = args.has("--in") || !args.has("--out"), out = args.has("--out") || !args.has("--in");
  std::vector<std::size_t> labels;
  const bool filtered = args.has("--relation");
  if (filtered) labels = engine().find_relation(args.flags.find("--relation")->second);
  auto wanted = [&](const edge_id& e) {
    return !filtered || std::find(labels.begin(), labels.end(), engine().label_index(e)) != labels.end();
  };
  table t{{"direction", "relation", "actor", "count"}, {}};
  if (out)
    for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
      if (wanted(e)) t.rows.push_back({std::string("out"), g[e].label, g[boost::target(e, g)].name, count_of(g[e])});
  if (in)
    for (auto e : boost::make_iterator_range(boost::in_edges(v, g)))
      if (wanted(e)) t.rows.push_back({std::string("in"), g[e].label, g[boost::source(e, g)].name, count_of(g[e])});
  t.print(r);
}

void repl_session::cmd_between(const arguments& args, reply& r) {
  const auto [a, b] = resolve_two(args, "between A B");
  const auto& g = graph_.graph();
  table t{{"subject", "relation", "object", "count"}, {}};
  for (const auto& e : engine().edges_between(a, b))
    t.rows.push_back({g[boost::source(e, g)].name, g[e].label, g[boost::target(e, g)].name, count_of(g[e])});
  t.print(r);
}

void repl_session::cmd_path(const arguments& args, reply& r) {
  const auto [a, b] = resolve_two(args, "path A B");
  const auto& g = graph_.graph();
  const auto steps = engine().shortest_path(a, b);
  if (r.json) {
    auto& j = *r.json;
    j.begin_object().key("from").string(g[a].name).key("to").string(g[b].name).key("found").boolean(steps.has_value());
    j.key("steps").begin_array();
    if (steps)
      for (const auto& s : *steps) {
        const auto& rel = g[s.edge];
        const auto& first = rel.evidence.front();
        j.begin_object().key("from").string(g[s.from].name).key("to").string(g[s.to].name);
        j.key("subject").string(g[boost::source(s.edge, g)].name).key("relation").string(rel.label);
        j.key("object").string(g[boost::target(s.edge, g)].name).key("symmetric").boolean(rel.symmetric);
        j.key("count").integer(count_of(rel));
        j.key("document").string(first.document_id).key("sentence").string(first.sentence_text).end_object();
      }
    j.end_array().end_object();
    return;
  }
  if (!steps) {
    r.out << "no path between " << g[a].name << " and " << g[b].name << '\n';
    return;
  }
  if (steps->empty()) {
    r.out << g[a].name << " and " << g[b].name << " are one actor\n";
    return;
  }
  r.out << g[a].name << " -> " << g[b].name << ": " << steps->size() << (steps->size() == 1 ? " step\n" : " steps\n");
  for (const auto& s : *steps) {
    const auto& rel = g[s.edge];
    // A symmetric relation has no direction: show it in walking order, without an arrow head.
    if (rel.symmetric) r.out << "  " << g[s.from].name << " -[" << rel.label << "]- " << g[s.to].name;
    else r.out << "  " << g[boost::source(s.edge, g)].name << " -[" << rel.label << "]-> " << g[boost::target(s.edge, g)].name;
    r.out << " (" << rel.count() << (rel.count() == 1 ? " statement)\n" : " statements)\n");
    r.out << "    " << rel.evidence.front().document_id << ": " << rel.evidence.front().sentence_text << '\n';
  }
}

void repl_session::cmd_sources(const arguments& args, reply& r) {
  require_positional(args, 3, "sources A REL B (quote words that belong together: sources Borrell \"reply to\" Lavrov)");
  const auto a = resolve_actor(args.positional[0].text), b = resolve_actor(args.positional[2].text);
  const auto labels = engine().find_relation(args.positional[1].text);
  const auto& g = graph_.graph();
  table t{{"document", "date", "relation", "sentence"}, {}};
  for (const auto& e : engine().edges_between(a, b)) {
    const bool forward = boost::source(e, g) == a;
    if (!forward && !g[e].symmetric) continue;
    if (std::find(labels.begin(), labels.end(), engine().label_index(e)) == labels.end()) continue;
    for (const auto& ev : g[e].evidence) t.rows.push_back({ev.document_id, ev.date, ev.relation_surface, ev.sentence_text});
  }
  t.print(r);
}

void repl_session::cmd_relations(const arguments& args, reply& r) {
  require_positional(args, 0, "relations [--class C]");
  const auto& g = graph_.graph();
  const auto& q = engine();
  struct totals {
    std::string relation_class;
    std::int64_t edges = 0, statements = 0;
  };
  std::map<std::string, totals> by_label;
  std::set<std::string> classes;
  for (std::size_t i = 0; i < q.labels().size(); ++i) {
    auto& t = by_label[q.labels()[i]];
    const std::string* last_class = nullptr;
    for (const auto& e : q.edges_of_label(i)) {
      const auto& rel = g[e];
      t.statements += count_of(rel);
      if (last_class && *last_class == rel.relation_class) continue;  // one label, one class, as a rule
      last_class = &rel.relation_class;
      if (t.relation_class.empty()) t.relation_class = rel.relation_class;
      if (!rel.relation_class.empty()) classes.insert(rel.relation_class);
    }
    t.edges = static_cast<std::int64_t>(q.edges_of_label(i).size());
  }
  std::optional<std::string> wanted;
  if (const auto it = args.flags.find("--class"); it != args.flags.end()) {
    std::string c = it->second;
    std::transform(c.begin(), c.end(), c.begin(), [](unsigned char x) { return std::tolower(x); });
    if (!classes.contains(c)) {
      std::string known;
      for (const auto& k : classes) known.append(known.empty() ? "" : ", ").append(k);
      throw command_error("no relation class '" + it->second + "' in the graph (" +
                          (known.empty() ? std::string("no relation has a class") : "classes: " + known) + ")");
    }
    wanted = c;
  }
  std::vector<std::pair<std::string, totals>> rows(by_label.begin(), by_label.end());
  std::stable_sort(rows.begin(), rows.end(), [](const auto& x, const auto& y) { return x.second.statements > y.second.statements; });
  table t{{"relation", "class", "edges", "statements"}, {}};
  for (const auto& [label, x] : rows)
    if (!wanted || x.relation_class == *wanted) t.rows.push_back({label, x.relation_class, x.edges, x.statements});
  t.print(r);
}

void repl_session::cmd_merge(const arguments& args, reply& r) {
  const auto [a, b] = resolve_two(args, "merge A B");
  const auto& g = graph_.graph();
  const std::string first = g[a].name, second = g[b].name;
  if (a == b) throw command_error("'" + first + "' and '" + second + "' are already one actor");
  engine().stop_background();  // it reads the graph, which is about to change
  after_change(change_or_restart([&] { return merge_actors(graph_, first, second); }), "merge");
  const auto v = graph_.find_actor(first);
  const std::string now = v ? graph_.graph()[*v].name : second;
  if (r.json) {
    r.json->begin_object().key("merged").begin_array().string(first).string(second).end_array().key("actor").string(now).end_object();
    return;
  }
  r.out << "merged " << first << " and " << second << " into " << now << " ('save' writes it)\n";
}

void repl_session::cmd_split(const arguments& args, reply& r) {
  const auto alias = name_of_rest(args, "split ALIAS");
  const auto m = engine().lookup().match(alias);
  if (m.kind != match_kind::alias && m.kind != match_kind::name)
    throw command_error("no alias '" + alias + "' (try 'aliases ACTOR')");
  if (m.candidates.size() != 1) resolve_actor(alias);  // throws the ambiguity, with the candidates
  const std::string from = graph_.graph()[m.candidates.front()].name;
  engine().stop_background();
  after_change(change_or_restart([&] { return split_alias(graph_, alias); }), "split");
  if (r.json) {
    r.json->begin_object().key("alias").string(alias).key("from").string(from).end_object();
    return;
  }
  r.out << "split " << alias << " from " << from << " ('save' writes it)\n";
}

void repl_session::cmd_export(const arguments& args, reply& r) {
  require_positional(args, 2, "export FORMAT FILE (FORMAT: dot, svg, png or jsonld)");
  const auto format = parse_export_format(args.positional[0].text);
  const auto& file = args.positional[1].text;
  if (file == "-") throw command_error("export writes a file; name one");
  wait_for_file(file, r);  // an earlier export to FILE must not be renamed over this one
  if (options_.background) {
    const auto pid = start_job("export", file, [this, format, file] { export_atomically(graph_, format, file); });
    if (r.json) {
      r.json->begin_object().key("format").string(args.positional[0].text).key("file").string(file).key("pid").integer(pid).end_object();
      return;
    }
    r.out << "writing " << file << " in the background (pid " << pid << ")\n";
    return;
  }
  export_atomically(graph_, format, file);
  if (r.json) {
    r.json->begin_object().key("format").string(args.positional[0].text).key("file").string(file).end_object();
    return;
  }
  r.out << "wrote " << file << '\n';
}

void repl_session::cmd_save(const arguments& args, reply& r) {
  require_positional(args, 0, "save");
  // After merge or split the centralities are being computed in the background: saved when
  // ready, else left out (the next session computes them again in the background) rather than
  // making `save` wait a second or more for them.
  if (!graph_.centralities() && engine_)
    if (auto ready = engine_->ready_centralities()) graph_.set_centralities(std::move(*ready));
  wait_for_file(graph_path_, r);  // an older state must never be renamed over this one
  if (options_.background) {
    // The child writes the graph as it is now; `unsaved_` clears when it has, unless the graph
    // changed again meanwhile (finish_job).
    const auto pid = start_job("save", graph_path_, [this] { graph_.save(graph_path_, knowledge_graph::missing_centralities::omit); });
    if (r.json) {
      r.json->begin_object().key("file").string(graph_path_).key("pid").integer(pid).end_object();
      return;
    }
    r.out << "saving " << graph_path_ << " in the background (pid " << pid << ")\n";
    return;
  }
  graph_.save(graph_path_, knowledge_graph::missing_centralities::omit);
  unsaved_ = false;
  if (r.json) {
    r.json->begin_object().key("file").string(graph_path_).end_object();
    return;
  }
  r.out << "saved " << graph_path_ << '\n';
}

namespace {
// A dot-command switching a setting: `.NAME` shows it, `.NAME on|off` sets it; the reply is
// "LABEL on|off" (JSON: {"NAME": true|false}) either way.
void on_off_setting(const std::string& name, std::string_view label, bool& setting, const arguments& args, reply& r) {
  const std::string usage = "usage: ." + name + " [on|off]";
  if (args.positional.size() > 1) throw command_error(usage);
  if (!args.positional.empty()) {
    const auto& word = args.positional[0].text;
    if (word != "on" && word != "off") throw command_error(usage);
    setting = word == "on";
  }
  if (r.json) {
    r.json->begin_object().key(name).boolean(setting).end_object();
    return;
  }
  r.out << label << ' ' << (setting ? "on" : "off") << '\n';
}
}  // namespace

void repl_session::cmd_json(const arguments& args, reply& r) { on_off_setting("json", "json output", options_.json, args, r); }

void repl_session::cmd_background(const arguments& args, reply& r) {
  on_off_setting("background", "background", options_.background, args, r);
}

void repl_session::cmd_quit(const arguments& args, reply& r) {
  require_positional(args, 0, "quit");
  quit_ = true;
  if (r.json) r.json->null();
}

void repl_session::run_patterns(const std::vector<query_word>& words, reply& r) {
  const auto result = engine().match(parse_patterns(words));
  table t{result.variables, {}, true};
  for (const auto& row : result.rows) t.rows.emplace_back(row.begin(), row.end());
  if (r.json) {
    r.json->begin_object().key("variables").begin_array();
    for (const auto& v : result.variables) r.json->string(v);
    r.json->end_array().key("rows");
    t.write_json(*r.json);
    r.json->end_object();
    return;
  }
  for (auto& c : t.columns) {
    std::string shown(1, '?');
    c = std::move(shown.append(c));
  }
  t.print(r);
}

}  // namespace newsgraph::cli
