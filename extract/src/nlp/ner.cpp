#include "newsgraph/ner.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <numeric>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "data_file.h"
#include "newsgraph/conllu.h"
#include "newsgraph/tagger.h"
#include "nlp/hashed_key_map.h"
#include "nlp/perceptron.h"
#include "nlp/text_features.h"

namespace newsgraph {

namespace {

// Bump whenever a feature template changes: old models are then refused by their fingerprint.
constexpr std::string_view feature_templates =
    "ner-v9:bias,form,lower,norm,shape,pre1-4,suf1-4,flags,lower-2..+2,shape-1,+1,p1,p1p2,p1.lower,"
    "lower-1.lower,lower.lower+1,shape-1.shape.shape+1,gz,gz-1,gz+1,gz.shape,p1.shape,first.flags,"
    "title-1.flags,lower-1.shape,norm.shape+1,gz-1.gz.gz+1,lower-1.lower+1,form-1,form+1,shape.lower+1,"
    "suf3-1,suf3+1,p1.gz,wc.flags,wc-1,wc+1,wc.shape,p1.wc,gzci,wn,wn.flags,wn-1,wn+1,case.flags,case.wc,case.shape,"
    "upos,xpos,upos-1.upos,upos.upos+1,xpos-1.xpos.xpos+1,p1.xpos,xpos.shape,upos-1,upos+1,xpos.lower-1,"
    "xpos.gz,xpos.wc,nnprun,nnprun.shape,xpos.lower+1,xpos-2,xpos+2,shape-2,shape+2,gz-2,gz+2,run.last,run.first;"
    "v8:doc.labels,doc.labels.shape;label-bias;v9:flags";

const std::vector<std::string> all_labels = {"O",     "B-PER", "I-PER",  "B-ORG", "I-ORG",
                                             "B-LOC", "I-LOC", "B-MISC", "I-MISC"};
const std::vector<std::string> entity_types = {"PER", "ORG", "LOC", "MISC"};

// What the document so far said about a word: for each lower-cased word written with a capital
// letter or labelled as an entity in an earlier sentence, a bit per label type it was given (bit 0:
// O, bit 1 + type: PER, ORG, LOC, MISC). An open-addressing table reused from one document to the next.
class doc_memory {
public:
  void clear() {
    if (used_ == 0) return;
    std::fill(keys_.begin(), keys_.end(), 0);
    used_ = 0;
  }
  std::uint8_t get(std::uint64_t key) const {
    if (used_ == 0) return 0;
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
      if (keys_[i] == key) return bits_[i];
      if (keys_[i] == 0) return 0;
    }
  }
  void add(std::uint64_t key, std::uint8_t bits) {
    if (key == 0) return;  // 0 marks a free slot (word hashes are never 0 in practice)
    if (2 * (used_ + 1) > keys_.size()) grow();
    const std::size_t mask = keys_.size() - 1;
    for (std::size_t i = slot(key);; i = (i + 1) & mask) {
      if (keys_[i] == key) {
        bits_[i] |= bits;
        return;
      }
      if (keys_[i] == 0) {
        keys_[i] = key;
        bits_[i] = bits;
        ++used_;
        return;
      }
    }
  }

private:
  std::size_t slot(std::uint64_t key) const { return static_cast<std::size_t>(key) & (keys_.size() - 1); }
  void grow() {
    std::vector<std::uint64_t> keys = std::move(keys_);
    std::vector<std::uint8_t> bits = std::move(bits_);
    keys_.assign(keys.empty() ? 256 : 2 * keys.size(), 0);
    bits_.assign(keys_.size(), 0);
    used_ = 0;
    for (std::size_t i = 0; i < keys.size(); ++i)
      if (keys[i] != 0) add(keys[i], bits[i]);
  }
  std::vector<std::uint64_t> keys_;
  std::vector<std::uint8_t> bits_;
  std::size_t used_ = 0;
};

// Per-token facts computed once per sentence.
struct token_info {
  nlp::word_hashes h;
  std::uint64_t gz = 0;  // gazetteer code: 0 none, else 1 + type * 2 + (inside ? 1 : 0)
  bool title_before = false;  // a title ends at the previous token ("Foreign Minister Lavrov")
  std::uint64_t wc = 0;       // dictionary case class of the lower-cased word: 0 unknown, 1 c, 2 p, 3 b
  std::uint64_t wn = 0;       // WordNet class of the lower-cased noun: 0 unknown, else 1 + class * 2 + proper
  std::uint64_t upos = 0, xpos = 0;  // hashes of the predicted POS tags (of "" when none were given)
  std::uint64_t run_first = 0, run_last = 0;  // lower-cased first and last word of its proper-noun run, 0 outside
  std::uint64_t run = 0;      // proper-noun run (NNP/NNPS): 0 outside, else 1 + min(position, 3) * 4 + min(length, 4) - 1
  std::uint64_t doc = 0;      // doc_memory bits of the lower-cased word, 0: not seen earlier in the document
};

struct scratch {
  std::vector<token_info> info;
  std::uint64_t sentence_case = 0;  // 0 mixed, 1 no capital after the first word, 2 no lower-case letter
  std::string text;
  nlp::feature_buffer features;
  std::vector<float> scores;
  std::vector<std::uint32_t> predicted;
  std::vector<std::string_view> forms;
  std::vector<std::string_view> upos, xpos;  // the tagger's tags, parallel to forms, or empty
  doc_memory memory;  // of the document being labelled
};

// Label bookkeeping: type index (-1 for O) and whether it is an I- label.
struct label_shape {
  int type = -1;
  bool inside = false;
};

label_shape shape_of(std::string_view label) {
  if (label == "O" || label.size() < 3) return {};
  const std::string_view t = label.substr(2);
  for (std::size_t k = 0; k < entity_types.size(); ++k)
    if (t == entity_types[k]) return {static_cast<int>(k), label[0] == 'I'};
  return {};
}

}  // namespace

struct ner_model::impl {
  nlp::averaged_perceptron weights;
  std::vector<std::string> labels = all_labels;
  std::vector<label_shape> shapes;
  std::vector<float> bias;  // added to the scores when labelling, per label (zeros while training)
  bool document_memory = true;  // label_document() remembers earlier labels (stored in the model)
  gazetteer gaz;
  nlp::hashed_key_map<std::uint8_t> word_case;  // hash of lower-cased word -> 1 c, 2 p, 3 b
  nlp::hashed_key_map<std::uint8_t> word_class;  // hash of lower-cased noun -> WordNet code
  std::uint32_t hash_bits = 21;

