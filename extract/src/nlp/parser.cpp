#include "newsgraph/parser.h"

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

// Bump whenever a feature template or the transition system changes.
constexpr std::string_view parser_templates =
    "parser-v1:rare<2->shape;arc-hybrid,root-last,single-root;zn2011:s0,s1,s2,b0,b1,b2,s0l,s0l2,s0r,s0r2,s1l,s1r,b0l,b0l2;"
    "w=norm,t=xpos,u=upos;pairs,triples,distance,valency,labelsets,s0suf.b0t,b0suf.s0t,s0u.b0u,s1u.s0u";

constexpr int none = -1;
constexpr std::uint64_t none_hash = 0x6e6f6e65ULL;  // feature piece of an empty position

struct token_hashes {
  std::uint64_t w, t, u, wt;
};

// Parser configuration: stack, buffer front, partial tree. Index n is the root.
struct state {
  int n = 0;
  std::vector<int> stack;
  int b = 0;  // buffer is [b, n) followed by the root n
  std::vector<int> head, label;
  std::vector<int> lc1, lc2, rc1, rc2;  // leftmost, 2nd leftmost, rightmost, 2nd rightmost child
  std::vector<int> nl, nr;              // number of left / right children
  std::vector<std::uint64_t> lset, rset;  // order-free hash of the left / right children's labels

  void reset(int size) {
    n = size;
    stack.clear();
    b = 0;
    for (auto* v : {&head, &label, &lc1, &lc2, &rc1, &rc2}) v->assign(size + 1, none);
    nl.assign(size + 1, 0);
    nr.assign(size + 1, 0);
    lset.assign(size + 1, 0);
    rset.assign(size + 1, 0);
  }
  bool terminal() const { return b == n && stack.empty(); }
  int s(std::size_t k) const { return stack.size() > k ? stack[stack.size() - 1 - k] : none; }
  bool can_shift() const { return b < n; }
  bool can_left() const { return !stack.empty() && (b < n || stack.size() == 1); }
  bool can_right() const { return stack.size() >= 2; }

  void attach(int h, int d, int l, std::uint64_t lhash) {
    head[d] = h;
    label[d] = l;
    if (d < h) {  // arc-hybrid adds left children outside-in: each new one is the leftmost
      lc2[h] = lc1[h];
      lc1[h] = d;
      ++nl[h];
      lset[h] ^= lhash;
    } else {  // and right children inside-out: each new one is the rightmost
      rc2[h] = rc1[h];
      rc1[h] = d;
      ++nr[h];
      rset[h] ^= lhash;
    }
  }
};

int distance_bucket(int d) { return d <= 4 ? d : d <= 7 ? 5 : d <= 12 ? 6 : 7; }

}  // namespace

struct dependency_parser::impl {
  std::vector<std::string> labels;
  std::vector<std::uint64_t> label_hash;
  // Words (lower case, digits as 0) seen at least twice in training; rarer ones are represented by
  // their shape: fewer, better-estimated features and a smaller model.
  nlp::hashed_key_map<bool> known_words;
  nlp::averaged_perceptron model;

  std::uint32_t n_labels() const { return static_cast<std::uint32_t>(labels.size()); }
  std::uint32_t n_classes() const { return 1 + 2 * n_labels(); }
  // class 0 = SHIFT, 1 + l = LEFT-l, 1 + L + l = RIGHT-l
  enum kind { shift, left, right };
  kind kind_of(std::uint32_t c) const { return c == 0 ? shift : c <= n_labels() ? left : right; }
  int label_of(std::uint32_t c) const { return static_cast<int>(c <= n_labels() ? c - 1 : c - 1 - n_labels()); }

  struct scratch {
    std::vector<token_hashes> tok;  // n + 1 entries, the root last
    std::vector<std::uint64_t> suf;  // last 3 bytes of the lower-case word, n + 1 entries
    state st;
    nlp::feature_buffer features;
    std::vector<float> scores;
    std::string text;
    nlp::word_hashes wh;
  };

