#include "nlp/perceptron.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <new>

#include <sys/mman.h>

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

namespace newsgraph::nlp {

// ---- container ---------------------------------------------------------------------------------

model_writer::model_writer(std::string_view kind, std::uint64_t fingerprint) {
  raw(model_magic, sizeof model_magic);
  u32(model_format_version);
  str(kind);
  u64(fingerprint);
}

void model_writer::write_file(const std::string& path) const {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw model_error(path + ": cannot write model file");
    out.write(buf_.data(), static_cast<std::streamsize>(buf_.size()));
    if (!out.flush()) throw model_error(path + ": cannot write model file");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) throw model_error(path + ": cannot write model file");
}

model_reader::model_reader(const std::string& path, std::string_view kind) : path_(path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw model_error(path + ": cannot open model file");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  in.seekg(0, std::ios::beg);
  if (size < 0) throw model_error(path + ": cannot read model file");
  buf_.resize(static_cast<std::size_t>(size));
  if (!in.read(buf_.data(), size)) throw model_error(path + ": cannot read model file");
  if (buf_.size() < sizeof model_magic || std::memcmp(buf_.data(), model_magic, sizeof model_magic) != 0)
    throw model_error(path + ": not a newsgraph model file");
  pos_ = sizeof model_magic;
  const std::uint32_t version = u32();
  if (version != model_format_version)
    throw model_error(path + ": model format version " + std::to_string(version) + ", this build reads version " +
                      std::to_string(model_format_version) + "; retrain the model");
  const std::string stored_kind = str();
  if (stored_kind != kind)
    throw model_error(path + ": is a " + stored_kind + " model, expected a " + std::string(kind) + " model");
  fingerprint_ = u64();
}

void model_reader::check_fingerprint(std::uint64_t expected) const {
  if (expected == fingerprint_) return;
  char buf[80];
  std::snprintf(buf, sizeof buf, "%016llx, this build expects %016llx",
                static_cast<unsigned long long>(fingerprint_), static_cast<unsigned long long>(expected));
  throw model_error(path_ + ": model fingerprint " + buf + " (other features, labels or hashing); retrain the model");
}

void model_reader::raw(void* p, std::size_t n) {
  if (n > buf_.size() - pos_) throw model_error(path_ + ": model file is truncated");
  std::memcpy(p, buf_.data() + pos_, n);
  pos_ += n;
}

std::string model_reader::str() {
  const std::uint32_t n = u32();
  if (n > buf_.size() - pos_) throw model_error(path_ + ": model file is truncated");
  std::string s(buf_.data() + pos_, n);
  pos_ += n;
  return s;
}

std::vector<std::string> model_reader::strings() {
  const std::uint32_t n = u32();
  if (n > buf_.size() - pos_) throw model_error(path_ + ": model file is truncated");
  std::vector<std::string> v;
  v.reserve(n);
  for (std::uint32_t i = 0; i < n; ++i) v.push_back(str());
  return v;
}

void model_reader::expect_end() const {
  if (pos_ != buf_.size()) throw model_error(path_ + ": model file has trailing bytes");
}

std::uint64_t model_fingerprint(std::string_view templates, const std::vector<std::string>& labels,
                                std::uint32_t hash_bits) {
  std::uint64_t h = hash_string(templates);
  h = hash_combine(h, labels.size());
  for (const auto& l : labels) h = hash_combine(h, hash_string(l));
  return hash_combine(h, hash_bits);
}

// ---- perceptron --------------------------------------------------------------------------------

averaged_perceptron::averaged_perceptron(std::uint32_t n_classes, std::uint32_t hash_bits)
    : n_classes_(n_classes), hash_bits_(hash_bits) {
  if (n_classes < 1 || n_classes > 65535) throw error("perceptron: n_classes out of range");
  if (hash_bits < 8 || hash_bits > 26) throw error("perceptron: hash_bits out of range");
  const std::size_t n = (std::size_t{1} << hash_bits) * n_classes;
  weights_.assign(n, 0.0F);
  totals_.assign(n, 0.0);
  stamps_.assign(std::size_t{1} << hash_bits, 0);
}