  void init_shapes() {
    shapes.clear();
    for (const auto& l : labels) shapes.push_back(shape_of(l));
    bias.assign(labels.size(), 0.0F);
  }

  // May label `to` follow label `from` (UINT32_MAX: sentence start)? I-X only after B-X or I-X.
  bool allowed(std::uint32_t from, std::uint32_t to) const {
    const label_shape& t = shapes[to];
    if (!t.inside) return true;
    if (from == UINT32_MAX) return false;
    return shapes[from].type == t.type;
  }

  void prepare(std::span<const std::string_view> forms, scratch& s) const {
    const std::size_t n = forms.size();
    s.info.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      s.info[i].gz = 0;
      s.info[i].title_before = false;
      nlp::hash_word(forms[i], s.info[i].h, s.text);
      const std::uint8_t* wc = word_case.find(s.info[i].h.lower);
      s.info[i].wc = wc == nullptr ? 0 : *wc;
      const std::uint8_t* wn = word_class.find(s.info[i].h.lower);
      s.info[i].wn = wn == nullptr ? 0 : *wn;
      s.info[i].doc = s.memory.get(s.info[i].h.lower);
    }
    // Capitals mean little in a sentence written all in lower or upper case; the model learns how much.
    bool capital_after_first = false, lower_seen = false;
    for (std::size_t i = 0; i < n; ++i)
      for (char c : forms[i]) {
        if (c >= 'a' && c <= 'z') lower_seen = true;
        if (c >= 'A' && c <= 'Z' && i > 0) capital_after_first = true;
      }
    s.sentence_case = !lower_seen ? 2 : !capital_after_first ? 1 : 0;
    // POS tags (predicted by the tagger, which runs before NER in the pipeline).
    const bool tagged = s.upos.size() == n && s.xpos.size() == n;
    static const std::uint64_t none = nlp::hash_string("");
    for (std::size_t i = 0; i < n; ++i) {
      s.info[i].upos = tagged ? nlp::hash_string(s.upos[i]) : none;
      s.info[i].xpos = tagged ? nlp::hash_string(s.xpos[i]) : none;
      s.info[i].run = 0;
      s.info[i].run_first = s.info[i].run_last = 0;
    }
    if (tagged)
      for (std::size_t i = 0; i < n;) {
        auto proper = [&](std::size_t j) { return s.xpos[j] == "NNP" || s.xpos[j] == "NNPS"; };
        if (!proper(i)) {
          ++i;
          continue;
        }
        std::size_t j = i;
        while (j < n && proper(j)) ++j;
        const std::uint64_t len = std::min<std::uint64_t>(j - i, 4);
        for (std::size_t k = i; k < j; ++k) {
          s.info[k].run = 1 + std::min<std::uint64_t>(k - i, 3) * 4 + len - 1;
          s.info[k].run_first = s.info[i].h.lower;
          s.info[k].run_last = s.info[j - 1].h.lower;
        }
        i = j;
      }
    for (const gazetteer_match& m : gaz.find_all(forms)) {
      const auto type = static_cast<std::uint64_t>(m.entry->type);
      for (std::size_t i = m.begin; i < m.end; ++i) s.info[i].gz = 1 + type * 2 + (i > m.begin ? 1 : 0);
      if (m.entry->type == gazetteer_type::title && m.end < n) s.info[m.end].title_before = true;
    }
    // Web and social text often writes names in lower case ("malaysia"): a separate, weaker cue.
    for (const gazetteer_match& m : gaz.find_all(forms, true)) {
      const auto type = static_cast<std::uint64_t>(m.entry->type);
      for (std::size_t i = m.begin; i < m.end; ++i)
        if (s.info[i].gz == 0) s.info[i].gz = 100 + type * 2 + (i > m.begin ? 1 : 0);
    }
  }

  void features(const scratch& s, std::size_t i, std::uint32_t p1, std::uint32_t p2, nlp::feature_buffer& f) const {
    static const std::uint64_t start = nlp::hash_string("<s>");
    static const std::uint64_t end = nlp::hash_string("</s>");
    const std::size_t n = s.info.size();
    const nlp::word_hashes& w = s.info[i].h;
    auto lower_at = [&](std::ptrdiff_t k) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 ? start : j >= static_cast<std::ptrdiff_t>(n) ? end : s.info[static_cast<std::size_t>(j)].h.lower;
    };
    auto shape_at = [&](std::ptrdiff_t k) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 ? start : j >= static_cast<std::ptrdiff_t>(n) ? end : s.info[static_cast<std::size_t>(j)].h.shape;
    };
    auto gz_at = [&](std::ptrdiff_t k) -> std::uint64_t {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 || j >= static_cast<std::ptrdiff_t>(n) ? 99 : s.info[static_cast<std::size_t>(j)].gz;
    };
    auto form_at = [&](std::ptrdiff_t k) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 ? start : j >= static_cast<std::ptrdiff_t>(n) ? end : s.info[static_cast<std::size_t>(j)].h.form;
    };
    auto suffix3_at = [&](std::ptrdiff_t k) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 ? start : j >= static_cast<std::ptrdiff_t>(n) ? end : s.info[static_cast<std::size_t>(j)].h.suffix[2];
    };
    f.clear();
    f.add(1);
    f.add(2, w.form);
    f.add(3, w.lower);
    f.add(4, w.norm);
    f.add(5, w.shape);
    for (int k = 0; k < 4; ++k) {
      f.add(6, w.prefix[k]);
      f.add(7, w.suffix[k]);
    }
    f.add(8, w.flags);
    f.add(9, lower_at(-1));
    f.add(10, lower_at(1));
    f.add(11, lower_at(-2));
    f.add(12, lower_at(2));
    f.add(13, shape_at(-1));
    f.add(14, shape_at(1));
    f.add(15, p1);
    f.add(16, p1, p2);
    f.add(17, p1, w.lower);
    f.add(18, lower_at(-1), w.lower);
    f.add(19, w.lower, lower_at(1));
    f.add(20, shape_at(-1), w.shape, shape_at(1));
    f.add(21, gz_at(0));
    f.add(22, gz_at(-1));
    f.add(23, gz_at(1));
    f.add(24, gz_at(0), w.shape);
    f.add(25, p1, w.shape);
    f.add(26, i == 0 ? 1 : 0, w.flags);
    f.add(27, s.info[i].title_before ? 1 : 0, w.flags);
    f.add(28, lower_at(-1), w.shape);
    f.add(29, w.norm, shape_at(1));
    f.add(30, gz_at(-1), gz_at(0), gz_at(1));
    f.add(31, lower_at(-1), lower_at(1));
    f.add(32, form_at(-1));
    f.add(33, form_at(1));
    f.add(34, w.shape, lower_at(1));
    f.add(35, suffix3_at(-1));
    f.add(36, suffix3_at(1));
    f.add(37, p1, gz_at(0));
    auto wc_at = [&](std::ptrdiff_t k) -> std::uint64_t {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 || j >= static_cast<std::ptrdiff_t>(n) ? 9 : s.info[static_cast<std::size_t>(j)].wc;
    };
    f.add(38, wc_at(0), w.flags);
    f.add(39, wc_at(-1));
    f.add(40, wc_at(1));
    f.add(41, wc_at(0), w.shape);
    f.add(42, p1, wc_at(0));
    auto wn_at = [&](std::ptrdiff_t k) -> std::uint64_t {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 || j >= static_cast<std::ptrdiff_t>(n) ? 999 : s.info[static_cast<std::size_t>(j)].wn;
    };
    f.add(43, wn_at(0));
    f.add(44, wn_at(0), w.flags);
    f.add(45, wn_at(-1));
    f.add(46, wn_at(1));
    f.add(47, s.sentence_case, w.flags);
    f.add(48, s.sentence_case, wc_at(0));
    f.add(49, s.sentence_case, w.shape);
    auto upos_at = [&](std::ptrdiff_t k) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 ? start : j >= static_cast<std::ptrdiff_t>(n) ? end : s.info[static_cast<std::size_t>(j)].upos;
    };
    auto xpos_at = [&](std::ptrdiff_t k) {
      const std::ptrdiff_t j = static_cast<std::ptrdiff_t>(i) + k;
      return j < 0 ? start : j >= static_cast<std::ptrdiff_t>(n) ? end : s.info[static_cast<std::size_t>(j)].xpos;
    };
    f.add(50, upos_at(0));
    f.add(51, xpos_at(0));
    f.add(52, upos_at(-1), upos_at(0));
    f.add(53, upos_at(0), upos_at(1));
    f.add(54, xpos_at(-1), xpos_at(0), xpos_at(1));
    f.add(55, p1, xpos_at(0));
    f.add(56, xpos_at(0), w.shape);
    f.add(57, upos_at(-1));
    f.add(58, upos_at(1));
    f.add(59, xpos_at(0), lower_at(-1));
    f.add(60, xpos_at(0), gz_at(0));
    f.add(61, xpos_at(0), wc_at(0));
    f.add(62, s.info[i].run);
    f.add(63, s.info[i].run, w.shape);
    f.add(64, xpos_at(0), lower_at(1));
    f.add(65, xpos_at(-2));
    f.add(66, xpos_at(2));
    f.add(67, shape_at(-2));
    f.add(68, shape_at(2));
    f.add(69, gz_at(-2));
    f.add(70, gz_at(2));
    if (s.info[i].run != 0) {
      f.add(71, s.info[i].run_last);
      f.add(72, s.info[i].run_first);
    }
    if (s.info[i].doc != 0) {
      f.add(73, s.info[i].doc);
      f.add(74, s.info[i].doc, w.shape);
    }
  }

  // Records the labels of the sentence just labelled in the document memory.
  void remember(scratch& s, std::span<const std::uint32_t> predicted) const {
    if (!document_memory) return;
    for (std::size_t i = 0; i < s.info.size(); ++i) {
      const int type = shapes[predicted[i]].type;
      if (type < 0 && (s.info[i].h.flags & 4) == 0) continue;  // a word without capitals, labelled O
      s.memory.add(s.info[i].h.lower, static_cast<std::uint8_t>(1U << (type + 1)));
    }
  }

  std::uint32_t best(std::span<const float> scores, std::uint32_t prev) const {
    std::uint32_t arg = 0;
    float top = -1e30F;
    for (std::uint32_t c = 0; c < scores.size(); ++c) {
      if (!allowed(prev, c)) continue;
      if (scores[c] > top) {
        top = scores[c];
        arg = c;
      }
    }
    return arg;
  }

  // Greedy decoding; leaves the label indexes in s.predicted.
  void decode(std::span<const std::string_view> forms, scratch& s) const {
    prepare(forms, s);
    s.scores.resize(labels.size());
    s.predicted.assign(forms.size(), 0);
    std::uint32_t p1 = UINT32_MAX, p2 = UINT32_MAX;
    for (std::size_t i = 0; i < forms.size(); ++i) {
      features(s, i, p1, p2, s.features);
      weights.score(s.features.view(), s.scores);
      for (std::size_t c = 0; c < s.scores.size(); ++c) s.scores[c] += bias[c];
      const std::uint32_t y = best(s.scores, p1);
      s.predicted[i] = y;
      p2 = p1;
      p1 = y;
    }
  }

  // Labels one sentence from its tokens' forms and tags (token::ner); the label indexes stay in s.predicted.
  void label_sentence(sentence& sent, scratch& s) const {
    s.forms.clear();
    s.upos.clear();
    s.xpos.clear();
    for (const token& t : sent.tokens) {
      s.forms.push_back(t.form);
      s.upos.push_back(t.upos);
      s.xpos.push_back(t.xpos);
    }
    decode(s.forms, s);
    for (std::size_t i = 0; i < sent.tokens.size(); ++i) sent.tokens[i].ner = labels[s.predicted[i]];
  }

  std::uint64_t fingerprint() const { return nlp::model_fingerprint(feature_templates, labels, hash_bits); }
};

