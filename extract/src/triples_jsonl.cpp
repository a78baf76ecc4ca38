#include "newsgraph/triples_jsonl.h"

#include <fstream>
#include <iostream>
#include <optional>
#include <unordered_map>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace newsgraph {

namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

void write_string(json_writer& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void write_mention(json_writer& w, const mention& m) {
  w.StartObject();
  write_string(w, "name", m.name);
  write_string(w, "text", m.text);
  write_string(w, "type", to_string(m.type));
  w.Key("begin");
  w.Uint(m.span.begin);
  w.Key("end");
  w.Uint(m.span.end);
  if (!m.role.empty()) write_string(w, "role", m.role);
  w.EndObject();
}

void write_triple(json_writer& w, const triple& t) {
  w.StartObject();
  write_string(w, "doc", t.subject.document_id);
  w.Key("subject");
  write_mention(w, t.subject);
  write_string(w, "relation", t.relation);
  write_string(w, "relation_surface", t.relation_surface);
  write_string(w, "relation_class", t.relation_class);
  w.Key("object");
  write_mention(w, t.object);
  w.Key("confidence");
  // A float printed as the shortest double that reads back as the same float: shards round-trip.
  w.Double(static_cast<double>(t.confidence));
  write_string(w, "sentence", t.sentence_text);
  w.Key("sentence_begin");
  w.Uint(t.sentence.begin);
  w.Key("sentence_end");
  w.Uint(t.sentence.end);
  if (!t.date.empty()) write_string(w, "date", t.date);
  w.Key("negated");
  w.Bool(t.negated);
  w.Key("modal");
  w.Bool(t.modal);
  w.Key("symmetric");
  w.Bool(t.symmetric);
  w.EndObject();
}

// ---- reading ---------------------------------------------------------------------------------

// A line that cannot be used; what() is the reason, without the place.
struct bad_line : error {
  using error::error;
};

const rapidjson::Value& member(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd()) throw bad_line(std::string("missing \"") + key + "\"");
  return it->value;
}

std::string string_member(const rapidjson::Value& object, const char* key) {
  const auto& v = member(object, key);
  if (!v.IsString()) throw bad_line(std::string("\"") + key + "\" must be a string");
  return {v.GetString(), v.GetStringLength()};
}

