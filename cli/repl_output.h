// How REPL commands receive their words and write their results, in text or JSON.
#pragma once

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "newsgraph/query.h"

namespace newsgraph::cli {

// The words after the command name: flags taken out, the rest positional in order.
struct arguments {
  std::vector<query_word> positional;
  std::map<std::string, std::string, std::less<>> flags;  // "--top" -> "10"; a switch -> ""

  bool has(std::string_view flag) const { return flags.contains(flag); }
  // Every positional word joined by spaces: `show Sergey Lavrov` names one actor.
  std::string joined() const {
    std::string s;
    for (const auto& w : positional) {
      if (!s.empty()) s += ' ';
      s += w.text;
    }
    return s;
  }
};

class json_writer {
public:
  json_writer() : w_(buffer_) {}
  json_writer& key(std::string_view k) {
    w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
    return *this;
  }
  json_writer& string(std::string_view s) {
    w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
    return *this;
  }
  json_writer& integer(std::int64_t n) {
    w_.Int64(n);
    return *this;
  }
  json_writer& number(double x) {
    w_.Double(x);
    return *this;
  }
  json_writer& boolean(bool b) {
    w_.Bool(b);
    return *this;
  }
  json_writer& null() {
    w_.Null();
    return *this;
  }
  json_writer& begin_object() {
    w_.StartObject();
    return *this;
  }
  json_writer& end_object() {
    w_.EndObject();
    return *this;
  }
  json_writer& begin_array() {
    w_.StartArray();
    return *this;
  }
  json_writer& end_array() {
    w_.EndArray();
    return *this;
  }
  std::string_view text() const { return {buffer_.GetString(), buffer_.GetSize()}; }

private:
  rapidjson::StringBuffer buffer_;
  rapidjson::Writer<rapidjson::StringBuffer> w_;
};

struct reply {
  std::ostream& out;   // text results
  json_writer* json;   // JSON mode: the handler writes exactly one value, the command's result
  bool aligned;        // a person reads the output: pad table columns instead of tabs
};

using cell = std::variant<std::string, std::int64_t, double>;

// A result that is a list of records: text prints one line per row (tab-separated, or padded at a
// terminal), JSON an array of objects keyed by the column names.
struct table {
  std::vector<std::string> columns;
  std::vector<std::vector<cell>> rows;
  bool header = false;  // print the column names above the rows in text mode

  void write_json(json_writer& j) const;
  void print(reply& r) const;  // to r.json when set, else as text to r.out
};

}  // namespace newsgraph::cli
