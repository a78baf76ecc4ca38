#include "newsgraph/input.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <limits>
#include <optional>

#include "html.h"
#include "newsgraph/utf8.h"

namespace newsgraph {

namespace fs = std::filesystem;

namespace {

using problem_sink = std::function<void(const input_problem&)>;

// At most `limit` + 1 bytes of a stream (appended to `text`): one more than a document may hold
// tells that it was longer. The rest is neither read nor held in memory, so that a 100 MB line or
// an endless pipe costs no more than a document at the limit.
void read_bounded(std::istream& in, std::size_t limit, const std::string& where, std::string& text) {
  const std::size_t want = limit == std::numeric_limits<std::size_t>::max() ? limit : limit + 1;
  char buffer[1 << 16];
  while (text.size() < want) {
    in.read(buffer, static_cast<std::streamsize>(std::min(sizeof buffer, want - text.size())));
    const auto n = in.gcount();
    if (n <= 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
  }
  if (in.bad()) throw input_error(where + ": read error");
}

// A plain-text file, and its size when the file system knows it (not for a pipe).
std::string read_text_file(const fs::path& path, std::size_t limit, std::optional<std::uintmax_t>& size) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path.string() + ": cannot open for reading");
  std::error_code ec;
  if (fs::is_regular_file(path, ec)) {
    const auto n = fs::file_size(path, ec);
    if (!ec) size = n;
  }
  std::string text;
  read_bounded(in, limit, path.string(), text);
  return text;
}

// One line of a stream without its '\n', keeping at most `limit` bytes of it in `line`; returns the
// line's full length, or nothing at the end of the stream.
std::optional<std::size_t> read_line(std::istream& in, std::string& line, std::size_t limit) {
  line.clear();
  std::streambuf* buffer = in.rdbuf();
  std::size_t length = 0;
  bool any = false;
  for (;;) {
    const int c = buffer->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      break;
    }
    any = true;
    if (c == '\n') break;
    if (length++ < limit) line.push_back(static_cast<char>(c));
  }
  if (!any) return std::nullopt;
  return length;
}

// An input_error's message without its leading "where: ", which input_problem carries apart.
std::string reason_of(const input_error& e, const std::string& where) {
  std::string_view message = e.what();
  if (message.starts_with(where + ": ")) message.remove_prefix(where.size() + 2);
  return std::string(message);
}

// Returns false (after reporting) when the bytes are not text at all.
bool accept_bytes(std::string_view text, const std::string& where, const problem_sink& on_problem) {
  if (text.starts_with("\xFF\xFE") || text.starts_with("\xFE\xFF")) {
    on_problem({where, "UTF-16 text (byte-order mark), skipped: convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)"});
    return false;
  }
  if (utf8::looks_binary(text)) {
    on_problem({where, "binary file (NUL byte), skipped"});
    return false;
  }
  return true;
}

// Checks encoding; returns false (after reporting) when the text must be skipped.
bool accept_utf8(std::string& text, const std::string& where, const input_options& options,
                 const problem_sink& on_problem) {
  if (const auto bad = utf8::first_invalid_byte(text)) {
    if (!options.repair_utf8) {
      on_problem({where, "invalid UTF-8 at byte " + std::to_string(*bad) +
                             ", skipped (--repair-utf8 replaces bad bytes)"});
      return false;
    }
    on_problem({where, "invalid UTF-8 at byte " + std::to_string(*bad) + ", repaired", false});
    text = utf8::repaired(text);
  }
  return true;
}

