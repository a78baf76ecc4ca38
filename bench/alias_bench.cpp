// Scale and accuracy of cross-document alias resolution (knowledge_graph::resolve) on synthetic
// mentions with a known truth.
//
//   alias_bench [--mentions N] [--actors M] [--seed S] [--data DIR]
//
// Generates M actors (80% people: given names from a pool with transliteration variants, surnames
// from syllables with about three people per surname; 20% organisations with acronyms), each with
// three usual partners, and N mentions in statements of about ten per document (subject: one of
// the document's three topic actors; object: one of its partners). A person is written as its
// full name (45%), surname alone (20%), initial and surname (10%), a given-name variant (10%), a
// one-letter typo of the surname with its given name (5%) or alone (5%), or a handle
// @GivenSurname (5%); an organisation as its full name (60%) or its acronym (40%). The first
// mention of an actor in a document that drew a short form is its full name instead 60% of the
// time, and a short form after the full name is resolved to it 85% of the time (as the
// extractor's in-document coreference does: mention::name full, mention::text short). Prints one line of key=value figures: time to add the
// statements, time of resolve() alone, actors found, peak RSS (getrusage, whole process: before
// resolve(), right after it, and at the end, after save and load), and B³
// precision/recall/F1 of the mention clusters against the generator's truth, merge precision and
// recall over distinct names (each name taken as its majority true actor's) and their F1, the
// resolver's counts (resolution_stats: records, blocking entries, skipped blocks, phonetic blocks,
// Jaro-Winkler word comparisons and links kept, candidate pairs, the most pairs of one record,
// pairs whose names may match), and the time to save the graph file and load it back (load reads
// the stored resolution, no re-resolution). resolve_s is wall
// time, resolve_cpu_s the CPU time of the (single) resolving thread: on a shared machine the
// latter is the cost, the former includes waiting for a core.
// Run one size per process so that peak RSS is that size's:
//   for n in 10000 100000 1000000; do build/bench/alias_bench --mentions $n --actors $((n/10)); done
#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "newsgraph/knowledge_graph.h"

using namespace newsgraph;

namespace {

using clock_type = std::chrono::steady_clock;
double since(clock_type::time_point t0) { return std::chrono::duration<double>(clock_type::now() - t0).count(); }

// Given names; a row's later entries are variants of its first (as written in other languages).
const std::vector<std::vector<std::string>> given_names = {
    {"Sergey", "Sergei"}, {"Aleksandr", "Alexander"}, {"Dmitry", "Dmitri"}, {"Andrei", "Andrey"}, {"Yuri", "Yury"},
    {"Josep", "Joseph"}, {"Mikhail", "Mykhailo"}, {"Olga", "Olha"}, {"Pavel", "Pavlo"}, {"Viktor", "Victor"},
    {"Maria"}, {"Anna"}, {"Laura"}, {"Elena"}, {"Sofia"}, {"Clara"}, {"Ingrid"}, {"Fatima"}, {"Amira"}, {"Leila"},
    {"Thomas"}, {"Lukas"}, {"Jonas"}, {"Omar"}, {"Karim"}, {"Ravi"}, {"Arjun"}, {"Kenji"}, {"Hiro"}, {"Chen"},
    {"Pablo"}, {"Diego"}, {"Marco"}, {"Luca"}, {"Pierre"}, {"Henri"}, {"Ahmed"}, {"Yusuf"}, {"Nadia"}, {"Irina"},
    {"Tomas"}, {"Piotr"}, {"Jan"}, {"Erik"}, {"Nils"}, {"Emma"}, {"Julia"}, {"Marta"}, {"Ilse"}, {"Noor"}};

const char* const onsets[] = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "dr", "gr", "kr", "st", "tr", "sh", "ch"};
const char* const vowels[] = {"a", "e", "i", "o", "u", "ai", "ou"};
const char* const codas[] = {"", "", "n", "r", "s", "l", "k", "v", "ski", "enko", "ovic", "sson", "berg"};

std::string capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

struct person_or_org {
  bool person = true;
  std::size_t given = 0;  // row in given_names
  std::string surname;    // people
  std::string name;       // organisations: full name
  std::string acronym;
  std::vector<std::uint32_t> partners;
};

