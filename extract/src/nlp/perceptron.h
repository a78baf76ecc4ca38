// Multiclass averaged perceptron over hashed features, and the versioned model container that
// every statistical model of newsgraph (tagger, parser, ner) is saved in.
//
// Features are 64-bit hashes of (template id, pieces...). A model maps a hash to one of
// 2^hash_bits buckets; each bucket owns a row of n_classes weights. Training keeps the rows dense
// and class-contiguous (weights[bucket * n_classes + c]) with lazy-timestamp averaging; save()
// folds the averages in, drops near-zero weights and quantises the rest to int16, so a loaded
// model is a compact read-only table of sparse rows.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "newsgraph/document.h"

namespace newsgraph::nlp {

// A model file that cannot be used: wrong magic, another format version, another kind, another
// fingerprint (trained with other features, labels or hashing), or truncated. what() names the file.
class model_error : public error {
public:
  using error::error;
};

// ---- hashing -----------------------------------------------------------------------------------

// 64-bit finaliser (splitmix64); a bijection, so distinct inputs never collide before bucketing.
[[gnu::always_inline]] constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// Hash of a byte string (FNV-1a, then mixed); stable across runs and machines.
inline std::uint64_t hash_string(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  return mix64(h);
}

// Combines a running hash with one more piece.
[[gnu::always_inline]] constexpr std::uint64_t hash_combine(std::uint64_t h, std::uint64_t piece) {
  return mix64(h ^ (piece + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2)));
}

// Reusable buffer of feature hashes for one decision. Callers clear() it per decision and add()
// template id + pieces (already-hashed strings or small integers). A fixed array rather than a
// vector: add() is on the hottest path of all three models and must inline to a store.
class feature_buffer {
public:
  static constexpr std::size_t capacity = 256;  // every model uses well under this many templates

  void clear() { size_ = 0; }
  // Inlined so that mix64(tmpl) of a literal template id folds to a constant.
  [[gnu::always_inline]] void add(std::uint32_t tmpl) { push(mix64(tmpl)); }
  [[gnu::always_inline]] void add(std::uint32_t tmpl, std::uint64_t a) { push(hash_combine(mix64(tmpl), a)); }
  [[gnu::always_inline]] void add(std::uint32_t tmpl, std::uint64_t a, std::uint64_t b) {
    push(hash_combine(hash_combine(mix64(tmpl), a), b));
  }
  [[gnu::always_inline]] void add(std::uint32_t tmpl, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    push(hash_combine(hash_combine(hash_combine(mix64(tmpl), a), b), c));
  }
  std::span<const std::uint64_t> view() const { return {hashes_, size_}; }
  std::size_t size() const { return size_; }

private:
  [[gnu::always_inline]] void push(std::uint64_t h) {
    if (size_ == capacity) [[unlikely]]
      throw std::logic_error("feature_buffer: more than 256 features in one decision");
    hashes_[size_++] = h;
  }
  std::uint64_t hashes_[capacity];
  std::size_t size_ = 0;
};

// ---- binary container --------------------------------------------------------------------------

// Layout of every model file (little-endian):
//   offset 0   8 bytes  magic "NGMODEL\0"
//   offset 8   u32      format version (model_format_version)
//   offset 12  u32      length of the kind, then the kind bytes ("tagger", "parser", "ner")
//   then       u64      fingerprint
//   then       the kind-specific payload written through model_writer.
inline constexpr char model_magic[8] = {'N', 'G', 'M', 'O', 'D', 'E', 'L', '\0'};
inline constexpr std::uint32_t model_format_version = 1;

// Appends plain values to an in-memory buffer; write_file() puts it on disk.
class model_writer {
public:
  // Starts the header. fingerprint: see model_fingerprint().
  model_writer(std::string_view kind, std::uint64_t fingerprint);

  void u8(std::uint8_t v) { raw(&v, 1); }
  void u32(std::uint32_t v) { raw(&v, 4); }
  void u64(std::uint64_t v) { raw(&v, 8); }
  void f32(float v) { raw(&v, 4); }
  void str(std::string_view s) { u32(static_cast<std::uint32_t>(s.size())); raw(s.data(), s.size()); }
  void strings(const std::vector<std::string>& v) { u32(static_cast<std::uint32_t>(v.size())); for (auto& s : v) str(s); }
  void raw(const void* p, std::size_t n) {
    if (n == 0) return;
    const std::size_t old = buf_.size();
    buf_.resize(old + n);
    std::memcpy(buf_.data() + old, p, n);
  }

  // Writes the buffer to path (through a temporary file renamed into place).
  // Throws model_error naming path when the file cannot be written.
  void write_file(const std::string& path) const;

private:
  std::vector<char> buf_;
};