void* allocate_huge_pages(std::size_t bytes) {
  constexpr std::size_t huge_page = std::size_t{2} << 20;
  void* p = nullptr;
  if (bytes >= huge_page) {
    const std::size_t rounded = (bytes + huge_page - 1) / huge_page * huge_page;
    p = std::aligned_alloc(huge_page, rounded);
#ifdef MADV_HUGEPAGE
    if (p != nullptr) ::madvise(p, rounded, MADV_HUGEPAGE);  // advice only: failure changes nothing
#endif
  } else {
    p = std::malloc(bytes == 0 ? 1 : bytes);
  }
  if (p == nullptr) throw std::bad_alloc();
  return p;
}

namespace {

// acc[i] += w[i] for i in [0, n), n a multiple of 16 (add_dense8_rows: the same over several rows
// of int8 weights, each shifted left by its row's shift): the inner
// loop of scoring. On x86-64 an AVX2 version written with intrinsics is chosen when the program
// starts (g++ 12 auto-vectorised these loops with remainder paths as long as the main loop, and
// lowered a vector-extension version to scalar code), so that one binary runs everywhere at full
// speed; elsewhere the plain loops.
void add_dense_row_portable(std::int32_t* acc, const std::int16_t* w, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; ++i) acc[i] += w[i];
}

// A dense int8 row of one decision: its weights and its shift.
struct dense8_ref {
  const std::int8_t* weights;
  int shift;
};

void add_dense8_rows_portable(std::int32_t* acc, const dense8_ref* rows, std::size_t count, std::uint32_t n) {
  for (std::size_t r = 0; r < count; ++r)
    for (std::uint32_t i = 0; i < n; ++i) acc[i] += static_cast<std::int32_t>(rows[r].weights[i]) * (std::int32_t{1} << rows[r].shift);
}

#if defined(__GNUC__) && defined(__x86_64__)
#define NEWSGRAPH_AVX2_KERNELS 1

__attribute__((target("avx2"))) void add_dense_row_avx2(std::int32_t* acc, const std::int16_t* w, std::uint32_t n) {
  for (std::uint32_t i = 0; i < n; i += 8) {
    const __m256i widened = _mm256_cvtepi16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(w + i)));
    auto* at = reinterpret_cast<__m256i*>(acc + i);
    _mm256_storeu_si256(at, _mm256_add_epi32(_mm256_loadu_si256(at), widened));
  }
}

// acc[c] += sum over rows of (weights[c] << shift), for c in [offset, offset + 8K): K vectors of
// sums held in registers across all the rows of a decision, instead of a load and a store of acc
// per row (which was half the instructions of this, the hottest loop).
template <int K>
__attribute__((target("avx2"))) inline void add_dense8_block_avx2(std::int32_t* acc, const dense8_ref* rows, std::size_t count,
                                                                  std::uint32_t offset) {
  __m256i sums[K];
#pragma GCC unroll 8
  for (int k = 0; k < K; ++k) sums[k] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(acc + offset + 8 * k));
  for (std::size_t r = 0; r < count; ++r) {
    const __m128i shift = _mm_cvtsi32_si128(rows[r].shift);
    const std::int8_t* w = rows[r].weights + offset;
#pragma GCC unroll 8
    for (int k = 0; k < K; ++k) {
      const __m256i widened = _mm256_cvtepi8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(w + 8 * k)));
      sums[k] = _mm256_add_epi32(sums[k], _mm256_sll_epi32(widened, shift));
    }
  }
#pragma GCC unroll 8
  for (int k = 0; k < K; ++k) _mm256_storeu_si256(reinterpret_cast<__m256i*>(acc + offset + 8 * k), sums[k]);
}

__attribute__((target("avx2"))) void add_dense8_rows_avx2(std::int32_t* acc, const dense8_ref* rows, std::size_t count, std::uint32_t n) {
  std::uint32_t offset = 0;
  for (; offset + 64 <= n; offset += 64) add_dense8_block_avx2<8>(acc, rows, count, offset);
  switch ((n - offset) / 16) {
    case 1: add_dense8_block_avx2<2>(acc, rows, count, offset); break;
    case 2: add_dense8_block_avx2<4>(acc, rows, count, offset); break;
    case 3: add_dense8_block_avx2<6>(acc, rows, count, offset); break;
    default: break;
  }
}

