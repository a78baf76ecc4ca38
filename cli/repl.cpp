#include "repl.h"

#include <editline/readline.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <set>

namespace newsgraph::cli {

const std::vector<repl_session::command>& repl_session::commands() {
  static const std::vector<command> table{
      {"help", "[COMMAND]", "list the commands, or explain one", &repl_session::cmd_help},
      {"stats", "", "documents, actors, relations and statements in the graph", &repl_session::cmd_stats},
      {"actors", "[TYPE]", "actors by number of relations (TYPE: person, organization, country, ...)", &repl_session::cmd_actors},
      {"show", "ACTOR", "an actor: type, roles, aliases and relations", &repl_session::cmd_show},
      {"aliases", "ACTOR", "every surface form that names the actor, with its count", &repl_session::cmd_aliases},
      {"why", "ALIAS", "why an alias belongs to its actor", &repl_session::cmd_why},
      {"neighbors", "ACTOR", "the actors related to ACTOR, with the relations", &repl_session::cmd_neighbors},
      {"quit", "", "leave the REPL (also: exit, Ctrl-D)", &repl_session::cmd_quit},
  };
  return table;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::string current;
  bool in_word = false, quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
      in_word = true;
    } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
      if (in_word) words.push_back(std::move(current)), current.clear();
      in_word = false;
    } else {
      current += c;
      in_word = true;
    }
  }
  if (quoted) throw command_error("unclosed quote");
  if (in_word) words.push_back(std::move(current));
  return words;
}

repl_session::repl_session(knowledge_graph& graph, std::string graph_path)
    : graph_(graph), graph_path_(std::move(graph_path)) {}

bool repl_session::execute(std::string_view line, std::ostream& out) {
  auto words = split_command_line(line);
  if (words.empty() || words[0].starts_with('#')) return true;
  std::string name = words[0];
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
  if (name == "exit" || name == ".quit" || name == "\\q") name = "quit";
  const auto& table = commands();
  const auto it = std::find_if(table.begin(), table.end(), [&](const command& c) { return c.name == name; });
  if (it == table.end()) {
    std::string message = "unknown command '" + words[0] + "'";
    const command* closest = nullptr;
    std::size_t best = 3;
    for (const auto& c : table)
      if (const auto d = edit_distance(name, c.name); d < best) best = d, closest = &c;
    if (closest) message += "; did you mean '" + std::string(closest->name) + "'?";
    throw command_error(message + " (type 'help' for the list)");
  }
  words.erase(words.begin());
  (this->*(it->handler))(words, out);
  return !quit_;
}

vertex_id repl_session::resolve_actor(const std::string& name) const {
  if (const auto v = graph_.find_actor(name)) return *v;
  throw command_error("no actor named '" + name + "' (try 'actors')");
}

namespace {
void require_arguments(const std::vector<std::string>& args, std::size_t n, std::string_view usage) {
  if (args.size() != n) throw command_error("usage: " + std::string(usage));
}
// Several words without quotes name one actor: show Sergey Lavrov.
std::string joined(const std::vector<std::string>& args, std::string_view usage) {
  if (args.empty()) throw command_error("usage: " + std::string(usage));
  std::string s;
  for (const auto& a : args) s += (s.empty() ? "" : " ") + a;
  return s;
}
}  // namespace

void repl_session::cmd_help(const std::vector<std::string>& args, std::ostream& out) {
  for (const auto& c : commands()) {
    if (!args.empty() && c.name != args[0]) continue;
    std::string usage(c.name);
    if (!c.arguments.empty()) usage.append(" ").append(c.arguments);
    out << std::left << std::setw(20) << usage << c.summary << '\n';
  }
  if (!args.empty() && std::none_of(commands().begin(), commands().end(), [&](const command& c) { return c.name == args[0]; }))
    throw command_error("no command named '" + args[0] + "'");
}

void repl_session::cmd_stats(const std::vector<std::string>& args, std::ostream& out) {
  require_arguments(args, 0, "stats");
  const auto& g = graph_.graph();
  out << "documents\t" << graph_.document_count() << '\n'
      << "actors\t" << boost::num_vertices(g) << '\n'
      << "relations\t" << boost::num_edges(g) << '\n'
      << "statements\t" << graph_.statement_count() << '\n';
}

void repl_session::cmd_actors(const std::vector<std::string>& args, std::ostream& out) {
  if (args.size() > 1) throw command_error("usage: actors [TYPE]");
  std::optional<actor_type> type;
  if (!args.empty()) {
    try {
      type = parse_actor_type(args[0]);
    } catch (const error& e) {
      throw command_error(e.what());
    }
  }
  const auto& g = graph_.graph();
  for (auto v : graph_.most_connected(boost::num_vertices(g))) {
    if (type && g[v].type != *type) continue;
    out << g[v].name << '\t' << to_string(g[v].type) << '\t' << boost::out_degree(v, g) + boost::in_degree(v, g) << '\n';
  }
}