ner_model::ner_model() : impl_(std::make_unique<impl>()) { impl_->init_shapes(); }
ner_model::~ner_model() = default;
ner_model::ner_model(ner_model&&) noexcept = default;
ner_model& ner_model::operator=(ner_model&&) noexcept = default;

const std::vector<std::string>& ner_model::labels() const { return impl_->labels; }

namespace {
thread_local scratch label_scratch;
}  // namespace

void ner_model::label(sentence& s) const {
  scratch& sc = label_scratch;
  sc.memory.clear();
  impl_->label_sentence(s, sc);
}

void ner_model::label_document(std::span<sentence> sentences) const {
  scratch& sc = label_scratch;
  sc.memory.clear();
  for (sentence& s : sentences) {
    if (s.tokens.empty()) continue;
    impl_->label_sentence(s, sc);
    impl_->remember(sc, sc.predicted);
  }
}

std::vector<std::string> ner_model::label(const std::vector<std::string>& forms) const {
  scratch& sc = label_scratch;
  sc.memory.clear();
  sc.forms.assign(forms.begin(), forms.end());
  sc.upos.clear();
  sc.xpos.clear();
  impl_->decode(sc.forms, sc);
  std::vector<std::string> out;
  out.reserve(forms.size());
  for (std::uint32_t y : sc.predicted) out.push_back(impl_->labels[y]);
  return out;
}

