#include "relations/lexicon.h"

#include <sstream>

#include "data_file.h"

namespace newsgraph::relations {

namespace {

// Calls on_row(fields, where) for each non-comment, non-blank line, split on tabs.
template <typename F>
void read_tsv(const std::string& path, std::size_t columns, F on_row) {
  for_each_data_line(path, "data file", [&](int number, std::string_view line) {
    std::vector<std::string> fields;
    std::stringstream split{std::string(line)};
    for (std::string field; std::getline(split, field, '\t');) fields.push_back(field);
    const std::string where = path + ":" + std::to_string(number);
    if (fields.size() != columns)
      throw input_error(where + ": expected " + std::to_string(columns) + " tab-separated fields, found " +
                        std::to_string(fields.size()));
    on_row(fields, where);
  });
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::stringstream split(text);
  for (std::string w; split >> w;) words.push_back(w);
  return words;
}

}  // namespace

lexicon lexicon::load(const std::string& data_dir) {
  lexicon lex;
  read_tsv(data_dir + "/data/relations.tsv", 3, [&](const auto& f, const std::string& where) {
    verb_entry e;
    e.relation_class = f[1];
    std::stringstream props(f[2]);
    for (std::string p; std::getline(props, p, ',');) {
      if (p == "symmetric") e.symmetric = true;
      else if (p == "speech") e.speech = true;
      else if (p == "light") e.light = true;
      else if (p != "-") throw input_error(where + ": unknown property '" + p + "'");
    }
    if (!lex.verbs_.emplace(f[0], e).second) throw input_error(where + ": verb '" + f[0] + "' listed twice");
  });
  read_tsv(data_dir + "/data/groups.tsv", 2, [&](const auto& f, const std::string& where) {
    group_rule rule;
    if (f[1] == "government") rule = group_rule::government;
    else if (f[1] == "members") rule = group_rule::members;
    else if (f[1] == "west") rule = group_rule::west;
    else throw input_error(where + ": unknown group rule '" + f[1] + "'");
    lex.groups_.emplace(f[0], rule);
  });
  read_tsv(data_dir + "/data/role-descriptions.tsv", 2,
           [&](const auto& f, const std::string&) { lex.roles_.push_back({words_of(f[0]), f[1]}); });
  return lex;
}

const verb_entry* lexicon::verb(std::string_view lemma) const {
  const auto it = verbs_.find(std::string(lemma));
  return it == verbs_.end() ? nullptr : &it->second;
}

const group_rule* lexicon::group(std::string_view head) const {
  const auto it = groups_.find(std::string(head));
  return it == groups_.end() ? nullptr : &it->second;
}

}  // namespace newsgraph::relations
