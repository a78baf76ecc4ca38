// The build, extract, export, query and repl subcommands.
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <memory>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "command.h"
#include "newsgraph/export.h"
#include "newsgraph/extractor.h"
#include "newsgraph/input.h"
#include "newsgraph/knowledge_graph.h"
#include "repl.h"

namespace newsgraph::cli {

namespace {

struct input_flags {
  std::vector<std::string> inputs;
  bool repair_utf8 = false;
};

void add_input_options(CLI::App* cmd, input_flags& flags) {
  cmd->add_option("INPUT", flags.inputs,
                  "a .txt article, a directory of .txt files, a .jsonl file (id, text, title, date, url), or - for stdin")
      ->required();
  cmd->add_flag("--repair-utf8", flags.repair_utf8, "replace invalid UTF-8 bytes instead of skipping the document");
}

// Reads every input and hands each document on; problems go to stderr and make the exit status 2.
void for_each_document(const input_flags& flags, context& ctx, const std::function<void(document&&)>& on_document) {
  input_options options;
  options.repair_utf8 = flags.repair_utf8;
  read_inputs(flags.inputs, options, on_document, [&](const input_problem& p) {
    std::cerr << "newsgraph: " << p.where << ": " << p.message << '\n';
    if (p.message.find("repaired") == std::string::npos) ctx.exit_code = 2;
  });
}

// TSV fields may not hold tabs or line breaks.
std::string tsv_field(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return out;
}

std::string span_text(byte_span s) { return std::to_string(s.begin) + "-" + std::to_string(s.end); }

void write_tsv_header(std::ostream& out) {
  out << "doc\tsubject\trelation\tobject\tconfidence\tsentence\trelation_class\tsubject_type\tobject_type"
         "\tsubject_text\tobject_text\tsubject_span\tobject_span\tsentence_span\tflags\tdate\tsubject_role\tobject_role\n";
}

void write_tsv(const triple& t, std::ostream& out) {
  std::string flags;
  for (auto [on, name] : {std::pair{t.negated, "negated"}, {t.modal, "modal"}, {t.symmetric, "symmetric"}})
    if (on) flags += (flags.empty() ? "" : ",") + std::string(name);
  char confidence[16];
  std::snprintf(confidence, sizeof confidence, "%.2f", t.confidence);
  out << tsv_field(t.subject.document_id) << '\t' << tsv_field(t.subject.name) << '\t' << tsv_field(t.relation) << '\t'
      << tsv_field(t.object.name) << '\t' << confidence << '\t' << tsv_field(t.sentence_text) << '\t'
      << tsv_field(t.relation_class) << '\t' << to_string(t.subject.type) << '\t' << to_string(t.object.type) << '\t'
      << tsv_field(t.subject.text) << '\t' << tsv_field(t.object.text) << '\t' << span_text(t.subject.span) << '\t'
      << span_text(t.object.span) << '\t' << span_text(t.sentence) << '\t' << flags << '\t' << tsv_field(t.date) << '\t'
      << tsv_field(t.subject.role) << '\t' << tsv_field(t.object.role) << '\n';
}

void write_jsonl(const triple& t, std::ostream& out) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  auto str = [&](const char* key, std::string_view value) {
    w.Key(key);
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  };
  auto mention_object = [&](const char* key, const mention& m) {
    w.Key(key);
    w.StartObject();
    str("name", m.name);
    str("text", m.text);
    str("type", to_string(m.type));
    w.Key("begin");
    w.Uint(m.span.begin);
    w.Key("end");
    w.Uint(m.span.end);
    if (!m.role.empty()) str("role", m.role);
    w.EndObject();
  };
  w.StartObject();
  str("doc", t.subject.document_id);
  mention_object("subject", t.subject);
  str("relation", t.relation);
  str("relation_surface", t.relation_surface);
  str("relation_class", t.relation_class);
  mention_object("object", t.object);
  w.Key("confidence");
  w.Double(static_cast<double>(t.confidence));
  str("sentence", t.sentence_text);
  w.Key("sentence_begin");
  w.Uint(t.sentence.begin);
  w.Key("sentence_end");
  w.Uint(t.sentence.end);
  if (!t.date.empty()) str("date", t.date);
  w.Key("negated");
  w.Bool(t.negated);
  w.Key("modal");
  w.Bool(t.modal);
  w.Key("symmetric");
  w.Bool(t.symmetric);
  w.EndObject();
  out << buffer.GetString() << '\n';
}

extractor make_extractor(const context& ctx, bool open = false) {
  extractor_options options;
  options.data_dir = ctx.data_dir;
  options.open = open;
  return extractor(options);
}

void print_summary(const knowledge_graph& g, const std::string& path, std::ostream& out) {
  const auto& graph = g.graph();
  out << "built " << path << ": " << g.document_count() << " documents, " << boost::num_vertices(graph) << " actors, "
      << boost::num_edges(graph) << " relations from " << g.statement_count() << " statements\n";
  out << "most connected actors:\n";
  for (auto v : g.most_connected(5)) {
    std::uint32_t relations = 0;
    for (auto e : boost::make_iterator_range(boost::out_edges(v, graph))) relations += graph[e].count();
    for (auto e : boost::make_iterator_range(boost::in_edges(v, graph))) relations += graph[e].count();
    out << "  " << graph[v].name << " (" << to_string(graph[v].type) << "): " << relations << " statements\n";
  }
}

}  // namespace

