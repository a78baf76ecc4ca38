// The query layer (relation keys, forgiving lookup, triple patterns, Boost.Graph algorithms) and
// the REPL session on top of it, on small graphs built here from statements.
#include <doctest/doctest.h>

#include <boost/graph/betweenness_centrality.hpp>
#include <boost/graph/page_rank.hpp>

#include <unistd.h>

#include <array>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

#include "distinct_names.h"
#include "newsgraph/export.h"
#include "newsgraph/query.h"
#include "repl.h"

using namespace newsgraph;

namespace {

mention person(const std::string& doc, const std::string& name, actor_type type = actor_type::person) {
  return {doc, {0, 1}, name, name, type, ""};
}

triple statement(const mention& s, const std::string& relation, const mention& o, bool symmetric = false) {
  triple t;
  t.subject = s;
  t.object = o;
  t.relation = relation;
  t.relation_surface = relation;
  t.sentence_text = s.text + " " + relation + " " + o.text + ".";
  t.confidence = 0.5F;
  t.symmetric = symmetric;
  return t;
}

document doc(const std::string& id) { return {id, "text", std::nullopt, std::nullopt, std::nullopt}; }

// Borrell replies to Lavrov, Blinken meets Borrell, Lavrov and Blinken accuse Russia; two
// Milibands share a surname; Ardern and Hipkins are a component of their own.
knowledge_graph sample_graph() {
  knowledge_graph g;
  const auto russia = person("d1", "Russia", actor_type::country);
  g.add_document(doc("d1"), {statement(person("d1", "Josep Borrell"), "reply to", person("d1", "Sergey Lavrov")),
                             statement(person("d1", "Antony Blinken"), "meet with", person("d1", "Josep Borrell"), true),
                             statement(person("d1", "Sergey Lavrov"), "accuse", russia),
                             statement(person("d1", "Antony Blinken"), "accuse", russia),
                             statement(person("d1", "David Miliband"), "meet", person("d1", "Keir Starmer")),
                             statement(person("d1", "Ed Miliband"), "call", person("d1", "Keir Starmer")),
                             statement(person("d1", "Jacinda Ardern"), "meet", person("d1", "Chris Hipkins"))});
  g.add_document(doc("d2"), {statement(person("d2", "Lavrov"), "warn", person("d2", "Pedro Sánchez"))});
  g.resolve();
  return g;
}

std::string name(const query_engine& q, vertex_id v) { return q.graph().graph()[v].name; }

}  // namespace

TEST_CASE("relation keys meet across inflections") {
  CHECK(relation_key("replied to") == relation_key("reply to"));
  CHECK(relation_key("replies to") == relation_key("reply to"));
  CHECK(relation_key("met") == relation_key("meet"));
  CHECK(relation_key("meets with") == relation_key("meet with"));
  CHECK(relation_key("accused") == relation_key("accuse"));
  CHECK(relation_key("accusing") == relation_key("accuse"));
  CHECK(relation_key("criticized") == relation_key("criticise"));
  CHECK(relation_key("stopped") == relation_key("stop"));
  CHECK(relation_key("Sent") == relation_key("send"));
  CHECK(relation_key("warn") != relation_key("want"));
  CHECK(relation_key_matches(relation_key("meet"), relation_key("meet with")));
  CHECK(relation_key_matches(relation_key("replied to"), relation_key("reply to")));
  CHECK_FALSE(relation_key_matches(relation_key("reply to"), relation_key("reply")));
  CHECK_FALSE(relation_key_matches(relation_key("me"), relation_key("meet")));
}

TEST_CASE("optimal string alignment distance") {
  CHECK(osa_distance("lavrow", "lavrov", 2) == 1);
  CHECK(osa_distance("lavorv", "lavrov", 2) == 1);  // one transposition
  CHECK(osa_distance("kitten", "sitting", 5) == 3);
  CHECK(osa_distance("kitten", "sitting", 1) == 2);  // gives up past the limit
  CHECK(osa_distance("", "abc", 3) == 3);
}

TEST_CASE("forgiving actor lookup") {
  const auto g = sample_graph();
  const query_engine q(g);
  SUBCASE("case, accents and aliases") {
    CHECK(name(q, q.find("sergey LAVROV")) == "Sergey Lavrov");
    CHECK(name(q, q.find("pedro sanchez")) == "Pedro Sánchez");
    CHECK(name(q, q.find("Lavrov")) == "Sergey Lavrov");
    CHECK(q.lookup().match("Lavrov").kind == match_kind::alias);
  }
  SUBCASE("surnames and words of a name") {
    CHECK(name(q, q.find("Borrell")) == "Josep Borrell");
    CHECK(q.lookup().match("Borrell").kind == match_kind::surname);
    CHECK(name(q, q.find("Jacinda")) == "Jacinda Ardern");
    CHECK(q.lookup().match("Jacinda").kind == match_kind::word);
  }
  SUBCASE("misspellings within the edit threshold") {
    CHECK(name(q, q.find("lavrow")) == "Sergey Lavrov");
    CHECK(q.lookup().match("lavrow").kind == match_kind::fuzzy);
    CHECK(name(q, q.find("Sergei Lavrow")) == "Sergey Lavrov");
    CHECK(name(q, q.find("borell")) == "Josep Borrell");
    CHECK(q.lookup().match("borel").candidates.empty());  // two edits in five letters: too far
    CHECK(q.lookup().match("lvrw").candidates.empty());  // two edits in four letters is another word
    CHECK(q.lookup().match("Rusia").candidates.size() == 1);
  }
  SUBCASE("an ambiguous name lists the candidates") {
    CHECK(q.lookup().match("Miliband").candidates.size() == 2);
    CHECK_THROWS_WITH_AS(q.find("Miliband"), "'Miliband' is ambiguous: David Miliband or Ed Miliband (quote the full name)",
                         query_error);
  }
  SUBCASE("an unknown name") {
    CHECK_THROWS_WITH_AS(q.find("Nobody"), "no actor named 'Nobody' (try 'actors')", query_error);
  }
  SUBCASE("completion of several words") {
    CHECK(q.lookup().complete("sergey l", 10) == std::vector<std::string>{"Sergey Lavrov"});
    CHECK(q.lookup().complete("Mil", 10).empty());  // completion is by the start of a name
    CHECK(q.lookup().complete("e", 10) == std::vector<std::string>{"Ed Miliband"});
  }
}

