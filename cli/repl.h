// The REPL: one table of commands drives dispatch, help, tab completion and "did you mean".
//
// A line is a command ("show Sergey Lavrov") or, when it holds an unquoted ?variable, triple
// patterns joined by " . " (?x "reply to" "Sergey Lavrov" . ?x meet ?y). Results go to the
// stream given to execute(); text by default, one JSON object per command in JSON mode
// ({"command": NAME, "result": VALUE}, or {"command": NAME, "error": MESSAGE} from run_line).
//
// Background mode (repl_options::background, `.background on|off`; on at a terminal): `save` and
// `export` write their file in a child process (fork, like Redis's BGSAVE: the child writes the
// graph as it was at the command) and return at once with "saving G in the background (pid N)"
// (JSON: the usual result, with the child's "pid"). The session reports each job when it ends,
// before the next command's output or at quit: "saved G" / "wrote FILE" on `out`, or its
// one-line error on `err` (JSON: {"job": NAME, "pid": N, "result": VALUE} or {"job": NAME,
// "pid": N, "error": MESSAGE}). And `actors --by betweenness` right after merge or split answers
// from the scores before it (marked stale) instead of waiting for the recomputation. Off, every
// command waits and prints one result: the same output on every run, for scripts.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <functional>
#include <iostream>
#include <istream>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/knowledge_graph.h"
#include "newsgraph/query.h"

namespace newsgraph::cli {

// A command the user typed that cannot run: unknown name, wrong arguments, unknown actor.
class command_error : public error {
public:
  using error::error;
};

struct repl_options {
  bool json = false;        // machine-readable results (also toggled by `.json on|off`)
  bool terminal = false;    // a person reads the output: pad table columns
  bool background = false;  // write files in child processes, answer without waiting (`.background`)
};

struct reply;     // repl_output.h
struct arguments;  // repl_output.h

class repl_session {
public:
  repl_session(knowledge_graph& graph, std::string graph_path, repl_options options = {});
  ~repl_session();

  // Runs one command line, writing results to `out`. Returns false when the line asks to quit.
  // Throws command_error (one line, no trailing newline) for a command that cannot run, and
  // newsgraph::error when a file cannot be written; the session stays usable either way.
  // Background jobs that ended meanwhile are reported first and last (report_jobs); `err`
  // receives their errors and the notes that are not results (stale betweenness).
  bool execute(std::string_view line, std::ostream& out, std::ostream& err = std::cerr);

  // execute() for scripts and the loop: a failure becomes one line "PREFIXmessage" on `err` (and
  // in JSON mode an error object on `out`). Returns false if the line failed; sets `quit`.
  bool run_line(std::string_view line, std::ostream& out, std::ostream& err, std::string_view error_prefix, bool& quit);

  // What Tab offers: the text from `start` to the end of `line_before_cursor` may be replaced by
  // any of `candidates`. Command names first, then per command its flags, flag values, actor
  // names (several words; quoted when the command takes more than one name), relations, types.
  struct completion {
    std::size_t start = 0;
    std::vector<std::string> candidates;
  };
  completion complete(std::string_view line_before_cursor) const;

  // Builds the lookup and relation indexes, the undirected view and the components now rather
  // than at the first command (the REPL does this before its first prompt). PageRank and
  // betweenness come with the graph file.
  void prepare() const { engine().prepare(); }

  // The interactive loop on a terminal (libedit, history file); reads plain lines, printing no
  // prompt, when `interactive` is false. At quit or end of input it waits for the background
  // jobs and reports them. Returns the exit status: 0, or 1 if any command failed in
  // non-interactive mode or any background job failed.
  int run(bool interactive, std::istream& in, std::ostream& out, std::ostream& err);

  // Reports the background jobs that have ended and were not reported yet (see the top of this
  // file); with `wait`, waits for every running job first. Returns how many of those reported
  // failed.
  std::size_t report_jobs(std::ostream& out, std::ostream& err, bool wait = false);
  std::size_t running_jobs() const { return jobs_.size(); }
  std::size_t failed_jobs() const { return failed_jobs_; }

