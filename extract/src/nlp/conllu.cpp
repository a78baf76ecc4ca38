#include "newsgraph/conllu.h"

#include <charconv>
#include <fstream>
#include <iterator>
#include <ostream>

namespace newsgraph::nlp {

namespace {

bool parse_int(std::string_view s, int& out) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

std::string field(std::string_view s) { return s == "_" ? std::string() : std::string(s); }

}  // namespace

std::vector<conllu_sentence> parse_conllu(std::string_view text, std::string_view name) {
  std::vector<conllu_sentence> out;
  conllu_sentence cur;
  std::vector<int> heads;  // 1-based as read, checked when the sentence ends
  std::size_t line_no = 0;
  std::size_t sentence_line = 0;
  auto fail = [&](std::size_t line, const std::string& what) {
    throw input_error(std::string(name) + ":" + std::to_string(line) + ": " + what);
  };
  auto finish = [&]() {
    if (cur.sent.tokens.empty()) {
      cur.comments.clear();
      return;
    }
    const int n = static_cast<int>(cur.sent.tokens.size());
    for (int i = 0; i < n; ++i) {
      if (heads[i] < 0 || heads[i] > n) fail(sentence_line, "head " + std::to_string(heads[i]) + " out of range");
      cur.sent.tokens[i].head = heads[i] - 1;
    }
    out.push_back(std::move(cur));
    cur = {};
    heads.clear();
  };
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      finish();
      continue;
    }
    if (line[0] == '#') {
      if (cur.sent.tokens.empty()) cur.comments.emplace_back(line);
      continue;
    }
    std::string_view cols[10];
    std::size_t n = 0, start = 0;
    for (;;) {
      const std::size_t tab = line.find('\t', start);
      if (n == 10) fail(line_no, "more than 10 columns");
      cols[n++] = line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start);
      if (tab == std::string_view::npos) break;
      start = tab + 1;
    }
    if (n != 10) fail(line_no, "expected 10 tab-separated columns, found " + std::to_string(n));
    if (cols[0].find_first_of("-.") != std::string_view::npos) continue;  // multiword range or empty node
    int id = 0;
    if (!parse_int(cols[0], id) || id != static_cast<int>(cur.sent.tokens.size()) + 1)
      fail(line_no, "bad token id '" + std::string(cols[0]) + "'");
    if (cur.sent.tokens.empty()) sentence_line = line_no;
    int head = 0;
    if (cols[6] == "_") head = 0;  // unparsed input: attach to root so the tree stays valid
    else if (!parse_int(cols[6], head)) fail(line_no, "bad head '" + std::string(cols[6]) + "'");
    token t;
    t.form = std::string(cols[1]);
    t.lemma = field(cols[2]);
    t.upos = field(cols[3]);
    t.xpos = field(cols[4]);
    t.deprel = field(cols[7]);
    t.space_after = cols[9].find("SpaceAfter=No") == std::string_view::npos;
    cur.sent.tokens.push_back(std::move(t));
    heads.push_back(head);
  }
  finish();
  return out;
}

std::vector<conllu_sentence> read_conllu(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error(path + ": cannot open CoNLL-U file");
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return parse_conllu(text, path);
}

void write_conllu(std::ostream& out, const sentence& s, const std::vector<std::string>& comments) {
  for (const auto& c : comments) out << c << '\n';
  auto put = [&](const std::string& v) -> std::ostream& { return out << (v.empty() ? "_" : v); };
  for (std::size_t i = 0; i < s.tokens.size(); ++i) {
    const token& t = s.tokens[i];
    out << i + 1 << '\t';
    put(t.form) << '\t';
    put(t.lemma) << '\t';
    put(t.upos) << '\t';
    put(t.xpos) << "\t_\t" << t.head + 1 << '\t';
    put(t.deprel) << "\t_\t";
    std::string misc;
    if (!t.space_after) misc = "SpaceAfter=No";
    if (!t.span.empty()) {  // tokens from raw text: their bytes there, half-open, as UDPipe writes them
      if (!misc.empty()) misc += '|';
      misc.append("TokenRange=").append(std::to_string(t.span.begin)).append(":").append(std::to_string(t.span.end));
    }
    if (!t.ner.empty()) {
      if (!misc.empty()) misc += '|';
      misc.append("NER=").append(t.ner);
    }
    put(misc) << '\n';
  }
  out << '\n';
}

void write_conllu(std::ostream& out, const conllu_sentence& s) { write_conllu(out, s.sent, s.comments); }

}  // namespace newsgraph::nlp