std::string typo(const std::string& s, std::mt19937_64& rng) {
  std::string t = s;
  if (t.size() < 5) return t + t.back();
  const std::size_t at = 1 + rng() % (t.size() - 2);
  switch (rng() % 3) {
    case 0: t.erase(at, 1); break;                      // dropped letter
    case 1: t.insert(at, 1, t[at]); break;              // doubled letter
    default: std::swap(t[at], t[at + 1 < t.size() ? at + 1 : at - 1]);  // swapped letters
  }
  return t;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t mentions = 1000000, actors = 100000;
  unsigned seed = 7;
  std::string data_dir;
  static const char* const usage_text = "usage: alias_bench [--mentions N] [--actors M] [--seed S] [--data DIR]\n";
  for (int i = 1; i < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(usage_text, stdout);
      return 0;
    }
    if (i + 1 >= argc) {
      std::fputs(usage_text, stderr);
      return 1;
    }
    if (flag == "--mentions") mentions = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--actors") actors = std::strtoull(argv[i + 1], nullptr, 10);
    else if (flag == "--seed") seed = static_cast<unsigned>(std::strtoul(argv[i + 1], nullptr, 10));
    else if (flag == "--data") data_dir = argv[i + 1];
    else {
      std::fputs(usage_text, stderr);
      return 1;
    }
  }
  std::mt19937_64 rng(seed);
  // Surnames: about one per three people, so that a bare surname is often ambiguous.
  std::vector<std::string> surnames;
  {
    std::unordered_map<std::string, bool> seen;
    const std::size_t wanted = std::max<std::size_t>(actors / 3, 10);
    while (surnames.size() < wanted) {
      std::string s;
      const int syllables = 2 + static_cast<int>(rng() % 2);
      for (int k = 0; k < syllables; ++k) s.append(onsets[rng() % std::size(onsets)]).append(vowels[rng() % std::size(vowels)]);
      s.append(codas[rng() % std::size(codas)]);
      if (seen.emplace(s, true).second) surnames.push_back(capitalised(s));
    }
  }
  std::vector<person_or_org> who(actors);
  {
    std::unordered_map<std::string, bool> taken;  // full names are unique
    for (std::size_t a = 0; a < actors; ++a) {
      auto& w = who[a];
      w.person = rng() % 10 < 8;
      if (w.person) {
        do {
          w.given = rng() % given_names.size();
          w.surname = surnames[rng() % surnames.size()];
        } while (!taken.emplace(given_names[w.given][0] + " " + w.surname, true).second);
      } else {
        do {
          static const char* const heads[] = {"Council", "Institute", "Agency", "Union", "Front", "Bank", "League", "Office"};
          const std::string a1 = surnames[rng() % surnames.size()], a2 = surnames[rng() % surnames.size()];
          w.name = a1 + " " + a2 + " " + heads[rng() % std::size(heads)];
          w.acronym = std::string(1, a1[0]) + a2[0] + w.name[w.name.rfind(' ') + 1];
        } while (!taken.emplace(w.name, true).second);
      }
      for (int k = 0; k < 3; ++k) w.partners.push_back(static_cast<std::uint32_t>(rng() % actors));
    }
  }
  // One mention of actor a in one of its written forms (mention::name = mention::text).
  auto write_form = [&](std::uint32_t a, const std::string& doc) {
    const auto& w = who[a];
    mention m;
    m.document_id = doc;
    m.type = w.person ? actor_type::person : actor_type::organization;
    const auto& g = given_names[w.given];
    const unsigned r = static_cast<unsigned>(rng() % 100);
    if (!w.person) {
      m.name = r < 60 ? w.name : w.acronym;
    } else if (r < 45) {
      m.name = g[0] + " " + w.surname;
    } else if (r < 65) {
      m.name = w.surname;
    } else if (r < 75) {
      m.name = g[0].substr(0, 1) + ". " + w.surname;
    } else if (r < 85) {
      m.name = g[g.size() > 1 ? 1 : 0] + " " + w.surname;
    } else if (r < 90) {
      m.name = g[0] + " " + typo(w.surname, rng);
    } else if (r < 95) {
      m.name = typo(w.surname, rng);
    } else {
      m.name = "@" + g[0] + w.surname;
    }
    m.text = m.name;
    return m;
  };
  // Within a document, a short form after the full name was written is resolved to it 70% of the
  // time (what the extractor's in-document coreference does), else it stays the name.
  std::unordered_map<std::uint32_t, std::string> introduced;  // this document's full names
  auto write = [&](std::uint32_t a, const std::string& doc) {
    auto m = write_form(a, doc);
    auto is_full = [](const std::string& name) { return name.find(' ') != std::string::npos && name.find(". ") == std::string::npos; };
    const auto it = introduced.find(a);
    if (!is_full(m.name) && it == introduced.end() && rng() % 10 < 6) {
      // Articles mostly introduce an actor by its full name.
      const auto& w = who[a];
      m.name = m.text = w.person ? given_names[w.given][0] + " " + w.surname : w.name;
    }
    if (is_full(m.name)) {
      introduced.try_emplace(a, m.name);
    } else if (it != introduced.end() && rng() % 100 < 85) {
      m.name = it->second;  // text keeps the short form
    }
    return m;
  };
  knowledge_graph kg;
  if (!data_dir.empty()) kg.set_alias_data(alias_data::load(data_dir));
  std::vector<std::uint32_t> truth;  // per mention, in statement order: subject, object
  truth.reserve(mentions);
  const auto t_add = clock_type::now();
  std::size_t doc_number = 0;
  while (truth.size() < mentions) {
    const std::string id = std::string("doc").append(std::to_string(doc_number++));
    std::vector<triple> ts;
    introduced.clear();
    // An article is about three actors and their partners.
    const std::uint32_t topics[3] = {static_cast<std::uint32_t>(rng() % actors), static_cast<std::uint32_t>(rng() % actors),
                                     static_cast<std::uint32_t>(rng() % actors)};
    for (int k = 0; k < 10 && truth.size() < mentions; ++k) {
      const auto a = topics[rng() % 3];
      const auto b = who[a].partners[rng() % 3];
      if (a == b) continue;
      triple t;
      t.subject = write(a, id);
      t.object = write(b, id);
      t.relation = (rng() % 2) ? "meet" : "criticise";
      t.relation_surface = t.relation;
      t.confidence = 0.5F;
      truth.push_back(a);
      truth.push_back(b);
      ts.push_back(std::move(t));
    }
    kg.add_document({id, "", std::nullopt, std::nullopt, std::nullopt}, ts);
  }
  const double add_s = since(t_add);
  auto cpu_seconds = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  // Peak RSS is monotonic: read before and right after resolve(), the difference is what
  // resolving alone added on top of the statements (save and load come later and may add more).
  auto peak_rss_mib = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_maxrss) / 1024.0;
  };
  const double peak_before_resolve = peak_rss_mib();
  const auto t_resolve = clock_type::now();
  const double cpu_before = cpu_seconds();
  kg.resolve();
  const double resolve_s = since(t_resolve);
  const double resolve_cpu_s = cpu_seconds() - cpu_before;
  const double peak_after_resolve = peak_rss_mib();

  // The graph file: save, then load (which must not re-resolve).
  const std::string path = std::string("/tmp/alias_bench.").append(std::to_string(::getpid())).append(".ngraph");
  const auto t_save = clock_type::now();
  kg.save(path);
  const double save_s = since(t_save);
  const auto t_load = clock_type::now();
  const double cpu_before_load = cpu_seconds();
  const auto loaded = knowledge_graph::load(path);
  const double load_s = since(t_load);
  const double load_cpu_s = cpu_seconds() - cpu_before_load;
  std::remove(path.c_str());
  if (boost::num_vertices(loaded.graph()) != boost::num_vertices(kg.graph())) {
    std::fprintf(stderr, "alias_bench: the loaded graph differs from the saved one\n");
    return 1;
  }

  // B³ over mentions: n[c][t] mentions of true actor t in found actor c.
  std::unordered_map<std::uint64_t, std::uint64_t> joint;
  std::unordered_map<std::uint64_t, std::uint64_t> found_size, true_size;
  std::size_t k = 0;
  for (const auto& t : kg.statements()) {
    for (const mention* m : {&t.subject, &t.object}) {
      const auto v = kg.find_actor(m->name);
      const std::uint64_t c = v ? *v : 0xFFFFFFFFULL;
      ++joint[(c << 32) | truth[k]];
      ++found_size[c];
      ++true_size[truth[k]];
      ++k;
    }
  }
  double precision = 0, recall = 0;
  for (const auto& [key, n] : joint) {
    const double nn = static_cast<double>(n) * static_cast<double>(n);
    precision += nn / static_cast<double>(found_size[key >> 32]);
    recall += nn / static_cast<double>(true_size[key & 0xFFFFFFFFULL]);
  }
  precision /= static_cast<double>(k);
  recall /= static_cast<double>(k);
  // Merge precision/recall over distinct names: each name counts for its majority true actor;
  // a pair of names is a found merge when they share an actor vertex, a true one when they share
  // that majority actor.
  std::unordered_map<std::string, std::unordered_map<std::uint32_t, std::uint32_t>> truths_of_name;
  k = 0;
  for (const auto& t : kg.statements()) {
    for (const mention* m : {&t.subject, &t.object}) ++truths_of_name[name_key(m->name)][truth[k++]];
  }
  std::unordered_map<std::uint64_t, std::uint64_t> pair_joint, pair_found, pair_true;
  std::size_t shown = 0;
  const bool show = std::getenv("ALIAS_BENCH_ERRORS") != nullptr;
  std::unordered_map<std::uint64_t, std::vector<std::string>> names_in_vertex;
  for (const auto& [key, counts] : truths_of_name) {
    std::uint32_t best = 0, best_n = 0;
    for (const auto& [a, n] : counts)
      if (n > best_n || (n == best_n && a < best)) best = a, best_n = n;
    const auto v = kg.find_actor(key);
    const std::uint64_t c = v ? *v : 0xFFFFFFFFULL;
    ++pair_joint[(c << 32) | best];
    ++pair_found[c];
    ++pair_true[best];
    if (show) names_in_vertex[c].push_back(key + "=" + std::to_string(best));
  }
  auto pairs_of = [](std::uint64_t n) { return n * (n - 1) / 2; };
  std::uint64_t together = 0, found_pairs = 0, true_pairs = 0;
  for (const auto& [key, n] : pair_joint) together += pairs_of(n);
  for (const auto& [key, n] : pair_found) found_pairs += pairs_of(n);
  for (const auto& [key, n] : pair_true) true_pairs += pairs_of(n);
  if (show) {
    for (const auto& [c, names] : names_in_vertex) {
      std::unordered_map<std::string, int> distinct;
      for (const auto& n : names) ++distinct[n.substr(n.find('=') + 1)];
      if (distinct.size() < 2 || shown++ > 40) continue;
      std::fprintf(stderr, "mixed:");
      for (const auto& n : names) std::fprintf(stderr, " [%s]", n.c_str());
      std::fprintf(stderr, "\n");
    }
  }
  const double merge_precision = found_pairs ? static_cast<double>(together) / static_cast<double>(found_pairs) : 1.0;
  const double merge_recall = true_pairs ? static_cast<double>(together) / static_cast<double>(true_pairs) : 1.0;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto& stats = kg.resolve_stats();
  std::printf(
      "mentions=%zu actors=%zu statements=%zu add_s=%.2f resolve_s=%.2f resolve_cpu_s=%.2f save_s=%.2f load_s=%.2f load_cpu_s=%.2f found_actors=%zu merges=%zu rss_before_resolve_mib=%.0f rss_resolve_mib=%.0f peak_rss_mib=%.0f "
      "b3_precision=%.4f b3_recall=%.4f b3_f1=%.4f merge_precision=%.4f merge_recall=%.4f merge_f1=%.4f "
      "records=%zu block_entries=%zu skipped_blocks=%zu phonetic_blocks=%zu word_comparisons=%zu word_links=%zu candidate_pairs=%zu max_record_pairs=%zu "
      "named_pairs=%zu\n",
      k, actors, kg.statement_count(), add_s, resolve_s, resolve_cpu_s, save_s, load_s, load_cpu_s, boost::num_vertices(kg.graph()), kg.merges().size(),
      peak_before_resolve, peak_after_resolve, static_cast<double>(usage.ru_maxrss) / 1024.0, precision, recall, 2 * precision * recall / (precision + recall), merge_precision, merge_recall,
      merge_precision + merge_recall > 0 ? 2 * merge_precision * merge_recall / (merge_precision + merge_recall) : 0.0, stats.records, stats.block_entries,
      stats.skipped_blocks, stats.phonetic_blocks, stats.word_comparisons, stats.word_links, stats.candidate_pairs, stats.max_record_pairs, stats.named_pairs);
  return 0;
}
