#include "newsgraph/utf8.h"

#include <utf8proc.h>

#include <cstdlib>
#include <memory>

namespace newsgraph::utf8 {

namespace {
// Length of the valid UTF-8 sequence starting at text[i], or 0 if it is not one.
std::size_t valid_sequence_length(std::string_view text, std::size_t i) {
  const auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data() + i);
  utf8proc_int32_t code_point = 0;
  const auto n = utf8proc_iterate(p, static_cast<utf8proc_ssize_t>(text.size() - i), &code_point);
  return n > 0 ? static_cast<std::size_t>(n) : 0;
}
}  // namespace

std::optional<std::size_t> first_invalid_byte(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const auto n = valid_sequence_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::nullopt;
}

std::string repaired(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      out += text[i++];
      continue;
    }
    const auto n = valid_sequence_length(text, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(text.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string fold(std::string_view text) {
  utf8proc_uint8_t* folded = nullptr;
  const auto options = static_cast<utf8proc_option_t>(UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                                      UTF8PROC_STRIPMARK | UTF8PROC_COMPOSE);
  const auto n = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                              static_cast<utf8proc_ssize_t>(text.size()), &folded, options);
  if (n < 0) return std::string(text);  // invalid UTF-8: callers validate input first
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(folded, &std::free);
  return std::string(reinterpret_cast<const char*>(folded), static_cast<std::size_t>(n));
}

bool looks_binary(std::string_view text) {
  return text.substr(0, 8192).find('\0') != std::string_view::npos;
}

}  // namespace newsgraph::utf8