// Reads a model file written by model_writer. The constructor checks magic, version and kind;
// the caller then reads the fingerprint-relevant payload and calls check_fingerprint().
class model_reader {
public:
  // Throws model_error naming path when it cannot be read, is not a model, has another format
  // version, or another kind than `kind`.
  model_reader(const std::string& path, std::string_view kind);

  std::uint64_t fingerprint() const { return fingerprint_; }
  // Throws model_error naming the file when `expected` differs from the stored fingerprint.
  void check_fingerprint(std::uint64_t expected) const;

  std::uint8_t u8() { std::uint8_t v; raw(&v, 1); return v; }
  std::uint32_t u32() { std::uint32_t v; raw(&v, 4); return v; }
  std::uint64_t u64() { std::uint64_t v; raw(&v, 8); return v; }
  float f32() { float v; raw(&v, 4); return v; }
  std::string str();
  std::vector<std::string> strings();
  void raw(void* p, std::size_t n);
  const std::string& path() const { return path_; }
  // Throws model_error naming the file if bytes are left over (a payload this build does not know).
  void expect_end() const;

private:
  std::string path_;
  std::vector<char> buf_;
  std::size_t pos_ = 0;
  std::uint64_t fingerprint_ = 0;
};

// Fingerprint of what must match between training and use: the feature-template set (a string
// the model code bumps whenever a template changes), the label set, and the hashing parameters.
std::uint64_t model_fingerprint(std::string_view templates, const std::vector<std::string>& labels,
                                std::uint32_t hash_bits);

// ---- memory for large read-only tables ----------------------------------------------------------

// Allocator for the run-time weight tables. They are tens of megabytes read at random, so with 4 KiB
// pages nearly every feature lookup also misses the TLB; 2 MiB-aligned blocks marked for transparent
// huge pages (where the kernel offers them) remove most of those page walks.
template <class T>
struct huge_page_allocator {
  using value_type = T;
  huge_page_allocator() = default;
  template <class U>
  huge_page_allocator(const huge_page_allocator<U>&) noexcept {}
  T* allocate(std::size_t n) { return static_cast<T*>(allocate_bytes(n * sizeof(T))); }
  void deallocate(T* p, std::size_t) noexcept { std::free(p); }
  template <class U>
  bool operator==(const huge_page_allocator<U>&) const noexcept { return true; }

private:
  static void* allocate_bytes(std::size_t bytes);
};

template <class T>
void* huge_page_allocator<T>::allocate_bytes(std::size_t bytes) {
  void* allocate_huge_pages(std::size_t bytes);
  return allocate_huge_pages(bytes);
}

// ---- the perceptron ----------------------------------------------------------------------------

// How a loaded model holds its dense rows (the rows of frequent features, most of the memory
// traffic of scoring). int16: the stored weights as they are. int8: each row rescaled by its own
// power of two to fit in a byte, so a row spans half the cache lines; the rounding changes the
// scores by at most half a step of that row's scale. Measured on EWT test, int8 leaves the tagger
// and the parser as accurate (UPOS 95.16, UAS 85.31, LAS 82.09 against 95.14 / 85.27 / 82.04) and
// parses 6-14% faster; the NER lost 0.45 F1, so it keeps int16.
enum class dense_row_precision { int16, int8 };

// Whether scoring uses the AVX2 loops on a CPU that has them (the default). Off selects the
// portable loops, which give the same sums; for tests and benchmarks, not to be switched while
// another thread scores.
void use_vector_kernels(bool enabled);

class averaged_perceptron {
public:
  averaged_perceptron() = default;

  // A trainable model: requires 1 <= n_classes <= 65535 and 8 <= hash_bits <= 26. Allocates
  // 2^hash_bits * n_classes * 12 bytes (weights, running totals) for training.
  averaged_perceptron(std::uint32_t n_classes, std::uint32_t hash_bits);

  std::uint32_t n_classes() const { return n_classes_; }
  std::uint32_t hash_bits() const { return hash_bits_; }
  bool trainable() const { return !weights_.empty(); }

  // Sets scores[c] (c in [0, n_classes)) to the sum of the weights of `features` for class c.
  // Requires scores.size() == n_classes. Uses the live weights while training, the averaged
  // pruned ones of an averaged() or loaded model.
  void score(std::span<const std::uint64_t> features, std::span<float> scores) const;

  // score() of an averaged or loaded model in three steps, for a caller that interleaves several
  // independent decisions (several sentences) so that the cache misses of one overlap the work of
  // the others; score() is the three in a row. rows has features.size() elements.
  //   locate: hashes to buckets, prefetches their index slots;
  //   fetch:  index slots to rows, prefetches the rows;
  //   sum:    scores[c] = the sum of the rows' weights for class c (scores.size() == n_classes).
  void locate(std::span<const std::uint64_t> features, std::uint32_t* rows) const;
  void fetch(std::uint32_t* rows, std::size_t n) const;
  void sum(const std::uint32_t* rows, std::size_t n, std::span<float> scores) const;