  // What a word completes to.
  enum class word_kind { none, command, actor_words, actor, alias_words, relation, relation_class, actor_type,
                         ranking, export_format, number, on_off, file };

  // A file being written by a child process.
  struct background_job {
    pid_t pid = -1;
    int error_pipe = -1;          // read end; the child writes its one-line error there
    std::string command;          // "save" or "export"
    std::string file;             // as named by the user (the messages)
    std::string key;              // absolute and normalised: writes to one file wait for each other
    std::uint64_t generation = 0; // changes_ when it started: a save is current if none came since
  };
  struct finished_job {
    background_job job;
    std::string error;  // empty: written
  };
  struct flag {
    std::string_view name;    // "--top"
    std::string_view value;   // shown by help ("N"); empty for a switch
    word_kind completes = word_kind::none;
  };
  struct command {
    std::string_view name;
    std::string_view arguments;  // shown by help: "ACTOR", "[TYPE]"
    std::string_view summary;
    // The positional words in order; actor_words and alias_words take the rest of the line.
    std::vector<word_kind> positional;
    std::vector<flag> flags;
    void (repl_session::*handler)(const cli::arguments& args, reply& r);
  };
  static const std::vector<command>& commands();

  bool json() const { return options_.json; }
  bool background() const { return options_.background; }

private:
  const query_engine& engine() const;
  vertex_id resolve_actor(std::string_view name) const;
  std::pair<vertex_id, vertex_id> resolve_two(const arguments& args, std::string_view usage) const;
  void run_patterns(const std::vector<query_word>& words, reply& r);
  graph_change change_or_restart(const std::function<graph_change()>& change);
  void after_change(const graph_change& change, std::string_view what);
  // Background jobs (repl_jobs.cpp): start one (the child runs `write` and exits; throws error
  // when no process can be made), wait for those writing `file` and report them, collect those
  // that ended (all of them, waiting, when `wait`), report what was collected.
  pid_t start_job(std::string command, std::string file, const std::function<void()>& write);
  void wait_for_file(const std::string& file, reply& r);
  void collect_jobs(bool wait);
  void finish_job(background_job job, std::string error);
  void report_finished(std::ostream& out, std::ostream& err);
  void cmd_background(const arguments& args, reply& r);

  void cmd_help(const arguments& args, reply& r);
  void cmd_stats(const arguments& args, reply& r);
  void cmd_actors(const arguments& args, reply& r);
  void cmd_show(const arguments& args, reply& r);
  void cmd_aliases(const arguments& args, reply& r);
  void cmd_why(const arguments& args, reply& r);
  void cmd_neighbors(const arguments& args, reply& r);
  void cmd_between(const arguments& args, reply& r);
  void cmd_path(const arguments& args, reply& r);
  void cmd_sources(const arguments& args, reply& r);
  void cmd_relations(const arguments& args, reply& r);
  void cmd_merge(const arguments& args, reply& r);
  void cmd_split(const arguments& args, reply& r);
  void cmd_export(const arguments& args, reply& r);
  void cmd_save(const arguments& args, reply& r);
  void cmd_json(const arguments& args, reply& r);
  void cmd_quit(const arguments& args, reply& r);

  knowledge_graph& graph_;
  std::string graph_path_;
  repl_options options_;
  mutable std::unique_ptr<query_engine> engine_;  // rebuilt after merge and split
  bool quit_ = false;
  bool unsaved_ = false;
  std::uint64_t changes_ = 0;       // merges and splits so far
  std::string last_change_;         // "merge" or "split", for the stale betweenness note
  std::string current_command_;
  std::vector<background_job> jobs_;        // running
  std::vector<finished_job> finished_;      // ended, not reported yet
  std::size_t failed_jobs_ = 0;
  std::ostream* err_ = nullptr;             // execute()'s `err`, for handlers
  std::string error_prefix_ = "error: ";    // run_line's, for job errors
};

// Splits a command line into words; "double quotes" group words. Throws command_error on an
// unclosed quote.
std::vector<std::string> split_command_line(std::string_view line);

}  // namespace newsgraph::cli
