// The word lists the relation rules read: the verb lexicon (data/relations.tsv), group nouns
// (data/groups.tsv) and role descriptions (data/role-descriptions.tsv). Formats are described at
// the top of each file.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace newsgraph::relations {

struct verb_entry {
  std::string relation_class;
  bool symmetric = false;
  bool speech = false;
  bool light = false;  // its object noun belongs in the label: "send letter to"
};

enum class group_rule { government, members, west };

struct role_description {
  std::vector<std::string> words;  // lower-case lemmas, "head of diplomacy"
  std::string title;               // canonical title it implies, or "*" for any
};

class lexicon {
public:
  // Reads the three files under data_dir/data; throws input_error naming file and line.
  static lexicon load(const std::string& data_dir);

  const verb_entry* verb(std::string_view lemma) const;
  const group_rule* group(std::string_view head) const;
  const std::vector<role_description>& role_descriptions() const { return roles_; }

private:
  std::unordered_map<std::string, verb_entry> verbs_;
  std::unordered_map<std::string, group_rule> groups_;
  std::vector<role_description> roles_;
};

}  // namespace newsgraph::relations
