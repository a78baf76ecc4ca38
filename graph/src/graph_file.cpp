#include "newsgraph/graph_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "newsgraph/knowledge_graph.h"

namespace newsgraph {

namespace {

std::uint64_t fnv1a(std::string_view bytes) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : bytes) h = (h ^ c) * 1099511628211ULL;
  return h;
}

class writer {
public:
  void u8(std::uint8_t v) { out_ += static_cast<char>(v); }
  void u32(std::uint32_t v) {
    char b[4];
    for (int i = 0; i < 4; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out_.append(b, 4);
  }
  void u64(std::uint64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    out_.append(b, 8);
  }
  void f32(float v) {
    std::uint32_t bits;
    std::memcpy(&bits, &v, 4);
    u32(bits);
  }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    out_.append(s);
  }
  std::string& bytes() { return out_; }

private:
  std::string out_;
};

class reader {
public:
  reader(std::string_view bytes, const std::string& path) : in_(bytes), path_(path) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() {
    auto b = take(4);
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(static_cast<unsigned char>(b[i])) << (8 * i);
    return v;
  }
  std::uint64_t u64() {
    auto b = take(8);
    std::uint64_t v = 0;
    for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(static_cast<unsigned char>(b[i])) << (8 * i);
    return v;
  }
  float f32() {
    const auto bits = u32();
    float v;
    std::memcpy(&v, &bits, 4);
    return v;
  }
  std::string str() { return std::string(take(u32())); }
  bool at_end() const { return pos_ == in_.size(); }

private:
  std::string_view take(std::size_t n) {
    if (n > in_.size() - pos_) throw error(path_ + ": corrupted graph file (record runs past the end)");
    auto s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view in_;
  std::size_t pos_ = 0;
  const std::string& path_;
};

void write_mention(writer& w, const mention& m) {
  w.str(m.document_id);
  w.u32(m.span.begin);
  w.u32(m.span.end);
  w.str(m.text);
  w.str(m.name);
  w.u8(static_cast<std::uint8_t>(m.type));
  w.str(m.role);
}

mention read_mention(reader& r, const std::string& path) {
  mention m;
  m.document_id = r.str();
  m.span.begin = r.u32();
  m.span.end = r.u32();
  m.text = r.str();
  m.name = r.str();
  const auto type = r.u8();
  if (type > static_cast<std::uint8_t>(actor_type::other)) throw error(path + ": corrupted graph file (bad actor type)");
  m.type = static_cast<actor_type>(type);
  m.role = r.str();
  return m;
}

// Writes to a temporary file beside the target, syncs it, then renames it over the target, so
// that the previous graph survives any failure or kill before the rename.
void write_atomically(const std::string& path, std::string_view bytes) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw error(path + ": cannot write graph file: " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const auto n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      const std::string reason = std::strerror(errno);
      ::close(fd);
      ::unlink(temporary.c_str());
      throw error(path + ": cannot write graph file: " + reason);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temporary.c_str());
    throw error(path + ": cannot write graph file: " + std::strerror(errno));
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    throw error(path + ": cannot replace graph file: " + reason);
  }
}

}  // namespace