  // One perceptron step: +1 for `truth`, -1 for `guess` on every feature (no-op if equal).
  // Does not advance the averaging clock. Requires trainable().
  void update(std::span<const std::uint64_t> features, std::uint32_t truth, std::uint32_t guess);
  // Advances the averaging clock: call once per training decision, right or wrong.
  void tick() { ++now_; }

  // The averaged model: folds the running averages in, drops weights with |w| < prune and
  // quantises the rest; the result is compact and read-only (what save() writes and load() reads).
  // Training can continue on *this afterwards (used to pick the best epoch on dev data).
  averaged_perceptron averaged(float prune = 1e-3F) const;
  // The mean of two averaged or loaded models of the same shape (an ensemble at the cost of one
  // model: a linear model's scores average with its weights). Throws error if shapes differ.
  static averaged_perceptron mean(const averaged_perceptron& a, const averaged_perceptron& b);
  // Drops stored weights of an averaged or loaded model with |w| < min_weight (a smaller model,
  // slightly less accurate).
  void prune(float min_weight);
  // Frees the training tables (after the last averaged()).
  void drop_training() { weights_ = {}; totals_ = {}; stamps_ = {}; }

  // Serialises an averaged() or loaded model.
  void save(model_writer& out) const;
  // precision: how the loaded model's dense rows are held in memory (see dense_row_precision).
  void load(model_reader& in, dense_row_precision precision = dense_row_precision::int16);

  // Number of stored (bucket, class) weights of an averaged or loaded model.
  std::size_t stored_weights() const { return entries_.size(); }

private:
  struct entry {
    std::uint16_t cls;
    std::int16_t q;  // weight = q * scale_
  };
  std::uint32_t bucket(std::uint64_t h) const { return static_cast<std::uint32_t>(h >> (64 - hash_bits_)); }
  void build_index();

  std::uint32_t n_classes_ = 0;
  std::uint32_t hash_bits_ = 0;
  // training tables, class-contiguous: [bucket * n_classes + c]
  std::vector<float> weights_;
  std::vector<double> totals_;
  std::vector<std::uint32_t> stamps_;  // per bucket: clock value at which totals_ were brought up to date
  std::uint32_t now_ = 0;
  // averaged model: sparse rows of live buckets
  std::vector<std::uint32_t> row_bucket_;  // bucket id of each row, ascending
  std::vector<std::uint32_t> row_start_;   // entries_ range of row r: [row_start_[r], row_start_[r+1])
  std::vector<entry> entries_;
  // Run-time layout, built at load: index_[bucket] is an offset into rows_ (int16 words), where a
  // two-word header (length, layout) precedes the row. A sparse row is `length` (class, weight)
  // pairs; a dense row, used when a row holds many of the classes, is padded_classes_ weights in
  // class order, summed with vector instructions. Frequent features have dense rows, and they are
  // most of the work: scatter-adding their entries one by one was three quarters of parse time.
  std::vector<std::uint32_t, huge_page_allocator<std::uint32_t>> index_;  // bucket -> offset in rows_, or no_row
  std::vector<std::int16_t, huge_page_allocator<std::int16_t>> rows_;
  std::uint32_t padded_classes_ = 0;       // n_classes_ rounded up to a multiple of 16
  dense_row_precision dense_precision_ = dense_row_precision::int16;
  float scale_ = 1.0F;
  static constexpr std::uint32_t no_row = 0xffffffffU;
  // Second header word: the layout, and for dense8_row the row's shift in the high byte.
  static constexpr std::int16_t sparse_row = 0, dense_row = 1, dense8_row = 2;
  // index_ values: the row's offset in the low bits, the number of cache lines to prefetch on top.
  static constexpr std::uint32_t offset_bits = 28, offset_mask = (1U << offset_bits) - 1, max_prefetch_lines = 8;
  // A dense row costs padded_classes_ words (int16) or bytes (int8) against 4 bytes per stored
  // class of a sparse row, and sums far faster (vector adds against one scattered add per class):
  // int16 rows are dense from a quarter of the classes on; int8 rows, half the size and summed with
  // the sums in registers, from a twelfth (parsing Reuters, 1/12 was 5% faster than 1/4 and 1/8,
  // and as fast as 1/16 and 1/24, which take more memory).
  bool is_dense(std::uint32_t length) const {
    return (dense_precision_ == dense_row_precision::int8 ? 12 : 4) * length >= n_classes_;
  }
};

}  // namespace newsgraph::nlp
