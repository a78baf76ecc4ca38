// Time and peak memory of every export format on a synthetic graph.
//
//   export_bench [--actors N] [--statements M] [--seed S] [--out DIR] [--timeout SECONDS] [FORMAT...]
//
// Defaults: 100,000 actors, 300,000 statements, seed 1, /tmp/newsgraph-export-bench, 900 s per
// format, every format. svg and png of more than 5,000 actors use newsgraph's own layout (see
// render() in export.h; the notice on stderr says so). Each format runs in a forked child holding
// the built graph, so its peak
// RSS (getrusage of the child) is the graph plus what that export adds, unaffected by the others;
// "graph_rss_mb" is the parent's RSS with the graph resolved, before any export.
// Output: one key=value line per format on stdout: wall seconds, CPU seconds (user + system of the
// child, less sensitive to a busy machine), peak RSS and output size.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "newsgraph/export.h"
#include "synthetic_graph.h"

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

double current_rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

std::uintmax_t output_size(const std::filesystem::path& path) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) return 0;
  if (!fs::is_directory(path)) return fs::file_size(path);
  std::uintmax_t total = 0;
  for (const auto& entry : fs::directory_iterator(path)) total += entry.file_size();
  return total;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t actors = 100000, statements = 300000;
  unsigned seed = 1;
  unsigned timeout = 900;
  std::string out_dir = "/tmp/newsgraph-export-bench";
  std::vector<std::string> formats;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::cerr << "export_bench: " << arg << " needs a value\n";
        std::exit(1);
      }
      return argv[++i];
    };
    if (arg == "--actors") actors = std::stoul(value());
    else if (arg == "--statements") statements = std::stoul(value());
    else if (arg == "--seed") seed = static_cast<unsigned>(std::stoul(value()));
    else if (arg == "--out") out_dir = value();
    else if (arg == "--timeout") timeout = static_cast<unsigned>(std::stoul(value()));
    else formats.push_back(arg);
  }
  if (formats.empty()) formats = {"dot", "jsonld", "nquads", "turtle", "graphml", "csv", "cypher", "svg", "png"};

  const auto t0 = clock_type::now();
  const auto graph = newsgraph::make_synthetic_graph(actors, statements, seed);
  std::cout << "graph actors=" << boost::num_vertices(graph.graph()) << " relations=" << boost::num_edges(graph.graph())
            << " statements=" << graph.statement_count() << " build_s=" << since(t0)
            << " graph_rss_mb=" << current_rss_mb() << std::endl;
  std::filesystem::create_directories(out_dir);

  int failures = 0;
  for (const auto& name : formats) {
    const auto format = newsgraph::parse_export_format(name);
    const auto path = std::filesystem::path(out_dir) / (name == "csv" ? std::string("csv") : "graph." + name);
    std::filesystem::remove_all(path);
    const auto start = clock_type::now();
    const pid_t child = fork();
    if (child < 0) {
      std::perror("export_bench: fork");
      return 1;
    }
    if (child == 0) {
      alarm(timeout);  // what does not finish (Graphviz laying out 100,000 nodes did not) ends by SIGALRM
      try {
        newsgraph::export_graph(graph, format, path.string(), std::cout);
      } catch (const std::exception& e) {
        std::cerr << "export_bench: " << name << ": " << e.what() << '\n';
        _exit(1);
      }
      _exit(0);
    }
    int status = 0;
    rusage usage{};
    wait4(child, &status, 0, &usage);
    const double seconds = since(start);
    const double cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                       static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
    std::cout << "format=" << name << " seconds=" << seconds << " cpu_seconds=" << cpu
              << " peak_rss_mb=" << static_cast<double>(usage.ru_maxrss) / 1024.0
              << " output_mb=" << static_cast<double>(output_size(path)) / (1024.0 * 1024.0);
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) std::cout << " result=timeout(" << timeout << "s)";
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) std::cout << " result=failed";
    else std::cout << " result=ok";
    std::cout << std::endl;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) ++failures;
  }
  return failures == 0 ? 0 : 2;
}