const bool cpu_has_avx2 = __builtin_cpu_supports("avx2");
bool has_avx2 = cpu_has_avx2;
#endif

inline void add_dense_row(std::int32_t* acc, const std::int16_t* w, std::uint32_t n) {
#ifdef NEWSGRAPH_AVX2_KERNELS
  if (has_avx2) return add_dense_row_avx2(acc, w, n);
#endif
  add_dense_row_portable(acc, w, n);
}

inline void add_dense8_rows(std::int32_t* acc, const dense8_ref* rows, std::size_t count, std::uint32_t n) {
#ifdef NEWSGRAPH_AVX2_KERNELS
  if (has_avx2) return add_dense8_rows_avx2(acc, rows, count, n);
#endif
  add_dense8_rows_portable(acc, rows, count, n);
}

}  // namespace

void use_vector_kernels(bool enabled) {
#ifdef NEWSGRAPH_AVX2_KERNELS
  has_avx2 = enabled && cpu_has_avx2;
#else
  (void)enabled;
#endif
}

void averaged_perceptron::score(std::span<const std::uint64_t> features, std::span<float> scores) const {
  std::fill(scores.begin(), scores.end(), 0.0F);
  if (!weights_.empty()) {
    for (std::uint64_t h : features) {
      const float* row = weights_.data() + std::size_t{bucket(h)} * n_classes_;
      for (std::uint32_t c = 0; c < n_classes_; ++c) scores[c] += row[c];
    }
    return;
  }
  if (index_.empty()) return;
  // Memory-bound: all index slots are prefetched, then all rows, so that the cache misses of one
  // decision overlap instead of queueing one after another.
  thread_local std::vector<std::uint32_t> rows;
  rows.resize(features.size());
  locate(features, rows.data());
  fetch(rows.data(), rows.size());
  sum(rows.data(), rows.size(), scores);
}

void averaged_perceptron::locate(std::span<const std::uint64_t> features, std::uint32_t* rows) const {
  for (std::size_t i = 0; i < features.size(); ++i) {
    rows[i] = bucket(features[i]);
    __builtin_prefetch(index_.data() + rows[i]);
  }
}

void averaged_perceptron::fetch(std::uint32_t* rows, std::size_t n) const {
  for (std::size_t i = 0; i < n; ++i) {
    rows[i] = index_[rows[i]];
    if (rows[i] == no_row) continue;
    // A row spans several cache lines: ask for all of them now (the count rides in the top bits).
    const char* row = reinterpret_cast<const char*>(rows_.data() + (rows[i] & offset_mask));
    for (std::uint32_t line = 0, lines = rows[i] >> offset_bits; line < lines; ++line) __builtin_prefetch(row + 64 * line);
  }
}

void averaged_perceptron::sum(const std::uint32_t* rows, std::size_t n, std::span<float> scores) const {
  // Sums stay in int32 (quantised weights) until the end: integer adds, one scaling per class.
  thread_local std::vector<std::int32_t> acc;
  thread_local std::vector<dense8_ref> dense8;
  acc.assign(padded_classes_, 0);
  dense8.clear();
  for (std::size_t i = 0; i < n; ++i) {
    if (rows[i] == no_row) continue;
    const std::int16_t* row = rows_.data() + (rows[i] & offset_mask);
    const auto length = static_cast<std::uint16_t>(row[0]);
    if (row[1] == dense_row) {
      add_dense_row(acc.data(), row + 2, padded_classes_);
    } else if ((row[1] & 0xff) == dense8_row) {
      dense8.push_back({reinterpret_cast<const std::int8_t*>(row + 2), row[1] >> 8});
    } else {
      const std::int16_t* e = row + 2;
      for (std::uint32_t k = 0; k < length; ++k, e += 2) acc[static_cast<std::uint16_t>(e[0])] += e[1];
    }
  }
  add_dense8_rows(acc.data(), dense8.data(), dense8.size(), padded_classes_);
  const float scale = scale_;  // a local: scores might alias the member, which kept this loop scalar
  for (std::uint32_t c = 0; c < n_classes_; ++c) scores[c] = static_cast<float>(acc[c]) * scale;
}

