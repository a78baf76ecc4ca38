// The REPL: one table of commands drives dispatch, help, tab completion and "did you mean".
#pragma once

#include <functional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/knowledge_graph.h"

namespace newsgraph::cli {

// A command the user typed that cannot run: unknown name, wrong arguments, unknown actor.
class command_error : public error {
public:
  using error::error;
};

class repl_session {
public:
  repl_session(knowledge_graph& graph, std::string graph_path);

  // Runs one command line, writing results to `out`. Returns false when the line asks to quit.
  // Throws command_error (one line, no trailing newline) for a command that cannot run; the
  // session stays usable.
  bool execute(std::string_view line, std::ostream& out);

  // Completions of the word being typed: command names at the start of a line, actor names after.
  std::vector<std::string> complete(std::string_view line_before_cursor) const;

  // The interactive loop on a terminal (libedit, history file); reads plain lines when `interactive`
  // is false. Returns the exit status: 0, or 1 if any command failed in non-interactive mode.
  int run(bool interactive, std::istream& in, std::ostream& out, std::ostream& err);

  struct command {
    std::string_view name;
    std::string_view arguments;  // shown by help: "ACTOR", "[TYPE]"
    std::string_view summary;
    void (repl_session::*handler)(const std::vector<std::string>& args, std::ostream& out);
  };
  static const std::vector<command>& commands();

private:
  vertex_id resolve_actor(const std::string& name) const;

  void cmd_help(const std::vector<std::string>& args, std::ostream& out);
  void cmd_stats(const std::vector<std::string>& args, std::ostream& out);
  void cmd_actors(const std::vector<std::string>& args, std::ostream& out);
  void cmd_show(const std::vector<std::string>& args, std::ostream& out);
  void cmd_aliases(const std::vector<std::string>& args, std::ostream& out);
  void cmd_why(const std::vector<std::string>& args, std::ostream& out);
  void cmd_neighbors(const std::vector<std::string>& args, std::ostream& out);
  void cmd_quit(const std::vector<std::string>& args, std::ostream& out);

  knowledge_graph& graph_;
  std::string graph_path_;
  bool quit_ = false;
};

// Splits a command line into words; "double quotes" group words. Throws command_error on an
// unclosed quote.
std::vector<std::string> split_command_line(std::string_view line);

// Edit distance, for "did you mean".
std::size_t edit_distance(std::string_view a, std::string_view b);

}  // namespace newsgraph::cli