std::optional<std::string> optional_string(const rapidjson::Value& object, const char* key) {
  const auto it = object.FindMember(key);
  if (it == object.MemberEnd() || it->value.IsNull()) return std::nullopt;
  if (!it->value.IsString()) throw bad_line(std::string("\"") + key + "\" must be a string");
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::uint32_t uint_member(const rapidjson::Value& object, const char* key) {
  const auto& v = member(object, key);
  if (!v.IsUint()) throw bad_line(std::string("\"") + key + "\" must be an unsigned integer");
  return v.GetUint();
}

bool bool_member(const rapidjson::Value& object, const char* key) {
  const auto& v = member(object, key);
  if (!v.IsBool()) throw bad_line(std::string("\"") + key + "\" must be true or false");
  return v.GetBool();
}

mention read_mention(const rapidjson::Value& v, const std::string& document_id) {
  if (!v.IsObject()) throw bad_line("a mention must be an object");
  mention m;
  m.document_id = document_id;
  m.name = string_member(v, "name");
  m.text = string_member(v, "text");
  try {
    m.type = parse_actor_type(string_member(v, "type"));
  } catch (const bad_line&) {
    throw;
  } catch (const error& e) {
    throw bad_line(e.what());
  }
  m.span = {uint_member(v, "begin"), uint_member(v, "end")};
  if (m.span.end < m.span.begin) throw bad_line("a mention ends before it begins");
  m.role = optional_string(v, "role").value_or("");
  return m;
}

triple read_triple(const rapidjson::Value& v) {
  triple t;
  const std::string doc = string_member(v, "doc");
  t.subject = read_mention(member(v, "subject"), doc);
  t.object = read_mention(member(v, "object"), doc);
  t.relation = string_member(v, "relation");
  t.relation_surface = string_member(v, "relation_surface");
  t.relation_class = string_member(v, "relation_class");
  const auto& confidence = member(v, "confidence");
  if (!confidence.IsNumber()) throw bad_line("\"confidence\" must be a number");
  t.confidence = static_cast<float>(confidence.GetDouble());
  t.sentence_text = string_member(v, "sentence");
  t.sentence = {uint_member(v, "sentence_begin"), uint_member(v, "sentence_end")};
  t.date = optional_string(v, "date").value_or("");
  t.negated = bool_member(v, "negated");
  t.modal = bool_member(v, "modal");
  t.symmetric = bool_member(v, "symmetric");
  return t;
}

// The state of one file: triples wait for their document's closing line.
class shard_reader {
public:
  shard_reader(const std::function<void(document&&, extraction&&)>& on_document,
               const std::function<void(const input_problem&)>& on_problem)
      : on_document_(on_document), on_problem_(on_problem) {}

  void read(std::istream& in, const std::string& name) {
    std::string line;
    std::size_t number = 0;
    while (std::getline(in, line)) {
      ++number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      const std::string where = name + ":" + std::to_string(number);
      try {
        read_line(line, where);
      } catch (const bad_line& e) {
        on_problem_({where, e.what()});
      }
    }
    if (in.bad()) on_problem_({name, "read error; the rest of the file is lost"});
    flush_orphans(name);
  }

private:
  void read_line(const std::string& line, const std::string& where) {
    rapidjson::Document json;
    json.Parse<rapidjson::kParseStopWhenDoneFlag | rapidjson::kParseIterativeFlag>(line.data(), line.size());
    if (json.HasParseError())
      throw bad_line("malformed JSON at column " + std::to_string(json.GetErrorOffset() + 1) + ": " +
                     rapidjson::GetParseError_En(json.GetParseError()));
    if (!json.IsObject()) throw bad_line("expected a JSON object");
    if (!json.HasMember("document")) {
      triple t = read_triple(json);
      auto& waiting = pending_[t.subject.document_id];
      waiting.push_back(std::move(t));
      return;
    }
    const auto& meta = json["document"];
    if (!meta.IsObject()) throw bad_line("\"document\" must be an object");
    document doc;
    doc.id = string_member(meta, "id");
    if (doc.id.empty()) throw bad_line("\"id\" is empty");
    doc.title = optional_string(meta, "title");
    doc.date = optional_string(meta, "date");
    doc.url = optional_string(meta, "url");
    const std::uint32_t announced = uint_member(json, "triples");
    const auto& mentions = member(json, "mentions");
    if (!mentions.IsArray()) throw bad_line("\"mentions\" must be an array");
    extraction result;
    for (const auto& m : mentions.GetArray()) result.mentions.push_back(read_mention(m, doc.id));
    if (auto it = pending_.find(doc.id); it != pending_.end()) {
      result.triples = std::move(it->second);
      pending_.erase(it);
    }
    if (result.triples.size() != announced)
      on_problem_({where, "document '" + doc.id + "' announces " + std::to_string(announced) + " triples but " +
                              std::to_string(result.triples.size()) + " were read"});
    on_document_(std::move(doc), std::move(result));
  }

  void flush_orphans(const std::string& name) {
    for (auto& [id, triples] : pending_) {
      on_problem_({name, std::to_string(triples.size()) + " triples of document '" + id +
                             "' have no closing document line (a truncated shard?); kept"});
      document doc;
      doc.id = id;
      if (!triples.front().date.empty()) doc.date = triples.front().date;
      extraction result;
      result.triples = std::move(triples);
      on_document_(std::move(doc), std::move(result));
    }
    pending_.clear();
  }

  const std::function<void(document&&, extraction&&)>& on_document_;
  const std::function<void(const input_problem&)>& on_problem_;
  std::unordered_map<std::string, std::vector<triple>> pending_;
};

}  // namespace

void append_triple_jsonl(const triple& t, std::string& out) {
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  write_triple(w, t);
  out.append(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
}

void append_extraction_jsonl(const document& doc, const extraction& result, std::string& out) {
  for (const auto& t : result.triples) append_triple_jsonl(t, out);
  rapidjson::StringBuffer buffer;
  json_writer w(buffer);
  w.StartObject();
  w.Key("document");
  w.StartObject();
  write_string(w, "id", doc.id);
  if (doc.title) write_string(w, "title", *doc.title);
  if (doc.date) write_string(w, "date", *doc.date);
  if (doc.url) write_string(w, "url", *doc.url);
  w.EndObject();
  w.Key("triples");
  w.Uint(static_cast<unsigned>(result.triples.size()));
  w.Key("mentions");
  w.StartArray();
  for (const auto& m : result.mentions) write_mention(w, m);
  w.EndArray();
  w.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
  out.push_back('\n');
}

void read_extraction_jsonl(const std::vector<std::string>& files,
                           const std::function<void(document&&, extraction&&)>& on_document,
                           const std::function<void(const input_problem&)>& on_problem) {
  shard_reader reader(on_document, on_problem);
  for (const auto& file : files) {
    if (file == "-") {
      reader.read(std::cin, "<stdin>");
      continue;
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) throw input_error(file + ": cannot open");
    reader.read(in, file);
  }
}

}  // namespace newsgraph