void add_build_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("build", "extract triples from articles and merge them into a graph file");
  auto flags = std::make_shared<input_flags>();
  auto output = std::make_shared<std::string>();
  add_input_options(cmd, *flags);
  cmd->add_option("-o,--output", *output, "the graph file to write")->required();
  cmd->callback([&ctx, flags, output] {
    const auto started = std::chrono::steady_clock::now();
    const auto ex = make_extractor(ctx);
    knowledge_graph g;
    for_each_document(*flags, ctx, [&](document&& doc) { g.add_document(doc, ex.extract(doc)); });
    if (g.document_count() == 0) throw input_error("no document could be read; nothing written to " + *output);
    g.resolve();
    g.save(*output);
    print_summary(g, *output, std::cout);
    if (!ctx.quiet) {
      const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
      std::cerr << "newsgraph: built in " << took.count() << " s\n";
    }
  });
}

void add_extract_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("extract", "print the triples of each article, one per line (no cross-document merging)");
  auto flags = std::make_shared<input_flags>();
  auto format = std::make_shared<std::string>("tsv");
  auto open = std::make_shared<bool>(false);
  add_input_options(cmd, *flags);
  cmd->add_option("--format", *format, "tsv (with a header line) or jsonl")->check(CLI::IsMember({"tsv", "jsonl"}));
  cmd->add_flag("--open", *open, "open information extraction: every proposition, with noun-phrase arguments");
  cmd->callback([&ctx, flags, format, open] {
    const auto ex = make_extractor(ctx, *open);
    const bool tsv = *format == "tsv";
    if (tsv) write_tsv_header(std::cout);
    for_each_document(*flags, ctx, [&](document&& doc) {
      for (const auto& t : ex.extract(doc)) tsv ? write_tsv(t, std::cout) : write_jsonl(t, std::cout);
    });
    std::cout.flush();
  });
}

void add_export_command(CLI::App& app, context&) {
  auto* cmd = app.add_subcommand("export", "write a graph file as DOT, SVG, PNG or JSON-LD");
  auto graph_path = std::make_shared<std::string>();
  auto format = std::make_shared<std::string>();
  auto output = std::make_shared<std::string>();
  cmd->add_option("GRAPH", *graph_path, "graph file written by 'newsgraph build'")->required();
  cmd->add_option("--format", *format, "dot, svg, png or jsonld")->required();
  cmd->add_option("-o,--output", *output, "file to write (default: standard output)");
  cmd->callback([graph_path, format, output] {
    const auto f = parse_export_format(*format);
    if (f == export_format::png && output->empty() && isatty(STDOUT_FILENO))
      throw export_error("png: refusing to write binary data to a terminal; use -o FILE");
    const auto g = knowledge_graph::load(*graph_path);
    export_graph(g, f, *output, std::cout);
  });
}

void add_query_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("query", "run one REPL command (or one per line from standard input) and exit");
  auto graph_path = std::make_shared<std::string>();
  auto command = std::make_shared<std::string>();
  cmd->add_option("GRAPH", *graph_path, "graph file")->required();
  cmd->add_option("COMMAND", *command, "a REPL command, e.g. 'show Lavrov'; without it, commands are read from stdin");
  cmd->callback([&ctx, graph_path, command] {
    auto g = knowledge_graph::load(*graph_path);
    repl_session session(g, *graph_path);
    if (command->empty()) {
      ctx.exit_code = session.run(false, std::cin, std::cout, std::cerr);
      return;
    }
    try {
      session.execute(*command, std::cout);
    } catch (const command_error& e) {
      std::cerr << "newsgraph: " << e.what() << '\n';
      ctx.exit_code = 1;
    }
  });
}

void add_repl_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("repl", "query a graph interactively (plain, promptless when stdin is not a terminal)");
  auto graph_path = std::make_shared<std::string>();
  cmd->add_option("GRAPH", *graph_path, "graph file")->required();
  cmd->callback([&ctx, graph_path] {
    auto g = knowledge_graph::load(*graph_path);
    repl_session session(g, *graph_path);
    ctx.exit_code = session.run(isatty(STDIN_FILENO) != 0, std::cin, std::cout, std::cerr);
  });
}

}  // namespace newsgraph::cli