TEST_CASE("triple patterns") {
  const auto g = sample_graph();
  const query_engine q(g);
  auto run = [&](std::string_view line) { return q.match(parse_patterns(split_words(line))); };
  SUBCASE("a variable subject, inflected relation, forgiven object") {
    const auto r = run("?x \"replied to\" \"sergey lavrov\"");
    CHECK(r.variables == std::vector<std::string>{"x"});
    CHECK(r.rows == std::vector<std::vector<std::string>>{{"Josep Borrell"}});
  }
  SUBCASE("a join on a shared variable; symmetric relations match both ways") {
    const auto r = run("?x meet ?y . ?y accuse Russia");
    CHECK(r.variables == std::vector<std::string>{"x", "y"});
    CHECK(r.rows == std::vector<std::vector<std::string>>{{"Josep Borrell", "Antony Blinken"}});
  }
  SUBCASE("a relation variable") {
    const auto r = run("Lavrov ?r ?who");
    CHECK(r.rows == std::vector<std::vector<std::string>>{{"accuse", "Russia"}, {"warn", "Pedro Sánchez"}});
  }
  SUBCASE("no solution is an empty table") { CHECK(run("?x accuse \"Keir Starmer\"").rows.empty()); }
  SUBCASE("bad syntax names the bad part") {
    CHECK_THROWS_WITH_AS(run("?x reply to Lavrov"),
                         "pattern '?x reply to Lavrov' has 4 terms; a pattern is SUBJECT RELATION OBJECT (quote names of "
                         "several words: ?x \"reply to\" \"Sergey Lavrov\")",
                         query_error);
    CHECK_THROWS_WITH_AS(run("?x meet ?y . . ?y accuse Russia"), "empty pattern: a '.' joins two patterns", query_error);
    CHECK_THROWS_WITH_AS(run("?x-y meet ?y"), "bad variable '?x-y' (a variable is ? and letters, digits or _: ?x, ?who)",
                         query_error);
    CHECK_THROWS_WITH_AS(run("?x \"reply to"), "unclosed quote", query_error);
    CHECK_THROWS_WITH_AS(run("?x praise ?y"), "no relation 'praise' in the graph (try 'relations')", query_error);
    CHECK_THROWS_WITH_AS(run("?x ?x ?y"), "?x stands for a relation in one pattern and an actor in another", query_error);
  }
}

TEST_CASE("graph algorithms") {
  const auto g = sample_graph();
  const query_engine q(g);
  const auto borrell = q.find("Josep Borrell"), lavrov = q.find("Sergey Lavrov"), blinken = q.find("Antony Blinken");
  SUBCASE("components of the undirected view") {
    CHECK(q.component_count() == 3);
    CHECK(q.component_of()[borrell] == q.component_of()[lavrov]);
    CHECK(q.component_of()[borrell] != q.component_of()[q.find("Jacinda Ardern")]);
  }
  SUBCASE("a shortest path with the edge of each step") {
    const auto path = q.shortest_path(blinken, q.find("Pedro Sanchez"));
    REQUIRE(path.has_value());
    REQUIRE(path->size() == 3);
    CHECK((*path)[0].from == blinken);
    CHECK((*path)[1].to == lavrov);  // through Borrell or Russia: both are three steps
    CHECK((*path)[2].to == q.find("Pedro Sanchez"));
    for (const auto& step : *path) {
      const auto s = boost::source(step.edge, g.graph()), t = boost::target(step.edge, g.graph());
      CHECK(((s == step.from && t == step.to) || (s == step.to && t == step.from)));
    }
    CHECK_FALSE(q.shortest_path(blinken, q.find("Jacinda Ardern")).has_value());
    CHECK(q.shortest_path(blinken, blinken)->empty());
  }
  SUBCASE("betweenness is exact on a small graph; the bridge ranks first") {
    const auto& b = q.betweenness();
    CHECK(b.exact);
    // Lavrov joins Sánchez to the rest of his component.
    CHECK(b.score[lavrov] > b.score[borrell]);
    CHECK(b.score[q.find("Pedro Sanchez")] == doctest::Approx(0.0));
    CHECK(b.score[q.find("Keir Starmer")] == doctest::Approx(1.0));  // the two Milibands meet only through him
  }
  SUBCASE("PageRank favours the actor acted upon") {
    const auto& rank = q.pagerank();
    CHECK(rank[q.find("Keir Starmer")] > rank[q.find("Ed Miliband")]);
    CHECK(rank[q.find("Russia")] > rank[blinken]);
  }
}