void averaged_perceptron::update(std::span<const std::uint64_t> features, std::uint32_t truth, std::uint32_t guess) {
  if (truth == guess) return;
  for (std::uint64_t h : features) {
    const std::uint32_t b = bucket(h);
    const std::size_t base = std::size_t{b} * n_classes_;
    const std::uint32_t elapsed = now_ - stamps_[b];
    if (elapsed != 0) {
      // Lazy averaging: the row kept its weights since stamps_[b]; credit them before changing.
      for (std::uint32_t c = 0; c < n_classes_; ++c) totals_[base + c] += double(elapsed) * weights_[base + c];
      stamps_[b] = now_;
    }
    weights_[base + truth] += 1.0F;
    weights_[base + guess] -= 1.0F;
  }
}

averaged_perceptron averaged_perceptron::averaged(float prune) const {
  averaged_perceptron m;
  m.n_classes_ = n_classes_;
  m.hash_bits_ = hash_bits_;
  if (weights_.empty()) return m;
  const std::size_t n_buckets = std::size_t{1} << hash_bits_;
  const double steps = now_ == 0 ? 1.0 : double(now_);
  std::vector<float> avg(n_classes_);
  float max_abs = 0.0F;
  // First pass finds the quantisation scale, second pass writes the rows.
  for (int pass = 0; pass < 2; ++pass) {
    m.row_bucket_.clear();
    m.row_start_.clear();
    m.entries_.clear();
    for (std::size_t b = 0; b < n_buckets; ++b) {
      const std::size_t base = b * n_classes_;
      const std::uint32_t elapsed = now_ - stamps_[b];
      const std::size_t first = m.entries_.size();
      for (std::uint32_t c = 0; c < n_classes_; ++c) {
        const double total = totals_[base + c] + double(elapsed) * weights_[base + c];
        const float w = static_cast<float>(total / steps);
        if (std::fabs(w) < prune) continue;
        if (pass == 0) {
          max_abs = std::max(max_abs, std::fabs(w));
        } else {
          const long q = std::lround(w / m.scale_);
          if (q != 0) m.entries_.push_back({static_cast<std::uint16_t>(c), static_cast<std::int16_t>(q)});
        }
      }
      if (pass == 1 && m.entries_.size() != first) {
        m.row_bucket_.push_back(static_cast<std::uint32_t>(b));
        m.row_start_.push_back(static_cast<std::uint32_t>(first));
      }
    }
    if (pass == 0) m.scale_ = max_abs > 0 ? max_abs / 32767.0F : 1.0F;
  }
  m.row_start_.push_back(static_cast<std::uint32_t>(m.entries_.size()));
  m.build_index();
  return m;
}

averaged_perceptron averaged_perceptron::mean(const averaged_perceptron& a, const averaged_perceptron& b) {
  if (a.n_classes_ != b.n_classes_ || a.hash_bits_ != b.hash_bits_) throw error("perceptron: cannot average models of different shapes");
  averaged_perceptron m;
  m.n_classes_ = a.n_classes_;
  m.hash_bits_ = a.hash_bits_;
  std::vector<float> row(a.n_classes_);
  std::vector<std::pair<std::uint32_t, std::vector<std::pair<std::uint16_t, float>>>> rows;
  float max_abs = 0;
  std::size_t i = 0, j = 0;
  while (i < a.row_bucket_.size() || j < b.row_bucket_.size()) {
    const std::uint32_t ba = i < a.row_bucket_.size() ? a.row_bucket_[i] : no_row;
    const std::uint32_t bb = j < b.row_bucket_.size() ? b.row_bucket_[j] : no_row;
    const std::uint32_t bucket = std::min(ba, bb);
    std::fill(row.begin(), row.end(), 0.0F);
    if (ba == bucket) {
      for (std::uint32_t e = a.row_start_[i]; e < a.row_start_[i + 1]; ++e) row[a.entries_[e].cls] += 0.5F * a.scale_ * a.entries_[e].q;
      ++i;
    }
    if (bb == bucket) {
      for (std::uint32_t e = b.row_start_[j]; e < b.row_start_[j + 1]; ++e) row[b.entries_[e].cls] += 0.5F * b.scale_ * b.entries_[e].q;
      ++j;
    }
    rows.emplace_back(bucket, std::vector<std::pair<std::uint16_t, float>>{});
    for (std::uint32_t c = 0; c < a.n_classes_; ++c)
      if (row[c] != 0.0F) {
        rows.back().second.emplace_back(static_cast<std::uint16_t>(c), row[c]);
        max_abs = std::max(max_abs, std::fabs(row[c]));
      }
  }
  m.scale_ = max_abs > 0 ? max_abs / 32767.0F : 1.0F;
  for (const auto& [bucket, entries] : rows) {
    const std::size_t first = m.entries_.size();
    for (auto [c, w] : entries) {
      const long q = std::lround(w / m.scale_);
      if (q != 0) m.entries_.push_back({c, static_cast<std::int16_t>(q)});
    }
    if (m.entries_.size() != first) {
      m.row_bucket_.push_back(bucket);
      m.row_start_.push_back(static_cast<std::uint32_t>(first));
    }
  }
  m.row_start_.push_back(static_cast<std::uint32_t>(m.entries_.size()));
  m.build_index();
  return m;
}

