// A map from 64-bit keys that are already well-mixed hashes (word and feature hashes of nlp/) to
// small values, stored in one open-addressing array.
//
// Why not std::unordered_map: the taggers and the parser look a word hash up for every token, and a
// node-based map costs a bucket load plus a node load (two cache misses) per lookup; here a lookup is
// one probe run in one array, usually one miss. Keys are used as their own hash (their high bits pick
// the slot), which is only sound because every key is the output of a mixing function.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace newsgraph::nlp {

template <class Value>
class hashed_key_map {
public:
  std::size_t size() const { return size_ + (has_zero_ ? 1 : 0); }

  // Makes room for n entries without rehashing (load factor at most 1/2).
  void reserve(std::size_t n) {
    std::size_t want = 16;
    while (want < 2 * n) want *= 2;
    if (want > slots_.size()) rehash(want);
  }

  // Inserts (key, value) unless key is present; returns the stored value either way.
  Value& emplace(std::uint64_t key, Value value) {
    if (key == empty_key) {
      if (!has_zero_) has_zero_ = true, zero_value_ = std::move(value);
      return zero_value_;
    }
    if (2 * (size_ + 1) > slots_.size()) rehash(slots_.empty() ? 16 : 2 * slots_.size());
    slot& s = slots_[probe(key)];
    if (s.key != key) {
      s.key = key;
      s.value = std::move(value);
      ++size_;
    }
    return s.value;
  }

  // Stores value for key, replacing any earlier one.
  void insert_or_assign(std::uint64_t key, Value value) { emplace(key, value) = std::move(value); }

  // The value stored for key, or nullptr.
  const Value* find(std::uint64_t key) const {
    if (key == empty_key) return has_zero_ ? &zero_value_ : nullptr;
    if (slots_.empty()) return nullptr;
    const slot& s = slots_[probe(key)];
    return s.key == key ? &s.value : nullptr;
  }
  bool contains(std::uint64_t key) const { return find(key) != nullptr; }

  // Calls f(key, value) for every entry, in no particular order.
  template <class F>
  void for_each(F&& f) const {
    if (has_zero_) f(empty_key, zero_value_);
    for (const slot& s : slots_)
      if (s.key != empty_key) f(s.key, s.value);
  }

  friend bool operator==(const hashed_key_map& a, const hashed_key_map& b) {
    if (a.size() != b.size()) return false;
    bool same = true;
    a.for_each([&](std::uint64_t k, const Value& v) {
      const Value* w = b.find(k);
      same = same && w != nullptr && *w == v;
    });
    return same;
  }

private:
  static constexpr std::uint64_t empty_key = 0;  // key 0 itself lives in zero_value_
  struct slot {
    std::uint64_t key = empty_key;
    Value value{};
  };

  // Index of key's slot, or of the empty slot where it would go (linear probing; never full).
  std::size_t probe(std::uint64_t key) const {
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(key >> shift_) & mask;
    while (slots_[i].key != key && slots_[i].key != empty_key) i = (i + 1) & mask;
    return i;
  }

  void rehash(std::size_t capacity) {  // capacity: a power of two
    std::vector<slot> old = std::move(slots_);
    slots_.assign(capacity, slot{});
    shift_ = 64;
    for (std::size_t c = capacity; c > 1; c /= 2) --shift_;
    for (slot& s : old)
      if (s.key != empty_key) slots_[probe(s.key)] = std::move(s);
  }

  std::vector<slot> slots_;
  std::size_t size_ = 0;  // entries in slots_
  unsigned shift_ = 64;
  bool has_zero_ = false;
  Value zero_value_{};
};

}  // namespace newsgraph::nlp
