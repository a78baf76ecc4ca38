#include "newsgraph/tagger.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <ostream>
#include <random>
#include <unordered_map>
#include <unordered_set>

#include "nlp/hashed_key_map.h"
#include "nlp/perceptron.h"
#include "nlp/text_features.h"

namespace newsgraph {

namespace {

using nlp::hash_combine;
using nlp::hash_string;

// Bump whenever a template below changes: old model files are then refused by fingerprint.
constexpr std::string_view tagger_templates =
    "tagger-v1:rare<2:no-identity;bias,form,lower,suf1-4,pre1-4,shape,flags,t1,t2,t1t2,t1lower,lower-1,suf3-1,lower-2,lower+1,"
    "suf3+1,lower+2,shape+1,shape-1,lower.lower+1,lower-1.lower,suf3.t1,lower+1.lower+2,lower-1.lower+1,"
    "t1.lower+1,shape.t1,amb,amb+1,amb+2,amb-1,amb.amb+1,t1.amb,lower.suf3+1,suf3.suf3+1,t2.t1.lower;"
    "tagdict;ambiguity-classes;lemma-dict;lemma-rules";
constexpr int pad = 2;  // padding positions each side of a sentence

struct lemma_rule {
  std::uint8_t strip = 0;
  std::string append;
};

std::uint64_t lemma_key(std::uint64_t word, std::uint64_t tag) { return hash_combine(word, tag); }

}  // namespace

struct tagger::impl {
  std::vector<std::string> labels;  // "UPOS\tXPOS"
  std::vector<std::string> upos, xpos;
  std::vector<std::uint64_t> label_hash;
  std::vector<std::uint64_t> upos_hash;
  std::vector<bool> is_propn;
  nlp::averaged_perceptron model;
  nlp::hashed_key_map<std::uint32_t> tagdict;   // form hash -> class
  nlp::hashed_key_map<std::string> lemma_dict;  // (form or lower hash, class or upos) -> lemma
  nlp::hashed_key_map<lemma_rule> lemma_rules;  // (upos, suffix of lower) -> rule
  // lower-case word hash -> hash of the set of UPOS it was seen with (frequent words only): tells
  // the model what the words to the right can be before they are tagged.
  nlp::hashed_key_map<std::uint64_t> ambiguity;
  nlp::hashed_key_map<bool> known_words;  // lower-case words seen at least twice in training

  void set_labels(std::vector<std::string> l) {
    labels = std::move(l);
    upos.clear();
    xpos.clear();
    label_hash.clear();
    upos_hash.clear();
    is_propn.clear();
    for (const auto& s : labels) {
      const auto tab = s.find('\t');
      upos.push_back(s.substr(0, tab));
      xpos.push_back(s.substr(tab + 1));
      label_hash.push_back(hash_string(s));
      upos_hash.push_back(hash_string(upos.back()));
      is_propn.push_back(upos.back() == "PROPN");
    }
  }

  static constexpr std::uint64_t rare = 0x72617265ULL;
  struct identity {
    std::uint64_t form, lower, norm;
  };
  struct scratch {
    std::vector<nlp::word_hashes> words;
    std::vector<std::uint32_t> tags;  // padded like words
    std::vector<std::uint64_t> amb;   // ambiguity class, padded like words
    std::vector<identity> id;         // word identity as features see it, padded like words
    nlp::feature_buffer features;
    std::vector<float> scores;
    std::string text;
  };

