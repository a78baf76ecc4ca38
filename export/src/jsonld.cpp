#include <rapidjson/prettywriter.h>

#include "model.h"

namespace newsgraph {

namespace {

// rapidjson's OStreamWrapper calls std::ostream::put for every character, which on a 280 MB
// document of 100,000 actors costs seconds; this gathers 1 MiB and writes it in one call.
class buffered_stream {
public:
  using Ch = char;
  explicit buffered_stream(std::ostream& out) : out_(out) { buffer_.reserve(capacity); }
  buffered_stream(const buffered_stream&) = delete;
  buffered_stream& operator=(const buffered_stream&) = delete;
  ~buffered_stream() { Flush(); }
  void Put(char c) {
    buffer_.push_back(c);
    if (buffer_.size() >= capacity) Flush();
  }
  void Flush() {
    out_.write(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
    buffer_.clear();
  }

private:
  static constexpr std::size_t capacity = 1 << 20;
  std::ostream& out_;
  std::string buffer_;
};

using json_writer = rapidjson::PrettyWriter<buffered_stream>;

// Streams the document (no DOM), so a 100,000-actor graph costs no more memory than its text.
class writer {
public:
  explicit writer(json_writer& w) : w_(w) {}

  void key(std::string_view k) { w_.Key(k.data(), static_cast<rapidjson::SizeType>(k.size())); }
  void string(std::string_view s) { w_.String(s.data(), static_cast<rapidjson::SizeType>(s.size())); }
  void member(std::string_view k, std::string_view s) { key(k), string(s); }
  void member(std::string_view k, std::uint64_t n) { key(k), w_.Uint64(n); }
  void member_double(std::string_view k, double d) { key(k), w_.Double(d); }
  void member_bool(std::string_view k, bool b) { key(k), w_.Bool(b); }
  // A date typed xsd:date when it is one, else a plain string: a processor would reject a typed
  // literal that is not a valid date.
  void date(std::string_view k, std::string_view d) {
    key(k);
    if (!detail::is_iso_date(d)) return string(d);
    w_.StartObject();
    member("@value", d);
    member("@type", "xsd:date");
    w_.EndObject();
  }
  void begin_object() { w_.StartObject(); }
  void end_object() { w_.EndObject(); }
  void begin_array() { w_.StartArray(); }
  void end_array() { w_.EndArray(); }

private:
  json_writer& w_;
};

void write_context(writer& w) {
  w.key("@context");
  w.begin_object();
  w.member("@vocab", detail::schema_ns);
  w.member("ng", detail::newsgraph_ns);
  w.member("prov", detail::prov_ns);
  w.member("xsd", detail::xsd_ns);
  auto term = [&](std::string_view name, std::string_view iri, std::string_view type = {}) {
    if (type.empty()) return w.member(name, iri);
    w.key(name);
    w.begin_object();
    w.member("@id", iri);
    w.member("@type", type);
    w.end_object();
  };
  // Every key the document uses and schema.org lacks is defined here: a term without a definition
  // would be silently dropped by a JSON-LD processor.
  term("Relation", "ng:Relation");
  term("Evidence", "ng:Evidence");
  term("subject", "ng:subject", "@id");
  term("object", "ng:object", "@id");
  term("predicate", "ng:predicate");
  term("relationClass", "ng:relationClass");
  term("symmetric", "ng:symmetric", "xsd:boolean");
  term("count", "ng:count", "xsd:integer");
  term("firstDate", "ng:firstDate");
  term("lastDate", "ng:lastDate");
  term("evidence", "ng:evidence", "@id");
  term("surface", "ng:surface");
  term("role", "ng:role");
  term("mentionCount", "ng:mentionCount", "xsd:integer");
  term("startOffset", "ng:startOffset", "xsd:integer");
  term("endOffset", "ng:endOffset", "xsd:integer");
  term("confidence", "ng:confidence", "xsd:double");
  term("wasDerivedFrom", "prov:wasDerivedFrom", "@id");
  w.end_object();
}

}  // namespace

void write_jsonld(const graph_view& view, std::ostream& out) {
  const auto& kg = *view.graph;
  const auto& graph = kg.graph();
  const detail::identifiers ids(kg);
  buffered_stream stream(out);
  json_writer json(stream);
  json.SetIndent(' ', 1);
  writer w(json);

  w.begin_object();
  write_context(w);
  w.key("@graph");
  w.begin_array();
  for (const auto& d : kg.documents()) {
    w.begin_object();
    w.member("@id", ids.document.at(d.id));
    w.member("@type", "NewsArticle");
    w.member("identifier", d.id);
    if (!d.title.empty()) w.member("headline", d.title);
    if (!d.date.empty()) w.date("datePublished", d.date);
    if (!d.url.empty()) w.member("url", d.url);
    w.end_object();
  }

  for (auto v : view.actors) {
    const auto& a = graph[v];
    w.begin_object();
    w.member("@id", ids.actor[v]);
    w.member("@type", schema_org_class(a.type));
    w.member("name", a.name);
    w.key("alternateName");
    w.begin_array();
    for (const auto& alias : a.aliases)
      if (alias.text != a.name) w.string(alias.text);
    w.end_array();
    if (!a.roles.empty()) {
      w.key("role");
      w.begin_array();
      for (const auto& r : a.roles) w.string(r.text);
      w.end_array();
    }
    w.member("mentionCount", std::uint64_t{a.mention_count});
    w.end_object();
  }

  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto e = view.relations[k];
    const auto& r = graph[e];
    const auto& iri = ids.relation[view.relation_numbers[k]];
    w.begin_object();
    w.member("@id", iri);
    w.member("@type", "Relation");
    w.member("subject", ids.actor[boost::source(e, graph)]);
    w.member("predicate", r.label);
    w.member("object", ids.actor[boost::target(e, graph)]);
    if (!r.relation_class.empty()) w.member("relationClass", r.relation_class);
    if (r.symmetric) w.member_bool("symmetric", true);
    w.member("count", std::uint64_t{r.count()});
    const auto dates = detail::dates_of(r);
    if (!dates.first.empty()) w.date("firstDate", dates.first), w.date("lastDate", dates.last);
    w.key("evidence");
    w.begin_array();
    for (std::size_t i = 0; i < r.evidence.size(); ++i) {
      const auto& ev = r.evidence[i];
      w.begin_object();
      w.member("@id", detail::evidence_iri(iri, i));
      w.member("@type", "Evidence");
      w.member("wasDerivedFrom", ids.document_iri(ev.document_id));
      w.member("text", ev.sentence_text);
      if (!ev.relation_surface.empty()) w.member("surface", ev.relation_surface);
      w.member("startOffset", std::uint64_t{ev.sentence.begin});
      w.member("endOffset", std::uint64_t{ev.sentence.end});
      if (!ev.date.empty()) w.date("dateCreated", ev.date);
      w.member_double("confidence", detail::rounded_confidence(ev.confidence));
      w.end_object();
    }
    w.end_array();
    w.end_object();
  }
  w.end_array();
  w.end_object();
  stream.Flush();
  out << '\n';
}

void write_jsonld(const knowledge_graph& g, std::ostream& out) { write_jsonld(make_view(g), out); }

}  // namespace newsgraph