  void prepare(const sentence& s, scratch& sc) const {
    const int n = static_cast<int>(s.tokens.size());
    sc.tok.resize(n + 1);
    sc.suf.resize(n + 1);
    sc.suf[n] = none_hash;
    for (int i = 0; i < n; ++i) {
      const token& t = s.tokens[i];
      nlp::hash_word(t.form, sc.wh, sc.text);
      const std::uint64_t w = known_words.contains(sc.wh.norm) ? sc.wh.norm : hash_combine(0x7261726575ULL, sc.wh.shape);
      sc.tok[i] = {w, hash_string(t.xpos), hash_string(t.upos), 0};
      sc.tok[i].wt = hash_combine(sc.tok[i].w, sc.tok[i].t);
      sc.suf[i] = sc.wh.suffix[2];
    }
    sc.tok[n] = {hash_string("<root>"), hash_string("<ROOT>"), hash_string("<ROOT>"), 0};
    sc.tok[n].wt = hash_combine(sc.tok[n].w, sc.tok[n].t);
    sc.st.reset(n);
    sc.scores.resize(n_classes());
  }

  void features(scratch& sc) const {
    const state& st = sc.st;
    auto& f = sc.features;
    const int s0 = st.s(0), s1 = st.s(1), s2 = st.s(2);
    const int b0 = st.b, b1 = st.b + 1 < st.n ? st.b + 1 : none, b2 = st.b + 2 < st.n ? st.b + 2 : none;
    auto W = [&](int i) { return i == none ? none_hash : sc.tok[i].w; };
    auto T = [&](int i) { return i == none ? none_hash : sc.tok[i].t; };
    auto U = [&](int i) { return i == none ? none_hash : sc.tok[i].u; };
    auto WT = [&](int i) { return i == none ? none_hash : sc.tok[i].wt; };
    auto L = [&](int i) { return i == none || st.label[i] == none ? none_hash : label_hash[st.label[i]]; };
    auto child = [&](const std::vector<int>& v, int i) { return i == none ? none : v[i]; };
    const int s0l = child(st.lc1, s0), s0l2 = child(st.lc2, s0), s0r = child(st.rc1, s0), s0r2 = child(st.rc2, s0);
    const int s1l = child(st.lc1, s1), s1r = child(st.rc1, s1);
    const int b0l = st.lc1[b0], b0l2 = st.lc2[b0];
    const std::uint64_t s0w = W(s0), s0t = T(s0), s0wt = WT(s0), s1w = W(s1), s1t = T(s1), s1wt = WT(s1);
    const std::uint64_t b0w = W(b0), b0t = T(b0), b0wt = WT(b0), b1w = W(b1), b1t = T(b1), b2t = T(b2);
    const std::uint64_t dist = s0 == none ? 99 : b0 == st.n ? 98 : static_cast<std::uint64_t>(distance_bucket(b0 - s0));
    const std::uint64_t dist01 = s1 == none ? 99 : static_cast<std::uint64_t>(distance_bucket(s0 - s1));
    f.clear();
    auto add = [&](std::uint32_t id, auto... pieces) __attribute__((always_inline)) { f.add(id, pieces...); };
    add(0);
    // single positions
    add(1, s0w); add(2, s0t); add(3, s0wt);
    add(4, b0w); add(5, b0t); add(6, b0wt);
    add(7, b1w); add(8, b1t); add(9, WT(b1));
    add(10, W(b2)); add(11, b2t);
    add(12, s1w); add(13, s1t); add(14, s1wt);
    add(15, T(s2)); add(16, W(s2));
    add(17, U(s0)); add(18, U(b0)); add(19, U(s1));
    // pairs
    add(20, s0wt, b0wt); add(21, s0wt, b0w); add(22, s0w, b0wt); add(23, s0wt, b0t);
    add(24, s0t, b0wt); add(25, s0w, b0w); add(26, s0t, b0t); add(27, b0t, b1t);
    add(28, s1wt, s0wt); add(29, s1w, s0w); add(30, s1t, s0t); add(31, s1t, s0w); add(32, s1w, s0t);
    add(33, s1t, b0t); add(34, s1w, b0w);
    // triples
    add(35, b0t, b1t, b2t); add(36, s0t, b0t, b1t); add(37, s1t, s0t, b0t);
    add(38, s0t, T(s0l), b0t); add(39, s0t, T(s0r), b0t); add(40, s0t, b0t, T(b0l));
    add(41, s1t, s0t, T(s0l)); add(42, s1t, s0t, T(s0r)); add(43, s1t, T(s1r), s0t);
    add(44, s2t_hash(sc, s2), s1t, s0t); add(45, s1t, T(s1l), s0t);
    add(46, s0w, b0t, b1t); add(47, s0t, b0w, b1t); add(48, s1t, s0t, b0w); add(49, s1w, s0t, b0t);
    // distance
    add(50, s0w, dist); add(51, s0t, dist); add(52, b0w, dist); add(53, b0t, dist);
    add(54, s0w, b0w, dist); add(55, s0t, b0t, dist);
    add(56, s1t, s0t, dist01); add(57, s1w, s0w, dist01);
    // valency
    const std::uint64_t s0vl = s0 == none ? 99 : st.nl[s0], s0vr = s0 == none ? 99 : st.nr[s0];
    const std::uint64_t s1vr = s1 == none ? 99 : st.nr[s1], b0vl = st.nl[b0];
    add(58, s0w, s0vr); add(59, s0t, s0vr); add(60, s0w, s0vl); add(61, s0t, s0vl);
    add(62, b0w, b0vl); add(63, b0t, b0vl); add(64, s1t, s1vr); add(65, s1w, s1vr);
    // children
    add(66, W(s0l)); add(67, T(s0l)); add(68, L(s0l));
    add(69, W(s0r)); add(70, T(s0r)); add(71, L(s0r));
    add(72, W(b0l)); add(73, T(b0l)); add(74, L(b0l));
    add(75, W(s1r)); add(76, T(s1r)); add(77, L(s1r));
    add(78, L(s1l)); add(79, T(s1l));
    add(80, W(s0l2)); add(81, T(s0l2)); add(82, L(s0l2));
    add(83, W(s0r2)); add(84, T(s0r2)); add(85, L(s0r2));
    add(86, W(b0l2)); add(87, T(b0l2)); add(88, L(b0l2));
    add(89, s0t, T(s0l), T(s0l2)); add(90, s0t, T(s0r), T(s0r2)); add(91, b0t, T(b0l), T(b0l2));
    add(92, s0t, L(s0l), L(s0r)); add(93, s1t, L(s1l), L(s1r));
    // label sets
    const std::uint64_t s0ls = s0 == none ? none_hash : st.lset[s0], s0rs = s0 == none ? none_hash : st.rset[s0];
    add(94, s0w, s0rs); add(95, s0t, s0rs); add(96, s0w, s0ls); add(97, s0t, s0ls);
    add(98, b0w, st.lset[b0]); add(99, b0t, st.lset[b0]);
    add(100, s1t, s1 == none ? none_hash : st.rset[s1]);
    // affixes of the two words an arc would join, for rare words
    add(101, s0 == none ? none_hash : sc.suf[s0], b0t);
    add(102, sc.suf[b0], s0t);
    add(103, U(s0), U(b0));
    add(104, U(s1), U(s0));
  }
  static std::uint64_t s2t_hash(const scratch& sc, int s2) { return s2 == none ? none_hash : sc.tok[s2].t; }

