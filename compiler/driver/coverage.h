// quest test --coverage: what the scenarios never exercised — rules that
// never fired, rule conditions that were never true or never false, tasks
// that never counted an event, flow steps never reached — per source file,
// as text or as LCOV for CI tools (docs/tooling.md).
//
// A CoverageTracer watches one engine; a CoverageReport adds up many runs,
// by source location, so that scenario files sharing a package add up.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <map>
#include <string>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/ir/source_map.h"
#include "core/ir/program.h"
#include "runtime/engine/trace.h"

namespace questline::driver {

class CoverageTracer final : public engine::Tracer {
 public:
  explicit CoverageTracer(const ir::Program& program);
  void Step(const std::string&, const std::string&, const core::Event*, int64_t) override { Flush(); }
  void RulesBegin(const core::Event& event) override;
  void RuleHeld(int32_t rule, bool admitted) override;
  void TaskCounted(int32_t mission, int32_t task, core::Value, core::Value, bool) override;
  void FlowStep(int32_t flow, int32_t op) override;
  // The last event's untested outcomes: call once the run is over.
  void Flush();

  const ir::Program& program;
  std::vector<uint64_t> fired, held, failed;   // by rule: bodies run, conditions true, false
  std::vector<std::vector<uint64_t>> tasks;    // by mission, by task: events counted
  std::vector<std::vector<uint64_t>> flow_ops; // by flow, by op: times reached

 private:
  const std::vector<int32_t>* plan_ = nullptr;   // the rules the current event tests
  std::vector<bool> held_now_;                   // by rule, for the current event
};

class CoverageReport {
 public:
  // One run's counts, placed by `map` in `sources`.
  void Add(const CoverageTracer& run, const ir::SourceMap& map, const diag::SourceManager& sources);
  void PrintText(std::ostream& out) const;
  void PrintLcov(std::ostream& out) const;

 private:
  // One thing a scenario can exercise. Branches (a condition's outcomes) are
  // two items: `branch` 0 true, 1 false.
  struct Item {
    std::string what;          // "rule slot_points", "condition of rule …", "task m.t", "flow f step"
    uint32_t line = 0;
    int branch = -1;           // -1: not a branch
    int32_t block = 0;         // branches: the condition's number in the file (LCOV's block)
    uint64_t hits = 0;
  };
  struct File {
    std::map<std::string, Item> items;   // by a key made of kind, line and name: runs add up
  };
  std::map<std::string, File> files_;    // by absolute path
};

}  // namespace questline::driver
