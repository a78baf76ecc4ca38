#include "newsgraph/pipeline.h"

#include <filesystem>
#include <optional>

#include "newsgraph/ner.h"
#include "newsgraph/parser.h"
#include "newsgraph/tagger.h"
#include "newsgraph/tokenizer.h"

namespace newsgraph {

struct nlp_pipeline::impl {
  tokenizer words;  // from the data folder beside models/, so a --data-dir run uses its own files
  newsgraph::tagger tagger;
  dependency_parser parser;
  std::optional<ner_model> ner;
};

nlp_pipeline::nlp_pipeline(const std::string& models_dir) : impl_(std::make_unique<impl>()) {
  const std::filesystem::path dir(models_dir);
  impl_->words = tokenizer::load((std::filesystem::absolute(dir) / "..").lexically_normal().string());
  impl_->tagger = newsgraph::tagger::load((dir / "tagger.model").string());
  impl_->parser = dependency_parser::load((dir / "parser.model").string());
  const auto ner_path = dir / "ner.model";
  if (std::filesystem::exists(ner_path)) impl_->ner = ner_model::load(ner_path.string());
}

nlp_pipeline::~nlp_pipeline() = default;
nlp_pipeline::nlp_pipeline(nlp_pipeline&&) noexcept = default;
nlp_pipeline& nlp_pipeline::operator=(nlp_pipeline&&) noexcept = default;

void nlp_pipeline::annotate(sentence& s) const {
  if (s.tokens.empty()) return;
  impl_->tagger.tag(s);
  impl_->parser.parse(s);
  if (impl_->ner) impl_->ner->label(s);
}

analysis nlp_pipeline::analyze(std::string_view text) const {
  auto one = analyze_all(std::span<const std::string_view>(&text, 1));
  return std::move(one.front());
}

std::vector<analysis> nlp_pipeline::analyze_all(std::span<const std::string_view> texts) const {
  std::vector<analysis> all(texts.size());
  for (std::size_t d = 0; d < texts.size(); ++d) {
    all[d].sentences = impl_->words.tokenize(texts[d]);
    all[d].cut_sentences = cut_long_sentences(all[d].sentences);  // bounds the cost of what follows
  }
  // Stage by stage over every text (see the header); the parser also interleaves a text's sentences.
  for (analysis& a : all)
    for (sentence& s : a.sentences)
      if (!s.tokens.empty()) impl_->tagger.tag(s);
  for (analysis& a : all) impl_->parser.parse_all(a.sentences);
  // Each text as one document: how a name was labelled before informs the next mention.
  if (impl_->ner)
    for (analysis& a : all) impl_->ner->label_document(a.sentences);
  return all;
}

bool nlp_pipeline::has_ner() const { return impl_->ner.has_value(); }
const tagger& nlp_pipeline::tagger() const { return impl_->tagger; }
const dependency_parser& nlp_pipeline::parser() const { return impl_->parser; }

}  // namespace newsgraph
