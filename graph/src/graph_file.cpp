#include "newsgraph/graph_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <bit>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <system_error>
#include <thread>

#include "newsgraph/knowledge_graph.h"
#include "newsgraph/query.h"

namespace newsgraph {

namespace {

static_assert(std::endian::native == std::endian::little, "graph files are little-endian; add byte swapping for this host");

// The checksum streams: the payload is hashed as it is written, in blocks, without holding it.
class checksum {
public:
  void update(std::string_view bytes) {
    if (!partial_.empty()) {
      const auto take = std::min(bytes.size(), block - partial_.size());
      partial_.append(bytes.substr(0, take));
      bytes.remove_prefix(take);
      if (partial_.size() < block) return;
      blocks(partial_);
      partial_.clear();
    }
    const auto whole = bytes.size() / block * block;
    blocks(bytes.substr(0, whole));
    partial_.assign(bytes.substr(whole));
  }
  std::uint64_t final() const {
    std::uint64_t h = offset;
    for (auto lane : lanes_) h = (h ^ lane) * prime;
    for (unsigned char c : partial_) h = (h ^ c) * prime;
    return h;
  }

private:
  static constexpr std::size_t block = 32;
  static constexpr std::uint64_t offset = 1469598103934665603ULL, prime = 1099511628211ULL;
  // FNV-1a over little-endian 64-bit words in four independent lanes: each step is a bijection of
  // the lane, so any changed word changes the result, at memory speed rather than FNV's byte
  // at a time (a 100 MB graph: ~15 ms instead of ~150 ms).
  void blocks(std::string_view bytes) {
    for (std::size_t at = 0; at < bytes.size(); at += block)
      for (std::size_t i = 0; i < 4; ++i) {
        std::uint64_t word;
        std::memcpy(&word, bytes.data() + at + 8 * i, 8);
        lanes_[i] = (lanes_[i] ^ word) * prime;
      }
  }
  std::uint64_t lanes_[4] = {offset, offset ^ 1, offset ^ 2, offset ^ 3};
  std::string partial_;
};

// Writes the file through a 1 MiB buffer straight to its descriptor, hashing the payload on the
// way: no copy of the whole payload in memory.
class writer {
public:
  explicit writer(int fd) : fd_(fd) { buffer_.reserve(capacity); }
  void u8(std::uint8_t v) { put(&v, 1); }
  void u32(std::uint32_t v) { put(&v, 4); }
  void u64(std::uint64_t v) { put(&v, 8); }
  void f32(float v) { put(&v, 4); }
  void f64(double v) { put(&v, 8); }
  void str(std::string_view s) {
    u32(static_cast<std::uint32_t>(s.size()));
    put(s.data(), s.size());
  }
  // Header and trailer bytes are not part of the payload: flush, then write them unhashed.
  void raw(std::string_view bytes) {
    flush();
    write_all(bytes);
  }
  void flush() {
    hash_.update(buffer_);
    write_all(buffer_);
    payload_ += buffer_.size();
    buffer_.clear();
  }
  std::uint64_t payload_size() const { return payload_ + buffer_.size(); }
  std::uint64_t payload_checksum() const { return hash_.final(); }

private:
  static constexpr std::size_t capacity = 1 << 20;
  void put(const void* p, std::size_t n) {
    if (buffer_.size() + n > capacity) flush();
    if (n > capacity) {
      hash_.update({static_cast<const char*>(p), n});
      write_all({static_cast<const char*>(p), n});
      payload_ += n;
      return;
    }
    buffer_.append(static_cast<const char*>(p), n);
  }
  void write_all(std::string_view bytes) {
    while (!bytes.empty()) {
      const auto n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        throw std::system_error(errno, std::generic_category());
      }
      bytes.remove_prefix(static_cast<std::size_t>(n));
    }
  }
  int fd_;
  std::string buffer_;
  checksum hash_;
  std::uint64_t payload_ = 0;
};

class reader {
public:
  reader(std::string_view bytes, const std::string& path) : in_(bytes), path_(path) {}
  std::uint8_t u8() { return static_cast<std::uint8_t>(take(1)[0]); }
  std::uint32_t u32() { return get<std::uint32_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  float f32() { return get<float>(); }
  double f64() { return get<double>(); }
  std::string str() { return std::string(take(u32())); }
  bool at_end() const { return pos_ == in_.size(); }
  std::size_t remaining() const { return in_.size() - pos_; }
  // A count of items at least `min_bytes` long each: refused when they cannot fit in the bytes
  // left, so that a corrupted count never asks for gigabytes.
  std::uint32_t count(std::size_t min_bytes) {
    const auto n = u32();
    if (static_cast<std::uint64_t>(n) * min_bytes > remaining())
      throw error(path_ + ": corrupted graph file (count runs past the end)");
    return n;
  }

private:
  template <class T>
  T get() {
    T v;
    std::memcpy(&v, take(sizeof v).data(), sizeof v);
    return v;
  }
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
// that the previous graph survives any failure or kill before the rename. `fill` writes the file.
void write_atomically(const std::string& path, const std::function<void(int fd)>& fill) {
  const std::string temporary = path + ".tmp." + std::to_string(::getpid());
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw error(path + ": cannot write graph file: " + std::strerror(errno));
  try {
    fill(fd);
  } catch (const std::system_error& e) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw error(path + ": cannot write graph file: " + std::strerror(e.code().value()));
  } catch (...) {
    ::close(fd);
    ::unlink(temporary.c_str());
    throw;
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) {
    ::unlink(temporary.c_str());
    throw error(path + ": cannot write graph file: " + std::strerror(errno));
  }
  // Fault injection for tests/kill_test.py: a pause with the whole temporary file written and not
  // yet renamed, so that a test can kill the process in that window every time rather than when
  // the scheduler happens to let it look.
  if (const char* pause = std::getenv("NEWSGRAPH_TEST_PAUSE_BEFORE_RENAME_MS"))
    std::this_thread::sleep_for(std::chrono::milliseconds(std::strtol(pause, nullptr, 10)));
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    ::unlink(temporary.c_str());
    throw error(path + ": cannot replace graph file: " + reason);
  }
}

}  // namespace

