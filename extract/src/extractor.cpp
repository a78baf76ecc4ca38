#include "newsgraph/extractor.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <unordered_map>

namespace newsgraph {

// First, deliberately simple extractor: capitalised name runs as mentions and the pattern
// "NAME verb-ed [prep] [det noun] [prep] NAME" inside one sentence. The statistical pipeline
// (tokenizer, tagger, parser, NER) and clause rules replace it.
struct extractor::impl {
  extractor_options options;
};

namespace {

struct word {
  byte_span span;
  std::string_view text;
};

bool is_upper_initial(std::string_view w) {
  return !w.empty() && (std::isupper(static_cast<unsigned char>(w[0])) || w[0] == '@');
}

bool is_word_char(unsigned char c) { return std::isalnum(c) || c == '@' || c == '_' || c == '\'' || c >= 0x80; }

// Words of one sentence; punctuation is dropped but ends a name run (kept as an empty word).
std::vector<word> split_words(std::string_view text, byte_span sentence) {
  std::vector<word> words;
  std::uint32_t i = sentence.begin;
  while (i < sentence.end) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isspace(c)) {
      ++i;
    } else if (is_word_char(c)) {
      std::uint32_t j = i;
      while (j < sentence.end && (is_word_char(static_cast<unsigned char>(text[j])) ||
                                  (text[j] == '-' && j + 1 < sentence.end &&
                                   std::isalpha(static_cast<unsigned char>(text[j + 1])))))
        ++j;
      // Typographic quotes and dashes are multi-byte and would glue to words: cut them off.
      std::string_view w = text.substr(i, j - i);
      for (std::string_view glue : {"\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x99s", "\xE2\x80\x99", "\xE2\x80\x94"}) {
        const auto at = w.find(glue);
        if (at != std::string_view::npos) {
          j = i + static_cast<std::uint32_t>(at);
          break;
        }
      }
      if (j == i) {
        ++i;
        words.push_back({{i - 1, i}, {}});
        continue;
      }
      std::string_view token = text.substr(i, j - i);
      if (token.size() > 2 && token.ends_with("'s")) {
        token.remove_suffix(2);
        j -= 2;
      }
      words.push_back({{i, i + static_cast<std::uint32_t>(token.size())}, token});
      i = j;
    } else {
      words.push_back({{i, i + 1}, {}});
      ++i;
    }
  }
  return words;
}

// Sentences: split after . ! ? followed by white space, and at line breaks.
std::vector<byte_span> split_sentences(std::string_view text) {
  std::vector<byte_span> sentences;
  std::uint32_t start = 0;
  const auto n = static_cast<std::uint32_t>(text.size());
  for (std::uint32_t i = 0; i < n; ++i) {
    const char c = text[i];
    const bool terminal = (c == '.' || c == '!' || c == '?') && (i + 1 == n || std::isspace(static_cast<unsigned char>(text[i + 1])));
    if (terminal || c == '\n' || i + 1 == n) {
      const std::uint32_t end = (c == '\n') ? i : i + 1;
      while (start < end && std::isspace(static_cast<unsigned char>(text[start]))) ++start;
      if (end > start) sentences.push_back({start, end});
      start = i + 1;
    }
  }
  return sentences;
}

constexpr std::array<std::string_view, 24> not_names{
    "The", "This", "That", "These", "Those", "In", "On", "At", "But", "And", "However", "Meanwhile",
    "He", "She", "They", "We", "I", "It", "A", "An", "Since", "According", "Among", "If"};

constexpr std::array<std::string_view, 18> titles{
    "Minister", "Foreign", "President", "Secretary", "Representative", "High", "Mr", "Mrs", "Ms",
    "FM", "HR", "Director", "Deputy", "Prime", "Chancellor", "General", "Policy", "Security"};

constexpr std::array<std::string_view, 19> calendar_words{
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
    "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"};

// "Russian", "British", "European": an adjective of nationality in front of a title.
bool looks_like_demonym(std::string_view w) {
  return w.ends_with("ian") || w.ends_with("ish") || w.ends_with("ese") || w.ends_with("ean") || w == "US" || w == "EU" ||
         w == "UN";
}

bool in(std::string_view w, auto& list) { return std::find(list.begin(), list.end(), w) != list.end(); }

const std::unordered_map<std::string_view, std::string_view>& irregular_verbs() {
  static const std::unordered_map<std::string_view, std::string_view> verbs{
      {"sent", "send"}, {"met", "meet"}, {"told", "tell"}, {"wrote", "write"}, {"gave", "give"},
      {"held", "hold"}, {"spoke", "speak"}, {"got", "get"}, {"gets", "get"}, {"sought", "seek"},
      {"began", "begin"}, {"made", "make"}, {"took", "take"}, {"brought", "bring"}};
  return verbs;
}

