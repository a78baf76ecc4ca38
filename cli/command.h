// Subcommands of the newsgraph CLI. Each add_*_command registers one CLI11 subcommand whose
// callback does the work; main() only parses and dispatches. Callbacks throw newsgraph::error for
// a failure that stops the command (main prints it on one line and exits 1) and set
// context::exit_code for a partial failure (some inputs bad, the rest processed).
#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace newsgraph::cli {

struct context {
  std::string data_dir;  // folder holding models/ and data/
  bool quiet = false;    // no progress or warnings on stderr
  int exit_code = 0;
};

void add_build_command(CLI::App& app, context& ctx);
void add_extract_command(CLI::App& app, context& ctx);
void add_export_command(CLI::App& app, context& ctx);
void add_query_command(CLI::App& app, context& ctx);
void add_repl_command(CLI::App& app, context& ctx);
void add_nlp_commands(CLI::App& app, context& ctx);  // train, eval, parse

}  // namespace newsgraph::cli