struct graph_file {
  static void payload(const knowledge_graph& g, const centrality_scores* centralities, writer& w) {
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
    w.u32(static_cast<std::uint32_t>(g.name_count()));
    g.for_each_name([&](const std::string& key, vertex_id v) {
      w.str(key);
      w.u32(static_cast<std::uint32_t>(v));
    });
    w.u32(static_cast<std::uint32_t>(g.merges_.size()));
    for (const auto& m : g.merges_) {
      w.str(m.alias);
      w.str(m.target);
      w.str(m.rule);
      w.f32(m.score);
      w.str(m.signals);
    }
    // Version 3: the actor of every mention (merge and split start from them), then the
    // centralities (the REPL ranks by them without computing).
    w.u32(static_cast<std::uint32_t>(g.statement_actors_.size()));
    for (const auto& [subject, object] : g.statement_actors_) {
      w.u32(subject);
      w.u32(object);
    }
    w.u32(static_cast<std::uint32_t>(g.mention_actors_.size()));
    for (auto v : g.mention_actors_) w.u32(v);
    w.u8(centralities ? 1 : 0);
    if (!centralities) return;
    for (auto x : centralities->pagerank) w.f64(x);
    for (auto x : centralities->betweenness) w.f64(x);
    w.u8(centralities->betweenness_exact ? 1 : 0);
    w.u32(centralities->betweenness_sources);
  }

  static void parse(knowledge_graph& g, std::string_view bytes, const std::string& path) {
    reader r(bytes, path);
    // Counts come from the file: reserve no more than its remaining bytes could hold.
    const auto documents = r.u32();
    g.documents_.reserve(std::min<std::size_t>(documents, r.remaining() / 16));
    for (std::uint32_t i = 0; i < documents; ++i) {
      document_info d;
      d.id = r.str();
      d.title = r.str();
      d.date = r.str();
      d.url = r.str();
      g.documents_.push_back(std::move(d));
    }
    const auto statements = r.u32();
    g.statements_.reserve(std::min<std::size_t>(statements, r.remaining() / 64));
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
    g.mentions_.reserve(std::min<std::size_t>(mentions, r.remaining() / 32));
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
      std::vector<alias_count> list(r.count(8));
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
      rel.statements.resize(r.count(4));
      rel.evidence.reserve(rel.statements.size());
      for (auto& s : rel.statements) {
        s = r.u32();
        if (s >= g.statements_.size()) throw error(path + ": corrupted graph file (evidence for a missing statement)");
        const auto& t = g.statements_[s];
        rel.evidence.push_back({t.subject.document_id, t.sentence, t.sentence_text, t.relation_surface, t.date, t.confidence});
      }
      boost::add_edge(from, to, std::move(rel), g.graph_);
    }
    g.name_index_.resize(r.count(8));
    for (auto& [key, v] : g.name_index_) {
      key = r.str();
      v = r.u32();
      if (v >= vertices) throw error(path + ": corrupted graph file (alias of a missing actor)");
    }
    g.merges_.resize(r.count(20));
    for (auto& m : g.merges_) {
      m.alias = r.str();
      m.target = r.str();
      m.rule = r.str();
      m.score = r.f32();
      m.signals = r.str();
    }
    if (r.u32() != g.statements_.size()) throw error(path + ": corrupted graph file (actors of the statements)");
    g.statement_actors_.resize(g.statements_.size());
    for (auto& [subject, object] : g.statement_actors_) {
      subject = r.u32();
      object = r.u32();
      if (subject >= vertices || object >= vertices) throw error(path + ": corrupted graph file (mention of a missing actor)");
    }
    if (r.u32() != g.mentions_.size()) throw error(path + ": corrupted graph file (actors of the mentions)");
    g.mention_actors_.resize(g.mentions_.size());
    for (auto& v : g.mention_actors_) {
      v = r.u32();
      if (v >= vertices && v != knowledge_graph::no_actor) throw error(path + ": corrupted graph file (mention of a missing actor)");
    }
    if (r.u8() != 0) {
      centrality_scores c;
      if (r.remaining() < 16ULL * vertices) throw error(path + ": corrupted graph file (record runs past the end)");
      c.pagerank.resize(vertices);
      for (auto& x : c.pagerank) x = r.f64();
      c.betweenness.resize(vertices);
      for (auto& x : c.betweenness) x = r.f64();
      c.betweenness_exact = r.u8() != 0;
      c.betweenness_sources = r.u32();
      g.centralities_ = std::move(c);
    }
    if (!r.at_end()) throw error(path + ": corrupted graph file (trailing bytes in payload)");
  }
};

