// Extraction of a stream of documents on several threads, with the results handed back in input
// order: what a caller writes or builds from them does not depend on the number of threads.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

#include "newsgraph/document.h"
#include "newsgraph/extractor.h"

namespace newsgraph {

// How many documents one extractor::extract_batch call may take: batches run faster per document
// (the models stay in the cache), and a batch is also capped at max_bytes of text, so that a batch
// of long documents does not hold the analyses of megabytes at once. documents = 1: one at a time,
// each result delivered as soon as it is ready (a filter on a pipe).
struct extraction_batching {
  std::size_t documents = 32;
  std::size_t max_bytes = 64 * 1024;
};

class ordered_extraction {
public:
  // Receives each document with what it yielded, in the order the documents were submitted, on
  // the thread that calls submit() or finish(): it needs no locking of its own.
  using consumer = std::function<void(document&& doc, extraction&& result)>;

  // Extracts with `ex` (which must outlive this object) on `threads` worker threads; threads <= 1
  // runs everything on the calling thread (a batch at a time: a result may wait for the documents
  // submitted after it, at most until finish()). At most `window` documents are held at once,
  // submitted but not yet consumed (0: three batches per thread), so memory follows the window,
  // not the corpus.
  ordered_extraction(const extractor& ex, unsigned threads, consumer on_result, std::size_t window = 0,
                     extraction_batching batch = {});
  // Stops the workers; results not yet consumed are dropped (call finish() to receive them).
  ~ordered_extraction();
  ordered_extraction(const ordered_extraction&) = delete;
  ordered_extraction& operator=(const ordered_extraction&) = delete;

  // Queues one document. Consumes the finished results at the head of the queue first, and blocks
  // while the window is full. Rethrows, here or in finish(), an exception thrown by an extraction or
  // by the consumer; the object is then unusable.
  void submit(document&& doc);
  // Waits for and consumes every remaining result, in order.
  void finish();

  unsigned threads() const;

private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// The number of threads to use when the user gives none: every core the process may run on.
unsigned default_thread_count();

}  // namespace newsgraph
