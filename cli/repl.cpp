// The command table, dispatch, output helpers, completion and the interactive loop.
// The commands themselves are in repl_commands.cpp.
#include "repl.h"

#include <editline/readline.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <set>

#include "newsgraph/text_distance.h"

#include "repl_output.h"

namespace newsgraph::cli {

using kind = repl_session::word_kind;

const std::vector<repl_session::command>& repl_session::commands() {
  static const std::vector<command> table{
      {"help", "[COMMAND]", "list the commands, or explain one", {kind::command}, {}, &repl_session::cmd_help},
      {"stats", "", "documents, actors, relations, statements and connected components", {}, {}, &repl_session::cmd_stats},
      {"actors", "[TYPE]", "actors by number of statements, or by PageRank or betweenness (TYPE: person, organization, ...)",
       {kind::actor_type},
       {{"--top", "N", kind::number}, {"--by", "degree|pagerank|betweenness", kind::ranking}},
       &repl_session::cmd_actors},
      {"show", "ACTOR", "an actor: type, roles, aliases and relations", {kind::actor_words}, {}, &repl_session::cmd_show},
      {"aliases", "ACTOR", "every surface form that names the actor, with its count", {kind::actor_words}, {},
       &repl_session::cmd_aliases},
      {"why", "ALIAS", "why an alias belongs to its actor", {kind::alias_words}, {}, &repl_session::cmd_why},
      {"neighbors", "ACTOR", "the actors related to ACTOR, with the relations", {kind::actor_words},
       {{"--in", "", kind::none}, {"--out", "", kind::none}, {"--relation", "R", kind::relation}},
       &repl_session::cmd_neighbors},
      {"between", "A B", "every relation between two actors, both ways", {kind::actor, kind::actor}, {},
       &repl_session::cmd_between},
      {"path", "A B", "the shortest chain from A to B, with the evidence sentence of each hop", {kind::actor, kind::actor},
       {}, &repl_session::cmd_path},
      {"sources", "A REL B", "the sentences stating that A REL B", {kind::actor, kind::relation, kind::actor}, {},
       &repl_session::cmd_sources},
      {"relations", "", "relation labels with their class and counts", {},
       {{"--class", "C", kind::relation_class}}, &repl_session::cmd_relations},
      {"merge", "A B", "make two actors one (undone by split; written by save)", {kind::actor, kind::actor}, {},
       &repl_session::cmd_merge},
      {"split", "ALIAS", "take an alias out of its actor (written by save)", {kind::alias_words}, {},
       &repl_session::cmd_split},
      {"export", "FORMAT FILE", "write the graph as dot, svg, png or jsonld", {kind::export_format, kind::file}, {},
       &repl_session::cmd_export},
      {"save", "", "write the graph file (atomically), keeping merges and splits", {}, {}, &repl_session::cmd_save},
      {".json", "[on|off]", "machine-readable output: one JSON object per command", {kind::on_off}, {},
       &repl_session::cmd_json},
      {".background", "[on|off]", "save and export in a child process, rankings without waiting (on at a terminal)",
       {kind::on_off}, {}, &repl_session::cmd_background},
      {"quit", "", "leave the REPL (also: exit, Ctrl-D)", {}, {}, &repl_session::cmd_quit},
  };
  return table;
}

namespace {

std::vector<query_word> words_or_error(std::string_view line) {
  try {
    return split_words(line);
  } catch (const query_error& e) {
    throw command_error(e.what());
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

const repl_session::command* find_command(std::string_view name) {
  const auto& table = repl_session::commands();
  const auto it = std::find_if(table.begin(), table.end(), [&](const auto& c) { return c.name == name; });
  return it == table.end() ? nullptr : &*it;
}

std::string canonical_command_name(std::string name) {
  name = lower(std::move(name));
  if (name == "exit" || name == ".quit" || name == "\\q" || name == ".exit") return "quit";
  if (name == ".help" || name == "?") return "help";
  return name;
}

}  // namespace

std::vector<std::string> split_command_line(std::string_view line) {
  std::vector<std::string> out;
  for (auto& w : words_or_error(line)) out.push_back(std::move(w.text));
  return out;
}

// ---- output -------------------------------------------------------------------------------------

namespace {
void write_cell(json_writer& j, const cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) j.string(*s);
  else if (const auto* n = std::get_if<std::int64_t>(&c)) j.integer(*n);
  else j.number(std::get<double>(c));
}

std::string cell_text(const cell& c) {
  if (const auto* s = std::get_if<std::string>(&c)) return *s;
  if (const auto* n = std::get_if<std::int64_t>(&c)) return std::to_string(*n);
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", std::get<double>(c));
  return buffer;
}

// Display width in code points, close enough for padding names with accents.
std::size_t width(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}
}  // namespace

void table::write_json(json_writer& j) const {
  j.begin_array();
  for (const auto& row : rows) {
    j.begin_object();
    for (std::size_t i = 0; i < columns.size() && i < row.size(); ++i) {
      j.key(columns[i]);
      write_cell(j, row[i]);
    }
    j.end_object();
  }
  j.end_array();
}

void table::print(reply& r) const {
  if (r.json) {
    write_json(*r.json);
    return;
  }
  if (!r.aligned) {  // the common case, and 100,000 rows for `actors`: one buffer, one write
    std::string text;
    char number[32];
    auto line = [&](const auto& cells) {
      for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) text += '\t';
        if constexpr (std::is_same_v<std::decay_t<decltype(cells[i])>, cell>) {
          if (const auto* s = std::get_if<std::string>(&cells[i])) {
            text += *s;
          } else if (const auto* n = std::get_if<std::int64_t>(&cells[i])) {
            text.append(number, std::to_chars(number, number + sizeof number, *n).ptr);
          } else {
            text += cell_text(cells[i]);
          }
        } else {
          text += cells[i];
        }
      }
      text += '\n';
    };
    if (header) line(columns);
    for (const auto& row : rows) line(row);
    r.out.write(text.data(), static_cast<std::streamsize>(text.size()));
    return;
  }
  std::vector<std::vector<std::string>> lines;
  if (header) lines.push_back(columns);
  for (const auto& row : rows) {
    auto& line = lines.emplace_back();
    for (const auto& c : row) line.push_back(cell_text(c));
  }
  std::vector<std::size_t> widths(columns.size(), 0);
  if (r.aligned)
    for (const auto& line : lines)
      for (std::size_t i = 0; i < line.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], width(line[i]));
  for (const auto& line : lines) {
    for (std::size_t i = 0; i < line.size(); ++i) {
      r.out << line[i];
      if (i + 1 == line.size()) break;
      if (r.aligned) r.out << std::string(widths[i] - width(line[i]) + 2, ' ');
      else r.out << '\t';
    }
    r.out << '\n';
  }
  if (r.aligned && rows.empty()) r.out << "(no results)\n";
}