// Lemma of a past-tense verb form, or empty if the word does not look like one.
std::string verb_lemma(std::string_view w) {
  if (const auto it = irregular_verbs().find(w); it != irregular_verbs().end()) return std::string(it->second);
  if (w.size() > 4 && w.ends_with("ied")) return std::string(w.substr(0, w.size() - 3)) + "y";
  if (w.size() > 4 && w.ends_with("eed")) return std::string(w.substr(0, w.size() - 1));  // agreed
  if (w.size() > 4 && w.ends_with("ed")) {
    std::string stem(w.substr(0, w.size() - 2));
    auto vowel = [](char c) { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u'; };
    const auto n = stem.size();
    if (stem.size() > 2 && stem[stem.size() - 1] == stem[stem.size() - 2] && stem.back() != 's' && stem.back() != 'l')
      stem.pop_back();  // planned -> plan
    else if (stem.ends_with("at") || stem.ends_with("iz") || stem.ends_with("us") || stem.ends_with("is") || stem.ends_with("ng") ||
             stem.ends_with("rg") || stem.ends_with("iv") || stem.ends_with("ag") || stem.ends_with("ur") ||
             (n >= 3 && !vowel(stem[n - 3]) && vowel(stem[n - 2]) && std::string_view("mvzck").find(stem[n - 1]) != std::string_view::npos))
      stem += 'e';  // debated -> debate, received -> receive, urged -> urge
    return stem;
  }
  return {};
}

constexpr std::array<std::string_view, 10> prepositions{"to", "with", "on", "against", "for", "from", "of", "about", "over", "at"};
constexpr std::array<std::string_view, 4> determiners{"a", "an", "the", "his"};

actor_type guess_type(std::string_view name) {
  for (std::string_view org : {"Union", "Ministry", "Council", "Service", "Mission", "Agency", "Alliance", "NATO", "EU", "OSCE", "Organization", "Department"})
    if (name.find(org) != std::string_view::npos) return actor_type::organization;
  return std::count(name.begin(), name.end(), ' ') >= 1 ? actor_type::person : actor_type::other;
}

struct name_run {
  std::size_t start;        // first word of the run, title included
  std::size_t first, last;  // the name's words, inclusive
  mention m;
};

}  // namespace

extractor::extractor(const extractor_options& options) : impl_(std::make_unique<impl>(impl{options})) {}
extractor::~extractor() = default;
extractor::extractor(extractor&&) noexcept = default;
extractor& extractor::operator=(extractor&&) noexcept = default;

std::vector<triple> extractor::extract(const document& doc) const {
  std::vector<triple> out;
  std::unordered_map<std::string, std::string> full_name_of_surname;
  for (const auto& sentence : split_sentences(doc.text)) {
    const auto words = split_words(doc.text, sentence);
    std::vector<name_run> runs;
    for (std::size_t i = 0; i < words.size();) {
      if (!is_upper_initial(words[i].text) || in(words[i].text, calendar_words) || (in(words[i].text, not_names) && (i + 1 >= words.size() || !is_upper_initial(words[i + 1].text)))) {
        ++i;
        continue;
      }
      std::size_t j = i;
      while (j + 1 < words.size() && !in(words[j + 1].text, calendar_words) && (is_upper_initial(words[j + 1].text) || words[j + 1].text == "van" || words[j + 1].text == "de")) ++j;
      std::size_t first = i;
      while (first < j && (in(words[first].text, titles) || in(words[first].text, not_names) ||
                           (looks_like_demonym(words[first].text) && in(words[first + 1].text, titles))))
        ++first;
      name_run run{i, first, j, {}};
      run.m.document_id = doc.id;
      run.m.span = {words[first].span.begin, words[j].span.end};
      run.m.text = std::string(run.m.span.of(doc.text));
      run.m.name = run.m.text;
      run.m.type = guess_type(run.m.text);
      if (first > i) run.m.role = std::string(doc.text.substr(words[i].span.begin, words[first - 1].span.end - words[i].span.begin));
      const auto space = run.m.name.rfind(' ');
      if (space != std::string::npos) {
        full_name_of_surname.emplace(run.m.name.substr(space + 1), run.m.name);
      } else if (const auto it = full_name_of_surname.find(run.m.name); it != full_name_of_surname.end()) {
        run.m.name = it->second;
        run.m.type = actor_type::person;
      }
      runs.push_back(std::move(run));
      i = j + 1;
    }
    for (std::size_t r = 0; r + 1 < runs.size(); ++r) {
      std::size_t k = runs[r].last + 1;
      if (k < words.size() && (words[k].text == "has" || words[k].text == "had" || words[k].text == "have")) ++k;
      if (k >= words.size()) continue;
      std::string label = verb_lemma(words[k].text);
      if (label.empty()) continue;
      ++k;
      if (k < words.size() && in(words[k].text, prepositions)) label.append(" ").append(words[k++].text);
      if (k + 1 < words.size() && in(words[k].text, determiners) && !words[k + 1].text.empty() && !is_upper_initial(words[k + 1].text)) {
        label.append(" ").append(words[k + 1].text);
        k += 2;
        if (k < words.size() && in(words[k].text, prepositions)) label.append(" ").append(words[k++].text);
      }
      if (k != runs[r + 1].start) continue;
      triple t;
      t.subject = runs[r].m;
      t.object = runs[r + 1].m;
      t.relation_surface = std::string(doc.text.substr(words[runs[r].last + 1].span.begin, words[k - 1].span.end - words[runs[r].last + 1].span.begin));
      t.relation = label;
      t.sentence = sentence;
      t.sentence_text = std::string(sentence.of(doc.text));
      std::replace(t.sentence_text.begin(), t.sentence_text.end(), '\n', ' ');
      t.date = doc.date.value_or("");
      t.confidence = 0.5F;
      out.push_back(std::move(t));
    }
  }
  return out;
}

}  // namespace newsgraph