// Where to cut a text of more than `limit` bytes: after the last line break in the second half of
// the limit, else after the last sentence end there, else after the last space, else at the last
// character boundary.
std::size_t cut_point(std::string_view text, std::size_t limit) {
  const auto window = text.substr(0, limit);
  const std::size_t half = limit / 2;
  auto after = [&](std::size_t p, std::size_t length) {
    return p != std::string_view::npos && p >= half ? std::optional<std::size_t>(p + length) : std::nullopt;
  };
  if (const auto p = after(window.rfind('\n'), 1)) return *p;
  std::optional<std::size_t> sentence_end;
  for (const std::string_view end : {". ", "? ", "! "})
    if (const auto p = after(window.rfind(end), 1)) sentence_end = std::max(sentence_end.value_or(0), *p);
  if (sentence_end) return *sentence_end;
  if (const auto p = after(window.rfind(' '), 1)) return *p;
  std::size_t p = limit;
  while (p > 0 && (static_cast<unsigned char>(text[p]) & 0xC0) == 0x80) --p;
  return p;
}

// Cuts a text over options.max_document_bytes (reported: the rest is lost to the graph).
void apply_size_limit(std::string& text, std::optional<std::uintmax_t> full_size, const std::string& where,
                      const input_options& options, const problem_sink& on_problem) {
  const auto limit = options.max_document_bytes;
  if (text.size() <= limit) return;
  text.resize(cut_point(text, limit));
  const std::string size = full_size ? std::to_string(*full_size) + " bytes, over" : "over";
  on_problem({where, size + " the limit of " + std::to_string(limit) + " bytes (--max-document-bytes): only its first " +
                         std::to_string(text.size()) + " bytes read"});
}

void read_plain_text(const std::string& where, const std::string& id, std::string text,
                     std::optional<std::uintmax_t> full_size, const input_options& options,
                     const std::function<void(document&&)>& on_document, const problem_sink& on_problem) {
  if (!accept_bytes(text, where, on_problem)) return;
  apply_size_limit(text, full_size, where, options, on_problem);
  if (!accept_utf8(text, where, options, on_problem)) return;
  if (options.clean_html) html::clean(text);
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); })) {
    on_problem({where, "empty document, skipped"});
    return;
  }
  document doc;
  doc.id = id;
  doc.text = std::move(text);
  on_document(std::move(doc));
}

void read_jsonl_stream(std::istream& in, const std::string& name, const input_options& options,
                       const std::function<void(document&&)>& on_document, const problem_sink& on_problem,
                       std::size_t lines_already_read = 0) {
  // Room for JSON escapes ("\u00e9" is 6 bytes for 2 of text) and the other fields.
  const std::size_t max_line = options.max_document_bytes > (std::numeric_limits<std::size_t>::max() - 4096) / 4
                                   ? std::numeric_limits<std::size_t>::max()
                                   : 4 * options.max_document_bytes + 4096;
  std::string line;
  std::size_t line_number = lines_already_read;
  while (const auto length = read_line(in, line, max_line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(line_number);
    if (*length > max_line) {
      on_problem({where, "line of " + std::to_string(*length) + " bytes, over the limit of " + std::to_string(max_line) +
                             " bytes (4 times --max-document-bytes), skipped"});
      continue;
    }
    if (!accept_bytes(line, where, on_problem) || !accept_utf8(line, where, options, on_problem)) continue;
    try {
      document doc = parse_jsonl_article(line, where);
      apply_size_limit(doc.text, doc.text.size(), where, options, on_problem);
      if (options.clean_html) html::clean(doc.text);
      on_document(std::move(doc));
    } catch (const input_error& e) {
      on_problem({where, reason_of(e, where)});
    }
  }
  if (in.bad()) throw input_error(name + ": read error");
}

}  // namespace

void read_jsonl(std::istream& in, const std::string& name, const input_options& options,
                const std::function<void(document&&)>& on_document, const problem_sink& on_problem) {
  read_jsonl_stream(in, name, options, on_document, on_problem);
}

