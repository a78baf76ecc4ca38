// newsgraph: turns news articles into a knowledge graph of actors and relations.
// main() only wires the subcommands; each lives in its own add_*_command.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>

#include "command.h"
#include "newsgraph/document.h"

int main(int argc, char** argv) {
  namespace cli = newsgraph::cli;
  CLI::App app{"newsgraph: a knowledge graph of actors and relations from news articles", "newsgraph"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "newsgraph 0.1.0");
  cli::context ctx;
  if (const char* dir = std::getenv("NEWSGRAPH_DATA")) ctx.data_dir = dir;
  else ctx.data_dir = NEWSGRAPH_DATA_DIR;
  app.add_option("--data-dir", ctx.data_dir, "folder holding models/ and data/ (env NEWSGRAPH_DATA)")
      ->check(CLI::ExistingDirectory);
  app.add_flag("-q,--quiet", ctx.quiet, "no progress or warnings on standard error");
  app.fallthrough();  // global options (--quiet, --data-dir) may also follow the subcommand

  cli::add_build_command(app, ctx);
  cli::add_extract_command(app, ctx);
  cli::add_export_command(app, ctx);
  cli::add_query_command(app, ctx);
  cli::add_repl_command(app, ctx);
  cli::add_nlp_commands(app, ctx);

  // CLI11 would say only "A subcommand is required" for a mistyped one.
  if (argc > 1 && argv[1][0] != '-') {
    const std::string word = argv[1];
    bool known = false;
    for (const auto* sub : app.get_subcommands({})) known = known || sub->get_name() == word;
    if (!known) {
      std::cerr << "newsgraph: unknown subcommand '" << word << "' (see 'newsgraph --help')\n";
      return EXIT_FAILURE;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const newsgraph::error& e) {
    std::cerr << "newsgraph: " << e.what() << '\n';
    return EXIT_FAILURE;
  } catch (const std::exception& e) {
    std::cerr << "newsgraph: internal error: " << e.what() << '\n';
    return EXIT_FAILURE;
  }
  return ctx.exit_code;
}