struct graph_file {
  static std::string payload(const knowledge_graph& g) {
    writer w;
    w.u32(static_cast<std::uint32_t>(g.documents_.size()));
    for (const auto& d : g.documents_) {
      w.str(d.id);
      w.str(d.title);
      w.str(d.date);
      w.str(d.url);
    }
    w.u32(static_cast<std::uint32_t>(g.statements_.size()));
    for (const auto& t : g.statements_) {
      write_mention(w, t.subject);
      w.str(t.relation_surface);
      w.str(t.relation);
      w.str(t.relation_class);
      write_mention(w, t.object);
      w.u32(t.sentence.begin);
      w.u32(t.sentence.end);
      w.str(t.sentence_text);
      w.str(t.date);
      w.f32(t.confidence);
      w.u8(static_cast<std::uint8_t>((t.negated ? 1 : 0) | (t.modal ? 2 : 0) | (t.symmetric ? 4 : 0)));
    }
    w.u32(static_cast<std::uint32_t>(g.mentions_.size()));
    for (const auto& m : g.mentions_) write_mention(w, m);
    // Version 2: the user's alias decisions, then the resolved graph.
    w.u32(static_cast<std::uint32_t>(g.user_rules_.size()));
    for (const auto& r : g.user_rules_) {
      w.u8(static_cast<std::uint8_t>(r.what));
      w.str(r.a);
      w.str(r.b);
    }
    const auto& graph = g.graph_;
    w.u32(static_cast<std::uint32_t>(boost::num_vertices(graph)));
    auto counts = [&](const std::vector<alias_count>& list) {
      w.u32(static_cast<std::uint32_t>(list.size()));
      for (const auto& a : list) {
        w.str(a.text);
        w.u32(a.count);
      }
    };
    for (auto v : boost::make_iterator_range(boost::vertices(graph))) {
      const auto& a = graph[v];
      w.str(a.name);
      w.u8(static_cast<std::uint8_t>(a.type));
      w.u32(a.mention_count);
      w.u32(a.document_count);
      counts(a.aliases);
      counts(a.roles);
    }
    w.u32(static_cast<std::uint32_t>(boost::num_edges(graph)));
    for (auto e : boost::make_iterator_range(boost::edges(graph))) {
      const auto& r = graph[e];
      w.u32(static_cast<std::uint32_t>(boost::source(e, graph)));
      w.u32(static_cast<std::uint32_t>(boost::target(e, graph)));
      w.str(r.label);
      w.str(r.relation_class);
      w.u8(r.symmetric ? 1 : 0);
      w.u32(static_cast<std::uint32_t>(r.statements.size()));
      for (auto s : r.statements) w.u32(s);
    }
    w.u32(static_cast<std::uint32_t>(g.name_index_.size()));
    for (const auto& [key, v] : g.name_index_) {
      w.str(key);
      w.u32(static_cast<std::uint32_t>(v));
    }
    w.u32(static_cast<std::uint32_t>(g.merges_.size()));
    for (const auto& m : g.merges_) {
      w.str(m.alias);
      w.str(m.target);
      w.str(m.rule);
      w.f32(m.score);
      w.str(m.signals);
    }
    return std::move(w.bytes());
  }

