// train, eval and parse: being written with the statistical pipeline.
#include "command.h"

namespace newsgraph::cli {
void add_nlp_commands(CLI::App&, context&) {}
}  // namespace newsgraph::cli
