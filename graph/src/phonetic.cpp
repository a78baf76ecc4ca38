// Double Metaphone (after Lawrence Philips, 2000), written for names as they reach the resolver:
// folded, ASCII letters only. The common English, Germanic, Slavic, Romance and Greek spellings are
// covered; the rarest special cases of the original (Chinese, some Italian clusters) are folded into
// their general rule, which costs at most an alternate code.
#include <cctype>
#include <string>
#include <string_view>
#include <utility>

#include "newsgraph/alias_resolver.h"

namespace newsgraph {

namespace {

class metaphone {
public:
  explicit metaphone(std::string_view word) {
    for (char c : word) {
      const auto u = static_cast<unsigned char>(c);
      if (u < 0x80 && std::isalpha(u)) w_ += static_cast<char>(std::toupper(u));
    }
    last_ = static_cast<int>(w_.size()) - 1;
    w_ += "     ";  // padding so that look-aheads need no bounds checks
  }

  std::pair<std::string, std::string> run() {
    if (last_ < 0) return {};
    int i = 0;
    if (at(0, {"GN", "KN", "PN", "WR", "PS"})) i = 1;
    if (w_[0] == 'X') {  // Xavier
      add("S");
      i = 1;
    }
    while (i <= last_ && (p_.size() < 4 || a_.size() < 4)) {
      const char c = w_[i];
      switch (c) {
        case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
          if (i == 0) add("A");
          ++i;
          break;
        case 'B':
          add("P");
          i += w_[i + 1] == 'B' ? 2 : 1;
          break;
        case 'C': i = do_c(i); break;
        case 'D':
          if (at(i, {"DG"})) {
            if (at(i + 2, {"I", "E", "Y"})) {
              add("J");
              i += 3;
            } else {
              add("TK");
              i += 2;
            }
          } else {
            add("T");
            i += at(i, {"DT", "DD"}) ? 2 : 1;
          }
          break;
        case 'F':
          add("F");
          i += w_[i + 1] == 'F' ? 2 : 1;
          break;
        case 'G': i = do_g(i); break;
        case 'H':
          if ((i == 0 || vowel(i - 1)) && vowel(i + 1)) {
            add("H");
            i += 2;
          } else {
            ++i;
          }
          break;
        case 'J':
          if (at(i, {"JOSE"}) || at(0, {"SAN "})) {
            add("H");
          } else if (i == 0) {
            add("J", "A");  // Jankelowicz / Yankelovich
          } else if (vowel(i - 1) && (w_[i + 1] == 'A' || w_[i + 1] == 'O')) {
            add("J", "H");
          } else {
            add("J");
          }
          i += w_[i + 1] == 'J' ? 2 : 1;
          break;
        case 'K':
          add("K");
          i += w_[i + 1] == 'K' ? 2 : 1;
          break;
        case 'L':
          if (w_[i + 1] == 'L') {
            // Spanish -illo, -illa, -alle: silent in the alternate
            if ((i == last_ - 2 && at(i - 1, {"ILLO", "ILLA", "ALLE"})) ||
                ((at(last_ - 1, {"AS", "OS"}) || at(last_, {"A", "O"})) && at(i - 1, {"ALLE"}))) {
              add("L", "");
            } else {
              add("L");
            }
            i += 2;
          } else {
            add("L");
            ++i;
          }
          break;
        case 'M':
          add("M");
          i += (w_[i + 1] == 'M' || (at(i - 1, {"UMB"}) && (i + 1 == last_ || at(i + 2, {"ER"})))) ? 2 : 1;
          break;
        case 'N':
          add("N");
          i += w_[i + 1] == 'N' ? 2 : 1;
          break;
        case 'P':
          if (w_[i + 1] == 'H') {
            add("F");
            i += 2;
          } else {
            add("P");
            i += (w_[i + 1] == 'P' || w_[i + 1] == 'B') ? 2 : 1;
          }
          break;
        case 'Q':
          add("K");
          i += w_[i + 1] == 'Q' ? 2 : 1;
          break;
        case 'R':
          if (i == last_ && at(i - 2, {"IE"}) && !at(i - 4, {"ME", "MA"})) {
            add("", "R");  // French Rogier
          } else {
            add("R");
          }
          i += w_[i + 1] == 'R' ? 2 : 1;
          break;
        case 'S': i = do_s(i); break;
        case 'T':
          if (at(i, {"TION", "TIA", "TCH"})) {
            add("X");
            i += 3;
          } else if (at(i, {"TH", "TTH"})) {
            if (at(i + 2, {"OM", "AM"}) || at(0, {"VAN ", "VON ", "SCH"})) {
              add("T");  // Thomas, Thompson
            } else {
              add("0", "T");  // 0 stands for theta
            }
            i += 2;
          } else {
            add("T");
            i += (w_[i + 1] == 'T' || w_[i + 1] == 'D') ? 2 : 1;
          }
          break;
        case 'V':
          add("F");
          i += w_[i + 1] == 'V' ? 2 : 1;
          break;
        case 'W':
          if (at(i, {"WR"})) {
            add("R");
            i += 2;
          } else {
            if (i == 0 && (vowel(i + 1) || at(i, {"WH"}))) add("A", vowel(i + 1) ? "F" : "A");
            // Slavic and Germanic -ewski, -owski, -witz: W sounds F
            if ((i == last_ && i > 0 && vowel(i - 1)) || at(i - 1, {"EWSKI", "EWSKY", "OWSKI", "OWSKY"}) ||
                at(0, {"SCH"})) {
              add("", "F");
            } else if (at(i, {"WICZ", "WITZ"})) {
              add("TS", "FX");
              i += 4;
              break;
            }
            ++i;
          }
          break;
        case 'X':
          if (!(i == last_ && (at(i - 3, {"IAU", "EAU"}) || at(i - 2, {"AU", "OU"})))) add("KS");
          i += (w_[i + 1] == 'C' || w_[i + 1] == 'X') ? 2 : 1;
          break;
        case 'Z':
          if (w_[i + 1] == 'H') {
            add("J");
            i += 2;
          } else {
            if (at(i + 1, {"ZO", "ZI", "ZA"})) {
              add("S", "TS");
            } else {
              add("S");
            }
            i += w_[i + 1] == 'Z' ? 2 : 1;
          }
          break;
        default: ++i;
      }
    }
    if (p_.size() > 4) p_.resize(4);
    if (a_.size() > 4) a_.resize(4);
    return {p_, a_};
  }

private:
  bool vowel(int i) const {
    if (i < 0) return false;
    const char c = w_[static_cast<std::size_t>(i)];
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U' || c == 'Y';
  }
  // True if one of `options` starts at position i.
  bool at(int i, std::initializer_list<std::string_view> options) const {
    if (i < 0) return false;
    const std::string_view rest = std::string_view(w_).substr(static_cast<std::size_t>(i));
    for (auto o : options)
      if (rest.starts_with(o)) return true;
    return false;
  }
  void add(std::string_view both) { add(both, both); }
  void add(std::string_view primary, std::string_view alternate) {
    p_.append(primary);
    a_.append(alternate);
  }