void ner_model::save(const std::string& path) const {
  nlp::model_writer out("ner", impl_->fingerprint());
  out.strings(impl_->labels);
  out.u32(impl_->hash_bits);
  for (float b : impl_->bias) out.f32(b);
  out.u32(impl_->document_memory ? 1U : 0U);
  const auto& entries = impl_->gaz.entries();
  out.u32(static_cast<std::uint32_t>(entries.size()));
  for (const gazetteer_entry& e : entries) {
    out.str(e.name);
    out.u8(static_cast<std::uint8_t>(e.type));
    out.str(e.canonical);
    out.strings(e.tokens);
  }
  for (const auto* table : {&impl_->word_case, &impl_->word_class}) {
    out.u32(static_cast<std::uint32_t>(table->size()));
    std::vector<std::pair<std::uint64_t, std::uint8_t>> rows;
    table->for_each([&](std::uint64_t h, std::uint8_t c) { rows.emplace_back(h, c); });
    std::sort(rows.begin(), rows.end());  // a deterministic file
    for (const auto& [h, c] : rows) {
      out.u64(h);
      out.u8(c);
    }
  }
  impl_->weights.save(out);
  out.write_file(path);
}

ner_model ner_model::load(const std::string& path) {
  nlp::model_reader in(path, "ner");
  ner_model m;
  m.impl_->labels = in.strings();
  m.impl_->hash_bits = in.u32();
  in.check_fingerprint(m.impl_->fingerprint());
  m.impl_->init_shapes();
  for (float& b : m.impl_->bias) b = in.f32();
  m.impl_->document_memory = (in.u32() & 1U) != 0;
  const std::uint32_t n = in.u32();
  for (std::uint32_t k = 0; k < n; ++k) {
    gazetteer_entry e;
    e.name = in.str();
    const std::uint8_t type = in.u8();
    if (type >= gazetteer_type_count) throw nlp::model_error(path + ": model file is corrupt (gazetteer type)");
    e.type = static_cast<gazetteer_type>(type);
    e.canonical = in.str();
    e.tokens = in.strings();
    if (e.tokens.empty()) throw nlp::model_error(path + ": model file is corrupt (gazetteer entry)");
    m.impl_->gaz.add_tokenized(std::move(e));
  }
  for (auto* table : {&m.impl_->word_case, &m.impl_->word_class}) {
    const std::uint32_t rows = in.u32();
    table->reserve(rows);
    for (std::uint32_t k = 0; k < rows; ++k) {
      const std::uint64_t h = in.u64();
      table->insert_or_assign(h, in.u8());
    }
  }
  m.impl_->weights.load(in);
  in.expect_end();
  if (m.impl_->weights.n_classes() != m.impl_->labels.size())
    throw nlp::model_error(path + ": model file is corrupt (label count)");
  return m;
}

// ---- IOB2 files ----------------------------------------------------------------------------------

std::vector<iob2_sentence> read_iob2(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw input_error(path + ": cannot open IOB2 file");
  std::vector<iob2_sentence> out;
  iob2_sentence cur;
  std::string document;
  std::string line;
  int number = 0;
  auto flush = [&] {
    if (!cur.forms.empty()) {
      cur.document = document;
      out.push_back(std::move(cur));
    }
    cur = {};
  };
  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) {
      flush();
      continue;
    }
    if (line[0] == '#' && cur.forms.empty()) {
      constexpr std::string_view key = "# newdoc id = ";
      if (line.compare(0, key.size(), key) == 0) document = line.substr(key.size());
      continue;
    }
    std::vector<std::string_view> cols;
    std::string_view rest(line);
    while (true) {
      const std::size_t tab = rest.find('\t');
      cols.push_back(rest.substr(0, tab));
      if (tab == std::string_view::npos) break;
      rest.remove_prefix(tab + 1);
    }
    std::string_view form, tag;
    if (cols.size() == 2) {
      form = cols[0];
      tag = cols[1];
    } else if (cols.size() >= 3) {
      form = cols[1];
      tag = cols[2];
    } else {
      throw input_error(path + ":" + std::to_string(number) + ": expected TOKEN<TAB>TAG or the 5 UNER columns");
    }
    if (form.empty() || !(tag == "O" || (tag.size() > 2 && (tag[0] == 'B' || tag[0] == 'I') && tag[1] == '-')))
      throw input_error(path + ":" + std::to_string(number) + ": bad IOB2 tag '" + std::string(tag) + "'");
    cur.forms.emplace_back(form);
    cur.tags.emplace_back(tag);
  }
  flush();
  return out;
}

// ---- scoring -------------------------------------------------------------------------------------

double ner_counts::precision() const {
  const auto d = true_positives + false_positives;
  return d == 0 ? 0.0 : 100.0 * double(true_positives) / double(d);
}
double ner_counts::recall() const {
  const auto d = true_positives + false_negatives;
  return d == 0 ? 0.0 : 100.0 * double(true_positives) / double(d);
}
double ner_counts::f1() const {
  const double p = precision(), r = recall();
  return p + r == 0.0 ? 0.0 : 2 * p * r / (p + r);
}

namespace {

using span_t = std::tuple<std::size_t, std::size_t, std::string>;  // begin, end, type

// conlleval chunking: an entity starts at B-X, or at I-X not continuing an X entity.
std::vector<span_t> entity_spans(const std::vector<std::string>& tags) {
  std::vector<span_t> out;
  std::string type;
  std::size_t begin = 0;
  auto close = [&](std::size_t end) {
    if (!type.empty()) out.emplace_back(begin, end, type);
    type.clear();
  };
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string& t = tags[i];
    if (t == "O" || t.size() < 3) {
      close(i);
      continue;
    }
    const std::string_view ty = std::string_view(t).substr(2);
    if (t[0] == 'B' || ty != type) {
      close(i);
      type = ty;
      begin = i;
    }
  }
  close(tags.size());
  return out;
}

}  // namespace