// ---- the session ----------------------------------------------------------------------------------

repl_session::repl_session(knowledge_graph& graph, std::string graph_path, repl_options options)
    : graph_(graph), graph_path_(std::move(graph_path)), options_(options) {}

// A session that ends with files still being written waits for them: the user asked for them.
// (run() reports them; here, for a session used without run(), they end silently.)
repl_session::~repl_session() { collect_jobs(true); }

const query_engine& repl_session::engine() const {
  if (!engine_) engine_ = std::make_unique<query_engine>(graph_);
  return *engine_;
}

bool repl_session::execute(std::string_view line, std::ostream& out, std::ostream& err) {
  err_ = &err;
  // Jobs that ended while the user typed: reported before this command's output.
  collect_jobs(false);
  report_finished(out, err);
  auto words = words_or_error(line);
  current_command_.clear();
  if (words.empty() || (!words[0].quoted && words[0].text.starts_with('#'))) return true;
  std::unique_ptr<json_writer> json;
  if (options_.json) json = std::make_unique<json_writer>();
  reply r{out, json.get(), options_.terminal && !options_.json};
  auto finish = [&] {
    if (!json) return;
    json->end_object();
    out << json->text() << '\n';
  };

  const std::string name = canonical_command_name(words[0].text);
  const command* c = words[0].quoted ? nullptr : find_command(name);
  if (!c && looks_like_pattern(words)) {
    current_command_ = "pattern";
    if (json) json->begin_object().key("command").string("pattern").key("result");
    try {
      run_patterns(words, r);
    } catch (const query_error& e) {
      throw command_error(e.what());
    }
    finish();
    return true;
  }
  if (!c) {
    std::string message = "unknown command '" + words[0].text + "'";
    const command* closest = nullptr;
    std::size_t best = 3;
    for (const auto& candidate : commands())
      if (const auto d = edit_distance(name, candidate.name); d < best) best = d, closest = &candidate;
    if (closest) message.append("; did you mean '").append(closest->name).append("'?");
    throw command_error(message + " (type 'help' for the list)");
  }
  current_command_ = c->name;

  arguments args;
  for (std::size_t i = 1; i < words.size(); ++i) {
    const auto& w = words[i];
    if (w.quoted || !w.text.starts_with("--")) {
      args.positional.push_back(w);
      continue;
    }
    const auto f = std::find_if(c->flags.begin(), c->flags.end(), [&](const flag& x) { return x.name == w.text; });
    if (f == c->flags.end()) {
      std::string message = "unknown option '" + w.text + "' for '" + std::string(c->name) + "'";
      if (c->flags.empty()) message += " (it takes none)";
      else {
        message += " (expected";
        for (const auto& x : c->flags) message.append(" ").append(x.name);
        message += ")";
      }
      throw command_error(message);
    }
    std::string value;
    if (!f->value.empty()) {
      if (i + 1 == words.size()) throw command_error("option " + w.text + " needs a value (" + std::string(f->value) + ")");
      value = words[++i].text;
    }
    args.flags[w.text] = value;
  }
  if (json) json->begin_object().key("command").string(c->name).key("result");
  try {
    (this->*(c->handler))(args, r);
  } catch (const query_error& e) {
    throw command_error(e.what());
  }
  finish();
  collect_jobs(false);
  report_finished(out, err);
  return !quit_;
}