  bool valid(const state& st, std::uint32_t c) const {
    switch (kind_of(c)) {
      case shift: return st.can_shift();
      case left: return st.can_left();
      default: return st.can_right();
    }
  }

  void apply(state& st, std::uint32_t c) const {
    const kind k = kind_of(c);
    if (k == shift) {
      st.stack.push_back(st.b++);
      return;
    }
    const int l = label_of(c);
    const int s0 = st.stack.back();
    st.stack.pop_back();
    if (k == left) st.attach(st.b, s0, l, label_hash[l]);
    else st.attach(st.stack.back(), s0, l, label_hash[l]);
  }

  std::uint32_t best_valid(const scratch& sc) const {
    const state& st = sc.st;
    const std::uint32_t L = n_labels();
    std::uint32_t best = 0;
    float best_score = -1e30F;
    if (st.can_shift() && sc.scores[0] > best_score) best = 0, best_score = sc.scores[0];
    if (st.can_left())
      for (std::uint32_t c = 1; c <= L; ++c)
        if (sc.scores[c] > best_score) best = c, best_score = sc.scores[c];
    if (st.can_right())
      for (std::uint32_t c = L + 1; c <= 2 * L; ++c)
        if (sc.scores[c] > best_score) best = c, best_score = sc.scores[c];
    return best;
  }