ner_scores score_ner(const std::vector<std::vector<std::string>>& gold,
                     const std::vector<std::vector<std::string>>& predicted) {
  if (gold.size() != predicted.size()) throw error("score_ner: gold and predicted differ in sentence count");
  std::vector<std::vector<span_t>> gs, ps;
  std::set<std::string> present;
  for (std::size_t k = 0; k < gold.size(); ++k) {
    gs.push_back(entity_spans(gold[k]));
    ps.push_back(entity_spans(predicted[k]));
    for (const auto& s : gs.back()) present.insert(std::get<2>(s));
  }
  ner_scores r;
  for (const auto& t : entity_types)
    if (present.count(t)) r.types.push_back(t);
  for (const auto& t : present)
    if (std::find(r.types.begin(), r.types.end(), t) == r.types.end()) r.types.push_back(t);
  r.per_type.resize(r.types.size());
  auto type_index = [&](const std::string& t) -> int {
    for (std::size_t k = 0; k < r.types.size(); ++k)
      if (r.types[k] == t) return static_cast<int>(k);
    return -1;
  };
  for (std::size_t k = 0; k < gold.size(); ++k) {
    r.sentences += 1;
    r.tokens += gold[k].size();
    std::set<span_t> g(gs[k].begin(), gs[k].end());
    std::set<span_t> p;
    for (const auto& s : ps[k])
      if (type_index(std::get<2>(s)) >= 0) p.insert(s);  // types absent from gold are not scored
    for (const auto& s : p) {
      auto& c = r.per_type[static_cast<std::size_t>(type_index(std::get<2>(s)))];
      if (g.count(s)) {
        ++c.true_positives;
        ++r.overall.true_positives;
      } else {
        ++c.false_positives;
        ++r.overall.false_positives;
      }
    }
    for (const auto& s : g)
      if (!p.count(s)) {
        ++r.per_type[static_cast<std::size_t>(type_index(std::get<2>(s)))].false_negatives;
        ++r.overall.false_negatives;
      }
  }
  return r;
}

ner_scores evaluate_ner(const ner_model& model, const std::vector<iob2_sentence>& gold, const tagger* pos_tagger) {
  std::vector<std::vector<std::string>> g, p;
  g.reserve(gold.size());
  p.reserve(gold.size());
  std::vector<sentence> tagged;
  if (pos_tagger != nullptr) {
    tagged.resize(gold.size());
    for (std::size_t k = 0; k < gold.size(); ++k) {
      tagged[k].tokens.resize(gold[k].forms.size());
      for (std::size_t i = 0; i < gold[k].forms.size(); ++i) tagged[k].tokens[i].form = gold[k].forms[i];
      pos_tagger->tag(tagged[k]);
    }
  }
  else {
    tagged.resize(gold.size());
    for (std::size_t k = 0; k < gold.size(); ++k) {
      tagged[k].tokens.resize(gold[k].forms.size());
      for (std::size_t i = 0; i < gold[k].forms.size(); ++i) tagged[k].tokens[i].form = gold[k].forms[i];
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  // A document at a time: consecutive sentences of the same "# newdoc id" (a sentence without one
  // is a document of its own).
  for (std::size_t k = 0; k < gold.size();) {
    std::size_t e = k + 1;
    while (e < gold.size() && !gold[k].document.empty() && gold[e].document == gold[k].document) ++e;
    model.label_document(std::span<sentence>(tagged.data() + k, e - k));
    k = e;
  }
  const auto t1 = std::chrono::steady_clock::now();
  for (const auto& s : tagged) {
    auto& out = p.emplace_back();
    for (const token& t : s.tokens) out.push_back(t.ner);
  }
  for (const auto& s : gold) g.push_back(s.tags);
  ner_scores r = score_ner(g, p);
  r.seconds = std::chrono::duration<double>(t1 - t0).count();
  return r;
}

ner_scores evaluate_ner(const ner_model& model, const std::string& gold_file, const std::string& document_prefix,
                        const tagger* pos_tagger) {
  auto gold = read_iob2(gold_file);
  if (!document_prefix.empty())
    std::erase_if(gold, [&](const iob2_sentence& s) { return s.document.rfind(document_prefix, 0) != 0; });
  if (gold.empty()) throw input_error(gold_file + ": no sentences to evaluate");
  return evaluate_ner(model, gold, pos_tagger);
}

std::string format_scores(const ner_scores& r) {
  std::ostringstream out;
  char buf[160];
  for (std::size_t k = 0; k < r.types.size(); ++k) {
    const ner_counts& c = r.per_type[k];
    std::snprintf(buf, sizeof buf, "%-5s P=%6.2f R=%6.2f F1=%6.2f  gold=%zu predicted=%zu\n", r.types[k].c_str(),
                  c.precision(), c.recall(), c.f1(), c.true_positives + c.false_negatives,
                  c.true_positives + c.false_positives);
    out << buf;
  }
  std::snprintf(buf, sizeof buf, "P=%.2f R=%.2f F1=%.2f", r.overall.precision(), r.overall.recall(), r.overall.f1());
  out << buf;
  for (std::size_t k = 0; k < r.types.size(); ++k) {
    std::snprintf(buf, sizeof buf, " %s=%.2f", r.types[k].c_str(), r.per_type[k].f1());
    out << buf;
  }
  if (r.seconds > 0) {
    std::snprintf(buf, sizeof buf, " tokens_per_s=%.0f", double(r.tokens) / r.seconds);
    out << buf;
  }
  out << '\n';
  return out.str();
}

// ---- training ------------------------------------------------------------------------------------

namespace {

nlp::hashed_key_map<std::uint8_t> read_word_case(const std::string& path) {
  nlp::hashed_key_map<std::uint8_t> out;
  for_each_data_line(path, "word-case file", [&](int number, std::string_view line) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos || tab + 2 != line.size() || std::string_view("cpb").find(line[tab + 1]) == std::string_view::npos)
      throw input_error(path + ":" + std::to_string(number) + ": expected WORD<TAB>c|p|b");
    const char c = line[tab + 1];
    out.insert_or_assign(nlp::hash_string(line.substr(0, tab)), c == 'c' ? 1 : c == 'p' ? 2 : 3);
  });
  return out;
}

nlp::hashed_key_map<std::uint8_t> read_word_class(const std::string& path) {
  static constexpr std::array<std::string_view, 26> classes = {
      "Tops", "act", "animal", "artifact", "attribute", "body", "cognition", "communication", "event",
      "feeling", "food", "group", "location", "motive", "object", "person", "phenomenon", "plant",
      "possession", "process", "quantity", "relation", "shape", "state", "substance", "time"};
  nlp::hashed_key_map<std::uint8_t> out;
  for_each_data_line(path, "WordNet class file", [&](int number, std::string_view line) {
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string::npos ? t1 : line.find('\t', t1 + 1);
    const std::string_view view = line;
    const auto it = t2 == std::string::npos ? classes.end()
                                            : std::find(classes.begin(), classes.end(), view.substr(t1 + 1, t2 - t1 - 1));
    if (it == classes.end() || t2 + 2 != line.size() || (line[t2 + 1] != 'p' && line[t2 + 1] != 'c'))
      throw input_error(path + ":" + std::to_string(number) + ": expected NOUN<TAB>CLASS<TAB>p|c");
    const auto cls = static_cast<std::uint8_t>(it - classes.begin());
    out.insert_or_assign(nlp::hash_string(view.substr(0, t1)), static_cast<std::uint8_t>(1 + cls * 2 + (line[t2 + 1] == 'p' ? 1 : 0)));
  });
  return out;
}

// A map key for a sentence's forms.
std::string forms_key(const std::vector<std::string>& forms) {
  std::string key;
  for (const auto& f : forms) key.append(f).push_back('\x1f');
  return key;
}

// Taggers trained each without one of `folds` contiguous parts of pos_train (as jackknife_tags()).
std::vector<tagger> jackknife_taggers(const std::vector<sentence>& pos_train, int folds, bool verbose) {
  if (folds < 2) throw error("train_ner: jackknifing needs at least 2 folds");
  std::vector<tagger> out;
  const std::size_t n = pos_train.size();
  for (std::size_t k = 0; k < static_cast<std::size_t>(folds); ++k) {
    const std::size_t begin = n * k / static_cast<std::size_t>(folds), end = n * (k + 1) / static_cast<std::size_t>(folds);
    std::vector<sentence> part;
    part.reserve(n - (end - begin));
    for (std::size_t i = 0; i < n; ++i)
      if (i < begin || i >= end) part.push_back(pos_train[i]);
    tagger_options o;
    o.epochs = 8;  // no dev set inside a fold: a fixed number of epochs, as jackknife_tags() does
    out.push_back(tagger::train(part, {}, o));
    if (verbose) std::fprintf(stderr, "ner: jackknife tagger %zu of %d trained\n", k + 1, folds);
  }
  return out;
}

}  // namespace