void repl_session::cmd_show(const std::vector<std::string>& args, std::ostream& out) {
  const auto v = resolve_actor(joined(args, "show ACTOR"));
  const auto& g = graph_.graph();
  const auto& a = g[v];
  out << a.name << " (" << to_string(a.type) << ")\n";
  out << "  mentions: " << a.mention_count << " in " << a.document_count << " document(s)\n";
  if (!a.roles.empty()) {
    out << "  roles:";
    for (const auto& r : a.roles) out << ' ' << r.text << " (" << r.count << ')' << (&r == &a.roles.back() ? "" : ";");
    out << '\n';
  }
  out << "  aliases:";
  for (const auto& al : a.aliases) out << ' ' << al.text << (&al == &a.aliases.back() ? "" : ",");
  out << '\n';
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
    out << "  -> " << g[e].label << ' ' << g[boost::target(e, g)].name << " (" << g[e].count() << ")\n";
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g)))
    out << "  <- " << g[boost::source(e, g)].name << ' ' << g[e].label << " (" << g[e].count() << ")\n";
}

void repl_session::cmd_aliases(const std::vector<std::string>& args, std::ostream& out) {
  const auto v = resolve_actor(joined(args, "aliases ACTOR"));
  for (const auto& al : graph_.graph()[v].aliases) out << al.text << '\t' << al.count << '\n';
}

void repl_session::cmd_why(const std::vector<std::string>& args, std::ostream& out) {
  const auto alias = joined(args, "why ALIAS");
  const auto v = resolve_actor(alias);
  const auto& name = graph_.graph()[v].name;
  const auto chain = graph_.why(alias);
  if (chain.empty()) {
    out << alias << " is " << name
        << (name_key(alias) == name_key(name) ? " (its canonical name)" : " (resolved inside its document, where the full name stands)")
        << '\n';
    return;
  }
  out << alias << " is " << name << ":\n";
  for (const auto& m : chain) out << "  " << m.alias << " -> " << m.target << " [" << m.rule << "]\n";
}

void repl_session::cmd_neighbors(const std::vector<std::string>& args, std::ostream& out) {
  const auto v = resolve_actor(joined(args, "neighbors ACTOR"));
  const auto& g = graph_.graph();
  for (auto e : boost::make_iterator_range(boost::out_edges(v, g)))
    out << "out\t" << g[e].label << '\t' << g[boost::target(e, g)].name << '\t' << g[e].count() << '\n';
  for (auto e : boost::make_iterator_range(boost::in_edges(v, g)))
    out << "in\t" << g[e].label << '\t' << g[boost::source(e, g)].name << '\t' << g[e].count() << '\n';
}

void repl_session::cmd_quit(const std::vector<std::string>& args, std::ostream&) {
  require_arguments(args, 0, "quit");
  quit_ = true;
}

std::vector<std::string> repl_session::complete(std::string_view before) const {
  std::vector<std::string> out;
  const auto space = before.find(' ');
  if (space == std::string_view::npos) {
    for (const auto& c : commands())
      if (c.name.starts_with(before)) out.emplace_back(c.name);
    return out;
  }
  const std::string prefix = name_key(before.substr(space + 1));
  const auto& g = graph_.graph();
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    if (name_key(g[v].name).starts_with(prefix)) out.push_back(g[v].name);
  std::sort(out.begin(), out.end());
  return out;
}

namespace {

repl_session* completing_session = nullptr;

char* completion_generator(const char* text, int state) {
  static std::vector<std::string> matches;
  static std::size_t next = 0;
  if (state == 0) {
    const std::string line(rl_line_buffer, static_cast<std::size_t>(rl_point));
    matches = completing_session->complete(line);
    // Completion replaces only the word under the cursor; keep the candidates that extend it.
    const std::size_t word_length = std::strlen(text);
    const std::size_t typed_start = line.size() - word_length;
    const auto space = line.find(' ');
    if (space != std::string::npos) {
      const std::size_t skip = typed_start - (space + 1);
      for (auto& m : matches) m = m.size() >= skip ? m.substr(skip) : std::string();
    }
    next = 0;
  }
  while (next < matches.size()) {
    const auto& m = matches[next++];
    if (!m.empty()) return strdup(m.c_str());
  }
  return nullptr;
}

char** attempt_completion(const char* text, int, int) {
  rl_attempted_completion_over = 1;
  return rl_completion_matches(text, completion_generator);
}

std::string history_path() {
  if (const char* p = std::getenv("NEWSGRAPH_HISTORY")) return p;
  if (const char* home = std::getenv("HOME")) return std::string(home) + "/.newsgraph_history";
  return {};
}

}  // namespace

int repl_session::run(bool interactive, std::istream& in, std::ostream& out, std::ostream& err) {
  int status = 0;
  auto run_line = [&](const std::string& line) {
    try {
      return execute(line, out);
    } catch (const command_error& e) {
      err << "error: " << e.what() << '\n';
      status = 1;
    } catch (const error& e) {
      err << "error: " << e.what() << '\n';
      status = 1;
    }
    return true;
  };
  if (!interactive) {
    std::string line;
    while (std::getline(in, line))
      if (!run_line(line)) break;
    return status;
  }
  completing_session = this;
  rl_attempted_completion_function = attempt_completion;
  const auto history = history_path();
  if (!history.empty()) read_history(history.c_str());
  out << "newsgraph: " << graph_.document_count() << " documents, " << boost::num_vertices(graph_.graph())
      << " actors. Type 'help' for commands, Tab to complete.\n";
  while (char* raw = readline("newsgraph> ")) {
    std::string line(raw);
    std::free(raw);
    if (line.find_first_not_of(' ') != std::string::npos) {
      add_history(line.c_str());
      if (!history.empty()) write_history(history.c_str());
    }
    if (!run_line(line)) break;
    out.flush();
  }
  completing_session = nullptr;
  return 0;
}

}  // namespace newsgraph::cli
