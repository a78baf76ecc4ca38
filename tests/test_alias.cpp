// Alias resolution: each signal on synthetic names, adversarial near-names, user rules, persistence.
// The resolver's data here is built in the test (not read from data/), so that the cases do not
// move when the shipped word lists do; one case checks that the shipped files load.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "newsgraph/alias_resolver.h"
#include "newsgraph/knowledge_graph.h"

using namespace newsgraph;

namespace {

std::shared_ptr<const alias_data> test_data() {
  auto d = std::make_shared<alias_data>();
  d->add_variants(
      "# test variants\n"
      "given\tsergey\tsergei\n"
      "given\tjosep\tjoseph\tjose\n"
      "given\tvladimir\tvolodymyr\n"
      "given\tliz\telizabeth\n"
      "given\tdavid\n"
      "given\ted\tedward\n"
      "given\tmarta\tmartha\n"
      "given\tomar\n"
      "ending\tskyy\tsky\n",
      "test");
  d->words = {"barrel", "harbour", "truss", "bridge"};
  d->canonical = {{"kremlin", "russia"}, {"usa", "united states"}, {"us", "united states"}, {"vienna", "austria"}};
  d->countries = {"russia", "united states", "austria"};
  d->demonyms = {{"austrian", "austria"}};
  return d;
}

mention named(const std::string& doc, const std::string& name, actor_type type = actor_type::person,
              const std::string& role = "", const std::string& text = "") {
  return {doc, {0, 1}, text.empty() ? name : text, name, type, role};
}

triple statement(const mention& s, const std::string& relation, const mention& o) {
  triple t;
  t.subject = s;
  t.object = o;
  t.relation = relation;
  t.relation_surface = relation;
  t.sentence_text = s.text + " " + relation + " " + o.text + ".";
  t.confidence = 0.5F;
  return t;
}

document doc(const std::string& id) { return {id, "text", std::nullopt, std::nullopt, std::nullopt}; }

struct builder {
  knowledge_graph g;
  int next = 0;
  builder() { g.set_alias_data(test_data()); }
  // One document holding the given statements.
  builder& add(std::vector<triple> triples) {
    const auto id = std::string("d").append(std::to_string(next++));
    for (auto& t : triples) t.subject.document_id = t.object.document_id = id;
    g.add_document(doc(id), triples);
    return *this;
  }
  knowledge_graph& resolved() {
    g.resolve();
    return g;
  }
};

bool same_actor(const knowledge_graph& g, const std::string& a, const std::string& b) {
  const auto va = g.find_actor(a), vb = g.find_actor(b);
  REQUIRE(va.has_value());
  REQUIRE(vb.has_value());
  return *va == *vb;
}

// path + suffix, built with append (g++ 12 warns falsely on operator+ here).
std::string joined(const std::string& path, const char* suffix) { return std::string(path).append(suffix); }

std::string temporary_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("newsgraph-alias-test-" + name)).string();
}