struct ner_trainer {
  // Mention replacement: copies of the training sentences with each PER/ORG/LOC mention replaced
  // by another mention of its type, from the training data or the gazetteers (countries, capitals,
  // cities, regions for LOC; organisations for ORG). Teaches the model to trust the gazetteer
  // features and the context rather than memorised names. A third of the replaced PER mentions get
  // a title in front, half of those also a demonym ("Russian Foreign Minister Sergey Lavrov"), and
  // with ner_train_options::affiliation half of the titles an organisation or place ("Ambassador to
  // the European Union Sergey Lavrov"): the training data has almost no such news-style titles, and
  // without them a title is read as part of the name, and a name after an organisation as part of it.
  // sources: gets, for each copy, the index in train of the sentence it was made from.
  static std::vector<iob2_sentence> augment(const std::vector<iob2_sentence>& train, const gazetteer& gaz,
                                            const ner_train_options& opt, std::vector<std::size_t>& sources) {
    std::vector<iob2_sentence> out;
    if (opt.augment <= 0) return out;
    std::array<std::vector<std::vector<std::string>>, 3> pool;  // PER, ORG, LOC mentions
    auto type_of = [](std::string_view t) { return t == "PER" ? 0 : t == "ORG" ? 1 : t == "LOC" ? 2 : -1; };
    auto mentions = [&](const iob2_sentence& s, auto f) {
      for (std::size_t i = 0; i < s.tags.size();) {
        if (s.tags[i].size() > 2 && s.tags[i][0] == 'B') {
          const std::string type = s.tags[i].substr(2);
          std::size_t j = i + 1;
          while (j < s.tags.size() && s.tags[j] == "I-" + type) ++j;
          f(i, j, type);
          i = j;
        } else {
          ++i;
        }
      }
    };
    for (const auto& s : train)
      mentions(s, [&](std::size_t b, std::size_t e, const std::string& type) {
        const int t = type_of(type);
        if (t >= 0) pool[t].emplace_back(s.forms.begin() + static_cast<std::ptrdiff_t>(b),
                                         s.forms.begin() + static_cast<std::ptrdiff_t>(e));
      });
    std::array<std::vector<std::vector<std::string>>, 3> names;
    std::vector<std::vector<std::string>> titles, demonyms;
    for (const auto& e : gaz.entries()) {
      if (e.type == gazetteer_type::title && !e.tokens.empty() && e.tokens[0][0] >= 'A' && e.tokens[0][0] <= 'Z')
        titles.push_back(e.tokens);
      if (e.type == gazetteer_type::demonym) demonyms.push_back(e.tokens);
      switch (e.type) {
        case gazetteer_type::organization: names[1].push_back(e.tokens); break;
        case gazetteer_type::country:
        case gazetteer_type::capital:
        case gazetteer_type::city:
        case gazetteer_type::region: names[2].push_back(e.tokens); break;
        default: break;
      }
    }
    std::mt19937 rng(opt.seed + 7);
    for (int copy = 0; copy < opt.augment; ++copy) {
      for (const auto& s : train) {
        iob2_sentence a;
        a.document = s.document;
        const auto source = static_cast<std::size_t>(&s - train.data());
        std::size_t last = 0;
        bool changed = false;
        mentions(s, [&](std::size_t b, std::size_t e, const std::string& type) {
          a.forms.insert(a.forms.end(), s.forms.begin() + static_cast<std::ptrdiff_t>(last),
                         s.forms.begin() + static_cast<std::ptrdiff_t>(b));
          a.tags.insert(a.tags.end(), s.tags.begin() + static_cast<std::ptrdiff_t>(last),
                        s.tags.begin() + static_cast<std::ptrdiff_t>(b));
          last = e;
          const int t = type_of(type);
          const std::vector<std::string>* pick = nullptr;
          if (t >= 0) {
            const bool from_gaz = !names[t].empty() && (rng() & 1) != 0;
            const auto& src = from_gaz ? names[t] : pool[t];
            if (!src.empty()) pick = &src[rng() % src.size()];
          }
          if (pick == nullptr) {
            a.forms.insert(a.forms.end(), s.forms.begin() + static_cast<std::ptrdiff_t>(b),
                           s.forms.begin() + static_cast<std::ptrdiff_t>(e));
            a.tags.insert(a.tags.end(), s.tags.begin() + static_cast<std::ptrdiff_t>(b),
                          s.tags.begin() + static_cast<std::ptrdiff_t>(e));
            return;
          }
          changed = true;
          if (t == 0 && !titles.empty() && rng() % 3 == 0) {
            if (!demonyms.empty() && (rng() & 1) != 0) {
              const auto& d = demonyms[rng() % demonyms.size()];
              for (std::size_t k = 0; k < d.size(); ++k) {
                a.forms.push_back(d[k]);
                a.tags.push_back(opt.misc ? (k == 0 ? "B-MISC" : "I-MISC") : "O");
              }
            }
            for (const auto& w : titles[rng() % titles.size()]) {
              a.forms.push_back(w);
              a.tags.push_back("O");
            }
            // Sometimes the title names where the person serves, the name right after it ("Permanent
            // Representative to the European Union John Smith"): a new name starts after an ORG or LOC.
            if (opt.affiliation && (rng() & 1) != 0) {
              static constexpr std::array<std::string_view, 3> prepositions = {"of", "to", "at"};
              a.forms.emplace_back(prepositions[rng() % prepositions.size()]);
              a.tags.emplace_back("O");
              const int at = names[1].empty() || (!names[2].empty() && (rng() & 1) != 0) ? 2 : 1;
              if (at == 1) {
                a.forms.emplace_back("the");
                a.tags.emplace_back("O");
              }
              if (!names[at].empty()) {
                const auto& place = names[at][rng() % names[at].size()];
                for (std::size_t k = 0; k < place.size(); ++k) {
                  a.forms.push_back(place[k]);
                  a.tags.push_back((k == 0 ? "B-" : "I-") + std::string(at == 1 ? "ORG" : "LOC"));
                }
              }
            }
          }
          for (std::size_t k = 0; k < pick->size(); ++k) {
            a.forms.push_back((*pick)[k]);
            a.tags.push_back((k == 0 ? "B-" : "I-") + type);
          }
        });
        if (!changed) continue;
        a.forms.insert(a.forms.end(), s.forms.begin() + static_cast<std::ptrdiff_t>(last), s.forms.end());
        a.tags.insert(a.tags.end(), s.tags.begin() + static_cast<std::ptrdiff_t>(last), s.tags.end());
        out.push_back(std::move(a));
        sources.push_back(source);
      }
    }
    return out;
  }