bool repl_session::run_line(std::string_view line, std::ostream& out, std::ostream& err, std::string_view error_prefix,
                            bool& quit) {
  std::string message;
  error_prefix_ = error_prefix;
  try {
    quit = !execute(line, out, err);
    return true;
  } catch (const error& e) {  // command_error, and files that cannot be written
    message = e.what();
  }
  err << error_prefix << message << '\n';
  if (options_.json) {
    json_writer j;
    j.begin_object().key("command");
    if (current_command_.empty()) j.null();
    else j.string(current_command_);
    j.key("error").string(message).end_object();
    out << j.text() << '\n';
  }
  quit = false;
  return false;
}

// ---- completion -----------------------------------------------------------------------------------

namespace {

// A word as typed so far: where its text starts in the line, and whether a quote opened it.
struct typed_word {
  std::size_t start = 0;
  std::string text;
  bool quoted = false;
};

// Like split_words, but tolerant of an unclosed quote and keeping offsets; the last word is the
// one under the cursor (empty when the line ends in a space).
std::vector<typed_word> typed_words(std::string_view line) {
  std::vector<typed_word> words;
  bool in_word = false, quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (c == '"') {
      if (!in_word) words.push_back({i + 1, {}, true}), in_word = true;
      else if (!quoted) words.back().quoted = true;
      quoted = !quoted;
    } else if (!quoted && std::isspace(static_cast<unsigned char>(c))) {
      in_word = false;
    } else {
      if (!in_word) words.push_back({i, {}, false}), in_word = true;
      words.back().text += c;
    }
  }
  if (!in_word) words.push_back({line.size(), {}, false});
  return words;
}