document parse_jsonl_article(std::string_view line, const std::string& where) {
  rapidjson::Document json;
  // Iterative: a line of a million '[' must not overflow the stack. Whole line: two objects on one
  // line ("}{", a lost newline) are an error, not a silently dropped article.
  json.Parse<rapidjson::kParseIterativeFlag>(line.data(), line.size());
  if (json.HasParseError())
    throw input_error(where + ": malformed JSON at column " + std::to_string(json.GetErrorOffset() + 1) +
                      ": " + rapidjson::GetParseError_En(json.GetParseError()));
  if (!json.IsObject()) throw input_error(where + ": expected a JSON object");
  const rapidjson::Value& object = json;  // const iterators compare without C++20's reversed == ambiguity
  auto string_field = [&](const char* key, bool required) -> std::optional<std::string> {
    const auto it = object.FindMember(key);
    if (it == object.MemberEnd() || it->value.IsNull()) {
      if (required) throw input_error(where + ": missing \"" + std::string(key) + "\"");
      return std::nullopt;
    }
    if (it->value.IsString()) {
      std::string value(it->value.GetString(), it->value.GetStringLength());
      // RapidJSON turns a lone low surrogate ("\udc00") into bytes that are not UTF-8.
      if (utf8::first_invalid_byte(value))
        throw input_error(where + ": \"" + std::string(key) + "\" holds a lone UTF-16 surrogate (\\udc00-\\udfff)");
      return value;
    }
    if (it->value.IsInt64() && std::string_view(key) == "id") return std::to_string(it->value.GetInt64());
    throw input_error(where + ": \"" + std::string(key) + "\" must be a string");
  };
  document doc;
  doc.id = *string_field("id", true);
  doc.text = *string_field("text", true);
  doc.title = string_field("title", false);
  doc.date = string_field("date", false);
  doc.url = string_field("url", false);
  if (doc.id.empty()) throw input_error(where + ": \"id\" is empty");
  return doc;
}

void read_inputs(const std::vector<std::string>& inputs, const input_options& options,
                 const std::function<void(document&&)>& on_document,
                 const std::function<void(const input_problem&)>& on_problem) {
  for (const auto& input : inputs) {
    if (input == "-") {
      // JSONL is read line by line as it arrives (newsgraph as a filter in a pipe or under a
      // cluster's streaming API must not hold the whole stream); plain text is one document.
      std::string leading;
      int c;
      while ((c = std::cin.peek()) != EOF && (c == ' ' || c == '\t' || c == '\r' || c == '\n'))
        leading.push_back(static_cast<char>(std::cin.get()));
      if (c == '{') {
        read_jsonl_stream(std::cin, "<stdin>", options, on_document, on_problem,
                          static_cast<std::size_t>(std::count(leading.begin(), leading.end(), '\n')));
      } else {
        std::string text = std::move(leading);
        read_bounded(std::cin, options.max_document_bytes, "stdin", text);
        read_plain_text("stdin", "stdin", std::move(text), std::nullopt, options, on_document, on_problem);
      }
      continue;
    }
    const fs::path path(input);
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (ec || !fs::exists(status)) throw input_error(input + ": no such file or directory");
    if (fs::is_directory(status)) {
      std::vector<fs::path> files;
      for (const auto& entry : fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied))
        if (entry.is_regular_file() && entry.path().extension() == ".txt") files.push_back(entry.path());
      if (files.empty()) throw input_error(input + ": directory holds no .txt file");
      std::sort(files.begin(), files.end());
      for (const auto& file : files) {
        try {
          std::optional<std::uintmax_t> size;
          auto text = read_text_file(file, options.max_document_bytes, size);
          read_plain_text(file.string(), file.stem().string(), std::move(text), size, options, on_document, on_problem);
        } catch (const input_error& e) {
          on_problem({file.string(), reason_of(e, file.string())});
        }
      }
    } else if (path.extension() == ".jsonl") {
      std::ifstream in(path, std::ios::binary);
      if (!in) throw input_error(input + ": cannot open for reading");
      read_jsonl_stream(in, input, options, on_document, on_problem);
    } else {
      std::optional<std::uintmax_t> size;
      auto text = read_text_file(path, options.max_document_bytes, size);
      read_plain_text(input, path.stem().string(), std::move(text), size, options, on_document, on_problem);
    }
  }
}

}  // namespace newsgraph
