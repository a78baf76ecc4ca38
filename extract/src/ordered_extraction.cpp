#include "newsgraph/ordered_extraction.h"

#include <sched.h>

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace newsgraph {

// A ring of `window` slots: document number s (in submission order) lives in slots[s % window]
// from submit() until it is consumed. Workers take documents in order and fill in their results;
// the caller's thread consumes them in order. A slot is touched by one worker, without the lock,
// between being taken and being marked done; the lock guards the counters and the done flags.
struct ordered_extraction::impl {
  struct slot {
    document doc;
    extraction result;
    std::exception_ptr error;
    bool done = false;
  };

  const extractor& ex;
  consumer on_result;
  extraction_batching batch;
  std::size_t window;
  std::vector<slot> slots;
  std::vector<document> pending;  // one thread: the documents of the batch being gathered
  std::uint64_t submitted = 0, taken = 0, delivered = 0;
  std::mutex lock_;
  std::condition_variable work_ready, result_ready;
  bool stopping = false;
  std::vector<std::thread> workers;

  impl(const extractor& e, unsigned threads, consumer c, std::size_t w, extraction_batching b)
      : ex(e),
        on_result(std::move(c)),
        batch{std::max<std::size_t>(b.documents, 1), b.max_bytes},
        window(w != 0 ? w : 3 * batch.documents * std::max(threads, 1U)),
        slots(threads > 1 ? window : 0) {
    if (threads > 1)
      for (unsigned i = 0; i < threads; ++i) workers.emplace_back([this] { work(); });
  }

  ~impl() {
    {
      std::lock_guard<std::mutex> guard(lock_);
      stopping = true;
    }
    work_ready.notify_all();
    for (auto& t : workers) t.join();
  }

  void work() {
    std::unique_lock<std::mutex> lock(lock_);
    for (;;) {
      work_ready.wait(lock, [&] { return stopping || taken < submitted; });
      if (stopping) return;
      // As many queued documents as a batch takes; while this worker extracts them, the others
      // take the ones after.
      const std::uint64_t first = taken;
      std::size_t bytes = 0;
      do {
        bytes += slots[taken++ % window].doc.text.size();
      } while (taken < submitted && taken - first < batch.documents && bytes < batch.max_bytes);
      const std::uint64_t last = taken;
      lock.unlock();
      std::vector<const document*> docs;
      for (std::uint64_t i = first; i < last; ++i) docs.push_back(&slots[i % window].doc);
      try {
        auto results = ex.extract_batch(docs);
        for (std::uint64_t i = first; i < last; ++i) slots[i % window].result = std::move(results[i - first]);
      } catch (...) {
        slots[first % window].error = std::current_exception();
      }
      lock.lock();
      for (std::uint64_t i = first; i < last; ++i) slots[i % window].done = true;
      result_ready.notify_one();
    }
  }

  // One thread: extracts the gathered batch and hands its results on.
  void run_pending() {
    std::vector<document> docs = std::move(pending);
    pending.clear();
    std::vector<const document*> pointers;
    for (const auto& d : docs) pointers.push_back(&d);
    auto results = ex.extract_batch(pointers);
    for (std::size_t i = 0; i < docs.size(); ++i) on_result(std::move(docs[i]), std::move(results[i]));
  }

  // Consumes the result at the head of the queue, which must be done. Called and returns with the
  // lock held; runs the consumer without it, so that workers go on meanwhile.
  void deliver_head(std::unique_lock<std::mutex>& lock) {
    slot& s = slots[delivered % window];
    document doc = std::move(s.doc);
    extraction result = std::move(s.result);
    const std::exception_ptr error = s.error;
    s = slot{};
    ++delivered;
    lock.unlock();
    if (error) std::rethrow_exception(error);
    on_result(std::move(doc), std::move(result));
    lock.lock();
  }

  bool head_done() const { return delivered < submitted && slots[delivered % window].done; }
};

ordered_extraction::ordered_extraction(const extractor& ex, unsigned threads, consumer on_result, std::size_t window,
                                       extraction_batching batch)
    : impl_(std::make_unique<impl>(ex, threads, std::move(on_result), window, batch)) {}

ordered_extraction::~ordered_extraction() = default;

unsigned ordered_extraction::threads() const {
  return impl_->workers.empty() ? 1U : static_cast<unsigned>(impl_->workers.size());
}

void ordered_extraction::submit(document&& doc) {
  impl& im = *impl_;
  if (im.workers.empty()) {
    im.pending.push_back(std::move(doc));
    std::size_t bytes = 0;
    for (const auto& d : im.pending) bytes += d.text.size();
    if (im.pending.size() >= im.batch.documents || bytes >= im.batch.max_bytes) im.run_pending();
    return;
  }
  std::unique_lock<std::mutex> lock(im.lock_);
  for (;;) {
    while (im.head_done()) im.deliver_head(lock);
    if (im.submitted - im.delivered < im.window) break;
    im.result_ready.wait(lock);
  }
  im.slots[im.submitted % im.window].doc = std::move(doc);
  ++im.submitted;
  im.work_ready.notify_one();
}

void ordered_extraction::finish() {
  impl& im = *impl_;
  if (im.workers.empty()) {
    if (!im.pending.empty()) im.run_pending();
    return;
  }
  std::unique_lock<std::mutex> lock(im.lock_);
  while (im.delivered < im.submitted) {
    if (im.head_done()) im.deliver_head(lock);
    else im.result_ready.wait(lock);
  }
}

unsigned default_thread_count() {
  // The CPUs this process may run on (a container or taskset may allow fewer than the machine has).
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) {
    const int n = CPU_COUNT(&set);
    if (n > 0) return static_cast<unsigned>(n);
  }
  const unsigned n = std::thread::hardware_concurrency();
  return n > 0 ? n : 1;
}

}  // namespace newsgraph