  static ner_model train(const std::vector<iob2_sentence>& train, const std::vector<iob2_sentence>& dev,
                         const gazetteer& gazetteers, const ner_train_options& opt, ner_train_report* report) {
    ner_model model;
    ner_model::impl& m = *model.impl_;
    m.hash_bits = opt.hash_bits;
    // Labels the data never shows would win by default (weight 0) over penalised ones: keep them out.
    if (!opt.misc) m.labels.resize(7);
    for (const gazetteer_entry& e : gazetteers.entries()) m.gaz.add_tokenized(e);
    if (!opt.word_case_file.empty()) m.word_case = read_word_case(opt.word_case_file);
    if (!opt.word_class_file.empty()) m.word_class = read_word_class(opt.word_class_file);
    m.init_shapes();
    // Only used when labelling (dev evaluation and the saved model), not by the training decisions.
    for (std::size_t c = 0; c < m.labels.size(); ++c)
      if (m.labels[c] == "B-PER") m.bias[c] = opt.person_bias;
    m.document_memory = opt.document_memory;

    std::vector<std::size_t> sources;  // of the augmented sentences: their index in train
    std::vector<iob2_sentence> augmented = augment(train, gazetteers, opt, sources);
    std::vector<const iob2_sentence*> all;
    for (const auto& t : train) all.push_back(&t);
    for (const auto& t : augmented) all.push_back(&t);

    // Gold label indexes; MISC becomes O when not wanted.
    std::vector<std::vector<std::uint32_t>> gold(all.size());
    for (std::size_t k = 0; k < all.size(); ++k) {
      for (const auto& t : all[k]->tags) {
        auto it = std::find(m.labels.begin(), m.labels.end(), t);
        std::uint32_t y = it == m.labels.end() ? 0 : static_cast<std::uint32_t>(it - m.labels.begin());
        if (!opt.misc && m.shapes[y].type == 3) y = 0;
        gold[k].push_back(y);
      }
    }
    std::vector<std::vector<std::string_view>> forms(all.size());
    for (std::size_t k = 0; k < all.size(); ++k) forms[k].assign(all[k]->forms.begin(), all[k]->forms.end());
    // POS tags predicted by the tagger, as at run time (the pipeline tags before NER); the
    // sentences the tagger was trained on, and their augmented copies, by jackknifed taggers.
    std::vector<std::vector<std::string>> upos(all.size()), xpos(all.size());
    std::vector<tagger> fold_taggers;
    std::vector<int> fold_of(all.size(), -1);
    if (opt.pos_tagger != nullptr && !opt.pos_train.empty()) {
      fold_taggers = jackknife_taggers(opt.pos_train, opt.pos_folds, opt.verbose);
      std::unordered_map<std::string, int> fold_by_forms;
      const std::size_t n = opt.pos_train.size(), folds = fold_taggers.size();
      for (std::size_t i = 0; i < n; ++i) {
        std::vector<std::string> f;
        for (const token& t : opt.pos_train[i].tokens) f.push_back(t.form);
        fold_by_forms.emplace(forms_key(f), static_cast<int>(i * folds / n));
      }
      std::size_t found = 0;
      for (std::size_t k = 0; k < all.size(); ++k) {
        if (k < train.size()) {
          const auto it = fold_by_forms.find(forms_key(train[k].forms));
          if (it != fold_by_forms.end()) fold_of[k] = it->second;
        } else {
          fold_of[k] = fold_of[sources[k - train.size()]];
        }
        found += fold_of[k] >= 0;
      }
      if (opt.verbose)
        std::fprintf(stderr, "ner: jackknifed tags for %zu of %zu training sentences\n", found, all.size());
    }
    if (opt.pos_tagger != nullptr) {
      sentence tmp;
      for (std::size_t k = 0; k < all.size(); ++k) {
        tmp.tokens.assign(all[k]->forms.size(), token{});
        for (std::size_t i = 0; i < all[k]->forms.size(); ++i) tmp.tokens[i].form = all[k]->forms[i];
        if (fold_of[k] >= 0)
          fold_taggers[static_cast<std::size_t>(fold_of[k])].tag(tmp);
        else
          opt.pos_tagger->tag(tmp);
        for (const token& t : tmp.tokens) {
          upos[k].push_back(t.upos);
          xpos[k].push_back(t.xpos);
        }
      }
    }

    fold_taggers.clear();

    // Documents: runs of consecutive training sentences of the same "# newdoc id", kept in order so
    // that the document memory sees what came before; each augmented sentence is a document alone.
    // Documents are shuffled, not sentences.
    std::vector<std::vector<std::size_t>> docs;
    for (std::size_t k = 0; k < all.size(); ++k) {
      if (k > 0 && k < train.size() && !train[k].document.empty() && train[k].document == train[k - 1].document)
        docs.back().push_back(k);
      else
        docs.push_back({k});
    }

    nlp::averaged_perceptron live(static_cast<std::uint32_t>(m.labels.size()), opt.hash_bits);
    std::vector<std::size_t> order(docs.size());
    std::iota(order.begin(), order.end(), 0);
    std::mt19937 rng(opt.seed);
    std::mt19937 drop_rng(opt.seed + 99);
    // A feature is kept when a 32-bit draw is at most this. In double and capped: 1.0F times
    // 4294967295.0F rounds up to 2^32 in float, which no uint32 holds (UBSan found it).
    const double keep = std::clamp(1.0 - static_cast<double>(opt.dropout), 0.0, 1.0);
    const auto keep_threshold = static_cast<std::uint32_t>(std::min(keep * 4294967296.0, 4294967295.0));
    std::vector<std::uint64_t> kept;
    scratch sc;
    sc.scores.resize(m.labels.size());
    std::optional<nlp::averaged_perceptron> best;
    double best_f1 = -1;
    int best_epoch = 0, since_best = 0;
    for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
      std::shuffle(order.begin(), order.end(), rng);
      std::size_t errors = 0, total = 0;
      m.weights = std::move(live);
      for (std::size_t d : order) {
        sc.memory.clear();
        for (std::size_t k : docs[d]) {
          // One sentence in five without tags, so that the model also copes with untagged input.
          if (k % 5 == 4) {
            sc.upos.clear();
            sc.xpos.clear();
          } else {
            sc.upos.assign(upos[k].begin(), upos[k].end());
            sc.xpos.assign(xpos[k].begin(), xpos[k].end());
          }
          m.prepare(forms[k], sc);
          sc.predicted.assign(forms[k].size(), 0);
          std::uint32_t p1 = UINT32_MAX, p2 = UINT32_MAX;
          for (std::size_t i = 0; i < forms[k].size(); ++i) {
            m.features(sc, i, p1, p2, sc.features);
            std::span<const std::uint64_t> f = sc.features.view();
            if (opt.dropout > 0) {  // feature dropout: this decision sees a random subset
              kept.clear();
              for (std::uint64_t h : f)
                if (drop_rng() <= keep_threshold) kept.push_back(h);
              f = kept;
            }
            m.weights.score(f, sc.scores);
            const std::uint32_t guess = m.best(sc.scores, p1);
            const std::uint32_t truth = gold[k][i];
            if (guess != truth) {
              m.weights.update(f, truth, guess);
              ++errors;
            } else if (opt.margin > 0) {
              // Right, but by less than the margin over the runner-up: push them apart as well.
              std::uint32_t second = UINT32_MAX;
              for (std::uint32_t c = 0; c < sc.scores.size(); ++c)
                if (c != truth && m.allowed(p1, c) && (second == UINT32_MAX || sc.scores[c] > sc.scores[second]))
                  second = c;
              if (second != UINT32_MAX && sc.scores[truth] - sc.scores[second] < opt.margin)
                m.weights.update(f, truth, second);
            }
            m.weights.tick();
            ++total;
            sc.predicted[i] = guess;
            p2 = p1;
            p1 = guess;
          }
          m.remember(sc, sc.predicted);
        }
      }
      live = std::move(m.weights);
      // Evaluate this epoch's averaged weights on a copy; training continues on the live ones.
      m.weights = live.averaged();
      double f1 = 0;
      if (!dev.empty()) f1 = evaluate_ner(model, dev, opt.pos_tagger).overall.f1();
      if (opt.verbose && !dev.empty())
        std::fprintf(stderr, "ner epoch %d: train error %.2f%%, dev F1 %.2f\n", epoch,
                     100.0 * double(errors) / double(std::max<std::size_t>(total, 1)), f1);
      else if (opt.verbose)
        std::fprintf(stderr, "ner epoch %d: train error %.2f%%\n", epoch,
                     100.0 * double(errors) / double(std::max<std::size_t>(total, 1)));
      if (dev.empty() || f1 > best_f1) {
        best_f1 = f1;
        best_epoch = epoch;
        best = std::move(m.weights);
        since_best = 0;
      } else if (++since_best >= 3) {
        break;  // early stopping
      }
    }
    live.drop_training();
    m.weights = best ? std::move(*best) : nlp::averaged_perceptron{};
    if (report) {
      report->best_epoch = best_epoch;
      report->best_dev_f1 = best_f1;
      report->train_sentences = train.size();
    }
    return model;
  }
};