  void run(sentence& s, const nlp::averaged_perceptron& m, scratch& sc) const {
    prepare(s, sc);
    state& st = sc.st;
    while (!st.terminal()) {
      if (!st.can_left() && !st.can_right()) {  // an empty stack leaves only SHIFT: nothing to score
        apply(st, 0);
        continue;
      }
      features(sc);
      m.score(sc.features.view(), sc.scores);
      apply(st, best_valid(sc));
    }
    copy_tree(st, s);
  }

  void copy_tree(const state& st, sentence& s) const {
    for (int i = 0; i < st.n; ++i) {
      token& t = s.tokens[i];
      t.head = st.head[i] == st.n ? -1 : st.head[i];
      t.deprel = labels[st.label[i]];
    }
  }

  // One sentence in flight in run_interleaved().
  struct lane {
    scratch sc;
    sentence* s = nullptr;
    std::vector<std::uint32_t> rows;
  };

  // run() over many sentences, `lanes.size()` at a time: each round computes the features of every
  // lane and prefetches their index slots, then resolves and prefetches their rows, then scores
  // them, so each lane's cache misses are in flight while the other lanes work. Same decisions as
  // run(): the lanes share nothing but the read-only model.
  void run_interleaved(std::span<sentence> sentences, const nlp::averaged_perceptron& m, std::vector<lane>& lanes) const {
    std::size_t next = 0;
    auto start = [&](lane& l) {
      l.s = nullptr;
      while (next < sentences.size() && l.s == nullptr) {
        sentence& s = sentences[next++];
        if (s.tokens.empty()) continue;
        l.s = &s;
        prepare(s, l.sc);
      }
    };
    for (lane& l : lanes) start(l);
    for (;;) {
      bool busy = false;
      for (lane& l : lanes) {
        while (l.s != nullptr) {
          state& st = l.sc.st;
          if (st.terminal()) {
            copy_tree(st, *l.s);
            start(l);
          } else if (!st.can_left() && !st.can_right()) {
            apply(st, 0);
          } else {
            break;
          }
        }
        if (l.s == nullptr) continue;
        busy = true;
        features(l.sc);
        l.rows.resize(l.sc.features.size());
        m.locate(l.sc.features.view(), l.rows.data());
      }
      if (!busy) return;
      for (lane& l : lanes)
        if (l.s != nullptr) m.fetch(l.rows.data(), l.rows.size());
      for (lane& l : lanes)
        if (l.s != nullptr) {
          m.sum(l.rows.data(), l.rows.size(), l.sc.scores);
          apply(l.sc.st, best_valid(l.sc));
        }
    }
  }

  parser_scores evaluate(const std::vector<sentence>& gold, const nlp::averaged_perceptron& m) const {
    parser_scores r;
    std::size_t ua = 0, la = 0, lu = 0;
    scratch sc;
    auto universal = [](const std::string& rel) { return std::string_view(rel).substr(0, rel.find(':')); };
    for (const sentence& g : gold) {
      sentence s = g;
      run(s, m, sc);
      for (std::size_t i = 0; i < s.tokens.size(); ++i) {
        const bool h = s.tokens[i].head == g.tokens[i].head;
        ua += h;
        la += h && s.tokens[i].deprel == g.tokens[i].deprel;
        lu += h && universal(s.tokens[i].deprel) == universal(g.tokens[i].deprel);
      }
      r.tokens += s.tokens.size();
    }
    const double n = r.tokens ? double(r.tokens) : 1.0;
    r.uas = 100.0 * ua / n;
    r.las = 100.0 * la / n;
    r.las_universal = 100.0 * lu / n;
    return r;
  }

