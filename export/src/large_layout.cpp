// Positions for drawings too large for Graphviz's own layouts. sfdp with its defaults does not
// finish on 100,000 actors in 20 minutes (nor in 15 with overlap removal and splines off and its
// fast quadtree), and neato's label placement alone takes longer still; so the positions are
// computed here, in linear time per pass, and Graphviz only draws them (engine nop2).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

#include "model.h"

namespace newsgraph::detail {

namespace {

constexpr double golden_angle = 2.399963229728653;  // pi * (3 - sqrt(5)): the sunflower's turn

// The view's relations as an undirected simple graph over view indexes, in adjacency arrays.
struct adjacency {
  std::vector<std::size_t> offsets;
  std::vector<std::uint32_t> targets;
  std::size_t degree(std::size_t v) const { return offsets[v + 1] - offsets[v]; }
};

adjacency undirected_links(const graph_view& view, const std::vector<std::uint32_t>& index) {
  const auto& graph = view.graph->graph();
  std::vector<std::pair<std::uint32_t, std::uint32_t>> links;
  links.reserve(2 * view.relations.size());
  for (const auto& e : view.relations) {
    const auto a = index[boost::source(e, graph)], b = index[boost::target(e, graph)];
    if (a == b) continue;
    links.emplace_back(a, b);
    links.emplace_back(b, a);
  }
  std::sort(links.begin(), links.end());
  links.erase(std::unique(links.begin(), links.end()), links.end());
  adjacency out;
  out.offsets.assign(view.actors.size() + 1, 0);
  out.targets.reserve(links.size());
  for (const auto& [a, b] : links) ++out.offsets[a + 1], out.targets.push_back(b);
  for (std::size_t v = 0; v < view.actors.size(); ++v) out.offsets[v + 1] += out.offsets[v];
  return out;
}

// Actors bucketed by the cells of a square grid, so that the pairs nearer than a cell are found
// in linear time: `visit` sees every pair in one cell or in two neighbouring cells, once.
class cell_grid {
public:
  explicit cell_grid(double cell) : cell_(cell) {}

  template <class Visit>
  void for_each_near_pair(const std::vector<layout_point>& pos, Visit&& visit) {
    const auto n = pos.size();
    double min_x = pos[0].x, min_y = pos[0].y, max_x = pos[0].x, max_y = pos[0].y;
    for (const auto& p : pos) min_x = std::min(min_x, p.x), min_y = std::min(min_y, p.y), max_x = std::max(max_x, p.x), max_y = std::max(max_y, p.y);
    const auto columns = static_cast<std::int64_t>((max_x - min_x) / cell_) + 1, rows = static_cast<std::int64_t>((max_y - min_y) / cell_) + 1;
    // Counting sort of the actors by cell.
    start_.assign(static_cast<std::size_t>(columns * rows + 1), 0);
    cell_of_.resize(n);
    by_cell_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      cell_of_[i] = static_cast<std::size_t>(static_cast<std::int64_t>((pos[i].y - min_y) / cell_) * columns +
                                             static_cast<std::int64_t>((pos[i].x - min_x) / cell_));
      ++start_[cell_of_[i] + 1];
    }
    std::partial_sum(start_.begin(), start_.end(), start_.begin());
    fill_.assign(start_.begin(), start_.end());
    for (std::size_t i = 0; i < n; ++i) by_cell_[fill_[cell_of_[i]]++] = static_cast<std::uint32_t>(i);
    static constexpr std::int64_t dx[] = {1, -1, 0, 1}, dy[] = {0, 1, 1, 1};  // half of the 8 neighbours
    for (std::int64_t cy = 0; cy < rows; ++cy)
      for (std::int64_t cx = 0; cx < columns; ++cx) {
        const auto c = static_cast<std::size_t>(cy * columns + cx);
        for (auto i = start_[c]; i < start_[c + 1]; ++i) {
          for (auto j = i + 1; j < start_[c + 1]; ++j) visit(by_cell_[i], by_cell_[j]);
          for (int d = 0; d < 4; ++d) {
            const auto nx = cx + dx[d], ny = cy + dy[d];
            if (nx < 0 || nx >= columns || ny >= rows) continue;
            const auto o = static_cast<std::size_t>(ny * columns + nx);
            for (auto j = start_[o]; j < start_[o + 1]; ++j) visit(by_cell_[i], by_cell_[j]);
          }
        }
      }
  }

private:
  double cell_;
  std::vector<std::size_t> start_, fill_, cell_of_;
  std::vector<std::uint32_t> by_cell_;
};

}  // namespace

