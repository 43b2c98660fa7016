// Randomised differential test of the two backends: random well-typed
// packages and random event streams, each run on the reference interpreter
// and on the LLVM JIT (and on the interpreter with its players split over 3
// partitions); actions, state and warning counts must be the same bytes. A differing case is minimised and saved (reproducer.h) and fails
// the test. Case i uses seed QUESTLINE_DIFF_SEED + i; QUESTLINE_DIFF_CASES
// sets how many (default 400).
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <map>

#include "tests/jit/diff_runner.h"
#include "tests/jit/minimise.h"
#include "tests/jit/package_gen.h"
#include "tests/jit/reproducer.h"

using namespace questline::jitdiff;

namespace {

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

// Whether a failure is the JIT refusing the package or disagreeing with the
// interpreter: the minimiser keeps the kind it started from.
bool CompileFailure(const std::string& detail) { return detail.rfind("the JIT", 0) == 0; }

// What the generated cases exercised, summed over the run (for the log).
struct Coverage {
  size_t cases = 0, events = 0, actions = 0, rejections = 0;
  std::map<std::string, size_t> action_kinds, warnings, cases_with_warning;

  void Add(const Case& c, const BackendRun& r) {
    ++cases;
    events += c.events.size();
    actions += r.actions.size();
    rejections += r.rejections;
    for (const std::string& a : r.actions) {
      const size_t at = a.find("\"action\":\"");
      if (at == std::string::npos) continue;
      const size_t from = at + 10;
      ++action_kinds[a.substr(from, a.find('"', from) - from)];
    }
    for (const auto& [name, n] : r.warnings) {
      warnings[name] += n;
      ++cases_with_warning[name];
    }
  }

  void Print(std::ostream& out) const {
    out << "random_diff: " << cases << " cases, " << events << " events, " << actions << " actions, " << rejections
        << " rejected lines\n  actions:";
    for (const auto& [kind, n] : action_kinds) out << " " << kind << "=" << n;
    out << "\n  warnings (count / cases):";
    for (const auto& [name, n] : warnings) out << " " << name << "=" << n << "/" << cases_with_warning.at(name);
    out << "\n";
  }
};

}  // namespace

TEST_CASE("the JIT and the interpreter agree on random packages and event streams", "[jit][random]") {
  const uint64_t base = EnvOr("QUESTLINE_DIFF_SEED", 20261201);
  const uint64_t cases = EnvOr("QUESTLINE_DIFF_CASES", 400);
  const auto started = std::chrono::steady_clock::now();
  Coverage coverage;
  std::vector<std::string> failures;
  for (uint64_t i = 0; i < cases; ++i) {
    const uint64_t seed = base + i;
    Rng rng(seed);
    Case c;
    c.decls = GeneratePackage(rng);
    int64_t last = 0;
    c.events = GenerateEvents(rng, &last);
    c.until = Rfc3339(last + 2 * 86'400'000);   // fire the timers due after the last event too

    ArmCrashGuard(seed, c);
    const CaseResult r = RunCase(c.Package(), c.Events(), c.until);
    if (r.verdict == Verdict::DoesNotCheck) {
      DisarmCrashGuard();
      FAIL("generator bug: the package of seed " << seed << " does not check\n" << r.detail << "\n" << c.Package());
    }
    coverage.Add(c, r.reference);
    if (r.verdict == Verdict::Same) continue;

    // A difference: save it as found, then minimised (the first few only:
    // minimising costs hundreds of runs).
    const std::string found = SaveReproducer(seed, c, r.detail, "original");
    std::string where = found;
    std::string detail = r.detail;
    if (failures.size() < 2) {
      const bool compile_failure = CompileFailure(r.detail);
      std::string last_detail = r.detail;
      MinimiseStats stats;
      const Case small = Minimise(
          c,
          [&](const Case& candidate) {
            ArmCrashGuard(seed, candidate);
            CaseResult cr = RunCase(candidate.Package(), candidate.Events(), candidate.until);
            if (cr.verdict != Verdict::Differs || CompileFailure(cr.detail) != compile_failure) return false;
            last_detail = cr.detail;
            return true;
          },
          60.0, &stats);
      const CaseResult check = RunCase(small.Package(), small.Events(), small.until);
      detail = check.verdict == Verdict::Differs ? check.detail : last_detail;
      where = SaveReproducer(seed, small, detail + "\nminimised in " + std::to_string(stats.attempts) + " runs" +
                                              (stats.out_of_budget ? " (stopped at the time budget)" : "") + "\n");
    }
    std::cout << "random_diff: seed " << seed << " differs; reproducer saved in " << where << "\n" << detail;
    failures.push_back("seed " + std::to_string(seed) + ": " + where + "\n" + detail);
  }
  DisarmCrashGuard();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  coverage.Print(std::cout);
  std::cout << "  seeds " << base << ".." << base + cases - 1 << " in " << seconds << " s\n";
  std::string report;
  for (const std::string& f : failures) report += f + "\n";
  INFO("the interpreter and the JIT differ on " << failures.size() << " of " << cases << " cases\n" << report);
  CHECK(failures.empty());
}