void keep_prefixed(std::vector<std::string>& out, const std::vector<std::string>& all, std::string_view prefix) {
  const auto p = lower(std::string(prefix));
  for (const auto& s : all)
    if (lower(s).starts_with(p)) out.push_back(s);
}

}  // namespace

repl_session::completion repl_session::complete(std::string_view before) const {
  completion result;
  const auto words = typed_words(before);
  const auto& current = words.back();
  result.start = current.start;
  if (words.size() == 1) {
    for (const auto& c : commands())
      if (c.name.starts_with(lower(current.text))) result.candidates.emplace_back(c.name);
    return result;
  }
  const command* c = find_command(canonical_command_name(words[0].text));
  if (!c) return result;

  // Which word of the command is being typed: a flag, a flag's value, or the n-th positional.
  std::size_t positional = 0, first_positional = 0;
  const flag* value_of = nullptr;
  for (std::size_t i = 1; i + 1 < words.size(); ++i) {
    const auto& w = words[i];
    if (value_of) {
      value_of = nullptr;
      continue;
    }
    if (!w.quoted && w.text.starts_with("--")) {
      const auto f = std::find_if(c->flags.begin(), c->flags.end(), [&](const flag& x) { return x.name == w.text; });
      if (f != c->flags.end() && !f->value.empty()) value_of = &*f;
      continue;
    }
    if (positional == 0) first_positional = i;
    ++positional;
  }
  kind wanted = kind::none;
  if (value_of) {
    wanted = value_of->completes;
  } else if (!current.quoted && current.text.starts_with("-")) {
    for (const auto& f : c->flags)
      if (f.name.starts_with(current.text)) result.candidates.emplace_back(f.name);
    return result;
  } else if (!c->positional.empty()) {
    const auto last = c->positional.back();
    const bool rest = last == kind::actor_words || last == kind::alias_words;
    wanted = positional < c->positional.size() ? c->positional[positional] : rest ? last : kind::none;
    // `show Sergey La`: the name runs from the first positional word to the cursor.
    if ((wanted == kind::actor_words || wanted == kind::alias_words) && !current.quoted && positional > 0 &&
        !words[first_positional].quoted)
      result.start = words[first_positional].start;
  }
  const std::string typed(before.substr(result.start));
  auto close = [&](std::vector<std::string> names, bool quote_spaces) {
    for (auto& n : names) {
      if (current.quoted) n += '"';
      else if (quote_spaces && n.find(' ') != std::string::npos) n = '"' + n + '"';
    }
    result.candidates = std::move(names);
  };
  constexpr std::size_t limit = 200;
  switch (wanted) {
    case kind::command:
      for (const auto& x : commands())
        if (x.name.starts_with(lower(typed))) result.candidates.emplace_back(x.name);
      break;
    case kind::actor_words:
    case kind::alias_words:
      close(engine().lookup().complete(typed, limit), false);
      break;
    case kind::actor:
      close(engine().lookup().complete(typed, limit), true);
      break;
    case kind::relation: {
      std::vector<std::string> labels;
      keep_prefixed(labels, engine().labels(), typed);
      close(std::move(labels), true);
      break;
    }
    case kind::relation_class: {
      std::set<std::string> classes;
      for (auto e : boost::make_iterator_range(boost::edges(graph_.graph())))
        if (!graph_.graph()[e].relation_class.empty()) classes.insert(graph_.graph()[e].relation_class);
      keep_prefixed(result.candidates, {classes.begin(), classes.end()}, typed);
      break;
    }
    case kind::actor_type:
      keep_prefixed(result.candidates, {"person", "organization", "country", "place", "group", "other"}, typed);
      break;
    case kind::ranking:
      keep_prefixed(result.candidates, {"degree", "pagerank", "betweenness"}, typed);
      break;
    case kind::export_format:
      keep_prefixed(result.candidates, {"dot", "svg", "png", "jsonld"}, typed);
      break;
    case kind::on_off:
      keep_prefixed(result.candidates, {"on", "off"}, typed);
      break;
    case kind::none:
    case kind::number:
    case kind::file:
      break;
  }
  return result;
}

