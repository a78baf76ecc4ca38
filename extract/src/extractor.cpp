#include "newsgraph/extractor.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "newsgraph/gazetteer.h"
#include "newsgraph/pipeline.h"
#include "newsgraph/utf8.h"
#include "relations/clauses.h"
#include "relations/lexicon.h"
#include "relations/mentions.h"

namespace newsgraph {

struct extractor::impl {
  extractor_options options;
  nlp_pipeline pipeline;
  gazetteer names;
  relations::lexicon words;
  std::vector<std::string> boilerplate;  // lower-case phrases

  explicit impl(const extractor_options& o)
      : options(o),
        pipeline((std::filesystem::path(o.data_dir) / "models").string()),
        names(gazetteer::load(o.data_dir)),
        words(relations::lexicon::load(o.data_dir)) {
    const std::string path = o.data_dir + "/data/boilerplate.txt";
    std::ifstream in(path);
    if (!in) throw input_error(path + ": cannot open data file");
    for (std::string line; std::getline(in, line);)
      if (!line.empty() && line[0] != '#') boilerplate.push_back(utf8::fold(line));
  }

  bool is_boilerplate(std::string_view sentence_text) const {
    const std::string folded = utf8::fold(sentence_text);
    return std::any_of(boilerplate.begin(), boilerplate.end(),
                       [&](const std::string& p) { return folded.find(p) != std::string::npos; });
  }
};

namespace {

std::string collapsed(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool space = false;
  for (char c : text) {
    if (c == ' ' || c == '\n' || c == '\t' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

mention to_mention(const document& doc, const sentence& s, const relations::actor_mention& m) {
  mention out;
  out.document_id = doc.id;
  out.span = {s.tokens[m.begin].span.begin, s.tokens[m.end - 1].span.end};
  out.text = collapsed(out.span.of(doc.text));
  out.name = m.name;
  out.type = m.type;
  out.role = m.role;
  return out;
}

mention to_phrase(const document& doc, const std::string& text, byte_span span) {
  mention out;
  out.document_id = doc.id;
  out.span = span;
  out.text = text;
  out.name = text;
  return out;
}

// A mention fit to be a graph actor: a resolved name, and no leftover date or number.
bool is_actor(const relations::actor_mention& m) {
  if (m.name.empty()) return false;
  if (m.type == actor_type::other && m.name[0] != '@') return false;
  return std::any_of(m.name.begin(), m.name.end(), [](unsigned char c) { return std::isalpha(c) || c >= 0x80; });
}

}  // namespace

extractor::extractor(const extractor_options& options) : impl_(std::make_unique<impl>(options)) {}
extractor::~extractor() = default;
extractor::extractor(extractor&&) noexcept = default;
extractor& extractor::operator=(extractor&&) noexcept = default;

std::vector<triple> extractor::extract(const document& doc) const { return extract_all(doc).triples; }

extraction extractor::extract_all(const document& doc) const {
  const document* one = &doc;
  return std::move(extract_batch(std::span<const document* const>(&one, 1)).front());
}

std::vector<extraction> extractor::extract_batch(std::span<const document* const> docs) const {
  std::vector<std::string_view> texts;
  texts.reserve(docs.size());
  for (const document* d : docs) texts.push_back(d->text);
  const auto analyses = impl_->pipeline.analyze_all(texts);
  std::vector<extraction> results;
  results.reserve(docs.size());
  for (std::size_t i = 0; i < docs.size(); ++i) results.push_back(extract_from(*docs[i], analyses[i]));
  return results;
}

extraction extractor::extract_from(const document& doc, const analysis& a) const {
  const auto mentions = relations::find_mentions(a, doc.text, impl_->names, impl_->words);
  extraction result;
  if (a.cut_sentences > 0) {
    const sentence_limits limits;
    result.warnings.push_back(std::to_string(a.cut_sentences) + (a.cut_sentences == 1 ? " sentence" : " sentences") +
                              " over " + std::to_string(limits.max_tokens) + " tokens or " +
                              std::to_string(limits.max_bytes) + " bytes cut into parts");
  }
  for (const auto& m : mentions.mentions)
    if ((m.kind == relations::mention_kind::name || m.kind == relations::mention_kind::group) && is_actor(m))
      result.mentions.push_back(to_mention(doc, a.sentences[m.sentence], m));
  auto& out = result.triples;
  // One statement per fact and sentence: the same (subject, relation, object) said twice in a
  // sentence keeps its most confident reading.
  std::map<std::tuple<std::size_t, std::string, std::string, std::string>, std::size_t> seen;
  for (std::size_t si = 0; si < a.sentences.size(); ++si) {
    const auto& s = a.sentences[si];
    const auto sentence_text = collapsed(s.span.of(doc.text));
    if (impl_->is_boilerplate(sentence_text)) continue;
    for (auto& p : relations::read_clauses(a, si, doc.text, mentions, impl_->words, impl_->options.open)) {
      if (!impl_->options.open && (!is_actor(*p.subject) || !is_actor(*p.object))) continue;
      triple t;
      t.subject = p.subject ? to_mention(doc, s, *p.subject) : to_phrase(doc, p.subject_text, p.subject_span);
      t.object = p.object ? to_mention(doc, s, *p.object) : to_phrase(doc, p.object_text, p.object_span);
      t.relation_surface = p.surface;
      t.relation = p.label;
      t.relation_class = p.relation_class;
      t.sentence = s.span;
      t.sentence_text = sentence_text;
      t.date = doc.date.value_or("");
      t.confidence = p.confidence;
      t.negated = p.negated;
      t.modal = p.modal;
      t.symmetric = p.symmetric;
      auto [subject, object] = std::pair{t.subject.name, t.object.name};
      if (t.symmetric && object < subject) std::swap(subject, object);
      const auto [it, inserted] = seen.try_emplace({si, subject, t.relation, object}, out.size());
      if (inserted) out.push_back(std::move(t));
      else if (t.confidence > out[it->second].confidence) out[it->second] = std::move(t);
    }
  }
  // A mention a triple carries is counted with the triple; keep only the others.
  std::set<std::uint32_t> used;
  for (const auto& t : out) used.insert({t.subject.span.begin, t.object.span.begin});
  std::erase_if(result.mentions, [&](const mention& m) { return used.contains(m.span.begin); });
  return result;
}

}  // namespace newsgraph
