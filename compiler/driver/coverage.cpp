#include "compiler/driver/coverage.h"

#include <cstdio>
#include <filesystem>
#include <ostream>

namespace questline::driver {

CoverageTracer::CoverageTracer(const ir::Program& p)
    : program(p), fired(p.rules.size()), held(p.rules.size()), failed(p.rules.size()),
      held_now_(p.rules.size(), false) {
  for (const ir::Mission& m : p.missions) tasks.emplace_back(m.tasks.size());
  for (const ir::Flow& f : p.flows) flow_ops.emplace_back(f.ops.size());
}

// Rules are tested in plan order and only those whose condition held are
// announced (RuleHeld): the plan's others were tested and found false.
void CoverageTracer::RulesBegin(const core::Event& event) {
  Flush();
  plan_ = &program.plans[size_t(event.type)].rules;
}

void CoverageTracer::RuleHeld(int32_t rule, bool admitted) {
  ++held[size_t(rule)];
  held_now_[size_t(rule)] = true;
  if (admitted) ++fired[size_t(rule)];
}

void CoverageTracer::Flush() {
  if (!plan_) return;
  for (int32_t r : *plan_) {
    if (!held_now_[size_t(r)]) ++failed[size_t(r)];
    held_now_[size_t(r)] = false;
  }
  plan_ = nullptr;
}

void CoverageTracer::TaskCounted(int32_t mission, int32_t task, core::Value, core::Value, bool) {
  ++tasks[size_t(mission)][size_t(task)];
}

void CoverageTracer::FlowStep(int32_t flow, int32_t op) { ++flow_ops[size_t(flow)][size_t(op)]; }

void CoverageReport::Add(const CoverageTracer& run, const ir::SourceMap& map, const diag::SourceManager& sources) {
  const ir::Program& p = run.program;
  auto place = [&](const diag::SourceRange& range, std::string what, int branch, uint64_t hits) {
    if (!range.Valid()) return;   // the prelude's or a synthetic construct
    std::error_code ec;
    const std::string path = std::filesystem::absolute(sources.File(range.file).path, ec).lexically_normal().string();
    // Sorts by line, then column; a condition's outcomes are neighbours.
    char position[32];
    std::snprintf(position, sizeof position, "%08u:%08u:", range.line, range.col);
    const std::string key = position + what + ":" + std::to_string(branch);
    Item item{std::move(what), range.line, branch, int32_t(range.col), 0};
    Item& at = files_[path].items.emplace(key, item).first->second;
    at.hits += hits;
  };
  for (size_t r = 0; r < p.rules.size(); ++r) {
    const std::string name = "rule " + p.rules[r].name;
    place(map.rules[r], name, -1, run.fired[r]);
    if (p.rules[r].where < 0) continue;   // no condition: nothing to branch on
    const diag::SourceRange& cond = map.nodes[size_t(p.rules[r].where)];
    place(cond, "condition of " + name, 0, run.held[r]);
    place(cond, "condition of " + name, 1, run.failed[r]);
  }
  for (size_t m = 0; m < p.missions.size(); ++m)
    for (size_t t = 0; t < p.missions[m].tasks.size(); ++t)
      place(map.tasks[m][t], "task " + p.missions[m].name + "." + p.missions[m].tasks[t].name, -1, run.tasks[m][t]);
  for (size_t f = 0; f < p.flows.size(); ++f)
    for (size_t op = 0; op < p.flows[f].ops.size(); ++op) {
      if (p.flows[f].ops[op].kind == ir::FlowOpKind::Jump) continue;   // made by lowering, not written
      place(map.flow_ops[f][op], "step of flow " + p.flows[f].name, -1, run.flow_ops[f][op]);
    }
}

void CoverageReport::PrintText(std::ostream& out) const {
  uint64_t all = 0, all_hit = 0;
  out << "coverage:\n";
  for (const auto& [path, file] : files_) {
    uint64_t hit = 0;
    std::vector<std::string> missed;
    const Item* untested = nullptr;   // a condition's true outcome, missed: is its false one too?
    for (const auto& [key, item] : file.items) {
      if (item.hits) ++hit;
      if (item.branch == 1 && untested) {
        missed.push_back(item.what + (item.hits ? " never true" : " never tested") + " (line " +
                         std::to_string(item.line) + ")");
        untested = nullptr;
        continue;
      }
      if (item.branch == 0) {
        untested = item.hits ? nullptr : &item;
        continue;
      }
      if (item.hits) continue;
      missed.push_back(item.what + (item.branch == 1 ? " never false" : " never exercised") + " (line " +
                       std::to_string(item.line) + ")");
    }
    all += file.items.size();
    all_hit += hit;
    char pct[32];
    std::snprintf(pct, sizeof pct, "%.1f%%", file.items.empty() ? 100.0 : 100.0 * double(hit) / double(file.items.size()));
    out << "  " << path << ": " << pct << " (" << hit << " of " << file.items.size() << ")\n";
    for (const std::string& m : missed) out << "    " << m << "\n";
  }
  char pct[32];
  std::snprintf(pct, sizeof pct, "%.1f%%", all ? 100.0 * double(all_hit) / double(all) : 100.0);
  out << "total: " << pct << " (" << all_hit << " of " << all << ")\n";
}

// LCOV's tracefile: per file, a DA line per source line holding a rule, task
// or flow step (its count: the sum over what the line holds), a BRDA line per
// condition outcome, and the totals.
void CoverageReport::PrintLcov(std::ostream& out) const {
  out << "TN:quest\n";
  for (const auto& [path, file] : files_) {
    out << "SF:" << path << "\n";
    std::map<uint32_t, uint64_t> lines;
    uint64_t branches = 0, branches_hit = 0;
    std::map<std::pair<uint32_t, int32_t>, uint64_t> tested;   // by condition: both outcomes' sum
    for (const auto& [key, item] : file.items)
      if (item.branch >= 0) tested[{item.line, item.block}] += item.hits;
    for (const auto& [key, item] : file.items) {
      if (item.branch >= 0) {
        ++branches;
        branches_hit += item.hits != 0;
        // `-`: the condition was never tested; 0: tested, never this outcome.
        out << "BRDA:" << item.line << "," << item.block << "," << item.branch << ","
            << (tested[{item.line, item.block}] ? std::to_string(item.hits) : "-") << "\n";
      } else {
        lines[item.line] += item.hits;
      }
    }
    uint64_t lines_hit = 0;
    for (const auto& [line, hits] : lines) {
      out << "DA:" << line << "," << hits << "\n";
      lines_hit += hits != 0;
    }
    out << "BRF:" << branches << "\nBRH:" << branches_hit << "\nLF:" << lines.size() << "\nLH:" << lines_hit
        << "\nend_of_record\n";
  }
}

}  // namespace questline::driver
