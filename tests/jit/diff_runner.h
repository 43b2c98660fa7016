// One differential case: a package's source text and NDJSON events through
// the real pipeline (front end, LowerToIr) and then through both backends —
// the reference interpreter and the LLVM JIT's native code — each with its
// own engine — and the interpreter once more with the engine's plain settle
// fixpoint (EngineOptions::skip_settled_conditions off), and once more with
// its players split over 3 partitions (EngineOptions::partitions). The verdict says
// whether their actions, state and warning counts are the same bytes.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace questline::jitdiff {

struct BackendRun {
  std::vector<std::string> actions;   // NDJSON lines
  std::string state;
  std::map<std::string, uint64_t> warnings;
  uint64_t runtime_errors = 0;
  size_t rejections = 0;
};

enum class Verdict { Same, Differs, DoesNotCheck };

struct CaseResult {
  Verdict verdict = Verdict::Same;
  std::string detail;     // the rendered diagnostics, or what differs
  BackendRun reference;   // the interpreter's run
};

// `until` (RFC 3339, may be empty): the clock is advanced to it after the
// last event, firing the timers due by then.
CaseResult RunCase(const std::string& package, const std::string& events, const std::string& until);

}  // namespace questline::jitdiff
