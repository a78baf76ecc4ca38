// UTF-8 validation and the few Unicode operations the pipeline needs (through utf8proc).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace newsgraph::utf8 {

// Byte offset of the first byte that does not start a valid UTF-8 sequence, or nullopt if the whole
// text is valid. Overlong forms, surrogates and code points above U+10FFFF are invalid.
std::optional<std::size_t> first_invalid_byte(std::string_view text);

// The text with every invalid byte replaced by U+FFFD.
std::string repaired(std::string_view text);

// Lower-cased, accent-stripped, compatibility-normalised form used for matching names
// ("Zelenskyy" -> "zelenskyy", "Sánchez" -> "sanchez", "ＥＵ" -> "eu").
std::string fold(std::string_view text);

// True if the text looks binary (a NUL byte in its first 8 KiB).
bool looks_binary(std::string_view text);

}  // namespace newsgraph::utf8
