#include "newsgraph/ordered_extraction.h"

#include <sched.h>

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
  std::size_t window;
  std::vector<slot> slots;
  std::uint64_t submitted = 0, taken = 0, delivered = 0;
  std::mutex lock_;
  std::condition_variable work_ready, result_ready;
  bool stopping = false;
  std::vector<std::thread> workers;

  impl(const extractor& e, unsigned threads, consumer c, std::size_t w)
      : ex(e), on_result(std::move(c)), window(w != 0 ? w : 8 * std::size_t{threads}), slots(threads > 1 ? window : 0) {
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
      slot& s = slots[taken++ % window];
      lock.unlock();
      try {
        s.result = ex.extract_all(s.doc);
      } catch (...) {
        s.error = std::current_exception();
      }
      lock.lock();
      s.done = true;
      result_ready.notify_one();
    }
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

ordered_extraction::ordered_extraction(const extractor& ex, unsigned threads, consumer on_result, std::size_t window)
    : impl_(std::make_unique<impl>(ex, threads, std::move(on_result), window)) {}

ordered_extraction::~ordered_extraction() = default;

unsigned ordered_extraction::threads() const {
  return impl_->workers.empty() ? 1U : static_cast<unsigned>(impl_->workers.size());
}

void ordered_extraction::submit(document&& doc) {
  impl& im = *impl_;
  if (im.workers.empty()) {
    extraction result = im.ex.extract_all(doc);
    im.on_result(std::move(doc), std::move(result));
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