  void prepare(const sentence& s, scratch& sc) const {
    const std::size_t n = s.tokens.size();
    sc.words.resize(n + 2 * pad);
    sc.tags.assign(n + 2 * pad, 0xffffffffU);
    for (int k = 0; k < pad; ++k) {
      nlp::hash_word(k == 0 ? "<s2>" : "<s>", sc.words[k], sc.text);
      nlp::hash_word(k == 0 ? "</s>" : "</s2>", sc.words[n + pad + k], sc.text);
    }
    for (std::size_t i = 0; i < n; ++i) nlp::hash_word(s.tokens[i].form, sc.words[i + pad], sc.text);
    // Words seen once or never in training keep only their affixes, shape and context: their
    // identity features would be noise learned from one example.
    sc.id.resize(n + 2 * pad);
    for (std::size_t p = 0; p < n + 2 * pad; ++p) {
      const auto& w = sc.words[p];
      const bool known = p < pad || p >= n + pad || known_words.contains(w.lower);
      sc.id[p] = known ? identity{w.form, w.lower, w.norm} : identity{rare, rare, hash_combine(rare, w.shape)};
    }
    sc.amb.resize(n + 2 * pad);
    for (std::size_t p = 0; p < n + 2 * pad; ++p) {
      const std::uint64_t* ambiguity_class = ambiguity.find(sc.words[p].lower);
      sc.amb[p] = ambiguity_class == nullptr ? sc.words[p].shape : *ambiguity_class;
    }
    sc.scores.resize(labels.size());
  }

  std::uint64_t tag_hash(const scratch& sc, std::size_t p) const {
    const std::uint32_t t = sc.tags[p];
    return t == 0xffffffffU ? 0x5a5a5a5aULL : label_hash[t];
  }

  // Features of padded position p, given predicted tags at p-1 and p-2.
  void features(scratch& sc, std::size_t p) const {
    auto& f = sc.features;
    const auto& w = sc.words[p];
    const identity& i0 = sc.id[p];
    const auto& wm1 = sc.words[p - 1];
    const auto& wp1 = sc.words[p + 1];
    const std::uint64_t t1 = tag_hash(sc, p - 1), t2 = tag_hash(sc, p - 2);
    f.clear();
    f.add(0);
    f.add(1, i0.form);
    f.add(2, i0.lower);
    for (int k = 0; k < 4; ++k) {
      f.add(3, w.suffix[k]);
      f.add(4, w.prefix[k]);
    }
    f.add(5, w.shape);
    f.add(6, w.flags);
    f.add(7, t1);
    f.add(8, t2);
    f.add(9, t1, t2);
    f.add(10, t1, i0.lower);
    f.add(11, sc.id[p - 1].norm);
    f.add(12, wm1.suffix[2]);
    f.add(13, sc.id[p - 2].norm);
    f.add(14, sc.id[p + 1].norm);
    f.add(15, wp1.suffix[2]);
    f.add(16, sc.id[p + 2].norm);
    f.add(17, wp1.shape);
    f.add(18, wm1.shape);
    f.add(19, i0.lower, sc.id[p + 1].norm);
    f.add(20, sc.id[p - 1].norm, i0.lower);
    f.add(21, w.suffix[2], t1);
    f.add(22, sc.id[p + 1].norm, sc.id[p + 2].norm);
    f.add(23, sc.id[p - 1].norm, sc.id[p + 1].norm);
    f.add(24, t1, sc.id[p + 1].norm);
    f.add(25, w.shape, t1);
    f.add(26, sc.amb[p]);
    f.add(27, sc.amb[p + 1]);
    f.add(28, sc.amb[p + 2]);
    f.add(29, sc.amb[p - 1]);
    f.add(30, sc.amb[p], sc.amb[p + 1]);
    f.add(31, t1, sc.amb[p]);
    f.add(32, i0.lower, wp1.suffix[2]);
    f.add(33, w.suffix[2], wp1.suffix[2]);
    f.add(34, t2, t1, i0.lower);
  }

  std::uint32_t argmax(const scratch& sc) const {
    return static_cast<std::uint32_t>(std::max_element(sc.scores.begin(), sc.scores.end()) - sc.scores.begin());
  }

