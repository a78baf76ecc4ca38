// Gazetteers: loading, longest match over tokens, case rules, errors naming file and line.
#include <doctest/doctest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "newsgraph/gazetteer.h"

using namespace newsgraph;

namespace {

const gazetteer& shipped() {
  static const gazetteer g = gazetteer::load(NEWSGRAPH_SOURCE_DIR);
  return g;
}

std::vector<std::string> matched(const gazetteer& g, const std::vector<std::string_view>& forms, bool ignore_case = false) {
  std::vector<std::string> out;
  for (const auto& m : g.find_all(forms, ignore_case))
    out.push_back(std::to_string(m.begin) + "-" + std::to_string(m.end) + " " + m.entry->canonical + " " +
                  std::string(to_string(m.entry->type)));
  return out;
}

}  // namespace

TEST_CASE("gazetteer: the shipped files") {
  const gazetteer& g = shipped();
  CHECK(g.size() > 1500);
  SUBCASE("countries, demonyms, capitals and seats of government resolve to a country") {
    CHECK(matched(g, {"the", "Kremlin", "and", "the", "White", "House", "met", "in", "Kyiv"}) ==
          std::vector<std::string>{"1-2 Russia seat", "4-6 United States seat", "8-9 Ukraine capital"});
    CHECK(matched(g, {"Russian", "troops", "near", "Kiev", "and", "Downing", "Street"}) ==
          std::vector<std::string>{"0-1 Russia demonym", "3-4 Ukraine capital", "5-7 United Kingdom seat"});
    REQUIRE(g.find("U.S.") != nullptr);
    CHECK(g.find("U.S.")->canonical == "United States");
    CHECK(g.find("Britain")->canonical == "United Kingdom");
    CHECK(g.find("Moscow")->type == gazetteer_type::capital);
  }
  SUBCASE("longest match wins") {
    CHECK(matched(g, {"the", "UN", "Security", "Council", "and", "the", "UN"}) ==
          std::vector<std::string>{"1-4 UN Security Council organization", "6-7 United Nations organization"});
    CHECK(matched(g, {"Papua", "New", "Guinea"}) == std::vector<std::string>{"0-3 Papua New Guinea country"});
  }
  SUBCASE("case rules: acronyms exact, titles any case, names exact or all capitals") {
    CHECK(matched(g, {"us", "who", "eu"}).empty());
    CHECK(matched(g, {"US", "WHO", "EU"}) ==
          std::vector<std::string>{"0-1 United States country", "1-2 World Health Organization organization",
                                   "2-3 European Union organization"});
    CHECK(matched(g, {"the", "foreign", "minister"}) == std::vector<std::string>{"1-3 Foreign Minister title"});
    CHECK(matched(g, {"RUSSIA", "and", "russia"}) == std::vector<std::string>{"0-1 Russia country"});
    CHECK(matched(g, {"RUSSIA", "and", "russia"}, true) ==
          std::vector<std::string>{"0-1 Russia country", "2-3 Russia country"});
    CHECK(matched(g, {"us"}, true).empty());
  }
}

TEST_CASE("gazetteer: adding entries and reading files") {
  gazetteer g;
  g.add("Foo Bar Republic", gazetteer_type::country, "Foobaria");
  g.add("Foo", gazetteer_type::city, "Foobaria");
  CHECK(matched(g, {"Foo", "Bar", "Republic", "Foo"}) ==
        std::vector<std::string>{"0-3 Foobaria country", "3-4 Foobaria city"});
  CHECK(g.find("Foo Bar") == nullptr);

  const std::string path = "test_gazetteer_bad.tsv";
  {
    std::ofstream out(path);
    out << "# header\nFoo\tcountry\tFoo\nBar\tplanet\tBar\n";
  }
  CHECK_THROWS_WITH_AS(g.load_file(path), doctest::Contains("test_gazetteer_bad.tsv:3: unknown gazetteer type"),
                       input_error);
  {
    std::ofstream out(path);
    out << "Foo country Foo\n";
  }
  CHECK_THROWS_WITH_AS(g.load_file(path), doctest::Contains("test_gazetteer_bad.tsv:1: expected NAME<TAB>TYPE<TAB>CANONICAL"),
                       input_error);
  std::remove(path.c_str());
  CHECK_THROWS_AS(g.load_file("/nonexistent/x.tsv"), input_error);
}
