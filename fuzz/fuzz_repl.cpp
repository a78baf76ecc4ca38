// libFuzzer target: the REPL's command-line parser and dispatch (words, quotes, options, triple
// patterns, forgiving actor lookup) and its Tab completion, on a small graph built here. Each input
// is a script, one command per line, run in a fresh session. `export` and `save` are left out:
// they would write files named by the fuzzer.
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>

#include "newsgraph/knowledge_graph.h"
#include "repl.h"

using namespace newsgraph;

namespace {

mention actor(const std::string& name, actor_type type = actor_type::person) {
  return {"d1", {0, 1}, name, name, type, "minister"};
}

triple statement(const mention& s, const std::string& relation, const mention& o, bool symmetric = false) {
  triple t;
  t.subject = s;
  t.object = o;
  t.relation = relation;
  t.relation_surface = relation;
  t.relation_class = "statement";
  t.sentence_text = s.text + " " + relation + " " + o.text + ".";
  t.confidence = 0.5F;
  t.symmetric = symmetric;
  return t;
}

knowledge_graph sample_graph() {
  knowledge_graph g;
  const auto russia = actor("Russia", actor_type::country);
  g.add_document({"d1", "text", std::nullopt, std::nullopt, std::nullopt},
                 {statement(actor("Josep Borrell"), "reply to", actor("Sergey Lavrov")),
                  statement(actor("Antony Blinken"), "meet with", actor("Josep Borrell"), true),
                  statement(actor("Sergey Lavrov"), "accuse", russia), statement(actor("Lavrov"), "warn", actor("Pedro Sánchez")),
                  statement(actor("David Miliband"), "meet", actor("Keir Starmer")),
                  statement(actor("Ed Miliband"), "call", actor("Keir Starmer")),
                  statement(actor("NATO", actor_type::organization), "warn", russia)});
  g.resolve();
  return g;
}

bool writes_files(std::string_view line) {
  try {
    const auto words = cli::split_command_line(line);
    if (words.empty()) return false;
    std::string name = words[0];
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return name == "export" || name == "save";
  } catch (const error&) {
    return false;  // an unclosed quote: run_line reports it
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const knowledge_graph prototype = sample_graph();
  knowledge_graph g = prototype;
  cli::repl_session session(g, "/nonexistent/fuzz.ngraph", {(size & 1) != 0, (size & 2) != 0});
  std::istringstream script(std::string(reinterpret_cast<const char*>(data), size));
  std::ostringstream out, err;
  for (std::string line; std::getline(script, line);) {
    (void)session.complete(line);
    if (writes_files(line)) continue;
    bool quit = false;
    session.run_line(line, out, err, "error: ", quit);
    if (quit) break;
  }
  return 0;
}
