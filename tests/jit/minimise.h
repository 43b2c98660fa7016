// Greedy minimisation of a differing case: drop declarations, lines inside
// declarations and event lines (halves first, then smaller chunks, then one at
// a time) while the difference persists, until no single removal helps.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace questline::jitdiff {

struct Case {
  std::vector<std::string> decls;    // top-level declarations, in order
  std::vector<std::string> events;   // NDJSON lines
  std::string until;                 // RFC 3339; the clock is advanced to it at the end

  std::string Package() const;
  std::string Events() const;
};

struct MinimiseStats {
  int attempts = 0;
  bool out_of_budget = false;
};

// `still_fails` must be true for `c`; it is called on candidates and should
// be false for one that does not check. Stops early after `budget_seconds`.
Case Minimise(Case c, const std::function<bool(const Case&)>& still_fails, double budget_seconds,
              MinimiseStats* stats);

}  // namespace questline::jitdiff