// The clusters of a graph as sorted lists of alias keys, for comparing two graphs.
std::vector<std::vector<std::string>> clusters(const knowledge_graph& g) {
  std::vector<std::vector<std::string>> out;
  for (auto v : boost::make_iterator_range(boost::vertices(g.graph()))) {
    std::vector<std::string> keys;
    for (const auto& a : g.graph()[v].aliases) keys.push_back(name_key(a.text));
    std::sort(keys.begin(), keys.end());
    out.push_back(keys);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("Jaro-Winkler") {
  CHECK(jaro_winkler("martha", "marhta") == doctest::Approx(0.961).epsilon(0.001));
  CHECK(jaro_winkler("dixon", "dicksonx") == doctest::Approx(0.813).epsilon(0.001));
  CHECK(jaro_winkler("abc", "abc") == 1.0);
  CHECK(jaro_winkler("abc", "xyz") == 0.0);
  CHECK(jaro_winkler("borrell", "burel") == jaro_winkler("burel", "borrell"));  // symmetric
}

TEST_CASE("Double Metaphone") {
  CHECK(double_metaphone("Smith") == std::pair<std::string, std::string>{"SM0", "XMT"});
  CHECK(double_metaphone("Schmidt") == std::pair<std::string, std::string>{"XMT", "SMT"});
  CHECK(double_metaphone("Thomas").first == "TMS");
  CHECK(double_metaphone("Knight").first == "NT");
  CHECK(double_metaphone("Philips").first == "FLPS");
  SUBCASE("misspellings of one surname share a code") {
    CHECK(double_metaphone("borrell").first == double_metaphone("burel").first);
    CHECK(double_metaphone("kowalczyk").first == double_metaphone("kowalcyk").first);
  }
  CHECK(double_metaphone("").first.empty());
}

TEST_CASE("handles split at humps or into known words") {
  const std::unordered_set<std::string> vocabulary{"truss", "liz", "enrique", "mora", "omar", "haddad"};
  CHECK(split_handle("@JosepBorrellF", {}) == std::vector<std::string>{"josep", "borrell", "f"});
  CHECK(split_handle("@trussliz", vocabulary) == std::vector<std::string>{"truss", "liz"});
  CHECK(split_handle("@enriquemora_", vocabulary) == std::vector<std::string>{"enrique", "mora"});
  CHECK(split_handle("@EUAmbassador", {}) == std::vector<std::string>{"eu", "ambassador"});
  CHECK(split_handle("@zzqx", vocabulary) == std::vector<std::string>{"zzqx"});
}

TEST_CASE("acronyms skip function words and take one initial per hyphenated word") {
  CHECK(acronym_of("European Union") == "eu");
  CHECK(acronym_of("Organization for Security and Co-operation in Europe") == "osce");
  CHECK(acronym_of("Bank of the North") == "bn");
}

TEST_CASE("surnames and full names") {
  builder b;
  b.add({statement(named("", "Marta Kowalczyk"), "meet", named("", "Omar Haddad"))});
  b.add({statement(named("", "Kowalczyk"), "criticise", named("", "Haddad"))});
  auto& g = b.resolved();
  CHECK(same_actor(g, "Kowalczyk", "Marta Kowalczyk"));
  CHECK(same_actor(g, "Haddad", "Omar Haddad"));
  CHECK(boost::num_vertices(g.graph()) == 2);
  const auto chain = g.why("Kowalczyk");
  REQUIRE(chain.size() == 1);
  CHECK(chain[0].rule == "surname");
  CHECK(chain[0].score >= 1.0F);
  CHECK(chain[0].signals.find("surname kowalczyk") != std::string::npos);
}

TEST_CASE("given-name compatibility keeps namesakes apart") {
  builder b;
  b.add({statement(named("", "David Miliband"), "meet", named("", "Ed Miliband")),
         statement(named("", "Miliband"), "criticise", named("", "Omar Haddad"))});
  b.add({statement(named("", "Vladimir Putin"), "call", named("", "Vladimir Chizhov")),
         statement(named("", "Vladimir Zelensky"), "call", named("", "Volodymyr Zelensky")),
         statement(named("", "Vladimir"), "call", named("", "Omar Haddad"))});
  auto& g = b.resolved();
  SUBCASE("different given names, one surname: two people, and the bare surname joins neither") {
    CHECK_FALSE(same_actor(g, "David Miliband", "Ed Miliband"));
    CHECK_FALSE(same_actor(g, "Miliband", "David Miliband"));
    CHECK_FALSE(same_actor(g, "Miliband", "Ed Miliband"));
  }
  SUBCASE("one given name, different surnames: different people") {
    CHECK_FALSE(same_actor(g, "Vladimir Putin", "Vladimir Chizhov"));
    CHECK_FALSE(same_actor(g, "Vladimir Putin", "Vladimir Zelensky"));
    CHECK_FALSE(same_actor(g, "Vladimir Chizhov", "Vladimir Zelensky"));
    CHECK_FALSE(same_actor(g, "Vladimir", "Vladimir Putin"));
  }
  SUBCASE("transliterated given names are one") { CHECK(same_actor(g, "Vladimir Zelensky", "Volodymyr Zelensky")); }
}

TEST_CASE("transliteration variants") {
  builder b;
  b.add({statement(named("", "Sergey Ivanenko"), "meet", named("", "Tomas Varga"))});
  b.add({statement(named("", "Sergei Ivanenko"), "warn", named("", "Tomas Varga"))});
  b.add({statement(named("", "Zelenskyy"), "thank", named("", "Tomas Varga")),
         statement(named("", "Petro Zelensky"), "thank", named("", "Tomas Varga"))});
  auto& g = b.resolved();
  CHECK(same_actor(g, "Sergey Ivanenko", "Sergei Ivanenko"));
  CHECK(g.why("Sergei Ivanenko").size() + g.why("Sergey Ivanenko").size() == 1);
  CHECK(same_actor(g, "Zelenskyy", "Petro Zelensky"));
}

TEST_CASE("similar names need context; dictionary words and vowel-extended surnames need more") {
  // The actor and its context: two partners and a role.
  auto context = [](builder& b, const std::string& name, int partners, const std::string& role = "") {
    std::vector<triple> ts;
    if (partners >= 1) ts.push_back(statement(named("", name, actor_type::person, role), "reply to", named("", "Ilse Brandt")));
    if (partners >= 2) ts.push_back(statement(named("", name, actor_type::person, role), "accuse", named("", "Tomas Varga")));
    if (partners == 0) ts.push_back(statement(named("", name, actor_type::person, role), "visit", named("", "Noor Rahimi")));
    b.add(ts);
  };
  auto base = [&](builder& b) {
    b.add({statement(named("", "Josep Borrell", actor_type::person, "foreign policy chief"), "reply to", named("", "Ilse Brandt")),
           statement(named("", "Josep Borrell"), "accuse", named("", "Tomas Varga"))});
  };
  SUBCASE("a misspelt surname with one shared partner and relation merges") {
    builder b;
    base(b);
    context(b, "Burel", 1);
    auto& g = b.resolved();
    CHECK(same_actor(g, "Burel", "Josep Borrell"));
    const auto chain = g.why("Burel");
    REQUIRE(chain.size() == 1);
    CHECK(chain[0].rule == "similar name");
    CHECK(chain[0].signals.find("jaro-winkler") != std::string::npos);
    CHECK(chain[0].signals.find("shared neighbour Ilse Brandt") != std::string::npos);
    CHECK(g.graph()[*g.find_actor("Burel")].name == "Josep Borrell");
  }
  SUBCASE("a misspelt surname without context stays apart") {
    builder b;
    base(b);
    context(b, "Burel", 0);
    CHECK_FALSE(same_actor(b.resolved(), "Burel", "Josep Borrell"));
  }
  SUBCASE("a dictionary word with the same context stays apart") {
    builder b;
    base(b);
    context(b, "Barrel", 1);
    CHECK_FALSE(same_actor(b.resolved(), "Barrel", "Josep Borrell"));
  }
  SUBCASE("a dictionary word with more context merges") {
    builder b;
    base(b);
    context(b, "Barrel", 2, "foreign policy chief");
    CHECK(same_actor(b.resolved(), "Barrel", "Josep Borrell"));
    CHECK(b.g.why("Barrel").at(0).signals.find("dictionary word barrel") != std::string::npos);
  }
  SUBCASE("a vowel-extended surname with the same context stays apart") {
    builder b;
    base(b);
    context(b, "Borrelli", 2);
    CHECK_FALSE(same_actor(b.resolved(), "Borrelli", "Josep Borrell"));
  }
  SUBCASE("the feminine form of a surname with the same context stays apart") {
    builder b;
    b.add({statement(named("", "Petro Zelensky", actor_type::person, "president"), "reply to", named("", "Ilse Brandt")),
           statement(named("", "Petro Zelensky"), "accuse", named("", "Tomas Varga"))});
    b.add({statement(named("", "Zelenska", actor_type::person, "president"), "reply to", named("", "Ilse Brandt")),
           statement(named("", "Zelenska"), "accuse", named("", "Tomas Varga"))});
    CHECK_FALSE(same_actor(b.resolved(), "Zelenska", "Petro Zelensky"));
  }
  SUBCASE("a full name with a given-name variant and a misspelt surname merges on one shared partner") {
    builder b;
    base(b);
    context(b, "Joseph Burel", 1);
    CHECK(same_actor(b.resolved(), "Joseph Burel", "Josep Borrell"));
  }
  SUBCASE("why walks the merge tree from the alias to the canonical name") {
    builder b;
    base(b);
    context(b, "Joseph Burel", 1);
    b.add({statement(named("", "Burel"), "visit", named("", "Noor Rahimi"))});
    auto& g = b.resolved();
    const auto chain = g.why("Burel");
    REQUIRE(chain.size() == 2);
    CHECK(chain[0].alias == "Burel");
    CHECK(chain[0].target == "Joseph Burel");
    CHECK(chain[0].rule == "surname");
    CHECK(chain[1].alias == "Joseph Burel");
    CHECK(chain[1].target == "Josep Borrell");
    CHECK(chain[1].rule == "similar name");
  }
  SUBCASE("a shared role counts as context") {
    builder b;
    base(b);
    context(b, "Burel", 0, "foreign policy chief");
    b.add({statement(named("", "Burel"), "reply to", named("", "Noor Rahimi"))});
    auto& g = b.resolved();
    CHECK(same_actor(g, "Burel", "Josep Borrell"));
    CHECK(g.why("Burel").at(0).signals.find("shared role foreign policy chief") != std::string::npos);
  }
}

TEST_CASE("handles") {
  builder b;
  b.add({statement(named("", "Josep Borrell"), "reply to", named("", "Ilse Brandt")),
         statement(named("", "Liz Truss"), "meet", named("", "Ilse Brandt")),
         statement(named("", "Omar Haddad"), "meet", named("", "Ilse Brandt"))});
  b.add({statement(named("", "@JosepBorrellF", actor_type::other), "thank", named("", "@trussliz", actor_type::other)),
         statement(named("", "@haddad_omar", actor_type::other), "thank", named("", "@IlseTV", actor_type::other))});
  auto& g = b.resolved();
  CHECK(same_actor(g, "@JosepBorrellF", "Josep Borrell"));
  CHECK(same_actor(g, "@trussliz", "Liz Truss"));
  CHECK(same_actor(g, "@haddad_omar", "Omar Haddad"));
  CHECK_FALSE(same_actor(g, "@IlseTV", "Ilse Brandt"));  // "tv" is not her surname
  CHECK(g.why("@trussliz").at(0).rule == "handle");
  CHECK(g.graph()[*g.find_actor("@trussliz")].name == "Liz Truss");
}

TEST_CASE("acronyms and gazetteer names") {
  builder b;
  b.add({statement(named("", "European Union", actor_type::organization), "sanction", named("", "Russia", actor_type::country)),
         statement(named("", "Organization for Security and Co-operation in Europe", actor_type::organization), "warn",
                   named("", "USA", actor_type::country))});
  b.add({statement(named("", "EU", actor_type::organization), "warn", named("", "Kremlin", actor_type::organization)),
         statement(named("", "OSCE", actor_type::organization), "warn", named("", "US", actor_type::country)),
         statement(named("", "Union", actor_type::organization), "warn", named("", "States", actor_type::country))});
  auto& g = b.resolved();
  CHECK(same_actor(g, "EU", "European Union"));
  CHECK(same_actor(g, "OSCE", "Organization for Security and Co-operation in Europe"));
  CHECK(same_actor(g, "Kremlin", "Russia"));
  CHECK(same_actor(g, "US", "USA"));
  CHECK(g.why("EU").at(0).rule == "acronym");
  CHECK(g.why("Kremlin").at(0).rule == "gazetteer");
  SUBCASE("the rulers of a state name the state") {
    builder c;
    c.add({statement(named("", "Austria", actor_type::country), "warn", named("", "Austrian authorities", actor_type::organization)),
           statement(named("", "Vienna government", actor_type::organization), "warn", named("", "Austrian people", actor_type::group))});
    auto& h = c.resolved();
    CHECK(same_actor(h, "Austrian authorities", "Austria"));
    CHECK(same_actor(h, "Vienna government", "Austria"));
    CHECK_FALSE(same_actor(h, "Austrian people", "Austria"));
    CHECK(h.graph()[*h.find_actor("Vienna government")].name == "Austria");
  }
  SUBCASE("a lone word of an organisation's name is not the organisation") {
    CHECK_FALSE(same_actor(g, "Union", "European Union"));
    CHECK_FALSE(same_actor(g, "States", "USA"));
  }
}

TEST_CASE("type agreement: a country is not a person of that surname") {
  builder b;
  b.add({statement(named("", "Amara Jordan"), "visit", named("", "Jordan", actor_type::country))});
  auto& g = b.resolved();
  CHECK_FALSE(same_actor(g, "Jordan", "Amara Jordan"));
}

TEST_CASE("canonical name is the most complete well-attested form; aliases keep counts") {
  builder b;
  for (int i = 0; i < 3; ++i) b.add({statement(named("", "Omar Haddad"), "meet", named("", "Ilse Brandt"))});
  b.add({statement(named("", "Omar Haddad Al Rashid"), "meet", named("", "Ilse Brandt")),
         statement(named("", "Haddad"), "meet", named("", "Ilse Brandt")),
         statement(named("", "Omar Haddad", actor_type::person, "", "Haddad"), "call", named("", "Ilse Brandt"))});
  auto& g = b.resolved();
  const auto v = g.find_actor("Haddad");
  REQUIRE(v.has_value());
  const auto& a = g.graph()[*v];
  CHECK(a.name == "Omar Haddad");
  CHECK(same_actor(g, "Omar Haddad Al Rashid", "Omar Haddad"));
  const auto haddad = std::find_if(a.aliases.begin(), a.aliases.end(), [](const auto& x) { return x.text == "Haddad"; });
  REQUIRE(haddad != a.aliases.end());
  CHECK(haddad->count == 2);  // once as its own name, once as the surface of "Omar Haddad"
}

TEST_CASE("pronouns the extractor resolved are not aliases") {
  builder b;
  b.add({statement(named("", "Omar Haddad"), "meet", named("", "Ilse Brandt")),
         statement(named("", "Omar Haddad", actor_type::person, "", "He"), "call", named("", "Ilse Brandt", actor_type::person, "", "her"))});
  auto& g = b.resolved();
  CHECK_FALSE(g.find_actor("he").has_value());
  CHECK_FALSE(g.find_actor("her").has_value());
  const auto& a = g.graph()[*g.find_actor("Omar Haddad")];
  CHECK(a.mention_count == 2);
  CHECK(a.aliases.size() == 1);
}

TEST_CASE("user alias files") {
  const auto path = temporary_path("aliases.tsv");
  builder b;
  b.add({statement(named("", "Ilse Brandt"), "meet", named("", "Tomas Varga")),
         statement(named("", "Brandt"), "meet", named("", "Noor Rahimi")),
         statement(named("", "The Iron Lady"), "meet", named("", "Noor Rahimi"))});
  SUBCASE("same and distinct rules are honoured") {
    std::ofstream(path) << "# decisions\n\nsame\tThe Iron Lady\tIlse Brandt\ndistinct\tBrandt\tIlse Brandt\n";
    b.g.apply_alias_file(path);
    auto& g = b.resolved();
    CHECK(same_actor(g, "The Iron Lady", "Ilse Brandt"));
    CHECK_FALSE(same_actor(g, "Brandt", "Ilse Brandt"));
    CHECK(g.why("Iron Lady").at(0).rule == "user same");
    CHECK(g.user_rules().size() == 2);
  }
  SUBCASE("errors name the file and line") {
    std::ofstream(path) << "same\tA\tB\nsimilar\tA\tB\n";
    CHECK_THROWS_WITH_AS(b.g.apply_alias_file(path), joined(path, ":2: unknown rule 'similar' (expected same, distinct or split)").c_str(),
                         input_error);
    std::ofstream(path) << "# x\nsame\tA\n";
    CHECK_THROWS_WITH_AS(b.g.apply_alias_file(path), joined(path, ":2: 'same' needs two names separated by tabs").c_str(), input_error);
    std::ofstream(path) << "split\tA\tB\n";
    CHECK_THROWS_WITH_AS(b.g.apply_alias_file(path), joined(path, ":1: 'split' needs one name after a tab").c_str(), input_error);
    CHECK_THROWS_WITH_AS(b.g.apply_alias_file(joined(path, ".missing")), joined(path, ".missing: cannot open alias file").c_str(), input_error);
    CHECK(b.g.user_rules().empty());  // a bad file adds nothing
  }
  std::remove(path.c_str());
}

TEST_CASE("merge and split persist through save and load and survive re-resolution") {
  const auto path = temporary_path("rules.ngraph");
  builder b;
  b.add({statement(named("", "Ilse Brandt"), "meet", named("", "Tomas Varga")),
         statement(named("", "Brandt"), "meet", named("", "Noor Rahimi")),
         statement(named("", "The Iron Lady"), "meet", named("", "Noor Rahimi"))});
  auto& g = b.resolved();
  REQUIRE(same_actor(g, "Brandt", "Ilse Brandt"));
  g.split("Brandt");
  CHECK_FALSE(same_actor(g, "Brandt", "Ilse Brandt"));
  g.merge("Iron Lady", "Ilse Brandt");
  CHECK(same_actor(g, "The Iron Lady", "Ilse Brandt"));
  CHECK_THROWS_WITH_AS(g.merge("Nobody", "Ilse Brandt"), "merge: no actor is named 'Nobody'", error);
  CHECK_THROWS_WITH_AS(g.split("Nobody"), "split: no actor is named 'Nobody'", error);
  g.save(path);

  auto h = knowledge_graph::load(path);
  h.set_alias_data(test_data());
  SUBCASE("the loaded graph is the saved one, without re-resolution") {
    CHECK(clusters(h) == clusters(g));
    CHECK(h.merges().size() == g.merges().size());
    CHECK(h.user_rules() == g.user_rules());
    CHECK(h.why_text("Iron Lady").find("user same") != std::string::npos);
    for (auto e : boost::make_iterator_range(boost::edges(h.graph()))) CHECK(h.graph()[e].evidence.size() == h.graph()[e].statements.size());
  }
  SUBCASE("later documents keep the user's decisions") {
    h.add_document(doc("later"), {statement(named("later", "Brandt"), "warn", named("later", "Ilse Brandt"))});
    h.resolve();
    CHECK_FALSE(same_actor(h, "Brandt", "Ilse Brandt"));
    CHECK(same_actor(h, "The Iron Lady", "Ilse Brandt"));
  }
  SUBCASE("split of a surface form the article resolved to a fuller name") {
    g.split("Iron Lady");
    CHECK_FALSE(same_actor(g, "The Iron Lady", "Ilse Brandt"));
  }
  std::remove(path.c_str());
}

TEST_CASE("an incremental build equals a full build") {
  std::vector<std::pair<std::string, std::vector<triple>>> docs = {
      {"a", {statement(named("a", "Josep Borrell"), "reply to", named("a", "Ilse Brandt")),
             statement(named("a", "EU", actor_type::organization), "warn", named("a", "Tomas Varga"))}},
      {"b", {statement(named("b", "Borrell"), "accuse", named("b", "Tomas Varga")),
             statement(named("b", "European Union", actor_type::organization), "warn", named("b", "Ilse Brandt"))}},
      {"c", {statement(named("c", "Burel"), "reply to", named("c", "Ilse Brandt")),
             statement(named("c", "Burel"), "accuse", named("c", "Tomas Varga")),
             statement(named("c", "@JosepBorrellF", actor_type::other), "thank", named("c", "Brandt"))}},
  };
  knowledge_graph full;
  full.set_alias_data(test_data());
  for (const auto& [id, ts] : docs) full.add_document(doc(id), ts);
  full.resolve();

  const auto path = temporary_path("incremental.ngraph");
  knowledge_graph first;
  first.set_alias_data(test_data());
  first.add_document(doc("a"), docs[0].second);
  first.resolve();
  first.save(path);
  auto more = knowledge_graph::load(path);
  more.set_alias_data(test_data());
  more.add_document(doc("b"), docs[1].second);
  more.add_document(doc("c"), docs[2].second);
  more.resolve();
  CHECK(clusters(more) == clusters(full));
  CHECK(boost::num_edges(more.graph()) == boost::num_edges(full.graph()));
  CHECK(same_actor(more, "Burel", "Josep Borrell"));
  CHECK(same_actor(more, "@JosepBorrellF", "Josep Borrell"));
  std::remove(path.c_str());
}

TEST_CASE("why_text explains in one screen") {
  builder b;
  b.add({statement(named("", "Marta Kowalczyk", actor_type::person, "", "Kowalczyk"), "meet", named("", "Omar Haddad"))});
  b.add({statement(named("", "Kowalczyk"), "meet", named("", "Omar Haddad"))});
  auto& g = b.resolved();
  const auto text = g.why_text("Kowalczyk");
  CHECK(text.starts_with("Kowalczyk is Marta Kowalczyk:\n"));
  CHECK(text.find("[surname, score") != std::string::npos);
  CHECK(std::count(text.begin(), text.end(), '\n') <= 20);
  CHECK(g.why_text("Marta Kowalczyk") == "Marta Kowalczyk is Marta Kowalczyk (its canonical name)\n");
  CHECK_THROWS_WITH_AS(g.why_text("Nobody"), "why: no actor is named 'Nobody'", error);
}

TEST_CASE("the shipped data files load") {
  const auto data = alias_data::load(NEWSGRAPH_SOURCE_DIR);
  CHECK(data->variant_group.contains("sergei"));
  CHECK(data->variant_group.at("sergei") == data->variant_group.at("sergey"));
  CHECK(data->normalise_token("zelenskyy") == data->normalise_token("zelensky"));
  CHECK_FALSE(data->given_names.empty());
}

TEST_CASE("name variant files report bad lines") {
  alias_data d;
  CHECK_THROWS_WITH_AS(d.add_variants("given\ta\tb\nfoo\tx\n", "v.tsv"), "v.tsv:2: unknown line kind 'foo' (expected given or ending)",
                       input_error);
  CHECK_THROWS_WITH_AS(d.add_variants("ending\tx\n", "v.tsv"), "v.tsv:1: 'ending' needs FROM and TO separated by tabs", input_error);
}

namespace {

// Everything merge and split must get right, independent of vertex numbers: per actor its name,
// type, counts, aliases and roles; per relation its ends (by name), label, class, direction and
// statements.
std::vector<std::string> fingerprint(const knowledge_graph& g) {
  const auto& graph = g.graph();
  std::vector<std::string> out;
  // Built with append: g++ 12 warns falsely on chains of operator+ (GCC bug 105329).
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    const auto& a = graph[v];
    std::string line = "actor ";
    line.append(a.name).append(" | ").append(to_string(a.type)).append(" | ").append(std::to_string(a.mention_count));
    line.append(" | ").append(std::to_string(a.document_count)).append(" |");
    for (const auto& x : a.aliases) line.append(" ").append(x.text).append("=").append(std::to_string(x.count));
    line.append(" |");
    for (const auto& x : a.roles) line.append(" ").append(x.text).append("=").append(std::to_string(x.count));
    out.push_back(line);
  }
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const auto& r = graph[e];
    auto from = graph[boost::source(e, graph)].name, to = graph[boost::target(e, graph)].name;
    if (r.symmetric && to < from) std::swap(from, to);  // stored either way, by vertex number
    std::string line = "relation ";
    line.append(from).append(" -").append(r.label).append("/").append(r.relation_class);
    line.append(r.symmetric ? " (symmetric)" : "").append("-> ").append(to).append(" |");
    for (auto s : r.statements) line.append(" ").append(std::to_string(s));
    REQUIRE(r.evidence.size() == r.statements.size());
    for (std::size_t i = 0; i < r.evidence.size(); ++i) CHECK(r.evidence[i].sentence_text == g.statements()[r.statements[i]].sentence_text);
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The same documents as `b`, resolved from scratch under `rules`.
knowledge_graph resolved_from_scratch(const knowledge_graph& g, const std::vector<user_rule>& rules) {
  knowledge_graph fresh;
  fresh.set_alias_data(test_data());
  std::size_t next = 0, next_mention = 0;
  for (const auto& d : g.documents()) {
    std::vector<triple> ts;
    std::vector<mention> ms;
    for (; next < g.statements().size() && g.statements()[next].subject.document_id == d.id; ++next) ts.push_back(g.statements()[next]);
    for (; next_mention < g.mentions().size() && g.mentions()[next_mention].document_id == d.id; ++next_mention) ms.push_back(g.mentions()[next_mention]);
    fresh.add_document({d.id, "text", std::nullopt, std::nullopt, std::nullopt}, ts, ms);
  }
  REQUIRE(fresh.statement_count() == g.statement_count());
  REQUIRE(fresh.mentions().size() == g.mentions().size());
  for (const auto& r : rules) fresh.add_rule(r);
  fresh.resolve();
  return fresh;
}

// Ilse Brandt (also "Brandt", "The Iron Lady" once merged), Tomas Varga, Noor Rahimi; relations
// that meet once the actors are one (accuse), one that becomes an actor acting on itself (warn),
// a symmetric one, roles and two documents.
builder correction_sample() {
  builder b;
  b.add({statement(named("", "Ilse Brandt", actor_type::person, "minister"), "meet", named("", "Tomas Varga")),
         statement(named("", "Brandt"), "meet", named("", "Noor Rahimi")),
         statement(named("", "The Iron Lady", actor_type::person, "", "Iron Lady"), "accuse", named("", "Noor Rahimi")),
         statement(named("", "Ilse Brandt"), "accuse", named("", "Noor Rahimi")),
         statement(named("", "The Iron Lady"), "warn", named("", "Ilse Brandt"))});
  auto talks = statement(named("", "Tomas Varga"), "negotiate with", named("", "The Iron Lady"));
  talks.symmetric = true;
  b.add({talks, statement(named("", "Noor Rahimi", actor_type::person, "envoy"), "praise", named("", "The Iron Lady")),
         statement(named("", "Brandt"), "call", named("", "Tomas Varga"))});
  // Mentions outside the statements: more surface forms, and a name no statement has.
  b.g.add_document(doc("dm"), {statement(named("dm", "Tomas Varga"), "thank", named("dm", "Ilse Brandt"))},
                   {named("dm", "Ilse Brandt", actor_type::person, "", "Frau Brandt"), named("dm", "The Iron Lady", actor_type::person, "", "Iron Lady"),
                    named("dm", "Brandt", actor_type::person, "", "Brandt's"), named("dm", "Thursday", actor_type::other)});
  return b;
}

}  // namespace

TEST_CASE("merge and split change the graph as a re-resolution would, without one") {
  auto b = correction_sample();
  auto& g = b.resolved();
  REQUIRE_FALSE(same_actor(g, "The Iron Lady", "Ilse Brandt"));
  const auto actors_before = boost::num_vertices(g.graph());

  SUBCASE("merge unites two actors, keeps why, and reports what changed") {
    const auto change = g.merge("Iron Lady", "Ilse Brandt");
    CHECK_FALSE(change.whole);
    CHECK(std::is_sorted(change.actors.begin(), change.actors.end()));
    CHECK(boost::num_vertices(g.graph()) == actors_before - 1);
    CHECK(same_actor(g, "The Iron Lady", "Brandt"));
    CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
    // The name that did not become the actor's is explained by the user's merge.
    const std::string other = g.graph()[*g.find_actor("Brandt")].name == "Ilse Brandt" ? "The Iron Lady" : "Ilse Brandt";
    const auto chain = g.why(other);
    REQUIRE_FALSE(chain.empty());
    CHECK(std::any_of(chain.begin(), chain.end(), [](const merge_reason& m) { return m.rule == "user same"; }));
    CHECK(g.why_text(other).find("user same") != std::string::npos);
    SUBCASE("then split takes a name out again") {
      g.split("Iron Lady");
      CHECK_FALSE(same_actor(g, "The Iron Lady", "Ilse Brandt"));
      CHECK(boost::num_vertices(g.graph()) == actors_before);
      CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
    }
    SUBCASE("the result survives save and load, and corrections go on from there") {
      const auto path = temporary_path("corrections.ngraph");
      g.save(path);
      auto h = knowledge_graph::load(path);
      h.set_alias_data(test_data());
      CHECK(fingerprint(h) == fingerprint(g));
      h.split("Brandt");
      CHECK_FALSE(same_actor(h, "Brandt", "Ilse Brandt"));
      CHECK(fingerprint(h) == fingerprint(resolved_from_scratch(h, h.user_rules())));
      std::remove(path.c_str());
    }
  }
  SUBCASE("split of a merged surname leaves the rest of the actor") {
    REQUIRE(same_actor(g, "Brandt", "Ilse Brandt"));
    const auto change = g.split("Brandt");
    CHECK_FALSE(change.whole);
    CHECK_FALSE(same_actor(g, "Brandt", "Ilse Brandt"));
    CHECK(boost::num_vertices(g.graph()) == actors_before + 1);
    CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
    CHECK(g.why("Brandt").empty());  // the surname link is gone with the merge it explained
  }
  SUBCASE("split of a form only other mentions wrote changes nothing but the rules") {
    const auto before = fingerprint(g);
    CHECK(g.split("Frau Brandt").actors.empty());
    CHECK(fingerprint(g) == before);
    CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
    CHECK(g.user_rules().back().what == user_rule::kind::split);
  }
  SUBCASE("split of the canonical name renames what is left") {
    g.split("Ilse Brandt");
    CHECK(g.graph()[*g.find_actor("Brandt")].name == "Brandt");
    CHECK(g.graph()[*g.find_actor("Ilse Brandt")].name == "Ilse Brandt");
    CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
  }
  SUBCASE("merging the last actor into another moves no other actor") {
    const auto last = boost::num_vertices(g.graph()) - 1;
    const auto other = last == 0 ? 1 : 0;
    std::vector<std::string> names;
    for (auto v : boost::make_iterator_range(boost::vertices(g.graph()))) names.push_back(g.graph()[v].name);
    const auto change = g.merge(names[last], names[other]);
    CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
    for (vertex_id v = 0; v + 1 < names.size(); ++v)
      if (std::find(change.actors.begin(), change.actors.end(), v) == change.actors.end()) CHECK(g.graph()[v].name == names[v]);
  }
  SUBCASE("a distinct rule between other names of the two actors refuses the merge") {
    g.add_rule({user_rule::kind::distinct, "Brandt", "Noor Rahimi"});
    const auto rules = g.user_rules();
    CHECK_THROWS_WITH_AS(g.merge("Ilse Brandt", "Noor Rahimi"),
                         "merge: a 'distinct' rule keeps 'Brandt' and 'Noor Rahimi' apart; split one of them first", error);
    CHECK(g.user_rules() == rules);
    g.merge("Brandt", "Noor Rahimi");  // the very pair: the new decision replaces the old one
    CHECK(same_actor(g, "Ilse Brandt", "Noor Rahimi"));
    CHECK(std::none_of(g.user_rules().begin(), g.user_rules().end(), [](const user_rule& r) { return r.what == user_rule::kind::distinct; }));
  }
  SUBCASE("statements added since the last resolution: the graph is resolved again") {
    b.add({statement(named("", "Tomas Varga"), "thank", named("", "Noor Rahimi"))});
    CHECK(g.merge("Iron Lady", "Ilse Brandt").whole);
    CHECK(fingerprint(g) == fingerprint(resolved_from_scratch(g, g.user_rules())));
  }
}

namespace {

// The fingerprint with each actor known by its aliases rather than its name, so that two graphs
// of the same actors compare equal whatever names they chose.
std::vector<std::string> fingerprint_by_aliases(const knowledge_graph& g) {
  const auto& graph = g.graph();
  std::vector<std::string> id;
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    std::vector<std::string> texts;
    for (const auto& x : graph[v].aliases) texts.push_back(x.text + "=" + std::to_string(x.count));
    std::sort(texts.begin(), texts.end());
    std::string joined = "{";
    for (const auto& t : texts) joined.append(t).append(",");
    id.push_back(joined.append("} ").append(to_string(graph[v].type)).append(" ").append(std::to_string(graph[v].mention_count))
                     .append(" ").append(std::to_string(graph[v].document_count)));
  }
  std::vector<std::string> out = id;
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const auto& r = graph[e];
    auto from = id[boost::source(e, graph)], to = id[boost::target(e, graph)];
    if (r.symmetric && to < from) std::swap(from, to);  // stored either way, by vertex number
    std::string line = from;
    line.append(" -").append(r.label).append(r.symmetric ? " (symmetric)" : "").append("-> ").append(to).append(" |");
    for (auto s : r.statements) line.append(" ").append(std::to_string(s));
    out.push_back(line);
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The same documents resolved from scratch with rules that force the actors `g` has now: its own
// rules, `same` from each actor's name to each of its aliases, `distinct` between actors.
knowledge_graph forced_from_scratch(const knowledge_graph& g) {
  auto rules = g.user_rules();
  const auto& graph = g.graph();
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    for (const auto& x : graph[v].aliases)
      if (x.text != graph[v].name) rules.push_back({user_rule::kind::same, graph[v].name, x.text});
    for (vertex_id w = 0; w < v; ++w) rules.push_back({user_rule::kind::distinct, graph[v].name, graph[w].name});
  }
  return resolved_from_scratch(g, rules);
}

}  // namespace

TEST_CASE("a sequence of merges and splits keeps the graph what its actors make") {
  // Distinct full names, some also written by surname alone (which the resolver merges, or not
  // when two people share it), in random statements over a few documents; a fixed seed keeps the
  // case fixed. After each correction the graph must be exactly the one its current actors make
  // (statements, evidence, aliases, counts); which names a later re-resolution would group
  // differently (the resolver keeps a surname apart once it could be two people) is not checked.
  const std::vector<std::string> people{"Ilse Brandt", "Tomas Varga", "Noor Rahimi", "Marta Kowalczyk", "Omar Haddad",
                                        "Liz Truss", "Josep Borrell", "Pavel Dvorak", "Greta Lindqvist", "Karim Mansour"};
  std::vector<std::string> names = people;
  for (const auto& p : people) names.push_back(p.substr(p.find(' ') + 1));
  const std::vector<std::string> labels{"meet", "accuse", "praise", "call"};
  std::uint32_t state = 12345;
  auto next = [&](std::uint32_t n) {
    state = state * 1103515245U + 12345U;
    return (state >> 8) % n;
  };
  builder b;
  for (int d = 0; d < 6; ++d) {
    std::vector<triple> ts;
    for (int i = 0; i < 12; ++i) {
      const auto s = next(static_cast<std::uint32_t>(names.size())), o = next(static_cast<std::uint32_t>(names.size()));
      auto t = statement(named("", names[s]), labels[next(4)], named("", names[o]));
      t.symmetric = t.relation == "meet";
      ts.push_back(t);
    }
    b.add(ts);
  }
  auto& g = b.resolved();
  int merges = 0, splits = 0;
  for (int step = 0; step < 16; ++step) {
    CAPTURE(step);
    const auto n = static_cast<std::uint32_t>(boost::num_vertices(g.graph()));
    const auto& a = g.graph()[next(n)];
    if (step % 3 == 2) {
      g.split(a.aliases[next(static_cast<std::uint32_t>(a.aliases.size()))].text);
      ++splits;
    } else {
      const std::string first = a.name, second = g.graph()[next(n)].name;
      try {
        g.merge(first, second);
        ++merges;
      } catch (const error&) {
        continue;  // a distinct rule: refused, nothing changed
      }
    }
    const auto mine = fingerprint_by_aliases(g), theirs = fingerprint_by_aliases(forced_from_scratch(g));
    if (mine != theirs) {
      for (const auto& r : g.user_rules()) MESSAGE("rule ", to_string(r.what), " ", r.a, " / ", r.b);
      for (const auto& x : mine) if (std::find(theirs.begin(), theirs.end(), x) == theirs.end()) MESSAGE("incremental only: ", x);
      for (const auto& x : theirs) if (std::find(mine.begin(), mine.end(), x) == mine.end()) MESSAGE("resolved only: ", x);
    }
    REQUIRE(mine == theirs);
  }
  CHECK(merges >= 5);
  CHECK(splits >= 4);
}

namespace {

// A record as knowledge_graph::resolve makes it, for the resolver alone.
alias_record record_of(const std::string& name, std::vector<std::uint32_t> neighbours = {}, std::uint32_t document = 0) {
  alias_record r;
  r.key = name_key(name);
  r.name = name;
  r.spellings = {name};
  r.type = actor_type::person;
  r.mentions = 1;
  r.neighbours = neighbours;
  for (auto n : neighbours) r.relations.push_back((std::uint64_t{0} << 32) | n);
  r.documents = {document};
  return r;
}

// 625 people "Omar kVrVmVnV" (V a vowel): one phonetic block (every surname sounds KRMN), where a
// misspelling resembles dozens of surnames.
std::vector<alias_record> crowded_block() {
  std::vector<alias_record> records;
  const std::string vowels = "aeiou";
  for (char a : vowels)
    for (char b : vowels)
      for (char c : vowels)
        for (char d : vowels) {
          std::string surname = std::string("K") + a + "r" + b + "m" + c + "n" + d;
          records.push_back(record_of("Omar " + surname, {}, static_cast<std::uint32_t>(records.size() + 10)));
        }
  return records;
}

}  // namespace

TEST_CASE("phonetic blocks: a bounded number of comparisons per word, true pairs still found") {
  auto records = crowded_block();
  const auto partner = static_cast<std::uint32_t>(records.size());
  records.push_back(record_of("Ilse Brandt", {}, 1));
  // "Kiramune" misspelt "Kiramnue", alone, sharing a partner with "Omar Kiramune".
  const auto truth = static_cast<std::uint32_t>(std::find_if(records.begin(), records.end(), [](const alias_record& r) {
                                                  return r.key == "omar kiramune";
                                                }) - records.begin());
  REQUIRE(truth < partner);
  records[truth].neighbours = {partner};
  records[truth].relations = {partner};
  const auto typo = static_cast<std::uint32_t>(records.size());
  records.push_back(record_of("Kiramnue", {partner}, 2));
  records[partner].neighbours = {truth, typo};
  for (const auto& w : {"kiramune", "kiramnue", "karomena", "kurumunu"}) CHECK(double_metaphone(w).first == "KRMN");

  SUBCASE("the misspelling in a block of 626 words merges with the right name") {
    const auto r = alias_resolver(test_data()).resolve(records, {});
    CHECK(r.cluster[typo] == r.cluster[truth]);
    // It joins no other name of the block, and those stay apart.
    std::size_t others = 0;
    for (std::uint32_t i = 0; i < partner; ++i) others += i != truth && r.cluster[i] == r.cluster[typo] ? 1 : 0;
    CHECK(others == 0);
    CHECK(r.stats.phonetic_blocks >= 1);
  }
  SUBCASE("each record meets a bounded number of others, whatever the block's size") {
    resolver_options bounded;
    const auto r = alias_resolver(test_data(), bounded).resolve(records, {});
    // Each word meets at most 4 * fuzzy_window others per phonetic block; a multi-word name is in
    // two (sound, and sound with its initial), the misspelling in one.
    CHECK(r.stats.max_record_pairs <= 8 * bounded.fuzzy_window + 4);
    CHECK(r.stats.word_comparisons <= 2 * 2 * bounded.fuzzy_window * records.size());
    // Without the bound, every two words of the block are compared.
    resolver_options all;
    all.fuzzy_window = 100000;
    all.fuzzy_partners = 0;
    const auto r_all = alias_resolver(test_data(), all).resolve(records, {});
    CHECK(r_all.stats.max_record_pairs > 200);
    CHECK(r_all.stats.word_comparisons > 100000);
    CHECK(r_all.cluster[typo] == r_all.cluster[truth]);
  }
  SUBCASE("the result does not depend on the order of the records") {
    // Reversed input: the same clusters, up to the renumbering.
    std::vector<alias_record> reversed(records.rbegin(), records.rend());
    const auto last = static_cast<std::uint32_t>(records.size() - 1);
    for (auto& r : reversed) {
      for (auto& n : r.neighbours) n = last - n;
      for (auto& rel : r.relations) rel = last - static_cast<std::uint32_t>(rel);
      std::sort(r.neighbours.begin(), r.neighbours.end());
      std::sort(r.relations.begin(), r.relations.end());
    }
    const auto a = alias_resolver(test_data()).resolve(records, {});
    const auto b = alias_resolver(test_data()).resolve(reversed, {});
    std::size_t differ = 0;
    for (std::uint32_t i = 0; i < records.size(); ++i)
      for (std::uint32_t j : {truth, typo, partner, 0U, 7U})
        differ += (a.cluster[i] == a.cluster[j]) != (b.cluster[last - i] == b.cluster[last - j]) ? 1 : 0;
    CHECK(differ == 0);
    CHECK(b.cluster[last - typo] == b.cluster[last - truth]);
  }
}

TEST_CASE("phonetic blocks: a small block still compares every two words") {
  // Four surnames sounding alike (KRMN), one of them misspelt: blocks this small are compared
  // whole, so the bound changes nothing.
  std::vector<alias_record> records{record_of("Omar Karamon", {}, 10), record_of("Omar Kiramune", {}, 11),
                                    record_of("Omar Kuremin", {}, 12), record_of("Ilse Brandt", {}, 1)};
  records[1].neighbours = {3};
  records[1].relations = {3};
  records.push_back(record_of("Kiramnue", {3}, 2));
  records[3].neighbours = {1, 4};
  const auto bounded = alias_resolver(test_data()).resolve(records, {});
  resolver_options all;
  all.fuzzy_window = 100000;
  all.fuzzy_partners = 0;
  const auto unbounded = alias_resolver(test_data(), all).resolve(records, {});
  CHECK(bounded.cluster[4] == bounded.cluster[1]);
  CHECK(bounded.cluster[0] != bounded.cluster[1]);
  CHECK(bounded.cluster == unbounded.cluster);
  // Every two of the four words under the sound key, every two of the three full names under the
  // sound key with the initial O.
  CHECK(bounded.stats.word_comparisons == 6 + 3);
  CHECK(bounded.stats.candidate_pairs == unbounded.stats.candidate_pairs);
}