  int do_c(int i) {
    if (at(i, {"CHIA"}) || (i > 1 && !vowel(i - 2) && at(i - 1, {"ACH"}) && w_[i + 2] != 'I' && w_[i + 2] != 'E')) {
      add("K");
      return i + 2;
    }
    if (i == 0 && at(i, {"CAESAR"})) {
      add("S");
      return i + 2;
    }
    if (at(i, {"CH"})) {
      if (i > 0 && at(i, {"CHAE"})) {
        add("K", "X");
        return i + 2;
      }
      // Greek roots and Germanic clusters: K
      if ((i == 0 && (at(i + 1, {"HARAC", "HARIS", "HOR", "HYM", "HIA", "HEM"})) && !at(0, {"CHORE"})) ||
          at(0, {"VAN ", "VON ", "SCH"}) || at(i - 2, {"ORCHES", "ARCHIT", "ORCHID"}) || at(i + 2, {"T", "S"}) ||
          ((i == 0 || at(i - 1, {"A", "O", "U", "E"})) && at(i + 2, {"L", "R", "N", "M", "B", "H", "F", "V", "W", " "}))) {
        add("K");
      } else if (i > 0) {
        add(at(0, {"MC"}) ? "K" : "X", "K");
      } else {
        add("X");
      }
      return i + 2;
    }
    if (at(i, {"CZ"}) && !at(i - 2, {"WICZ"})) {  // Czerny
      add("S", "X");
      return i + 2;
    }
    if (at(i, {"CIA"})) {
      add("X");
      return i + 3;
    }
    if (at(i, {"CC"}) && !(i == 1 && w_[0] == 'M')) {
      if (at(i + 2, {"I", "E", "H"}) && !at(i + 2, {"HU"})) {
        add(at(i - 1, {"UCCEE", "UCCES"}) ? "KS" : "X");  // accident, bellocchio
        return i + 3;
      }
      add("K");
      return i + 2;
    }
    if (at(i, {"CK", "CG", "CQ"})) {
      add("K");
      return i + 2;
    }
    if (at(i, {"CI", "CE", "CY"})) {
      if (at(i, {"CIO", "CIE", "CIA"})) {
        add("S", "X");
      } else {
        add("S");
      }
      return i + 2;
    }
    add("K");
    if (at(i + 1, {" C", " Q", " G"})) return i + 3;
    if (at(i + 1, {"C", "K", "Q"}) && !at(i + 1, {"CE", "CI"})) return i + 2;
    return i + 1;
  }