TEST_CASE("the REPL session") {
  auto g = sample_graph();
  cli::repl_session session(g, "unused.ngraph");
  std::ostringstream out;
  auto run = [&](std::string_view line) {
    out.str("");
    session.execute(line, out);
    return out.str();
  };
  SUBCASE("unknown commands suggest the closest one") {
    CHECK_THROWS_WITH_AS(run("shwo Lavrov"), "unknown command 'shwo'; did you mean 'show'? (type 'help' for the list)",
                         cli::command_error);
    CHECK_THROWS_WITH_AS(run("pth a b"), "unknown command 'pth'; did you mean 'path'? (type 'help' for the list)",
                         cli::command_error);
    CHECK_THROWS_WITH_AS(run("frobnicate"), "unknown command 'frobnicate' (type 'help' for the list)", cli::command_error);
  }
  SUBCASE("an ambiguous actor, a bad pattern and a bad option are command errors") {
    CHECK_THROWS_WITH_AS(run("show Miliband"), "'Miliband' is ambiguous: David Miliband or Ed Miliband (quote the full name)",
                         cli::command_error);
    CHECK_THROWS_WITH_AS(run("?x reply to Lavrov"),
                         "pattern '?x reply to Lavrov' has 4 terms; a pattern is SUBJECT RELATION OBJECT (quote names of "
                         "several words: ?x \"reply to\" \"Sergey Lavrov\")",
                         cli::command_error);
    CHECK_THROWS_WITH_AS(run("actors --top x"), "--top needs a positive number, not 'x'", cli::command_error);
    CHECK_THROWS_WITH_AS(run("actors --by fame"), "unknown ranking 'fame' (expected degree, pagerank or betweenness)",
                         cli::command_error);
    CHECK_THROWS_WITH_AS(run("show --in Lavrov"), "unknown option '--in' for 'show' (it takes none)", cli::command_error);
    CHECK_THROWS_WITH_AS(run("neighbors Lavrov --relation"), "option --relation needs a value (R)", cli::command_error);
    CHECK_THROWS_WITH_AS(run("sources Borrell reply to Lavrov"),
                         "usage: sources A REL B (quote words that belong together: sources Borrell \"reply to\" Lavrov)",
                         cli::command_error);
    CHECK(run("stats").starts_with("documents\t2\n"));  // the session survives
  }
  SUBCASE("commands") {
    CHECK(run("?x \"replied to\" lavrow") == "?x\nJosep Borrell\n");
    CHECK(run("between Borrell Lavrov") == "Josep Borrell\treply to\tSergey Lavrov\t1\n");
    CHECK(run("path Antony Blinken Pedro Sanchez").starts_with("Antony Blinken -> Pedro Sánchez: 3 steps\n"));
    CHECK(run("sources Borrell replied Lavrov") == "d1\t\treply to\tJosep Borrell reply to Sergey Lavrov.\n");
    CHECK(run("neighbors Blinken --out --relation accuse") == "out\taccuse\tRussia\t1\n");
    CHECK(run("actors --top 1") == "Sergey Lavrov\tperson\t3\n");
    CHECK(run("actors country") == "Russia\tcountry\t2\n");
  }
  SUBCASE("JSON mode writes one object per command") {
    run(".json on");
    CHECK(run("between Borrell Lavrov") ==
          "{\"command\":\"between\",\"result\":[{\"subject\":\"Josep Borrell\",\"relation\":\"reply to\",\"object\":\"Sergey "
          "Lavrov\",\"count\":1}]}\n");
    CHECK(run("?x accuse Russia") ==
          "{\"command\":\"pattern\",\"result\":{\"variables\":[\"x\"],\"rows\":[{\"x\":\"Antony Blinken\"},{\"x\":\"Sergey "
          "Lavrov\"}]}}\n");
    std::ostringstream err;
    bool quit = false;
    out.str("");
    CHECK_FALSE(session.run_line("show Nobody", out, err, "error: ", quit));
    CHECK(out.str() == "{\"command\":\"show\",\"error\":\"no actor named 'Nobody' (try 'actors')\"}\n");
    CHECK(err.str() == "error: no actor named 'Nobody' (try 'actors')\n");
  }
  SUBCASE("completion: commands, flags, their values, names of several words") {
    using candidates = std::vector<std::string>;
    CHECK(session.complete("pa").candidates == candidates{"path"});
    CHECK(session.complete("actors --").candidates == candidates{"--top", "--by"});
    CHECK(session.complete("actors --by p").candidates == candidates{"pagerank"});
    const auto show = session.complete("show sergey l");
    CHECK(show.start == 5);
    CHECK(show.candidates == candidates{"Sergey Lavrov"});
    CHECK(session.complete("path Antony").candidates == candidates{"\"Antony Blinken\""});
    const auto quoted = session.complete("path \"Antony Blinken\" \"Josep B");
    CHECK(quoted.start == 23);
    CHECK(quoted.candidates == candidates{"Josep Borrell\""});
    CHECK(session.complete("sources Borrell rep").candidates == candidates{"\"reply to\""});
    CHECK(session.complete("neighbors --relation acc").candidates == candidates{"accuse"});
    CHECK(session.complete("neighbors --in Jac").candidates == candidates{"Jacinda Ardern"});
  }
}

