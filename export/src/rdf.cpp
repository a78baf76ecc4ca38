// RDF 1.1 N-Quads and Turtle, written by hand from the statements the JSON-LD export denotes.
#include <algorithm>
#include <cctype>
#include <functional>

#include "model.h"

namespace newsgraph {

namespace {

struct rdf_object {
  bool is_iri = false;
  std::string value;     // IRI or lexical form
  std::string datatype;  // full IRI; empty for xsd:string
};

using statement_sink = std::function<void(const std::string& subject, std::string_view predicate, const rdf_object&)>;

std::string ns(std::string_view prefix, std::string_view local) {
  std::string s(prefix);
  return s.append(local);
}

rdf_object iri(std::string value) { return {true, std::move(value), {}}; }
rdf_object literal(std::string_view value) { return {false, std::string(value), {}}; }
rdf_object typed(std::string value, std::string_view xsd_type) {
  return {false, std::move(value), ns(detail::xsd_ns, xsd_type)};
}
rdf_object integer(std::uint64_t n) { return typed(std::to_string(n), "integer"); }
rdf_object date(std::string_view d) { return detail::is_iso_date(d) ? typed(std::string(d), "date") : literal(d); }

// Every statement of the view, grouped by subject, in the JSON-LD export's order.
void for_each_statement(const graph_view& view, const statement_sink& emit) {
  const auto& kg = *view.graph;
  const auto& graph = kg.graph();
  const detail::identifiers ids(kg);
  const std::string type(detail::rdf_type);
  const auto schema = [](std::string_view local) { return ns(detail::schema_ns, local); };
  const auto ng = [](std::string_view local) { return ns(detail::newsgraph_ns, local); };

  for (const auto& d : kg.documents()) {
    const auto& s = ids.document.at(d.id);
    emit(s, type, iri(schema("NewsArticle")));
    emit(s, schema("identifier"), literal(d.id));
    if (!d.title.empty()) emit(s, schema("headline"), literal(d.title));
    if (!d.date.empty()) emit(s, schema("datePublished"), date(d.date));
    if (!d.url.empty()) emit(s, schema("url"), literal(d.url));
  }
  for (auto v : view.actors) {
    const auto& a = graph[v];
    const auto& s = ids.actor[v];
    emit(s, type, iri(schema(schema_org_class(a.type))));
    emit(s, schema("name"), literal(a.name));
    for (const auto& alias : a.aliases)
      if (alias.text != a.name) emit(s, schema("alternateName"), literal(alias.text));
    for (const auto& r : a.roles) emit(s, ng("role"), literal(r.text));
    emit(s, ng("mentionCount"), integer(a.mention_count));
  }
  for (std::size_t k = 0; k < view.relations.size(); ++k) {
    const auto e = view.relations[k];
    const auto& r = graph[e];
    const auto& s = ids.relation[view.relation_numbers[k]];
    emit(s, type, iri(ng("Relation")));
    emit(s, ng("subject"), iri(ids.actor[boost::source(e, graph)]));
    emit(s, ng("predicate"), literal(r.label));
    emit(s, ng("object"), iri(ids.actor[boost::target(e, graph)]));
    if (!r.relation_class.empty()) emit(s, ng("relationClass"), literal(r.relation_class));
    if (r.symmetric) emit(s, ng("symmetric"), typed("true", "boolean"));
    emit(s, ng("count"), integer(r.count()));
    const auto dates = detail::dates_of(r);
    if (!dates.first.empty()) {
      emit(s, ng("firstDate"), date(dates.first));
      emit(s, ng("lastDate"), date(dates.last));
    }
    for (std::size_t i = 0; i < r.evidence.size(); ++i) emit(s, ng("evidence"), iri(detail::evidence_iri(s, i)));
    for (std::size_t i = 0; i < r.evidence.size(); ++i) {
      const auto& ev = r.evidence[i];
      const auto item = detail::evidence_iri(s, i);
      emit(item, type, iri(ng("Evidence")));
      emit(item, ns(detail::prov_ns, "wasDerivedFrom"), iri(ids.document_iri(ev.document_id)));
      emit(item, schema("text"), literal(ev.sentence_text));
      if (!ev.relation_surface.empty()) emit(item, ng("surface"), literal(ev.relation_surface));
      emit(item, ng("startOffset"), integer(ev.sentence.begin));
      emit(item, ng("endOffset"), integer(ev.sentence.end));
      if (!ev.date.empty()) emit(item, schema("dateCreated"), date(ev.date));
      emit(item, ng("confidence"), typed(detail::canonical_double(detail::rounded_confidence(ev.confidence)), "double"));
    }
  }
}

// IRIREF may not hold spaces, controls or <>"{}|^`\ : percent-encode them (RFC 3987 allows the
// rest, including non-ASCII, raw). Our IRIs are built from slugs, so this only guards.
void write_iri(std::ostream& out, std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out << '<';
  for (unsigned char ch : value) {
    if (ch <= 0x20 || ch == '<' || ch == '>' || ch == '"' || ch == '{' || ch == '}' || ch == '|' || ch == '^' ||
        ch == '`' || ch == '\\')
      out << '%' << hex[ch >> 4] << hex[ch & 15];
    else
      out << static_cast<char>(ch);
  }
  out << '>';
}

// STRING_LITERAL_QUOTE, shared by N-Quads and Turtle: ECHAR for " \ and line breaks (and tab, as
// JSON-LD processors write it), UCHAR for the other controls; UTF-8 stays raw.
void write_string(std::ostream& out, std::string_view value) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out << '"';
  for (unsigned char ch : value) {
    switch (ch) {
      case '"': out << "\\\""; break;
      case '\\': out << "\\\\"; break;
      case '\n': out << "\\n"; break;
      case '\r': out << "\\r"; break;
      case '\t': out << "\\t"; break;
      default:
        if (ch < 0x20 || ch == 0x7F) out << "\\u00" << hex[ch >> 4] << hex[ch & 15];
        else out << static_cast<char>(ch);
    }
  }
  out << '"';
}

struct prefix {
  std::string_view name, iri;
};
constexpr prefix prefixes[] = {{"schema", detail::schema_ns},
                               {"ng", detail::newsgraph_ns},
                               {"prov", detail::prov_ns},
                               {"xsd", detail::xsd_ns}};

// A Turtle prefixed name for vocabulary IRIs whose local part is a plain word; else <IRI>.
void write_turtle_iri(std::ostream& out, std::string_view value) {
  if (value == detail::rdf_type) {
    out << 'a';
    return;
  }
  for (const auto& p : prefixes) {
    if (!value.starts_with(p.iri)) continue;
    const auto local = value.substr(p.iri.size());
    const bool word = !local.empty() && std::all_of(local.begin(), local.end(), [](unsigned char ch) {
      return std::isalnum(ch) != 0;
    });
    if (word) {
      out << p.name << ':' << local;
      return;
    }
  }
  write_iri(out, value);
}

}  // namespace