  std::uint64_t fingerprint() const { return nlp::model_fingerprint(parser_templates, labels, model.hash_bits()); }
};

namespace {

struct gold_tree {
  std::vector<int> head;   // root mapped to n
  std::vector<int> label;
  std::vector<std::vector<int>> children;
};

// Lifts non-projective arcs (the shortest first) to the grandparent until the tree is
// projective, keeping labels, so that the arc-hybrid oracle can reach every training tree.
// Returns false if the tree has a cycle or no root. head: root mapped to n.
bool projectivize(std::vector<int>& head) {
  const int n = static_cast<int>(head.size());
  auto dominates = [&](int h, int d) {  // h is an ancestor of d
    for (int steps = 0; d != n && steps <= n; ++steps) {
      d = head[d];
      if (d == h) return true;
    }
    return h == n;
  };
  for (int round = 0; round < 4 * n; ++round) {
    int worst = -1, worst_len = 1 << 30;
    for (int d = 0; d < n; ++d) {
      const int h = head[d];
      const int lo = std::min(d, h), hi = std::max(d, h);
      bool ok = true;
      for (int k = lo + 1; k < hi && ok; ++k) ok = dominates(h, k);
      if (!ok && hi - lo < worst_len) worst = d, worst_len = hi - lo;
    }
    if (worst < 0) return true;
    if (head[worst] == n) return false;
    head[worst] = head[head[worst]];
  }
  return false;
}

bool projective(const std::vector<int>& head) {
  const int n = static_cast<int>(head.size());
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      const int a1 = std::min(i, head[i]), b1 = std::max(i, head[i]);
      const int a2 = std::min(j, head[j]), b2 = std::max(j, head[j]);
      if (a1 < a2 && a2 < b1 && b1 < b2) return false;
    }
  return true;
}

}  // namespace

dependency_parser::dependency_parser() : impl_(std::make_unique<impl>()) {}
dependency_parser::~dependency_parser() = default;
dependency_parser::dependency_parser(dependency_parser&&) noexcept = default;
dependency_parser& dependency_parser::operator=(dependency_parser&&) noexcept = default;