void averaged_perceptron::prune(float min_weight) {
  std::vector<std::uint32_t> buckets, starts;
  std::vector<entry> kept;
  for (std::size_t r = 0; r < row_bucket_.size(); ++r) {
    const std::size_t first = kept.size();
    for (std::uint32_t i = row_start_[r]; i < row_start_[r + 1]; ++i)
      if (std::fabs(entries_[i].q * scale_) >= min_weight) kept.push_back(entries_[i]);
    if (kept.size() != first) {
      buckets.push_back(row_bucket_[r]);
      starts.push_back(static_cast<std::uint32_t>(first));
    }
  }
  starts.push_back(static_cast<std::uint32_t>(kept.size()));
  row_bucket_ = std::move(buckets);
  row_start_ = std::move(starts);
  entries_ = std::move(kept);
  build_index();
}

void averaged_perceptron::build_index() {
  padded_classes_ = (n_classes_ + 15) / 16 * 16;
  index_.assign(std::size_t{1} << hash_bits_, no_row);
  rows_.clear();
  // Rows are placed so that none straddles a cache line more than it must: a row of up to 64 bytes
  // sits within one line, a longer one starts on a line. Unaligned, a dense parser row of 164 bytes
  // touched four lines as often as three, and its prefetch (which counts whole lines from the row's
  // start) missed the fourth. rows_ itself is line-aligned: huge_page_allocator aligns large tables
  // to 2 MiB (a small one may not be aligned, which costs speed, not correctness).
  constexpr std::size_t line_words = 64 / sizeof(std::int16_t);
  const bool use8 = dense_precision_ == dense_row_precision::int8;
  auto row_words = [&](std::uint32_t length) { return 2 + (is_dense(length) ? (use8 ? padded_classes_ / 2 : padded_classes_) : 2 * std::size_t{length}); };
  auto placed_at = [&](std::size_t end, std::size_t words) {
    const std::size_t in_line = end % line_words;
    if (in_line == 0) return end;
    if (words > line_words || in_line + words > line_words) return end + (line_words - in_line);
    return end;
  };
  std::size_t words = 0;
  for (std::size_t r = 0; r < row_bucket_.size(); ++r) {
    const std::size_t n = row_words(row_start_[r + 1] - row_start_[r]);
    words = placed_at(words, n) + n;
  }
  if (words > offset_mask) throw error("perceptron: model too large for its run-time index");
  rows_.reserve(words);
  for (std::size_t r = 0; r < row_bucket_.size(); ++r) {
    const std::uint32_t length = row_start_[r + 1] - row_start_[r];
    const bool dense = is_dense(length);
    const std::size_t n = row_words(length);
    rows_.resize(placed_at(rows_.size(), n), 0);
    const std::size_t first_line_offset = (rows_.size() % line_words) * sizeof(std::int16_t);
    const std::size_t bytes = first_line_offset + n * sizeof(std::int16_t);
    const auto lines = static_cast<std::uint32_t>(std::min<std::size_t>(max_prefetch_lines, (bytes + 63) / 64));
    index_[row_bucket_[r]] = static_cast<std::uint32_t>(rows_.size()) | (lines << offset_bits);
    rows_.push_back(static_cast<std::int16_t>(static_cast<std::uint16_t>(length)));
    if (!dense) {
      rows_.push_back(sparse_row);
      for (std::uint32_t i = row_start_[r]; i < row_start_[r + 1]; ++i) {
        rows_.push_back(static_cast<std::int16_t>(entries_[i].cls));
        rows_.push_back(entries_[i].q);
      }
    } else if (!use8) {
      rows_.push_back(dense_row);
      const std::size_t at = rows_.size();
      rows_.resize(at + padded_classes_, 0);
      for (std::uint32_t i = row_start_[r]; i < row_start_[r + 1]; ++i) rows_[at + entries_[i].cls] = entries_[i].q;
    } else {
      // The smallest shift that brings the row's largest weight into a byte; round to nearest.
      int max_abs = 0;
      for (std::uint32_t i = row_start_[r]; i < row_start_[r + 1]; ++i) max_abs = std::max(max_abs, std::abs(int{entries_[i].q}));
      int shift = 0;
      while ((max_abs >> shift) > 127) ++shift;
      rows_.push_back(static_cast<std::int16_t>(dense8_row | (shift << 8)));
      const std::size_t at = rows_.size();
      rows_.resize(at + padded_classes_ / 2, 0);
      auto* bytes = reinterpret_cast<std::int8_t*>(rows_.data() + at);  // char-type access: no aliasing issue
      for (std::uint32_t i = row_start_[r]; i < row_start_[r + 1]; ++i) {
        const int q = entries_[i].q;
        const int rounded = shift == 0 ? q : (q + (1 << (shift - 1))) >> shift;
        bytes[entries_[i].cls] = static_cast<std::int8_t>(std::clamp(rounded, -127, 127));
      }
    }
  }
}

