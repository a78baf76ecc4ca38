#include "progress.h"

#include <unistd.h>

#include <cstdio>
#include <filesystem>

namespace newsgraph::cli {

namespace fs = std::filesystem;

progress_meter::progress_meter(bool enabled, std::uint64_t total_bytes)
    : enabled_(enabled), total_bytes_(total_bytes), started_(std::chrono::steady_clock::now()), last_draw_(started_) {}

void progress_meter::add(std::size_t text_bytes) {
  ++documents_;
  bytes_ += text_bytes;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(250)) return;
  last_draw_ = now;
  draw(false);
}

void progress_meter::finish() {
  if (enabled_) draw(true);
}

void progress_meter::draw(bool last) {
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  const double rate = seconds > 0 ? documents_ / seconds : 0.0;
  const double mb_rate = seconds > 0 ? bytes_ / seconds / 1e6 : 0.0;
  char eta[48] = "";
  if (!last && total_bytes_ > 0 && bytes_ > 0 && bytes_ < total_bytes_ && mb_rate > 0) {
    const auto left = static_cast<long>((total_bytes_ - bytes_) / (mb_rate * 1e6));
    std::snprintf(eta, sizeof eta, ", %2.0f%%, ETA %ld:%02ld:%02ld", 100.0 * bytes_ / total_bytes_, left / 3600,
                  left / 60 % 60, left % 60);
  }
  // \r and clear-to-end-of-line redraw one status line; the last one ends with a newline.
  std::fprintf(stderr, "\r\033[K%llu documents, %.0f documents/s, %.2f MB/s%s%s",
               static_cast<unsigned long long>(documents_), rate, mb_rate, eta, last ? "\n" : "");
  std::fflush(stderr);
}

std::uint64_t input_size(const std::vector<std::string>& inputs) {
  std::uint64_t total = 0;
  std::error_code ec;
  for (const auto& input : inputs) {
    if (input == "-") return 0;
    const fs::path path(input);
    if (fs::is_directory(path, ec)) {
      for (const auto& entry : fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec))
        if (entry.is_regular_file(ec) && entry.path().extension() == ".txt") total += entry.file_size(ec);
    } else {
      const auto size = fs::file_size(path, ec);
      if (ec) return 0;
      total += size;
    }
  }
  return total;
}

bool progress_wanted(bool quiet) { return !quiet && isatty(STDERR_FILENO) == 1; }

}  // namespace newsgraph::cli