namespace {

// What a query engine answers, in a form that does not depend on vertex numbers.
std::vector<std::string> engine_answers(const query_engine& q) {
  const auto& g = q.graph().graph();
  std::vector<std::string> out;
  for (std::size_t i = 0; i < q.labels().size(); ++i) {
    std::vector<std::string> ends;
    for (const auto& e : q.edges_of_label(i)) ends.push_back(g[boost::source(e, g)].name + ">" + g[boost::target(e, g)].name);
    std::sort(ends.begin(), ends.end());
    std::string line = q.labels()[i] + ":";
    for (const auto& x : ends) line.append(" ").append(x);
    out.push_back(line);
  }
  std::string ranking = "degree:";
  for (auto v : q.ranking("degree")) ranking.append(" ").append(g[v].name).append("=").append(std::to_string(q.statement_degree()[v]));
  out.push_back(ranking);
  out.push_back("components: " + std::to_string(q.component_count()));
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    for (const auto& a : g[v].aliases) {
      const auto m = q.lookup().match(a.text);
      std::string line = "lookup " + a.text + ":";
      for (auto c : m.candidates) line.append(" ").append(g[c].name);
      out.push_back(line);
    }
  for (const auto& prefix : {"", "a", "j", "m", "s"}) {
    std::string line = "complete ";
    for (const auto& c : q.lookup().complete(prefix, 100)) line.append(c).append("|");
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("centralities") {
  const auto g = sample_graph();
  const auto& graph = g.graph();
  SUBCASE("PageRank is Boost's, to the bit") {
    std::vector<double> boost_rank(boost::num_vertices(graph));
    boost::graph::page_rank(graph, boost::make_iterator_property_map(boost_rank.begin(), boost::get(boost::vertex_index, graph)),
                            boost::graph::n_iterations(20), 0.85);
    CHECK(compute_pagerank(graph) == boost_rank);
  }
  SUBCASE("betweenness from every actor is Brandes' exact betweenness") {
    // Boost's Brandes on an undirected graph counts each unordered pair once, as ours does.
    using undirected = boost::adjacency_list<boost::vecS, boost::vecS, boost::undirectedS>;
    undirected u(boost::num_vertices(graph));
    for (auto e : boost::make_iterator_range(boost::edges(graph)))
      if (!boost::edge(boost::source(e, graph), boost::target(e, graph), u).second)
        boost::add_edge(boost::source(e, graph), boost::target(e, graph), u);
    std::vector<double> exact(boost::num_vertices(graph));
    boost::brandes_betweenness_centrality(u, boost::make_iterator_property_map(exact.begin(), boost::get(boost::vertex_index, u)));
    const auto b = compute_betweenness(graph, boost::num_vertices(graph));
    CHECK(b.exact);
    REQUIRE(b.score.size() == exact.size());
    for (std::size_t v = 0; v < exact.size(); ++v) CHECK(b.score[v] == doctest::Approx(exact[v]));
    CHECK(compute_centralities(graph).betweenness_exact);  // a small graph fits the budget
  }
  SUBCASE("betweenness from some actors is their dependencies scaled up") {
    // Path a - b - c - d - e, one pivot (vertex 0): a vertex lies on the shortest paths from the
    // pivot to every vertex beyond it; scaled by |V| / k / 2 = 5 / 2.
    knowledge_graph path;
    const char* names[] = {"Anna Alpha", "Bruno Beta", "Clara Gamma", "Dmitri Delta", "Elena Epsilon"};
    std::vector<triple> ts;
    for (int i = 0; i < 4; ++i) ts.push_back(statement(person("d", names[i]), "call", person("d", names[i + 1])));
    path.add_document(doc("d"), ts);
    path.resolve();
    const auto b = compute_betweenness(path.graph(), 1);
    CHECK_FALSE(b.exact);
    CHECK(b.sources == 1);
    std::vector<int> position(5);
    for (int i = 0; i < 5; ++i) position[*path.find_actor(names[i])] = i;
    const int pivot = position[0];
    std::vector<double> expected(5, 0.0);
    for (vertex_id v = 0; v < 5; ++v) {
      const int p = position[v];
      if (p != pivot) expected[v] = (p > pivot ? 4 - p : p) * 2.5;
    }
    CHECK(b.score == expected);
    const auto all = compute_betweenness(path.graph(), 5);
    CHECK(all.exact);
    for (vertex_id v = 0; v < 5; ++v) CHECK(all.score[v] == std::vector<double>{0, 3, 4, 3, 0}[static_cast<std::size_t>(position[v])]);
  }
  SUBCASE("the engine uses the graph's centralities, or computes them in the background") {
    auto copy = sample_graph();
    const auto scores = compute_centralities(copy.graph());
    {
      const query_engine q(copy);
      q.compute_centralities_in_background();
      CHECK(q.pagerank() == scores.pagerank);
      CHECK(q.betweenness().score == scores.betweenness);
      CHECK(q.centralities() == scores);
      CHECK(q.ready_centralities() == scores);
    }
    auto stored = scores;
    stored.pagerank[0] = 42;  // the engine must read these, not compute its own
    copy.set_centralities(stored);
    const query_engine q(copy);
    CHECK(q.pagerank()[0] == 42);
    CHECK(q.ranking("pagerank").front() == 0);
  }
}

TEST_CASE("the query engine follows merge and split without being rebuilt") {
  auto g = sample_graph();
  query_engine q(g);
  q.prepare();
  q.compute_centralities_in_background();
  // Every chain between two actors, each hop by its relation: asked of the updated engine right
  // after the change, which searches without the undirected view (the update dropped it), and of
  // a prepared fresh one, which searches the view.
  std::size_t unreachable = 0;  // pairs in different components, over all the changes
  auto paths = [&](const query_engine& e) {
    std::vector<std::string> out;
    const auto& graph = g.graph();
    for (auto a : boost::make_iterator_range(boost::vertices(graph)))
      for (auto b : boost::make_iterator_range(boost::vertices(graph))) {
        const auto chain = e.shortest_path(a, b);
        std::string line = graph[a].name + " to " + graph[b].name + ":";
        if (!chain) line += " none";
        else
          for (const auto& step : *chain) line.append(" ").append(graph[step.edge].label).append(" ").append(graph[step.to].name);
        out.push_back(std::move(line));
      }
    return out;
  };
  auto check = [&](const graph_change& change) {
    REQUIRE_FALSE(change.whole);
    q.update(change);
    const query_engine fresh(g);
    fresh.prepare();
    fresh.stop_background();
    const auto chains = paths(q);
    unreachable += static_cast<std::size_t>(std::count_if(chains.begin(), chains.end(), [](const auto& c) { return c.ends_with(" none"); }));
    CHECK(chains == paths(fresh));
    CHECK(engine_answers(q) == engine_answers(fresh));
    CHECK(q.pagerank() == compute_pagerank(g.graph()));
  };
  q.stop_background();
  check(g.merge("Keir Starmer", "Jacinda Ardern"));
  check(g.merge("Chris Hipkins", "Russia"));  // joins two components
  check(g.split("Keir Starmer"));
  check(g.split("Lavrov"));
  check(g.merge("Pedro Sanchez", "Josep Borrell"));
  CHECK(unreachable > 0);
}

TEST_CASE("REPL merge and split answer from the updated graph") {
  auto g = sample_graph();
  cli::repl_session session(g, "unused.ngraph");
  std::ostringstream out;
  auto run = [&](std::string_view line) {
    out.str("");
    session.execute(line, out);
    return out.str();
  };
  session.prepare();
  CHECK(run("merge \"Keir Starmer\" \"Jacinda Ardern\"").starts_with("merged Keir Starmer and Jacinda Ardern into "));
  CHECK(run("stats") == "documents\t2\nactors\t9\nrelations\t8\nstatements\t8\ncomponents\t2\n");
  CHECK(run("path \"David Miliband\" \"Chris Hipkins\"").starts_with("David Miliband -> Chris Hipkins: 2 steps\n"));
  CHECK(run("split Lavrov") == "split Lavrov from Sergey Lavrov ('save' writes it)\n");
  CHECK(run("neighbors Lavrov") == "out\twarn\tPedro Sánchez\t1\n");
  CHECK(run("actors --by pagerank --top 1").starts_with("Russia\tcountry\t"));
  auto fresh_graph = g;  // the session's answers equal those of a session started on the result
  cli::repl_session fresh(fresh_graph, "unused.ngraph");
  for (const auto* line : {"actors", "relations", "actors --by betweenness", "show Keir Starmer", "?x ?r ?y"}) {
    std::ostringstream a, b;
    session.execute(line, a);
    fresh.execute(line, b);
    CHECK(a.str() == b.str());
  }
}

// ---- background writes and stale betweenness (repl.h: background mode) -------------------------

namespace {

// Unique per process: ctest runs test programs in parallel.
std::string temporary_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("newsgraph-test-query-" + std::to_string(::getpid()) + "-" + name)).string();
}

std::string file_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// An environment variable for one scope (fault injection).
struct scoped_environment {
  std::string name;
  scoped_environment(std::string n, const char* value) : name(std::move(n)) { ::setenv(name.c_str(), value, 1); }
  ~scoped_environment() { ::unsetenv(name.c_str()); }
};

// A graph as a graph file loads it: with its centralities.
knowledge_graph loaded_sample() {
  auto g = sample_graph();
  g.set_centralities(compute_centralities(g.graph()));
  return g;
}

std::map<std::string, double> betweenness_by_name(const knowledge_graph& g, const std::vector<double>& score) {
  std::map<std::string, double> out;
  for (auto v : boost::make_iterator_range(boost::vertices(g.graph()))) out[g.graph()[v].name] = score.at(v);
  return out;
}

}  // namespace

TEST_CASE("REPL background writes") {
  std::ostringstream out, err;
  auto run = [&](cli::repl_session& s, std::string_view line) {
    out.str("");
    err.str("");
    s.execute(line, out, err);
    return out.str();
  };
  const cli::repl_options background{false, false, true};

  SUBCASE("a background save writes what a synchronous save writes, and returns at once") {
    auto g = loaded_sample(), copy = g;
    const auto sync_path = temporary_path("sync.ngraph"), background_path = temporary_path("background.ngraph");
    cli::repl_session sync(g, sync_path), session(copy, background_path, background);
    CHECK(run(sync, "save") == "saved " + sync_path + "\n");
    auto said = run(session, "save");
    CHECK(said.starts_with("saving " + background_path + " in the background (pid "));
    out.str("");
    CHECK(session.report_jobs(out, err, true) == 0);
    said += out.str();
    CHECK(lines_of(said).size() == 2);
    CHECK(said.ends_with(")\nsaved " + background_path + "\n"));  // reported once, whenever it ended
    CHECK(err.str().find("error") == std::string::npos);
    CHECK(session.running_jobs() == 0);
    CHECK(file_bytes(background_path) == file_bytes(sync_path));
    const auto loaded = knowledge_graph::load(background_path);
    CHECK(boost::num_vertices(loaded.graph()) == boost::num_vertices(g.graph()));
    std::filesystem::remove(sync_path);
    std::filesystem::remove(background_path);
  }
  SUBCASE("two saves in a row end with the newest state; a merge after a save is unsaved again") {
    auto g = loaded_sample();
    const auto path = temporary_path("twice.ngraph");
    cli::repl_session session(g, path);
    std::istringstream script(".background on\nmerge \"Keir Starmer\" \"Jacinda Ardern\"\nsave\nmerge \"Chris Hipkins\" Russia\nsave\n");
    CHECK(session.run(false, script, out, err) == 0);
    const auto said = lines_of(out.str());
    CHECK(std::count_if(said.begin(), said.end(), [&](const std::string& l) { return l == "saved " + path; }) == 2);
    CHECK(err.str().find("not saved") == std::string::npos);
    const auto loaded = knowledge_graph::load(path);
    CHECK(loaded.find_actor("Chris Hipkins") == loaded.find_actor("Russia"));
    CHECK(loaded.find_actor("Keir Starmer") == loaded.find_actor("Jacinda Ardern"));

    auto again = loaded_sample();
    cli::repl_session edited(again, path);
    std::istringstream more(".background on\nsave\nmerge \"Keir Starmer\" \"Jacinda Ardern\"\n");
    out.str("");
    err.str("");
    CHECK(edited.run(false, more, out, err) == 0);
    CHECK(err.str().ends_with("newsgraph: merges or splits were not saved ('save' writes them)\n"));
    std::filesystem::remove(path);
  }
  SUBCASE("a failing background export reports its one-line error and sets the exit status") {
    auto g = loaded_sample();
    cli::repl_session session(g, "unused.ngraph");
    std::istringstream script(".background on\nexport dot /nonexistent-dir/g.dot\nstats\n");
    CHECK(session.run(false, script, out, err) == 1);
    CHECK(session.failed_jobs() == 1);
    CHECK(out.str().starts_with("background on\nwriting /nonexistent-dir/g.dot in the background (pid "));
    CHECK(out.str().find("wrote") == std::string::npos);
    const auto errors = lines_of(err.str());
    CHECK(std::count(errors.begin(), errors.end(), "error: /nonexistent-dir/g.dot: cannot open for writing") == 1);
    // The same error, synchronously: the message names FILE, not the temporary file beside it.
    cli::repl_session sync(g, "unused.ngraph");
    CHECK_THROWS_WITH_AS(run(sync, "export dot /nonexistent-dir/g.dot"), "/nonexistent-dir/g.dot: cannot open for writing",
                         export_error);

    std::istringstream json(".json on\n.background on\nexport jsonld /nonexistent-dir/g.jsonld\n");
    out.str("");
    err.str("");
    cli::repl_session other(g, "unused.ngraph");
    CHECK(other.run(false, json, out, err) == 1);
    const auto objects = lines_of(out.str());
    REQUIRE(objects.size() == 4);
    CHECK(objects[2].starts_with("{\"command\":\"export\",\"result\":{\"format\":\"jsonld\",\"file\":\"/nonexistent-dir/g.jsonld\",\"pid\":"));
    CHECK(objects[3].starts_with("{\"job\":\"export\",\"pid\":"));
    CHECK(objects[3].ends_with(",\"error\":\"/nonexistent-dir/g.jsonld: cannot open for writing\"}"));
  }
  SUBCASE("exports replace their file whole, in both modes") {
    auto g = loaded_sample();
    const auto dot = temporary_path("export.dot");
    cli::repl_session session(g, "unused.ngraph");
    CHECK(run(session, "export dot " + dot) == "wrote " + dot + "\n");
    const auto sync_bytes = file_bytes(dot);
    CHECK(sync_bytes.starts_with("digraph"));
    run(session, ".background on");
    std::string said = run(session, "export dot " + dot);
    said += run(session, "export dot " + dot);  // waits for the first: one file, never two writers
    out.str("");
    CHECK(session.report_jobs(out, err, true) == 0);
    said += out.str();
    const auto lines = lines_of(said);
    CHECK(std::count(lines.begin(), lines.end(), "wrote " + dot) == 2);
    CHECK(file_bytes(dot) == sync_bytes);
    for (const auto& f : std::filesystem::directory_iterator(std::filesystem::temp_directory_path()))
      CHECK_FALSE(f.path().filename().string().starts_with(std::filesystem::path(dot).filename().string() + ".tmp."));
    std::filesystem::remove(dot);
  }
}

TEST_CASE("betweenness carried over merge and split") {
  auto g = sample_graph();
  const auto before = compute_betweenness(g.graph(), boost::num_vertices(g.graph()));
  const auto old_scores = betweenness_by_name(g, before.score);
  SUBCASE("a merged actor gets the larger of its parts' scores; the others keep theirs") {
    // Vertex numbers move (the last actor takes the number of the one merged away): by name.
    const auto change = g.merge("Josep Borrell", "Pedro Sanchez");
    const auto after = carry_over(before, change, boost::num_vertices(g.graph()));
    CHECK(after.stale);
    CHECK(after.exact == before.exact);
    const auto merged = *g.find_actor("Josep Borrell");
    CHECK(*g.find_actor("Pedro Sanchez") == merged);
    CHECK(old_scores.at("Josep Borrell") > 0);
    for (const auto& actor : betweenness_by_name(g, after.score)) {
      CAPTURE(actor.first);  // (clang 14 captures no structured binding in a lambda)
      if (*g.find_actor(actor.first) == merged)
        CHECK(actor.second == std::max(old_scores.at("Josep Borrell"), old_scores.at("Pedro Sánchez")));
      else
        CHECK(actor.second == old_scores.at(actor.first));
    }
  }
  SUBCASE("an alias split off gets 0; the actor it left keeps its score") {
    const auto change = g.split("Lavrov");
    const auto after = betweenness_by_name(g, carry_over(before, change, boost::num_vertices(g.graph())).score);
    CHECK(after.size() == old_scores.size() + 1);
    CHECK(after.at("Lavrov") == 0);
    for (const auto& [name, score] : old_scores) CHECK(after.at(name) == score);
  }
}

TEST_CASE("REPL betweenness right after a merge: from the scores before, marked, until the new ones") {
  auto g = loaded_sample();
  const auto old_scores = betweenness_by_name(g, g.centralities()->betweenness);
  cli::repl_session session(g, "unused.ngraph", {false, false, true});
  session.prepare();
  std::ostringstream out, err;
  auto run = [&](std::string_view line) {
    out.str("");
    err.str("");
    session.execute(line, out, err);
    return out.str();
  };
  const std::string note = "(betweenness from before the last merge; recomputing in the background)\n";
  {
    // A recomputation that would end at once on this graph is held for a minute (or until the
    // next change cancels it): the ranking must not wait for it.
    const scoped_environment slow("NEWSGRAPH_TEST_BETWEENNESS_DELAY_MS", "60000");
    run("merge \"Josep Borrell\" \"Pedro Sanchez\"");
  }
  const auto started = std::chrono::steady_clock::now();
  const auto top = lines_of(run("actors --by betweenness --top 3"));
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(10));
  REQUIRE(top.size() == 3);
  CHECK(top[0] == "Sergey Lavrov\tperson\t3.5");  // the bridge of the sample, as before the merge
  CHECK(err.str() == note);
  // The full ranking, sorted from the same scores: the merged actor has the larger of its parts'.
  const auto all = lines_of(run("actors --by betweenness"));
  CHECK(all.size() == boost::num_vertices(g.graph()));
  CHECK(std::equal(top.begin(), top.end(), all.begin()));
  CHECK(err.str() == note);
  for (const auto& line : all) {
    CAPTURE(line);
    const auto name = line.substr(0, line.find('\t'));
    const double expected =
        name == "Josep Borrell" ? std::max(old_scores.at("Josep Borrell"), old_scores.at("Pedro Sánchez")) : old_scores.at(name);
    CHECK(std::stod(line.substr(line.rfind('\t') + 1)) == doctest::Approx(expected));
  }
  run(".json on");
  CHECK(run("actors --by betweenness --top 1") ==
        "{\"command\":\"actors\",\"result\":{\"by\":\"betweenness\",\"exact\":true,\"sources\":10,\"stale\":true,"
        "\"actors\":[{\"name\":\"Sergey Lavrov\",\"type\":\"person\",\"betweenness\":3.5}]}}\n");
  run(".json off");