ner_model train_ner(const std::vector<iob2_sentence>& train, const std::vector<iob2_sentence>& dev,
                    const gazetteer& gazetteers, const ner_train_options& options, ner_train_report* report) {
  if (train.empty()) throw error("train_ner: no training sentences");
  return ner_trainer::train(train, dev, gazetteers, options, report);
}

ner_train_report train_ner(const std::vector<std::string>& train_files, const std::string& dev_file,
                           const std::string& out_path, const std::string& data_dir, const std::string& tagger_path,
                           const std::string& pos_train_file, ner_train_options opt) {
  std::vector<iob2_sentence> train;
  for (const auto& f : train_files) {
    auto part = read_iob2(f);
    std::move(part.begin(), part.end(), std::back_inserter(train));
  }
  std::vector<iob2_sentence> dev;
  if (!dev_file.empty()) dev = read_iob2(dev_file);
  const gazetteer gaz = gazetteer::load(data_dir);
  std::optional<tagger> pos;
  if (!tagger_path.empty()) {
    pos = tagger::load(tagger_path);
    opt.pos_tagger = &*pos;
  }
  if (!pos_train_file.empty()) {
    if (!pos) throw error("train_ner: jackknifed POS tags (" + pos_train_file + ") need a tagger");
    for (auto& s : nlp::read_conllu(pos_train_file)) opt.pos_train.push_back(std::move(s.sent));
  }
  opt.word_case_file = data_dir + "/data/word-case.tsv";
  opt.word_class_file = data_dir + "/data/wordnet-classes.tsv";
  ner_train_report report;
  const ner_model model = train_ner(train, dev, gaz, opt, &report);
  model.save(out_path);
  return report;
}

}  // namespace newsgraph