// ---- the interactive loop -------------------------------------------------------------------------

namespace {

const repl_session* completing_session = nullptr;

// libedit replaces only its own word under the cursor (it breaks words at spaces and quotes),
// while a candidate may replace several words ("Sergey La" -> "Sergey Lavrov"): cut from each
// candidate what stands before libedit's word, counting spaces, which folding keeps.
char* completion_generator(const char* text, int state) {
  static std::vector<std::string> matches;
  static std::size_t next = 0;
  if (state == 0) {
    matches.clear();
    next = 0;
    const std::string line(rl_line_buffer, static_cast<std::size_t>(rl_point));
    try {
      auto c = completing_session->complete(line);
      const std::size_t word_start = line.size() - std::min(line.size(), std::strlen(text));
      if (c.start < word_start) {
        const auto spaces = static_cast<std::size_t>(std::count(line.begin() + static_cast<std::ptrdiff_t>(c.start),
                                                                line.begin() + static_cast<std::ptrdiff_t>(word_start), ' '));
        for (auto& m : c.candidates) {
          std::size_t at = 0;
          bool whole = true;
          for (std::size_t i = 0; i < spaces && whole; ++i) {
            const auto space = m.find(' ', at);
            whole = space != std::string::npos;
            at = space + 1;
          }
          m = whole ? m.substr(at) : std::string();
        }
      }
      matches = std::move(c.candidates);
    } catch (const std::exception&) {
      // Completion must never end the session; an unusable line completes to nothing.
    }
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
  bool quit = false;
  prepare();  // a session runs many commands: index once, before the first
  if (!interactive) {
    std::string line;
    while (!quit && std::getline(in, line)) {
      if (!run_line(line, out, err, "error: ", quit)) status = 1;
      out.flush();
    }
    if (report_jobs(out, err, true) > 0 || failed_jobs_ > 0) status = 1;
    if (unsaved_) err << "newsgraph: merges or splits were not saved ('save' writes them)\n";
    return status;
  }
  options_.terminal = true;
  completing_session = this;
  rl_attempted_completion_function = attempt_completion;
  static char break_characters[] = " \t\n\"";
  rl_completer_word_break_characters = break_characters;
  rl_basic_word_break_characters = break_characters;
  const auto history = history_path();
  stifle_history(2000);
  if (!history.empty()) read_history(history.c_str());
  out << "newsgraph: " << graph_.document_count() << " documents, " << boost::num_vertices(graph_.graph())
      << " actors. Type 'help' for commands, Tab to complete.\n";
  out.flush();
  while (!quit) {
    char* raw = readline("newsgraph> ");
    if (!raw) break;
    std::string line(raw);
    std::free(raw);
    if (line.find_first_not_of(' ') != std::string::npos) {
      add_history(line.c_str());
      // Written after every line, so a crash or a closed terminal keeps the history.
      if (!history.empty()) write_history(history.c_str());
    }
    run_line(line, out, err, "error: ", quit);
    out.flush();
    err.flush();
  }
  completing_session = nullptr;
  report_jobs(out, err, true);
  if (unsaved_) err << "newsgraph: merges or splits were not saved ('save' writes them)\n";
  // What the user typed failed in front of them; a write that failed may have been reported
  // after the last prompt: the exit status says so.
  return failed_jobs_ > 0 ? 1 : 0;
}

}  // namespace newsgraph::cli
