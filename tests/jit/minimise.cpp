// Chunked greedy removal (a simple delta debugging) over three lists: the
// declarations, the lines of each declaration, the events.
#include "tests/jit/minimise.h"

#include <algorithm>
#include <chrono>

namespace questline::jitdiff {

std::string Case::Package() const {
  std::string out;
  for (const std::string& d : decls) out += d + "\n\n";
  return out;
}

std::string Case::Events() const {
  std::string out;
  for (const std::string& e : events) out += e + "\n";
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;

struct Shrinker {
  const std::function<bool(const Case&)>& still_fails;
  Clock::time_point deadline;
  MinimiseStats* stats;

  bool Expired() {
    if (Clock::now() < deadline) return false;
    stats->out_of_budget = true;
    return true;
  }

  bool Try(const Case& candidate) {
    ++stats->attempts;
    return still_fails(candidate);
  }

  // Removes chunks of `list` (inside `c`) while the case still fails.
  bool ShrinkList(Case& c, std::vector<std::string> Case::*list) {
    bool changed = false;
    for (size_t chunk = std::max<size_t>((c.*list).size() / 2, 1); chunk >= 1; chunk /= 2) {
      for (size_t i = 0; i < (c.*list).size() && !Expired();) {
        Case candidate = c;
        auto& items = candidate.*list;
        items.erase(items.begin() + long(i), items.begin() + long(std::min(i + chunk, items.size())));
        if (Try(candidate)) {
          c = std::move(candidate);
          changed = true;
        } else {
          i += chunk;
        }
      }
      if (chunk == 1) break;
    }
    return changed;
  }

  // Removes lines inside multi-line declarations: a line that opens a block
  // goes with everything up to its closing line (a whole `if`, `on reach`,
  // `reward`), any other line alone (a statement, a clause).
  bool ShrinkLines(Case& c) {
    bool changed = false;
    for (size_t d = 0; d < c.decls.size() && !Expired(); ++d) {
      std::vector<std::string> lines;
      size_t start = 0;
      const std::string& text = c.decls[d];
      for (size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        lines.push_back(text.substr(start, nl - start));
      lines.push_back(text.substr(start));
      for (size_t i = 1; i < lines.size() && lines.size() > 2 && !Expired();) {
        size_t last = i;
        for (long depth = 0; last < lines.size(); ++last) {
          for (char ch : lines[last]) depth += ch == '{' ? 1 : ch == '}' ? -1 : 0;
          if (depth <= 0) break;
        }
        if (last == lines.size()) last = i;
        std::string joined;
        for (size_t k = 0; k < lines.size(); ++k)
          if (k < i || k > last) joined += (joined.empty() ? "" : "\n") + lines[k];
        Case candidate = c;
        candidate.decls[d] = joined;
        if (Try(candidate)) {
          c = std::move(candidate);
          lines.erase(lines.begin() + long(i), lines.begin() + long(last) + 1);
          changed = true;
        } else {
          ++i;
        }
      }
    }
    return changed;
  }
};

}  // namespace

Case Minimise(Case c, const std::function<bool(const Case&)>& still_fails, double budget_seconds,
              MinimiseStats* stats) {
  Shrinker s{still_fails, Clock::now() + std::chrono::milliseconds(int64_t(budget_seconds * 1000)), stats};
  for (bool changed = true; changed && !s.Expired();) {
    changed = s.ShrinkList(c, &Case::events);
    changed |= s.ShrinkList(c, &Case::decls);
    changed |= s.ShrinkLines(c);
  }
  return c;
}

}  // namespace questline::jitdiff