void write_nquads(const graph_view& view, std::ostream& out) {
  for_each_statement(view, [&](const std::string& subject, std::string_view predicate, const rdf_object& object) {
    write_iri(out, subject);
    out << ' ';
    write_iri(out, predicate);
    out << ' ';
    if (object.is_iri) {
      write_iri(out, object.value);
    } else {
      write_string(out, object.value);
      if (!object.datatype.empty()) out << "^^", write_iri(out, object.datatype);
    }
    out << " .\n";
  });
}

void write_turtle(const graph_view& view, std::ostream& out) {
  for (const auto& p : prefixes) out << "@prefix " << p.name << ": <" << p.iri << "> .\n";
  std::string last_subject;
  std::string last_predicate;
  for_each_statement(view, [&](const std::string& subject, std::string_view predicate, const rdf_object& object) {
    if (subject != last_subject) {
      if (!last_subject.empty()) out << " .\n";
      out << '\n';
      write_iri(out, subject);
      out << "\n  ";
      write_turtle_iri(out, predicate);
    } else if (predicate != last_predicate) {
      out << " ;\n  ";
      write_turtle_iri(out, predicate);
    } else {
      out << " ,";
    }
    out << ' ';
    if (object.is_iri) {
      write_turtle_iri(out, object.value);
    } else {
      write_string(out, object.value);
      if (!object.datatype.empty()) out << "^^", write_turtle_iri(out, object.datatype);
    }
    last_subject = subject;
    last_predicate = predicate;
  });
  if (!last_subject.empty()) out << " .\n";
}

}  // namespace newsgraph
