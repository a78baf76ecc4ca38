#include <rapidjson/document.h>
#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include <map>

#include "newsgraph/export.h"

namespace newsgraph {

namespace {

// Our own terms live under this namespace; schema.org is the default vocabulary.
constexpr const char* newsgraph_vocabulary = "https://w3id.org/newsgraph/vocab#";

// IRI-safe slug of a name: its name_key with spaces as '-', other unsafe bytes percent-encoded.
std::string slug(std::string_view name) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : name_key(name)) {
    if (std::isalnum(ch) || ch == '-' || ch == '.' || ch == '_') out += static_cast<char>(ch);
    else if (ch == ' ') out += '-';
    else out += {'%', hex[ch >> 4], hex[ch & 15]};
  }
  return out.empty() ? "_" : out;
}

class builder {
public:
  explicit builder(rapidjson::Document& doc) : doc_(doc), alloc_(doc.GetAllocator()) {}

  rapidjson::Value str(std::string_view s) { return rapidjson::Value(s.data(), static_cast<rapidjson::SizeType>(s.size()), alloc_); }
  rapidjson::Value object() { return rapidjson::Value(rapidjson::kObjectType); }
  rapidjson::Value array() { return rapidjson::Value(rapidjson::kArrayType); }
  void add(rapidjson::Value& obj, const char* key, rapidjson::Value value) {
    obj.AddMember(rapidjson::StringRef(key), value, alloc_);
  }
  void add(rapidjson::Value& obj, const char* key, std::string_view s) { add(obj, key, str(s)); }
  void add(rapidjson::Value& obj, const char* key, std::uint64_t n) { add(obj, key, rapidjson::Value(n)); }
  void push(rapidjson::Value& arr, rapidjson::Value value) { arr.PushBack(value, alloc_); }

private:
  rapidjson::Document& doc_;
  rapidjson::Document::AllocatorType& alloc_;
};

rapidjson::Value context(builder& b) {
  auto ctx = b.object();
  b.add(ctx, "@vocab", "https://schema.org/");
  b.add(ctx, "ng", newsgraph_vocabulary);
  b.add(ctx, "prov", "http://www.w3.org/ns/prov#");
  b.add(ctx, "xsd", "http://www.w3.org/2001/XMLSchema#");
  auto term = [&](const char* name, const char* iri, const char* type = nullptr) {
    if (!type) return b.add(ctx, name, iri);
    auto def = b.object();
    b.add(def, "@id", iri);
    b.add(def, "@type", type);
    b.add(ctx, name, std::move(def));
  };
  term("Relation", "ng:Relation");
  term("Evidence", "ng:Evidence");
  term("subject", "ng:subject", "@id");
  term("object", "ng:object", "@id");
  term("predicate", "ng:predicate");
  term("relationClass", "ng:relationClass");
  term("symmetric", "ng:symmetric", "xsd:boolean");
  term("count", "ng:count", "xsd:integer");
  term("evidence", "ng:evidence");
  term("aliasCount", "ng:aliasCount");
  term("role", "ng:role");
  term("mentionCount", "ng:mentionCount", "xsd:integer");
  term("startOffset", "ng:startOffset", "xsd:integer");
  term("endOffset", "ng:endOffset", "xsd:integer");
  term("confidence", "ng:confidence", "xsd:double");
  term("wasDerivedFrom", "prov:wasDerivedFrom", "@id");
  return ctx;
}

}  // namespace

void write_jsonld(const knowledge_graph& kg, std::ostream& out) {
  rapidjson::Document doc(rapidjson::kObjectType);
  builder b(doc);
  b.add(doc, "@context", context(b));
  auto nodes = b.array();
  const auto& graph = kg.graph();

  std::map<std::string, std::string> document_iri;
  for (const auto& d : kg.documents()) {
    const std::string iri = "urn:newsgraph:document:" + slug(d.id);
    document_iri[d.id] = iri;
    auto node = b.object();
    b.add(node, "@id", iri);
    b.add(node, "@type", "NewsArticle");
    b.add(node, "identifier", d.id);
    if (!d.title.empty()) b.add(node, "headline", d.title);
    if (!d.date.empty()) b.add(node, "datePublished", d.date);
    if (!d.url.empty()) b.add(node, "url", d.url);
    b.push(nodes, std::move(node));
  }

  // Actor ids come from canonical names; a clash (two actors, one slug) takes a numeric suffix in
  // vertex order, which is itself stable for the same input.
  std::vector<std::string> actor_iri(boost::num_vertices(graph));
  std::map<std::string, int> used;
  for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
    std::string iri = "urn:newsgraph:actor:" + slug(graph[v].name);
    if (const int n = used[iri]++; n > 0) iri.append("-").append(std::to_string(n + 1));
    actor_iri[v] = iri;
    const auto& a = graph[v];
    auto node = b.object();
    b.add(node, "@id", iri);
    b.add(node, "@type", schema_org_class(a.type));
    b.add(node, "name", a.name);
    auto alternate = b.array();
    for (const auto& alias : a.aliases)
      if (alias.text != a.name) b.push(alternate, b.str(alias.text));
    b.add(node, "alternateName", std::move(alternate));
    if (!a.roles.empty()) {
      auto roles = b.array();
      for (const auto& r : a.roles) b.push(roles, b.str(r.text));
      b.add(node, "role", std::move(roles));
    }
    b.add(node, "mentionCount", std::uint64_t{a.mention_count});
    b.push(nodes, std::move(node));
  }

  std::map<std::string, int> used_relations;
  for (auto e : boost::make_iterator_range(boost::edges(graph))) {
    const auto& r = graph[e];
    const auto s = boost::source(e, graph), o = boost::target(e, graph);
    std::string iri = "urn:newsgraph:relation:" + slug(graph[s].name) + "/" + slug(r.label) + "/" + slug(graph[o].name);
    if (const int n = used_relations[iri]++; n > 0) iri.append("-").append(std::to_string(n + 1));
    auto node = b.object();
    b.add(node, "@id", iri);
    b.add(node, "@type", "Relation");
    b.add(node, "subject", actor_iri[s]);
    b.add(node, "predicate", r.label);
    b.add(node, "object", actor_iri[o]);
    if (!r.relation_class.empty()) b.add(node, "relationClass", r.relation_class);
    if (r.symmetric) b.add(node, "symmetric", rapidjson::Value(true));
    b.add(node, "count", std::uint64_t{r.count()});
    auto evidence = b.array();
    for (const auto& ev : r.evidence) {
      auto item = b.object();
      b.add(item, "@type", "Evidence");
      b.add(item, "wasDerivedFrom", document_iri.count(ev.document_id) ? document_iri[ev.document_id]
                                                                      : "urn:newsgraph:document:" + slug(ev.document_id));
      b.add(item, "text", ev.sentence_text);
      b.add(item, "startOffset", std::uint64_t{ev.sentence.begin});
      b.add(item, "endOffset", std::uint64_t{ev.sentence.end});
      if (!ev.date.empty()) b.add(item, "dateCreated", ev.date);
      b.add(item, "confidence", rapidjson::Value(static_cast<double>(ev.confidence)));
      b.push(evidence, std::move(item));
    }
    b.add(node, "evidence", std::move(evidence));
    b.push(nodes, std::move(node));
  }
  b.add(doc, "@graph", std::move(nodes));

  rapidjson::OStreamWrapper stream(out);
  rapidjson::PrettyWriter<rapidjson::OStreamWrapper> writer(stream);
  writer.SetIndent(' ', 1);
  doc.Accept(writer);
  out << '\n';
}

}  // namespace newsgraph
