// The build, extract, export, query and repl subcommands.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <unordered_set>

#include "command.h"
#include "newsgraph/export.h"
#include "newsgraph/extractor.h"
#include "newsgraph/input.h"
#include "newsgraph/knowledge_graph.h"
#include "newsgraph/ordered_extraction.h"
#include "newsgraph/triples_jsonl.h"
#include "progress.h"
#include "repl.h"

namespace newsgraph::cli {

namespace {

struct input_flags {
  std::vector<std::string> inputs;
  bool repair_utf8 = false;
  std::size_t max_document_bytes = default_max_document_bytes;
  unsigned threads = 0;  // 0: default_thread_count()
  unsigned thread_count() const { return threads != 0 ? threads : default_thread_count(); }
};

void add_input_options(CLI::App* cmd, input_flags& flags) {
  cmd->add_option("INPUT", flags.inputs,
                  "a .txt article, a directory of .txt files, a .jsonl file (id, text, title, date, url), or - for stdin")
      ->required();
  cmd->add_flag("--repair-utf8", flags.repair_utf8, "replace invalid UTF-8 bytes instead of skipping the document");
  cmd->add_option("--max-document-bytes", flags.max_document_bytes,
                  "read at most this much of one article (a JSONL line: 4 times as much); the rest is reported")
      ->default_val(default_max_document_bytes)
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  cmd->add_option("-j,--threads", flags.threads,
                  "extraction threads (default: every core, " + std::to_string(default_thread_count()) +
                      " here); the output is the same for any number")
      ->check(CLI::Range(1U, 1024U));
}

// A skipped input makes the exit status 2; a mere warning is not shown under -q.
void report_problem(const input_problem& p, context& ctx) {
  if (p.skipped) ctx.exit_code = 2;
  else if (ctx.quiet) return;
  std::cerr << "newsgraph: " << p.where << ": " << p.message << '\n';
}

// Reads every input and hands each document on; problems go to stderr and make the exit status 2.
void for_each_document(const input_flags& flags, context& ctx, const std::function<void(document&&)>& on_document) {
  input_options options;
  options.repair_utf8 = flags.repair_utf8;
  options.max_document_bytes = flags.max_document_bytes;
  read_inputs(flags.inputs, options, on_document, [&](const input_problem& p) { report_problem(p, ctx); });
}

// Extracts every input document on flags.thread_count() threads and hands each document with its
// extraction to on_result in input order, drawing progress on a terminal.
void extract_documents(const input_flags& flags, context& ctx, const extractor& ex,
                       const std::function<void(document&&, extraction&&)>& on_result) {
  progress_meter progress(progress_wanted(ctx.quiet), input_size(flags.inputs));
  // Reading standard input, an article is extracted as soon as it arrives, not once a batch has.
  extraction_batching batching;
  if (std::find(flags.inputs.begin(), flags.inputs.end(), "-") != flags.inputs.end()) batching.documents = 1;
  ordered_extraction pool(
      ex, flags.thread_count(),
      [&](document&& doc, extraction&& result) {
        const std::size_t bytes = doc.text.size();
        for (const auto& warning : result.warnings) report_problem({"document " + doc.id, warning, false}, ctx);
        on_result(std::move(doc), std::move(result));
        progress.add(bytes);
      },
      0, batching);
  for_each_document(flags, ctx, [&](document&& doc) { pool.submit(std::move(doc)); });
  pool.finish();
  progress.finish();
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
  auto into = std::make_shared<std::string>();
  auto aliases = std::make_shared<std::vector<std::string>>();
  auto from_triples = std::make_shared<bool>(false);
  add_input_options(cmd, *flags);
  cmd->add_flag("--from-triples", *from_triples,
                "the INPUTs are the output of 'newsgraph extract --format jsonl' (shards extracted elsewhere, e.g. "
                "under Spark or Hadoop Streaming): merge them without extracting again");
  auto* out_opt = cmd->add_option("-o,--output", *output, "the graph file to write (default with --into: that graph)");
  auto* into_opt = cmd->add_option("--into", *into,
                                   "add the articles to this existing graph (its statements and alias decisions are kept; "
                                   "earlier articles are not read again) and re-resolve");
  cmd->add_option("--aliases", *aliases,
                  "alias file of user decisions, lines same<TAB>A<TAB>B, distinct<TAB>A<TAB>B or split<TAB>A; "
                  "kept in the graph (repeatable)")
      ->check(CLI::ExistingFile);
  // One of -o or --into says where the graph goes.
  cmd->callback([&ctx, flags, output, into, aliases, from_triples, out_opt, into_opt] {
    if (out_opt->count() == 0 && into_opt->count() == 0) throw CLI::RequiredError("-o,--output or --into");
    const std::string target = output->empty() ? *into : *output;
    const auto started = std::chrono::steady_clock::now();
    knowledge_graph g = into->empty() ? knowledge_graph() : knowledge_graph::load(*into);
    const auto documents_before = g.document_count();
    if (!ctx.data_dir.empty()) g.set_alias_data(alias_data::load(ctx.data_dir));
    for (const auto& file : *aliases) g.apply_alias_file(file);
    // A crawl often holds an article twice, and `--into` is often given articles it already has:
    // the later copy is reported and skipped rather than ending the whole build.
    std::unordered_set<std::string> ids;
    for (const auto& d : g.documents()) ids.insert(d.id);
    auto add = [&](document&& doc, extraction&& found) {
      if (!ids.insert(doc.id).second) {
        report_problem({"document " + doc.id, "id already in the graph, skipped"}, ctx);
        return;
      }
      g.add_document(doc, found.triples, found.mentions);
    };
    if (*from_triples) {
      read_extraction_jsonl(flags->inputs, add, [&](const input_problem& p) { report_problem(p, ctx); });
    } else {
      const auto ex = make_extractor(ctx);
      extract_documents(*flags, ctx, ex, add);
    }
    if (g.document_count() == documents_before)
      throw input_error(std::string("no document could be read; nothing written to ").append(target));
    g.resolve();
    g.save(target);
    print_summary(g, target, std::cout);
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
  cmd->add_option("--format", *format,
                  "tsv (a header line, then one triple per line) or jsonl (per article: one line per triple, then "
                  "a {\"document\": ...} line with its other mentions; what 'build --from-triples' reads)")
      ->check(CLI::IsMember({"tsv", "jsonl"}));
  cmd->add_flag("--open", *open, "open information extraction: every proposition, with noun-phrase arguments");
  cmd->callback([&ctx, flags, format, open] {
    const auto ex = make_extractor(ctx, *open);
    const bool tsv = *format == "tsv";
    if (tsv) write_tsv_header(std::cout);
    // As a filter on standard input (a pipe, a cluster's streaming API), each article's lines go out
    // as soon as they are ready.
    const bool streaming = std::find(flags->inputs.begin(), flags->inputs.end(), "-") != flags->inputs.end();
    std::string lines;
    extract_documents(*flags, ctx, ex, [&](document&& doc, extraction&& result) {
      if (tsv) {
        for (const auto& t : result.triples) write_tsv(t, std::cout);
      } else {
        lines.clear();
        append_extraction_jsonl(doc, result, lines);
        std::cout << lines;
      }
      if (streaming) std::cout.flush();
    });
    std::cout.flush();
  });
}

void add_export_command(CLI::App& app, context&) {
  auto* cmd = app.add_subcommand(
      "export", "write a graph file for diagrams (dot, svg, png), linked data (jsonld, nquads, turtle) or graph "
                "tools and databases (graphml, csv, cypher)");
  struct flags {
    std::string graph_path, format, output, cluster = "none";
    export_options options;
  };
  auto f = std::make_shared<flags>();
  cmd->add_option("GRAPH", f->graph_path, "graph file written by 'newsgraph build'")->required();
  cmd->add_option("--format", f->format, "dot, svg, png, jsonld, nquads, turtle, graphml, csv or cypher")->required();
  cmd->add_option("-o,--output", f->output,
                  "file to write (default: standard output); for csv, the directory to write the files into");
  cmd->add_option("--min-count", f->options.min_count, "keep relations stated at least N times")->default_val(1);
  cmd->add_option("--top", f->options.top, "keep the N most connected actors");
  auto* actor = cmd->add_option("--actor", f->options.actor, "keep the ego graph of this actor (see --depth)");
  cmd->add_option("--depth", f->options.depth, "radius of the --actor ego graph, in relations")
      ->default_val(2)
      ->needs(actor);
  cmd->add_option("--cluster", f->cluster, "dot, svg, png: group actors in boxes by 'type' or 'community'");
  cmd->add_option("--layout", f->options.layout, "svg, png: Graphviz engine (default: dot, sfdp above 300 actors)");
  cmd->callback([f] {
    const auto format = parse_export_format(f->format);
    f->options.cluster = parse_cluster_mode(f->cluster);
    if (is_binary(format) && (f->output.empty() || f->output == "-") && isatty(STDOUT_FILENO))
      throw export_error("png: refusing to write binary data to a terminal; use -o FILE");
    const auto g = knowledge_graph::load(f->graph_path);
    export_graph(g, format, f->output, std::cout, f->options);
  });
}

void add_query_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("query", "run one REPL command (or one per line from standard input) and exit");
  auto graph_path = std::make_shared<std::string>();
  auto words = std::make_shared<std::vector<std::string>>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("GRAPH", *graph_path, "graph file")->required();
  cmd->add_option("COMMAND", *words, "a REPL command, e.g. 'show Lavrov'; without it, commands are read from stdin");
  cmd->add_flag("--json", *json, "one JSON object per command: {\"command\", \"result\"} or {\"command\", \"error\"}");
  cmd->callback([&ctx, graph_path, words, json] {
    auto g = knowledge_graph::load(*graph_path);
    repl_session session(g, *graph_path, {*json, false});
    if (words->empty()) {
      ctx.exit_code = session.run(false, std::cin, std::cout, std::cerr);
      return;
    }
    // `query G path "Antony Blinken" Lavrov` arrives as separate words: quote them back.
    std::string line;
    for (const auto& w : *words) {
      if (!line.empty()) line += ' ';
      if (words->size() > 1 && w.find(' ') != std::string::npos) line.append("\"").append(w).append("\"");
      else line += w;
    }
    bool quit = false;
    if (!session.run_line(line, std::cout, std::cerr, "newsgraph: ", quit)) ctx.exit_code = 1;
  });
}

void add_repl_command(CLI::App& app, context& ctx) {
  auto* cmd = app.add_subcommand("repl", "query a graph interactively (plain, promptless when stdin is not a terminal)");
  auto graph_path = std::make_shared<std::string>();
  auto json = std::make_shared<bool>(false);
  cmd->add_option("GRAPH", *graph_path, "graph file")->required();
  cmd->add_flag("--json", *json, "one JSON object per command (also '.json on' inside the REPL)");
  cmd->callback([&ctx, graph_path, json] {
    auto g = knowledge_graph::load(*graph_path);
    const bool terminal = isatty(STDIN_FILENO) != 0;
    // At a terminal `save` and `export` write in the background and nothing waits for the
    // betweenness; a script gets the same output on every run (`.background on` changes it).
    repl_session session(g, *graph_path, {*json, terminal, terminal});
    ctx.exit_code = session.run(terminal, std::cin, std::cout, std::cerr);
  });
}

}  // namespace newsgraph::cli