  // Greedy decoding into sc.tags.
  void decode(const nlp::averaged_perceptron& m, scratch& sc, std::size_t n) const {
    for (std::size_t i = 0; i < n; ++i) {
      const std::size_t p = i + pad;
      if (const std::uint32_t* tag = tagdict.find(sc.words[p].form)) {
        sc.tags[p] = *tag;
        continue;
      }
      features(sc, p);
      m.score(sc.features.view(), sc.scores);
      sc.tags[p] = argmax(sc);
    }
  }

  std::string lemmatize(std::string_view form, std::uint32_t cls, const nlp::word_hashes& w) const {
    if (const std::string* lemma = lemma_dict.find(lemma_key(w.form, label_hash[cls]))) return *lemma;
    if (const std::string* lemma = lemma_dict.find(lemma_key(w.lower, upos_hash[cls]))) return *lemma;
    if (is_propn[cls]) return std::string(form);
    std::string lower = nlp::ascii_lower(form);
    const std::size_t n = lower.size();
    for (std::size_t k = std::min<std::size_t>(n, 6); k >= 1; --k) {
      const lemma_rule* rule =
          lemma_rules.find(hash_combine(upos_hash[cls], hash_string(std::string_view(lower).substr(n - k))));
      if (rule == nullptr) continue;
      if (rule->strip > n) break;
      lower.resize(n - rule->strip);
      lower += rule->append;
      return lower;
    }
    return lower;
  }

  void apply(sentence& s, const nlp::averaged_perceptron& m, scratch& sc) const {
    prepare(s, sc);
    decode(m, sc, s.tokens.size());
    for (std::size_t i = 0; i < s.tokens.size(); ++i) {
      token& t = s.tokens[i];
      const std::uint32_t c = sc.tags[i + pad];
      t.upos = upos[c];
      t.xpos = xpos[c];
      t.lemma = lemmatize(t.form, c, sc.words[i + pad]);
    }
  }

  tagger_scores evaluate(const std::vector<sentence>& gold, const nlp::averaged_perceptron& m) const {
    tagger_scores r;
    std::size_t up = 0, xp = 0, le = 0;
    scratch sc;
    for (const sentence& g : gold) {
      sentence s = g;
      apply(s, m, sc);
      for (std::size_t i = 0; i < s.tokens.size(); ++i) {
        up += s.tokens[i].upos == g.tokens[i].upos;
        xp += s.tokens[i].xpos == g.tokens[i].xpos;
        le += s.tokens[i].lemma == g.tokens[i].lemma;
      }
      r.tokens += s.tokens.size();
    }
    const double n = r.tokens ? double(r.tokens) : 1.0;
    r.upos = 100.0 * up / n;
    r.xpos = 100.0 * xp / n;
    r.lemma = 100.0 * le / n;
    return r;
  }