void averaged_perceptron::save(model_writer& out) const {
  out.u32(n_classes_);
  out.u32(hash_bits_);
  out.f32(scale_);
  out.u32(static_cast<std::uint32_t>(row_bucket_.size()));
  out.u32(static_cast<std::uint32_t>(entries_.size()));
  out.raw(row_bucket_.data(), row_bucket_.size() * sizeof(std::uint32_t));
  out.raw(row_start_.data(), row_start_.size() * sizeof(std::uint32_t));
  out.raw(entries_.data(), entries_.size() * sizeof(entry));
}

void averaged_perceptron::load(model_reader& in, dense_row_precision precision) {
  dense_precision_ = precision;
  n_classes_ = in.u32();
  hash_bits_ = in.u32();
  scale_ = in.f32();
  if (n_classes_ < 1 || n_classes_ > 65535 || hash_bits_ < 8 || hash_bits_ > 26)
    throw model_error(in.path() + ": model file is corrupt (perceptron shape)");
  const std::uint32_t rows = in.u32();
  const std::uint32_t n_entries = in.u32();
  if (rows > (1U << hash_bits_)) throw model_error(in.path() + ": model file is corrupt (row count)");
  row_bucket_.resize(rows);
  row_start_.resize(std::size_t{rows} + 1);
  in.raw(row_bucket_.data(), row_bucket_.size() * sizeof(std::uint32_t));
  in.raw(row_start_.data(), row_start_.size() * sizeof(std::uint32_t));
  entries_.resize(n_entries);
  in.raw(entries_.data(), entries_.size() * sizeof(entry));
  for (std::size_t r = 0; r < rows; ++r)
    if (row_bucket_[r] >= (1U << hash_bits_) || row_start_[r] > row_start_[r + 1] || row_start_[r + 1] > n_entries)
      throw model_error(in.path() + ": model file is corrupt (rows)");
  for (const entry& e : entries_)
    if (e.cls >= n_classes_) throw model_error(in.path() + ": model file is corrupt (class)");
  weights_ = {};
  totals_ = {};
  stamps_ = {};
  build_index();
}

}  // namespace newsgraph::nlp
