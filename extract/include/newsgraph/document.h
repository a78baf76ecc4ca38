// The data model shared by every stage: documents, spans, mentions and triples.
//
// Units: every span in newsgraph is a half-open range [begin, end) of BYTE offsets into the
// owning document's UTF-8 text (not code points, not token indexes), so that
// text.substr(begin, end - begin) is exactly the spanned text.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace newsgraph {

// Base of every error newsgraph throws; what() is a one-line message fit for the user.
class error : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// A file could not be read, or its content is not what it claims (names the file, and line if any).
class input_error : public error {
public:
  using error::error;
};

struct document {
  std::string id;    // file stem, or the "id" field of a JSONL line; unique within one build
  std::string text;  // valid UTF-8
  std::optional<std::string> title;
  std::optional<std::string> date;  // as given by the source, ideally ISO 8601 (YYYY-MM-DD)
  std::optional<std::string> url;
};

// Half-open [begin, end) byte range; begin <= end.
struct byte_span {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;

  std::uint32_t size() const { return end - begin; }
  bool empty() const { return begin == end; }
  std::string_view of(std::string_view text) const { return text.substr(begin, end - begin); }
  friend bool operator==(const byte_span&, const byte_span&) = default;
};

enum class actor_type : std::uint8_t { person, organization, country, place, group, other };

// "person", "organization", ... and back; parse throws newsgraph::error on an unknown word.
std::string_view to_string(actor_type type);
actor_type parse_actor_type(std::string_view word);
// schema.org class for JSON-LD and RDF exports ("Person", "Organization", "Country", ...).
std::string_view schema_org_class(actor_type type);

struct mention {
  std::string document_id;
  byte_span span;    // where the words stand in the document (for a pronoun, the pronoun itself)
  std::string text;  // the surface form as written, span.of(document.text)
  std::string name;  // the actor it names as resolved inside its document: a full name, never a pronoun
  actor_type type = actor_type::other;
  std::string role;  // title or apposition, e.g. "Russian Foreign Minister"; empty if none
};

// One actor-relation-actor statement with its evidence. Ordered: subject acts on object, except
// when `symmetric` is set ("A and B agreed"), where the order carries no meaning.
struct triple {
  mention subject;
  std::string relation_surface;  // the words as written: "replied to"
  std::string relation;          // normalised lemma label: "reply to"
  std::string relation_class;    // coarse class from the verb lexicon: "statement", "consult", ...
  mention object;
  byte_span sentence;            // the evidence sentence in the document
  std::string sentence_text;     // sentence.of(document.text), whitespace collapsed to single spaces
  std::string date;              // the document's date, or empty
  float confidence = 0.0F;       // in [0, 1]
  bool negated = false;          // "did not reply to"
  bool modal = false;            // "may reply to", "wants to meet"
  bool symmetric = false;
};

}  // namespace newsgraph