  std::uint64_t fingerprint() const { return nlp::model_fingerprint(tagger_templates, labels, model.hash_bits()); }
};

tagger::tagger() : impl_(std::make_unique<impl>()) {}
tagger::~tagger() = default;
tagger::tagger(tagger&&) noexcept = default;
tagger& tagger::operator=(tagger&&) noexcept = default;

tagger tagger::train(const std::vector<sentence>& train, const std::vector<sentence>& dev, const tagger_options& opt) {
  tagger result;
  impl& im = *result.impl_;
  // Label set, sorted for a stable fingerprint.
  std::map<std::string, std::uint32_t> label_ids;
  for (const auto& s : train)
    for (const auto& t : s.tokens) label_ids.emplace(t.upos + "\t" + t.xpos, 0);
  if (label_ids.empty()) throw error("tagger: no training tokens");
  std::vector<std::string> labels;
  for (auto& [k, v] : label_ids) {
    v = static_cast<std::uint32_t>(labels.size());
    labels.push_back(k);
  }
  im.set_labels(labels);
  std::vector<std::vector<std::uint32_t>> gold(train.size());
  for (std::size_t i = 0; i < train.size(); ++i)
    for (const auto& t : train[i].tokens) gold[i].push_back(label_ids[t.upos + "\t" + t.xpos]);

  // Tag dictionary: frequent words seen with one class at least 97% of the time.
  {
    std::unordered_map<std::uint64_t, std::unordered_map<std::uint32_t, std::uint32_t>> counts;
    for (std::size_t i = 0; i < train.size(); ++i)
      for (std::size_t j = 0; j < train[i].tokens.size(); ++j) ++counts[hash_string(train[i].tokens[j].form)][gold[i][j]];
    for (const auto& [w, by_tag] : counts) {
      std::uint32_t total = 0, best = 0, best_tag = 0;
      for (auto [t, c] : by_tag) {
        total += c;
        if (c > best) best = c, best_tag = t;
      }
      if (total >= 20 && best >= 0.97 * total) im.tagdict.emplace(w, best_tag);
    }
  }

  {
    std::unordered_map<std::uint64_t, int> counts;
    for (const auto& s : train)
      for (const token& t : s.tokens) ++counts[hash_string(nlp::ascii_lower(t.form))];
    for (auto [w, c] : counts)
      if (c >= 2) im.known_words.emplace(w, true);
  }
  // Ambiguity classes of words seen at least 5 times, from tags with a share of at least 2%.
  {
    std::unordered_map<std::uint64_t, std::map<std::string, std::uint32_t>> counts;
    for (std::size_t i = 0; i < train.size(); ++i)
      for (const token& t : train[i].tokens) ++counts[hash_string(nlp::ascii_lower(t.form))][t.upos];
    for (const auto& [w, by_tag] : counts) {
      std::uint32_t total = 0;
      for (auto& [t, c] : by_tag) total += c;
      if (total < 5) continue;
      std::uint64_t h = 0xa5a5;
      for (auto& [t, c] : by_tag)
        if (c >= 0.02 * total) h = hash_combine(h, hash_string(t));
      im.ambiguity.emplace(w, h);
    }
  }

  // Lemma dictionary: most frequent lemma per (form, class) and per (lower, upos).
  {
    std::unordered_map<std::uint64_t, std::map<std::string, std::uint32_t>> counts;
    std::map<std::pair<std::string, std::uint32_t>, std::string> types;  // (form, class) -> lemma, for rules
    for (std::size_t i = 0; i < train.size(); ++i)
      for (std::size_t j = 0; j < train[i].tokens.size(); ++j) {
        const token& t = train[i].tokens[j];
        const std::uint32_t c = gold[i][j];
        ++counts[lemma_key(hash_string(t.form), im.label_hash[c])][t.lemma];
        ++counts[lemma_key(hash_string(nlp::ascii_lower(t.form)), im.upos_hash[c])][t.lemma];
        types.emplace(std::pair{t.form, c}, t.lemma);
      }
    for (auto& [k, m] : counts) {
      auto best = std::max_element(m.begin(), m.end(), [](auto& a, auto& b) { return a.second < b.second; });
      im.lemma_dict.emplace(k, best->first);
    }
    // Suffix rules from word types (not tokens), so that frequent irregular words do not dominate.
    std::unordered_map<std::uint64_t, std::map<std::pair<int, std::string>, std::uint32_t>> rules;
    for (const auto& [key, lemma] : types) {
      const std::uint32_t c = key.second;
      if (im.is_propn[c] || lemma.empty()) continue;
      const std::string f = nlp::ascii_lower(key.first);
      const std::string l = nlp::ascii_lower(lemma);
      std::size_t p = 0;
      while (p < f.size() && p < l.size() && f[p] == l[p]) ++p;
      const int strip = static_cast<int>(f.size() - p);
      if (strip > 255) continue;
      const std::string append = l.substr(p);
      for (std::size_t k = std::max<std::size_t>(1, strip); k <= std::min<std::size_t>(f.size(), 6); ++k)
        ++rules[hash_combine(im.upos_hash[c], hash_string(std::string_view(f).substr(f.size() - k)))][{strip, append}];
    }
    for (auto& [k, m] : rules) {
      auto best = std::max_element(m.begin(), m.end(), [](auto& a, auto& b) { return a.second < b.second; });
      im.lemma_rules.emplace(k, lemma_rule{static_cast<std::uint8_t>(best->first.first), best->first.second});
    }
  }

  nlp::averaged_perceptron model(static_cast<std::uint32_t>(labels.size()), opt.hash_bits);
  std::vector<std::size_t> order(train.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937_64 rng(opt.seed);
  impl::scratch sc;
  double best_score = -1;
  int since_best = 0;
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    std::size_t right = 0, seen = 0;
    for (std::size_t idx : order) {
      const sentence& s = train[idx];
      im.prepare(s, sc);
      for (std::size_t i = 0; i < s.tokens.size(); ++i) {
        const std::size_t p = i + pad;
        if (const std::uint32_t* tag = im.tagdict.find(sc.words[p].form)) {
          sc.tags[p] = *tag;
          continue;
        }
        im.features(sc, p);
        model.score(sc.features.view(), sc.scores);
        const std::uint32_t guess = im.argmax(sc);
        model.update(sc.features.view(), gold[idx][i], guess);
        model.tick();
        right += guess == gold[idx][i];
        ++seen;
        sc.tags[p] = guess;
      }
    }
    nlp::averaged_perceptron avg = model.averaged();
    const tagger_scores d = dev.empty() ? tagger_scores{} : im.evaluate(dev, avg);
    if (opt.progress)
      *opt.progress << "tagger: epoch " << epoch << " train " << (seen ? 100.0 * right / seen : 0.0) << "% (model) dev UPOS "
                    << d.upos << " XPOS " << d.xpos << " LEMMA " << d.lemma << std::endl;
    const double score = dev.empty() ? epoch : d.upos + d.xpos;
    if (score > best_score) {
      best_score = score;
      since_best = 0;
      im.model = std::move(avg);
    } else if (++since_best >= opt.patience) {
      break;
    }
  }
  return result;
}

void tagger::prune(float min_weight) { impl_->model.prune(min_weight); }

void tagger::save(const std::string& path) const {
  const impl& im = *impl_;
  nlp::model_writer out("tagger", im.fingerprint());
  out.strings(im.labels);
  out.u32(im.model.hash_bits());
  im.model.save(out);
  // Dictionaries sorted by key so that the same model always gives the same bytes.
  std::vector<std::pair<std::uint64_t, std::uint32_t>> td;
  im.tagdict.for_each([&](std::uint64_t k, std::uint32_t v) { td.emplace_back(k, v); });
  std::sort(td.begin(), td.end());
  out.u32(static_cast<std::uint32_t>(td.size()));
  for (auto [k, v] : td) out.u64(k), out.u32(v);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> am;
  im.ambiguity.for_each([&](std::uint64_t k, std::uint64_t v) { am.emplace_back(k, v); });
  std::sort(am.begin(), am.end());
  out.u32(static_cast<std::uint32_t>(am.size()));
  for (auto [k, v] : am) out.u64(k), out.u64(v);
  std::vector<std::uint64_t> known;
  im.known_words.for_each([&](std::uint64_t k, bool) { known.push_back(k); });
  std::sort(known.begin(), known.end());
  out.u32(static_cast<std::uint32_t>(known.size()));
  for (std::uint64_t k : known) out.u64(k);
  std::vector<std::pair<std::uint64_t, const std::string*>> ld;
  im.lemma_dict.for_each([&](std::uint64_t k, const std::string& v) { ld.emplace_back(k, &v); });
  std::sort(ld.begin(), ld.end());
  out.u32(static_cast<std::uint32_t>(ld.size()));
  for (auto [k, v] : ld) out.u64(k), out.str(*v);
  std::vector<std::pair<std::uint64_t, const lemma_rule*>> lr;
  im.lemma_rules.for_each([&](std::uint64_t k, const lemma_rule& v) { lr.emplace_back(k, &v); });
  std::sort(lr.begin(), lr.end());
  out.u32(static_cast<std::uint32_t>(lr.size()));
  for (auto [k, v] : lr) out.u64(k), out.u8(v->strip), out.str(v->append);
  out.write_file(path);
}

tagger tagger::load(const std::string& path) {
  tagger result;
  impl& im = *result.impl_;
  nlp::model_reader in(path, "tagger");
  im.set_labels(in.strings());
  const std::uint32_t bits = in.u32();
  in.check_fingerprint(nlp::model_fingerprint(tagger_templates, im.labels, bits));
  im.model.load(in, nlp::dense_row_precision::int8);
  if (im.model.n_classes() != im.labels.size() || im.model.hash_bits() != bits)
    throw nlp::model_error(path + ": model file is corrupt (tagger shape)");
  for (std::uint32_t n = in.u32(), i = 0; i < n; ++i) {
    if (i == 0) im.tagdict.reserve(n);
    const std::uint64_t k = in.u64();
    const std::uint32_t v = in.u32();
    if (v >= im.labels.size()) throw nlp::model_error(path + ": model file is corrupt (tag dictionary)");
    im.tagdict.emplace(k, v);
  }
  for (std::uint32_t n = in.u32(), i = 0; i < n; ++i) {
    const std::uint64_t k = in.u64();
    if (i == 0) im.ambiguity.reserve(n);
    im.ambiguity.emplace(k, in.u64());
  }
  for (std::uint32_t n = in.u32(), i = 0; i < n; ++i) {
    if (i == 0) im.known_words.reserve(n);
    im.known_words.emplace(in.u64(), true);
  }
  for (std::uint32_t n = in.u32(), i = 0; i < n; ++i) {
    const std::uint64_t k = in.u64();
    if (i == 0) im.lemma_dict.reserve(n);
    im.lemma_dict.emplace(k, in.str());
  }
  for (std::uint32_t n = in.u32(), i = 0; i < n; ++i) {
    const std::uint64_t k = in.u64();
    if (i == 0) im.lemma_rules.reserve(n);
    lemma_rule r;
    r.strip = in.u8();
    r.append = in.str();
    im.lemma_rules.emplace(k, std::move(r));
  }
  in.expect_end();
  return result;
}

void tagger::tag(sentence& s) const {
  thread_local impl::scratch sc;
  impl_->apply(s, impl_->model, sc);
}

tagger_scores tagger::evaluate(const std::vector<sentence>& gold) const { return impl_->evaluate(gold, impl_->model); }

std::vector<sentence> jackknife_tags(const std::vector<sentence>& train, int folds, const tagger_options& options) {
  if (folds < 2) throw error("jackknife: need at least 2 folds");
  std::vector<sentence> out = train;
  for (int k = 0; k < folds; ++k) {
    // Contiguous folds: sentences of one document stay together, so that held-out accuracy is
    // as low as on new text rather than inflated by neighbouring sentences in training.
    const std::size_t begin = train.size() * k / folds, end = train.size() * (k + 1) / folds;
    std::vector<sentence> part;
    for (std::size_t i = 0; i < train.size(); ++i)
      if (i < begin || i >= end) part.push_back(train[i]);
    if (options.progress) *options.progress << "jackknife: fold " << k + 1 << " of " << folds << std::endl;
    tagger_options o = options;
    o.progress = nullptr;
    // No dev set inside a fold: a fixed number of epochs, close to where dev accuracy peaks.
    o.epochs = std::min(o.epochs, 8);
    const tagger t = tagger::train(part, {}, o);
    for (std::size_t i = begin; i < end; ++i) {
      sentence s = train[i];
      t.tag(s);
      for (std::size_t j = 0; j < s.tokens.size(); ++j) {
        out[i].tokens[j].upos = std::move(s.tokens[j].upos);
        out[i].tokens[j].xpos = std::move(s.tokens[j].xpos);
      }
    }
  }
  return out;
}

}  // namespace newsgraph