  int do_g(int i) {
    if (w_[i + 1] == 'H') {
      if (i > 0 && !vowel(i - 1)) {
        add("K");
        return i + 2;
      }
      if (i == 0) {
        add(w_[i + 2] == 'I' ? "J" : "K");
        return i + 2;
      }
      // Hugh, bough, broughton: silent; laugh, cough: F
      if ((i > 1 && at(i - 2, {"B", "H", "D"})) || (i > 2 && at(i - 3, {"B", "H", "D"})) ||
          (i > 3 && at(i - 4, {"B", "H"}))) {
        return i + 2;
      }
      if (i > 2 && w_[i - 1] == 'U' && at(i - 3, {"C", "G", "L", "R", "T"})) {
        add("F");
      } else if (i > 0 && w_[i - 1] != 'I') {
        add("K");
      }
      return i + 2;
    }
    if (w_[i + 1] == 'N') {
      if (i == 1 && vowel(0)) {
        add("KN", "N");
      } else if (!at(i + 2, {"EY"}) && w_[i + 1] != 'Y') {
        add("N", "KN");
      } else {
        add("KN");
      }
      return i + 2;
    }
    if (at(i + 1, {"LI"})) {
      add("KL", "L");
      return i + 2;
    }
    if (i == 0 && (w_[1] == 'Y' || at(1, {"ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"}))) {
      add("K", "J");
      return i + 2;
    }
    if ((at(i + 1, {"ER"}) || w_[i + 1] == 'Y') && !at(0, {"DANGER", "RANGER", "MANGER"}) && !at(i - 1, {"E", "I"}) &&
        !at(i - 1, {"RGY", "OGY"})) {
      add("K", "J");
      return i + 2;
    }
    if (at(i + 1, {"E", "I", "Y"}) || at(i - 1, {"AGGI", "OGGI"})) {
      if (at(0, {"VAN ", "VON ", "SCH"}) || at(i + 1, {"ET"})) {
        add("K");
      } else if (at(i + 1, {"IER"})) {
        add("J");
      } else {
        add("J", "K");
      }
      return i + 2;
    }
    add("K");
    return w_[i + 1] == 'G' ? i + 2 : i + 1;
  }

  int do_s(int i) {
    if (at(i - 1, {"ISL", "YSL"})) return i + 1;  // island, carlisle
    if (i == 0 && at(i, {"SUGAR"})) {
      add("X", "S");
      return i + 1;
    }
    if (at(i, {"SH"})) {
      add(at(i + 1, {"HEIM", "HOEK", "HOLM", "HOLZ"}) ? "S" : "X");
      return i + 2;
    }
    if (at(i, {"SIO", "SIA"})) {
      add("S", "X");
      return i + 3;
    }
    if ((i == 0 && at(i + 1, {"M", "N", "L", "W"})) || at(i + 1, {"Z"})) {
      add("S", "X");  // Schmidt / Smith
      return at(i + 1, {"Z"}) ? i + 2 : i + 1;
    }
    if (at(i, {"SC"})) {
      if (w_[i + 2] == 'H') {
        if (at(i + 3, {"OO", "ER", "EN", "UY", "ED", "EM"})) {
          add(at(i + 3, {"ER", "EN"}) ? "X" : "SK", "SK");
        } else if (i == 0 && !vowel(3) && w_[3] != 'W') {
          add("X", "S");
        } else {
          add("X");
        }
        return i + 3;
      }
      add(at(i + 2, {"I", "E", "Y"}) ? "S" : "SK");
      return i + 3;
    }
    if (i == last_ && at(i - 2, {"AI", "OI"})) {
      add("", "S");  // French Dubois
    } else {
      add("S");
    }
    return (w_[i + 1] == 'S' || w_[i + 1] == 'Z') ? i + 2 : i + 1;
  }

  std::string w_;
  int last_ = -1;
  std::string p_, a_;
};

}  // namespace

std::pair<std::string, std::string> double_metaphone(std::string_view word) { return metaphone(word).run(); }

}  // namespace newsgraph
