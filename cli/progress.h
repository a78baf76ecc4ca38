// Progress of a long extract or build on standard error: documents, documents per second, input
// megabytes per second and, when the input's size is known, an estimated time to completion.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace newsgraph::cli {

class progress_meter {
public:
  // Draws only when `enabled` (the caller passes: stderr is a terminal and not --quiet).
  // total_bytes: the size of the inputs, or 0 when unknown (standard input); the ETA assumes the
  // documents' text is most of those bytes.
  progress_meter(bool enabled, std::uint64_t total_bytes);
  // One document done, of `text_bytes` bytes of text. Redraws at most four times a second.
  void add(std::size_t text_bytes);
  // Draws the final figures (also after a run too short for any redraw) and ends their line.
  void finish();

private:
  void draw(bool last);

  bool enabled_;
  std::uint64_t total_bytes_;
  std::uint64_t documents_ = 0, bytes_ = 0;
  std::chrono::steady_clock::time_point started_, last_draw_;
};

// Sum of the sizes of the files that read_inputs would read (directories: their .txt files);
// 0 if any input is standard input or cannot be measured.
std::uint64_t input_size(const std::vector<std::string>& inputs);

// Whether progress should be drawn: standard error is a terminal and the user did not ask for quiet.
bool progress_wanted(bool quiet);

}  // namespace newsgraph::cli