std::vector<layout_point> large_layout(const graph_view& view, const std::vector<layout_point>& half_size,
                                       const std::vector<std::size_t>& group) {
  const std::size_t n = view.actors.size();
  std::vector<layout_point> pos(n);
  if (n == 0) return pos;
  const auto& graph = view.graph->graph();
  std::vector<std::uint32_t> index(boost::num_vertices(graph), 0);
  for (std::size_t i = 0; i < n; ++i) index[view.actors[i]] = static_cast<std::uint32_t>(i);
  const auto links = undirected_links(view, index);

  // The spacing k: room for a typical shape and a gap, the ideal distance between neighbours.
  double mean_width = 0;
  for (const auto& h : half_size) mean_width += 2 * h.x;
  mean_width /= static_cast<double>(n);
  const double k = mean_width * 1.3 + 24;

  // 1. Groups (communities, or the clusters drawn) each on a disk whose area grows with its
  //    size, largest first, packed on shelves; inside a disk, the group's actors in breadth-first
  //    order from its most connected one, along a sunflower spiral (one actor per k² of area):
  //    hubs in the middle, their neighbours around them.
  const std::size_t groups = group.empty() ? 1 : *std::max_element(group.begin(), group.end()) + 1;
  std::vector<std::vector<std::uint32_t>> members(groups);
  for (std::size_t i = 0; i < n; ++i) members[group.empty() ? 0 : group[i]].push_back(static_cast<std::uint32_t>(i));
  std::vector<char> placed(n, 0);
  const double spiral = k / std::sqrt(std::acos(-1.0));  // r = spiral·sqrt(i) gives area k² per point
  double total_area = 0;
  for (const auto& m : members) total_area += std::pow(2 * spiral * std::sqrt(static_cast<double>(m.size())) + k, 2);
  const double shelf_width = std::sqrt(total_area) * 1.05;
  double x = 0, y = 0, shelf_height = 0;
  std::vector<std::uint32_t> order;
  for (auto& m : members) {
    if (m.empty()) continue;
    const double radius = spiral * std::sqrt(static_cast<double>(m.size())), side = 2 * radius + k;
    if (x > 0 && x + side > shelf_width) x = 0, y -= shelf_height, shelf_height = 0;
    const layout_point centre{x + side / 2, y - side / 2};
    x += side;
    shelf_height = std::max(shelf_height, side);
    // Breadth-first from the most connected actor not yet placed, within the group.
    std::stable_sort(m.begin(), m.end(), [&](std::uint32_t a, std::uint32_t b) { return links.degree(a) > links.degree(b); });
    order.clear();
    std::vector<std::uint32_t> queue;
    const auto g = group.empty() ? 0 : group[m.front()];
    for (auto start : m) {
      if (placed[start]) continue;
      placed[start] = 1;
      queue.assign(1, start);
      for (std::size_t head = 0; head < queue.size(); ++head) {
        const auto v = queue[head];
        order.push_back(v);
        for (auto j = links.offsets[v]; j < links.offsets[v + 1]; ++j) {
          const auto w = links.targets[j];
          if (!placed[w] && (group.empty() || group[w] == g)) placed[w] = 1, queue.push_back(w);
        }
      }
    }
    for (std::size_t i = 0; i < order.size(); ++i) {
      const double r = spiral * std::sqrt(static_cast<double>(i) + 0.5), a = static_cast<double>(i) * golden_angle;
      pos[order[i]] = {centre.x + r * std::cos(a), centre.y + r * std::sin(a)};
    }
  }

  // 2. Force-directed refinement after Fruchterman and Reingold: actors closer than 2k repel
  //    (k²/d), found through a grid of 2k cells, so a pass is linear; neighbours attract, with
  //    k·log(1 + d/k) rather than FR's d²/k, which (without FR's repulsion between all pairs)
  //    would crush a group into a heap. The moves are small (at most k/4, cooling to nothing):
  //    the passes untangle neighbourhoods, the groups stay where step 1 put them.
  constexpr int passes = 30;
  const double cell = 2 * k;
  cell_grid grid(cell);
  std::vector<layout_point> move(n);
  for (int pass = 0; pass < passes; ++pass) {
    const double temperature = k / 4 * (1.0 - static_cast<double>(pass) / passes);
    std::fill(move.begin(), move.end(), layout_point{});
    grid.for_each_near_pair(pos, [&](std::uint32_t a, std::uint32_t b) {
      double dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y, d2 = dx * dx + dy * dy;
      if (d2 >= cell * cell) return;
      if (d2 < 1e-6) dx = 0.1 * ((a * 2654435761U) % 7 + 1), dy = 0.1, d2 = dx * dx + dy * dy;  // coincident: nudge apart
      const double f = k * k / d2;  // (k²/d) along the unit vector (dx, dy)/d
      move[a].x += dx * f, move[a].y += dy * f;
      move[b].x -= dx * f, move[b].y -= dy * f;
    });
    for (std::uint32_t a = 0; a < n; ++a)
      for (auto j = links.offsets[a]; j < links.offsets[a + 1]; ++j) {
        const auto b = links.targets[j];
        if (b < a) continue;  // each link once
        const double dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y, d = std::sqrt(dx * dx + dy * dy);
        const double f = d > 0 ? std::log1p(d / k) * k / d : 0;  // k·log(1 + d/k) along the unit vector
        move[a].x -= dx * f, move[a].y -= dy * f;
        move[b].x += dx * f, move[b].y += dy * f;
      }
    for (std::size_t i = 0; i < n; ++i) {
      const double length = std::sqrt(move[i].x * move[i].x + move[i].y * move[i].y);
      if (length == 0) continue;
      const double step = std::min(length, temperature) / length;
      pos[i].x += move[i].x * step, pos[i].y += move[i].y * step;
    }
  }
  // 3. Overlap removal: shapes that still overlap (a gap of 6 points at least) are pushed apart
  //    along the axis where they overlap least, half each, in passes over the same grid until
  //    none does (30 at most).
  constexpr double gap = 6;
  for (int pass = 0; pass < 30; ++pass) {
    std::size_t overlaps = 0;
    grid.for_each_near_pair(pos, [&](std::uint32_t a, std::uint32_t b) {
      const double dx = pos[a].x - pos[b].x, dy = pos[a].y - pos[b].y;
      const double ox = half_size[a].x + half_size[b].x + gap - std::abs(dx), oy = half_size[a].y + half_size[b].y + gap - std::abs(dy);
      if (ox <= 0 || oy <= 0) return;
      ++overlaps;
      if (ox < oy) {
        const double shift = (dx < 0 || (dx == 0 && a < b) ? -ox : ox) / 2;
        pos[a].x += shift, pos[b].x -= shift;
      } else {
        const double shift = (dy < 0 || (dy == 0 && a < b) ? -oy : oy) / 2;
        pos[a].y += shift, pos[b].y -= shift;
      }
    });
    if (overlaps == 0) break;
  }
  return pos;
}

}  // namespace newsgraph::detail