dependency_parser dependency_parser::train(const std::vector<sentence>& train, const std::vector<sentence>& dev,
                                           const parser_options& opt) {
  dependency_parser result;
  impl& im = *result.impl_;
  std::map<std::string, int> label_ids;
  for (const auto& s : train)
    for (const auto& t : s.tokens) label_ids.emplace(t.deprel, 0);
  if (label_ids.empty()) throw error("parser: no training tokens");
  for (auto& [k, v] : label_ids) {
    v = static_cast<int>(im.labels.size());
    im.labels.push_back(k);
    im.label_hash.push_back(hash_string(k));
  }
  {
    std::unordered_map<std::uint64_t, int> counts;
    std::string scratch;
    nlp::word_hashes wh;
    for (const auto& s : train)
      for (const auto& t : s.tokens) {
        nlp::hash_word(t.form, wh, scratch);
        ++counts[wh.norm];
      }
    for (auto [w, c] : counts)
      if (c >= 2) im.known_words.emplace(w, true);
  }
  // Gold trees of the projective training sentences with exactly one root.
  std::vector<std::size_t> usable;
  std::vector<gold_tree> trees(train.size());
  std::size_t skipped = 0, lifted = 0;
  for (std::size_t i = 0; i < train.size(); ++i) {
    const auto& toks = train[i].tokens;
    const int n = static_cast<int>(toks.size());
    gold_tree& g = trees[i];
    g.head.resize(n);
    g.label.resize(n);
    g.children.assign(n + 1, {});
    int roots = 0;
    for (int j = 0; j < n; ++j) {
      g.head[j] = toks[j].head < 0 ? n : toks[j].head;
      roots += toks[j].head < 0;
      g.label[j] = label_ids[toks[j].deprel];
      g.children[g.head[j]].push_back(j);
    }
    if (roots == 1 && !projective(g.head)) {
      ++lifted;
      if (projectivize(g.head)) {
        for (auto& c : g.children) c.clear();
        for (int j = 0; j < n; ++j) g.children[g.head[j]].push_back(j);
      }
    }
    if (roots == 1 && projective(g.head)) usable.push_back(i);
    else ++skipped;
  }
  if (opt.progress)
    *opt.progress << "parser: " << usable.size() << " training sentences (" << lifted << " made projective), "
                  << skipped << " skipped (not single-rooted), " << im.labels.size() << " relations" << std::endl;

  nlp::averaged_perceptron model(im.n_classes(), opt.hash_bits);
  std::mt19937_64 rng(opt.seed);
  std::uniform_real_distribution<double> coin(0.0, 1.0);
  impl::scratch sc;
  std::vector<int> cost(im.n_classes());
  std::vector<char> in_stack;
  double best_las = -1;
  int since_best = 0;
  const std::uint32_t L = im.n_labels();
  for (int epoch = 1; epoch <= opt.epochs; ++epoch) {
    std::shuffle(usable.begin(), usable.end(), rng);
    std::size_t right = 0, seen = 0;
    for (std::size_t idx : usable) {
      const gold_tree& g = trees[idx];
      im.prepare(train[idx], sc);
      state& st = sc.st;
      in_stack.assign(st.n + 1, 0);
      while (!st.terminal()) {
        im.features(sc);
        model.score(sc.features.view(), sc.scores);
        const std::uint32_t guess = im.best_valid(sc);
        // Dynamic oracle (Goldberg & Nivre 2013): gold arcs each transition makes unreachable.
        const int s0 = st.s(0), s1 = st.s(1), b0 = st.b;
        int c_shift = 1 << 20, c_left = 1 << 20, c_right = 1 << 20;
        if (st.can_shift()) {
          c_shift = (g.head[b0] != s0 && g.head[b0] < st.n && in_stack[g.head[b0]]) ? 1 : 0;
          for (int d : g.children[b0]) c_shift += in_stack[d];
        }
        if (s0 != none) {
          int deps_in_buffer = 0;
          for (int d : g.children[s0]) deps_in_buffer += d >= b0;
          const int h = g.head[s0];
          const bool head_in_buffer = h >= b0;  // the root n counts as buffer
          if (st.can_left()) c_left = deps_in_buffer + ((h == s1 || (head_in_buffer && h != b0)) ? 1 : 0);
          if (st.can_right()) c_right = deps_in_buffer + (head_in_buffer ? 1 : 0);
        }
        int best_cost = 1 << 20;
        for (std::uint32_t c = 0; c < im.n_classes(); ++c) {
          int k;
          if (c == 0) {
            k = c_shift;
          } else if (c <= L) {
            k = c_left + ((c_left < (1 << 20) && g.head[s0] == b0 && g.label[s0] != static_cast<int>(c - 1)) ? 1 : 0);
          } else {
            k = c_right + ((c_right < (1 << 20) && g.head[s0] == s1 && g.label[s0] != static_cast<int>(c - 1 - L)) ? 1 : 0);
          }
          cost[c] = k;
          best_cost = std::min(best_cost, k);
        }
        std::uint32_t oracle = 0;
        float oracle_score = -1e30F;
        for (std::uint32_t c = 0; c < im.n_classes(); ++c)
          if (cost[c] == best_cost && sc.scores[c] > oracle_score) oracle = c, oracle_score = sc.scores[c];
        if (cost[guess] > best_cost) model.update(sc.features.view(), oracle, guess);
        else ++right;
        ++seen;
        model.tick();
        const std::uint32_t next = (cost[guess] == best_cost || (epoch > 1 && coin(rng) < opt.explore)) ? guess : oracle;
        const auto k = im.kind_of(next);
        if (k == impl::shift) in_stack[st.b] = 1;
        else in_stack[st.stack.back()] = 0;
        im.apply(st, next);
      }
    }
    nlp::averaged_perceptron avg = model.averaged();
    const parser_scores d = dev.empty() ? parser_scores{} : im.evaluate(dev, avg);
    if (opt.progress)
      *opt.progress << "parser: epoch " << epoch << " train " << (seen ? 100.0 * right / seen : 0.0)
                    << "% transitions right, dev UAS " << d.uas << " LAS " << d.las << std::endl;
    const double score = dev.empty() ? epoch : d.las;
    if (score > best_las) {
      best_las = score;
      since_best = 0;
      im.model = std::move(avg);
    } else if (++since_best >= opt.patience) {
      break;
    }
  }
  model.drop_training();
  if (opt.min_weight > 0) im.model.prune(opt.min_weight);
  return result;
}