std::uint64_t graph_file_checksum(std::string_view payload) {
  checksum c;
  c.update(payload);
  return c.final();
}

void knowledge_graph::save(const std::string& path, missing_centralities missing) const {
  // A build's file holds the centralities, computed here when nothing computed them since the
  // graph last changed, so that loading does not have to.
  std::optional<centrality_scores> computed;
  if (!centralities_ && missing == missing_centralities::compute) computed = compute_centralities(graph_);
  const centrality_scores* centralities = centralities_ ? &*centralities_ : computed ? &*computed : nullptr;
  write_atomically(path, [&](int fd) {
    writer w(fd);
    std::string header(graph_file_magic, sizeof graph_file_magic);
    header.append(12, '\0');  // version and payload length, written once the length is known
    w.raw(header);
    graph_file::payload(*this, centralities, w);
    w.flush();
    const std::uint64_t length = w.payload_size(), sum = w.payload_checksum();
    char trailer[8];
    std::memcpy(trailer, &sum, 8);
    w.raw({trailer, 8});
    char head[12];
    std::memcpy(head, &graph_file_version, 4);
    std::memcpy(head + 4, &length, 8);
    if (::pwrite(fd, head, 12, sizeof graph_file_magic) != 12) throw std::system_error(errno, std::generic_category());
  });
}

knowledge_graph knowledge_graph::load(const std::string& path) {
  // A directory opens as a stream whose size is nonsense.
  if (std::error_code ec; std::filesystem::is_directory(path, ec)) throw error(path + ": is a directory, not a graph file");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw error(path + ": cannot open graph file");
  // One read of the whole file (istreambuf_iterator goes byte by byte: seconds on a large graph).
  in.seekg(0, std::ios::end);
  const auto size = in.tellg();
  in.seekg(0, std::ios::beg);
  std::string bytes(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
  if (size > 0 && !in.read(bytes.data(), size)) throw error(path + ": cannot open graph file");
  return load_bytes(bytes, path);
}

knowledge_graph knowledge_graph::load_bytes(std::string_view bytes, const std::string& path) {
  constexpr std::size_t header_size = sizeof graph_file_magic + 4 + 8;
  if (bytes.size() < header_size || bytes.compare(0, sizeof graph_file_magic, graph_file_magic, sizeof graph_file_magic) != 0)
    throw error(path + ": not a newsgraph graph file (build one with 'newsgraph build')");
  reader head(bytes.substr(sizeof graph_file_magic, 12), path);
  const auto version = head.u32();
  if (version != graph_file_version)
    throw error(path + ": graph file version " + std::to_string(version) + " is not supported (this newsgraph reads version " +
                std::to_string(graph_file_version) + "); rebuild it");
  const auto length = head.u64();
  if (length > bytes.size() || bytes.size() != header_size + length + 8) throw error(path + ": truncated or corrupted graph file (size mismatch)");
  const std::string_view body = bytes.substr(header_size, length);
  reader tail(bytes.substr(header_size + length), path);
  if (tail.u64() != graph_file_checksum(body)) throw error(path + ": corrupted graph file (checksum mismatch)");
  knowledge_graph g;
  graph_file::parse(g, body, path);  // the resolved graph is stored: no resolve() here
  return g;
}

}  // namespace newsgraph