  static void parse(knowledge_graph& g, std::string_view bytes, const std::string& path) {
    reader r(bytes, path);
    const auto documents = r.u32();
    for (std::uint32_t i = 0; i < documents; ++i) {
      document_info d;
      d.id = r.str();
      d.title = r.str();
      d.date = r.str();
      d.url = r.str();
      g.documents_.push_back(std::move(d));
    }
    const auto statements = r.u32();
    for (std::uint32_t i = 0; i < statements; ++i) {
      triple t;
      t.subject = read_mention(r, path);
      t.relation_surface = r.str();
      t.relation = r.str();
      t.relation_class = r.str();
      t.object = read_mention(r, path);
      t.sentence.begin = r.u32();
      t.sentence.end = r.u32();
      t.sentence_text = r.str();
      t.date = r.str();
      t.confidence = r.f32();
      const auto flags = r.u8();
      t.negated = flags & 1;
      t.modal = flags & 2;
      t.symmetric = flags & 4;
      g.statements_.push_back(std::move(t));
    }
    const auto mentions = r.u32();
    for (std::uint32_t i = 0; i < mentions; ++i) g.mentions_.push_back(read_mention(r, path));
    const auto rules = r.u32();
    for (std::uint32_t i = 0; i < rules; ++i) {
      user_rule rule;
      const auto kind = r.u8();
      if (kind > static_cast<std::uint8_t>(user_rule::kind::split)) throw error(path + ": corrupted graph file (bad alias rule)");
      rule.what = static_cast<user_rule::kind>(kind);
      rule.a = r.str();
      rule.b = r.str();
      g.user_rules_.push_back(std::move(rule));
    }
    auto counts = [&] {
      std::vector<alias_count> list(r.u32());
      for (auto& a : list) {
        a.text = r.str();
        a.count = r.u32();
      }
      return list;
    };
    const auto vertices = r.u32();
    for (std::uint32_t i = 0; i < vertices; ++i) {
      actor a;
      a.name = r.str();
      const auto type = r.u8();
      if (type > static_cast<std::uint8_t>(actor_type::other)) throw error(path + ": corrupted graph file (bad actor type)");
      a.type = static_cast<actor_type>(type);
      a.mention_count = r.u32();
      a.document_count = r.u32();
      a.aliases = counts();
      a.roles = counts();
      boost::add_vertex(std::move(a), g.graph_);
    }
    const auto edges = r.u32();
    for (std::uint32_t i = 0; i < edges; ++i) {
      const auto from = r.u32(), to = r.u32();
      if (from >= vertices || to >= vertices) throw error(path + ": corrupted graph file (edge to a missing actor)");
      relation rel;
      rel.label = r.str();
      rel.relation_class = r.str();
      rel.symmetric = r.u8() != 0;
      rel.statements.resize(r.u32());
      rel.evidence.reserve(rel.statements.size());
      for (auto& s : rel.statements) {
        s = r.u32();
        if (s >= g.statements_.size()) throw error(path + ": corrupted graph file (evidence for a missing statement)");
        const auto& t = g.statements_[s];
        rel.evidence.push_back({t.subject.document_id, t.sentence, t.sentence_text, t.relation_surface, t.date, t.confidence});
      }
      boost::add_edge(from, to, std::move(rel), g.graph_);
    }
    g.name_index_.resize(r.u32());
    for (auto& [key, v] : g.name_index_) {
      key = r.str();
      v = r.u32();
      if (v >= vertices) throw error(path + ": corrupted graph file (alias of a missing actor)");
    }
    g.merges_.resize(r.u32());
    for (auto& m : g.merges_) {
      m.alias = r.str();
      m.target = r.str();
      m.rule = r.str();
      m.score = r.f32();
      m.signals = r.str();
    }
    if (!r.at_end()) throw error(path + ": corrupted graph file (trailing bytes in payload)");
  }
};

void knowledge_graph::save(const std::string& path) const {
  const std::string body = graph_file::payload(*this);
  writer header;
  header.bytes().append(graph_file_magic, sizeof graph_file_magic);
  header.u32(graph_file_version);
  header.u64(body.size());
  std::string bytes = std::move(header.bytes());
  bytes += body;
  writer trailer;
  trailer.u64(fnv1a(body));
  bytes += trailer.bytes();
  write_atomically(path, bytes);
}

knowledge_graph knowledge_graph::load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(path + ": cannot open graph file");
  // One read of the whole file (istreambuf_iterator goes byte by byte: seconds on a large graph).
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::string bytes(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (size > 0 && !in.read(bytes.data(), size)) throw error(path + ": cannot open graph file");
  constexpr std::size_t header_size = sizeof graph_file_magic + 4 + 8;
  if (bytes.size() < header_size || bytes.compare(0, sizeof graph_file_magic, graph_file_magic, sizeof graph_file_magic) != 0)
    throw error(path + ": not a newsgraph graph file (build one with 'newsgraph build')");
  reader head(std::string_view(bytes).substr(sizeof graph_file_magic, 12), path);
  const auto version = head.u32();
  if (version != graph_file_version)
    throw error(path + ": graph file version " + std::to_string(version) + " is not supported (this newsgraph reads version " +
                std::to_string(graph_file_version) + "); rebuild it");
  const auto length = head.u64();
  if (bytes.size() != header_size + length + 8) throw error(path + ": truncated or corrupted graph file (size mismatch)");
  const std::string_view body = std::string_view(bytes).substr(header_size, length);
  reader tail(std::string_view(bytes).substr(header_size + length), path);
  if (tail.u64() != fnv1a(body)) throw error(path + ": corrupted graph file (checksum mismatch)");
  knowledge_graph g;
  graph_file::parse(g, body, path);  // the resolved graph is stored: no resolve() here
  return g;
}

}  // namespace newsgraph