  // The next change restarts the computation, unheld; the ranking after it has ended is current.
  run("split \"Pedro Sanchez\"");
  run(".background off");  // the ranking waits for the computation
  const auto current = run("actors --by betweenness");
  CHECK(err.str().empty());
  run(".background on");
  CHECK(run("actors --by betweenness") == current);
  CHECK(err.str().empty());
  auto fresh_graph = g;
  fresh_graph.set_centralities(compute_centralities(fresh_graph.graph()));
  cli::repl_session fresh(fresh_graph, "unused.ngraph");
  std::ostringstream expected;
  fresh.execute("actors --by betweenness", expected);
  CHECK(current == expected.str());
}

// ---- incremental indexes over many merges and splits (issue 7: merge during a background save) --

namespace {

using testing::code_word;

// `n` actors, each acting on two others: people "Given Surname" (every fifth also written by
// surname alone, an alias) and, every fourth, an institute.
knowledge_graph many_actors(std::size_t n) {
  static constexpr std::array<std::string_view, 6> given{"Marta", "Josef", "Elena", "Piotr", "Karim", "Sofia"};
  auto named = [&](const std::string& document, std::size_t i, bool by_surname) {
    if (i % 4 == 3) return person(document, code_word(i) + " Institute", actor_type::organization);
    auto m = person(document, std::string(given[i % given.size()]).append(" ").append(code_word(i)));
    if (by_surname) m.text = code_word(i);
    return m;
  };
  knowledge_graph g;
  std::vector<triple> ts;
  for (std::size_t i = 0; i < n; ++i) {
    const auto document = std::string("d").append(std::to_string(i / 100));  // not "d" + ...: a g++ 12 -Wrestrict false alarm
    ts.push_back(statement(named(document, i, false), "support", named(document, (i + 1) % n, false)));
    ts.push_back(statement(named(document, i, i % 5 == 0), "warn", named(document, (i * 7 + 3) % n, false)));
    if (i % 100 == 99 || i + 1 == n) g.add_document(doc(document), std::exchange(ts, {}));
  }
  g.resolve();
  return g;
}

// What a lookup answers: every name and alias of the graph and `more` (names gone, surnames,
// given names, misspellings), and completions of several prefixes at several limits.
std::vector<std::string> lookup_answers(const actor_lookup& l, const knowledge_graph& kg, const std::vector<std::string>& more) {
  const auto& g = kg.graph();
  std::vector<std::string> asked = more, out;
  for (auto v : boost::make_iterator_range(boost::vertices(g)))
    for (const auto& a : g[v].aliases) asked.push_back(a.text);
  for (const auto& name : asked) {
    const auto m = l.match(name);
    std::string line = name + " " + std::to_string(static_cast<int>(m.kind)) + ":";
    for (auto c : m.candidates) line.append(" ").append(std::to_string(c)).append("=").append(g[c].name);
    out.push_back(std::move(line));
  }
  for (const auto& prefix : {"", "b", "ma", "marta ", "kafa", "Institute"})
    for (const std::size_t limit : {1, 7, 100}) {
      std::string line = "complete " + std::string(prefix) + " " + std::to_string(limit) + ":";
      for (const auto& c : l.complete(prefix, limit)) line.append(c).append("|");
      out.push_back(std::move(line));
    }
  return out;
}

}  // namespace

