// What every writer shares: stable identifiers, relation dates and text escaping.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "newsgraph/export.h"

namespace newsgraph::detail {

inline constexpr std::string_view schema_ns = "https://schema.org/";
inline constexpr std::string_view newsgraph_ns = "https://w3id.org/newsgraph/vocab#";
inline constexpr std::string_view prov_ns = "http://www.w3.org/ns/prov#";
inline constexpr std::string_view xsd_ns = "http://www.w3.org/2001/XMLSchema#";
inline constexpr std::string_view rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

// IRI-safe slug of a name: its name_key with spaces as '-', other bytes percent-encoded.
std::string slug(std::string_view name);

// Identifiers of the whole graph (not the view), so a filter never changes an id.
struct identifiers {
  std::vector<std::string> actor;     // per vertex: "urn:newsgraph:actor:josep-borrell"
  std::vector<std::string> relation;  // per relation number (boost::edges order)
  std::unordered_map<std::string, std::string> document;  // document id -> IRI

  explicit identifiers(const knowledge_graph& g);
  // The IRI of a document id, also for evidence whose document metadata is missing.
  std::string document_iri(const std::string& id) const;
};

// Evidence item n (0-based) of a relation: "<relation iri>/evidence/<n + 1>".
std::string evidence_iri(const std::string& relation_iri, std::size_t n);

struct date_range {
  std::string first, last;  // empty when no evidence is dated
};
date_range dates_of(const relation& r);

// YYYY-MM-DD, which is what we type as xsd:date; other dates stay plain strings.
bool is_iso_date(std::string_view s);

// Confidence as written everywhere: rounded to 4 decimals, so the JSON number, the RDF double and
// the CSV value agree.
double rounded_confidence(float c);

// Canonical xsd:double lexical form as JSON-LD's toRdf writes it ("%1.15E", then for a positive
// exponent trailing zeros dropped: 1.0E0, 7.5E-1 stays 7.500000000000000E-01).
std::string canonical_double(double d);

// Upper snake case relationship type for Cypher/Neo4j: "reply to" -> REPLY_TO.
std::string relationship_type(std::string_view label);

// The text of `s` with every byte that is not allowed raw replaced, for one-line formats.
std::string one_line(std::string_view s);

struct layout_point {
  double x = 0, y = 0;
};

// Positions (points, y up) of the view's actors for a drawing too large for Graphviz's layouts
// (large_layout.cpp): the groups (`group` per view actor, numbered from 0, largest first when
// communities() numbered them; empty: one group) on disks packed on shelves, each group's actors
// breadth-first from its hub along a sunflower spiral, then 30 passes of force-directed
// refinement (grid-cell repulsion, logarithmic attraction, small moves) and overlap removal.
// `half_size`: per view actor, half the width and height of its shape. Deterministic; linear
// time per pass.
std::vector<layout_point> large_layout(const graph_view& view, const std::vector<layout_point>& half_size,
                                       const std::vector<std::size_t>& group);

}  // namespace newsgraph::detail