dependency_parser dependency_parser::mean(const dependency_parser& a, const dependency_parser& b) {
  if (a.impl_->labels != b.impl_->labels || a.impl_->known_words != b.impl_->known_words)
    throw error("parser: cannot average parsers trained on different data");
  dependency_parser m;
  m.impl_->labels = a.impl_->labels;
  m.impl_->label_hash = a.impl_->label_hash;
  m.impl_->known_words = a.impl_->known_words;
  m.impl_->model = nlp::averaged_perceptron::mean(a.impl_->model, b.impl_->model);
  return m;
}

void dependency_parser::prune(float min_weight) { impl_->model.prune(min_weight); }

void dependency_parser::save(const std::string& path) const {
  const impl& im = *impl_;
  nlp::model_writer out("parser", im.fingerprint());
  out.strings(im.labels);
  out.u32(im.model.hash_bits());
  std::vector<std::uint64_t> known;
  im.known_words.for_each([&](std::uint64_t k, bool) { known.push_back(k); });
  std::sort(known.begin(), known.end());
  out.u32(static_cast<std::uint32_t>(known.size()));
  for (std::uint64_t k : known) out.u64(k);
  im.model.save(out);
  out.write_file(path);
}

dependency_parser dependency_parser::load(const std::string& path) {
  dependency_parser result;
  impl& im = *result.impl_;
  nlp::model_reader in(path, "parser");
  im.labels = in.strings();
  const std::uint32_t bits = in.u32();
  in.check_fingerprint(nlp::model_fingerprint(parser_templates, im.labels, bits));
  for (std::uint32_t n = in.u32(), i = 0; i < n; ++i) {
    if (i == 0) im.known_words.reserve(n);
    im.known_words.emplace(in.u64(), true);
  }
  for (const auto& l : im.labels) im.label_hash.push_back(hash_string(l));
  im.model.load(in, nlp::dense_row_precision::int8);
  if (im.model.n_classes() != im.n_classes() || im.model.hash_bits() != bits || im.labels.empty())
    throw nlp::model_error(path + ": model file is corrupt (parser shape)");
  in.expect_end();
  return result;
}

void dependency_parser::parse(sentence& s) const {
  if (s.tokens.empty()) return;
  thread_local impl::scratch sc;
  impl_->run(s, impl_->model, sc);
}

void dependency_parser::parse_all(std::span<sentence> sentences) const {
  // Four lanes: enough misses in flight to hide most of the latency, few enough that the lanes'
  // scratch stays in the first-level cache.
  constexpr std::size_t lanes = 4;
  thread_local std::vector<impl::lane> scratch_lanes(lanes);
  if (impl_->model.trainable() || sentences.size() < 2) {
    for (sentence& s : sentences) parse(s);
    return;
  }
  impl_->run_interleaved(sentences, impl_->model, scratch_lanes);
}

parser_scores dependency_parser::evaluate(const std::vector<sentence>& gold) const {
  return impl_->evaluate(gold, impl_->model);
}

}  // namespace newsgraph