TEST_CASE("the lookup and the name index follow many merges and splits as if built afresh") {
  // Enough changes to pass the bounds at which the lookup (actor_lookup::default_compact_after)
  // and the graph's name index fold their changes in: about 6 entries per merge.
  constexpr std::size_t n = 2400;
  auto g = many_actors(n);
  REQUIRE(boost::num_vertices(g.graph()) == n);  // the resolver merged none
  std::vector<std::string> names, more;
  for (auto v : boost::make_iterator_range(boost::vertices(g.graph()))) names.push_back(g.graph()[v].name);
  for (std::size_t i = 0; i < n; i += 29) {  // a sample: misspellings and names gone are looked up fuzzily
    auto misspelt = names[i];
    misspelt[misspelt.size() - 2] = misspelt[misspelt.size() - 2] == 'a' ? 'e' : 'a';
    more.insert(more.end(), {names[i], code_word(i), misspelt});
  }
  more.insert(more.end(), {"Marta", "Sofia", "Institute", "Nobody"});
  query_engine q(g);
  actor_lookup often(g, 16);  // folds its changes in every few merges
  std::size_t checks = 0;
  auto check = [&] {
    ++checks;
    const auto fresh = lookup_answers(actor_lookup(g), g, more);
    CHECK(lookup_answers(q.lookup(), g, more) == fresh);
    CHECK(lookup_answers(often, g, more) == fresh);
    // find_actor: the lowest-numbered actor with an alias of that key.
    std::map<std::string, vertex_id> first_named;
    for (auto v : boost::make_iterator_range(boost::vertices(g.graph())))
      for (const auto& a : g.graph()[v].aliases) first_named.try_emplace(name_key(a.text), v);
    for (const auto& named : first_named) {
      CAPTURE(named.first);  // (clang 14 captures no structured binding in a lambda)
      CHECK(g.find_actor(named.first) == named.second);
    }
    for (const auto& name : more) {
      CAPTURE(name);
      const auto it = first_named.find(name_key(name));
      CHECK(g.find_actor(name) == (it == first_named.end() ? std::nullopt : std::optional<vertex_id>(it->second)));
    }
  };
  auto apply = [&](const graph_change& change) {
    REQUIRE_FALSE(change.whole);
    q.update(change);
    often.update(change.actors);
  };
  SUBCASE("merges") {
    for (std::size_t k = 0; 2 * k + 1 < n; ++k) {
      apply(g.merge(names[2 * k], names[2 * k + 1]));
      if (k % 300 == 299) check();
    }
    check();
    CHECK(boost::num_vertices(g.graph()) == n / 2);
  }
  SUBCASE("merges and splits, of names and of aliases") {
    for (std::size_t k = 0; 2 * k + 1 < n; ++k) {
      apply(g.merge(names[2 * k + 1], names[2 * k]));
      if (k % 3 == 0) apply(g.split(names[2 * k]));              // the merge undone
      if ((2 * k + 1) % 5 == 0 && (2 * k + 1) % 4 != 3) apply(g.split(code_word(2 * k + 1)));  // a surname written alone leaves
      if (k % 300 == 299) check();
    }
    check();
  }
  SUBCASE("a graph file saved with changes pending holds the index of a fresh graph") {
    for (std::size_t k = 0; k < 50; ++k) apply(g.merge(names[4 * k], names[4 * k + 3]));
    apply(g.split(code_word(0)));
    const auto first = temporary_path("pending.ngraph"), second = temporary_path("reloaded.ngraph");
    g.save(first, knowledge_graph::missing_centralities::omit);
    const auto loaded = knowledge_graph::load(first);  // its name index read whole from the file
    loaded.save(second, knowledge_graph::missing_centralities::omit);
    CHECK(file_bytes(first) == file_bytes(second));
    for (const auto& name : more) {
      CAPTURE(name);
      CHECK(loaded.find_actor(name) == g.find_actor(name));
    }
    std::filesystem::remove(first);
    std::filesystem::remove(second);
    check();
  }
  CHECK(checks > 0);
}
