#include "newsgraph/input.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "newsgraph/utf8.h"

namespace newsgraph {

namespace fs = std::filesystem;

namespace {

std::string read_whole_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path.string() + ": cannot open for reading");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw input_error(path.string() + ": read error");
  return text;
}

// An input_error's message without its leading "where: ", which input_problem carries apart.
std::string reason_of(const input_error& e, const std::string& where) {
  std::string_view message = e.what();
  if (message.starts_with(where + ": ")) message.remove_prefix(where.size() + 2);
  return std::string(message);
}

// Checks encoding; returns false (after reporting) when the text must be skipped.
bool accept_text(std::string& text, const std::string& where, const input_options& options,
                 const std::function<void(const input_problem&)>& on_problem) {
  if (utf8::looks_binary(text)) {
    on_problem({where, "binary file (NUL byte), skipped"});
    return false;
  }
  if (const auto bad = utf8::first_invalid_byte(text)) {
    if (!options.repair_utf8) {
      on_problem({where, "invalid UTF-8 at byte " + std::to_string(*bad) +
                             ", skipped (--repair-utf8 replaces bad bytes)"});
      return false;
    }
    on_problem({where, "invalid UTF-8 at byte " + std::to_string(*bad) + ", repaired"});
    text = utf8::repaired(text);
  }
  return true;
}

void read_plain_text(const fs::path& path, std::string text, const input_options& options,
                     const std::function<void(document&&)>& on_document,
                     const std::function<void(const input_problem&)>& on_problem) {
  const std::string where = path.string();
  if (!accept_text(text, where, options, on_problem)) return;
  if (std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isspace(c); })) {
    on_problem({where, "empty document, skipped"});
    return;
  }
  document doc;
  doc.id = path.stem().string();
  doc.text = std::move(text);
  on_document(std::move(doc));
}

void read_jsonl_stream(std::istream& in, const std::string& name, const input_options& options,
                       const std::function<void(document&&)>& on_document,
                       const std::function<void(const input_problem&)>& on_problem,
                       std::size_t lines_already_read = 0) {
  std::string line;
  std::size_t line_number = lines_already_read;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    const std::string where = name + ":" + std::to_string(line_number);
    if (!accept_text(line, where, options, on_problem)) continue;
    try {
      on_document(parse_jsonl_article(line, where));
    } catch (const input_error& e) {
      on_problem({where, reason_of(e, where)});
    }
  }
}

}  // namespace

document parse_jsonl_article(std::string_view line, const std::string& where) {
  rapidjson::Document json;
  json.Parse<rapidjson::kParseStopWhenDoneFlag>(line.data(), line.size());
  if (json.HasParseError())
    throw input_error(where + ": malformed JSON at column " + std::to_string(json.GetErrorOffset() + 1) +
                      ": " + rapidjson::GetParseError_En(json.GetParseError()));
  if (!json.IsObject()) throw input_error(where + ": expected a JSON object");
  auto string_field = [&](const char* key, bool required) -> std::optional<std::string> {
    const auto it = json.FindMember(key);
    if (it == json.MemberEnd() || it->value.IsNull()) {
      if (required) throw input_error(where + ": missing \"" + std::string(key) + "\"");
      return std::nullopt;
    }
    if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
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
        text.append(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
        read_plain_text("stdin", std::move(text), options, on_document, on_problem);
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
          read_plain_text(file, read_whole_file(file), options, on_document, on_problem);
        } catch (const input_error& e) {
          on_problem({file.string(), reason_of(e, file.string())});
        }
      }
    } else if (path.extension() == ".jsonl") {
      std::ifstream in(path, std::ios::binary);
      if (!in) throw input_error(input + ": cannot open for reading");
      read_jsonl_stream(in, input, options, on_document, on_problem);
    } else {
      read_plain_text(path, read_whole_file(path), options, on_document, on_problem);
    }
  }
}

}  // namespace newsgraph
