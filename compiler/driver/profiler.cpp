#include "compiler/driver/profiler.h"

#include <algorithm>
#include <cstdio>
#include <ostream>

#include "runtime/engine/json_text.h"

namespace questline::driver {

Profiler::Profiler(const ir::Program& p) {
  auto add = [&](engine::TraceSpan kind, auto& table) {
    offset_.push_back(rows_.size());
    for (const auto& x : table) rows_.push_back({kind, x.name, 0, 0});
  };
  // In trace_spans.def's order: offset_ is indexed by the kind.
  add(engine::TraceSpan::Rule, p.rules);
  add(engine::TraceSpan::Metric, p.metrics);
  add(engine::TraceSpan::Mission, p.missions);
  add(engine::TraceSpan::Flow, p.flows);
}

void Profiler::SpanBegin(engine::TraceSpan kind, int32_t id) { open_.push_back({kind, id, Clock::now()}); }

void Profiler::SpanEnd(engine::TraceSpan kind, int32_t id) {
  const Clock::time_point end = Clock::now();
  if (open_.empty()) return;
  const Open o = open_.back();
  open_.pop_back();
  if (o.kind != kind || o.id != id) return;   // unbalanced: a bug elsewhere, not a number to report
  Row& row = rows_[offset_[size_t(kind)] + size_t(id)];
  ++row.count;
  row.ns += std::chrono::duration_cast<std::chrono::nanoseconds>(end - o.start).count();
}

std::vector<Profiler::Row> Profiler::Rows() const {
  std::vector<Row> rows = rows_;
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    if (a.ns != b.ns) return a.ns > b.ns;
    return a.count > b.count;
  });
  return rows;
}

void Profiler::PrintText(std::ostream& out, int64_t total_ns, uint64_t events) const {
  char line[256];
  std::snprintf(line, sizeof line, "profile: %llu events in %.3f ms (spans: steady_clock, inclusive)\n",
                static_cast<unsigned long long>(events), double(total_ns) / 1e6);
  out << line;
  std::snprintf(line, sizeof line, "%-8s %-32s %10s %12s %10s %7s\n", "kind", "name", "count", "total ms",
                "mean us", "share");
  out << line;
  for (const Row& r : Rows()) {
    const double mean_us = r.count ? double(r.ns) / double(r.count) / 1e3 : 0;
    const double share = total_ns ? 100.0 * double(r.ns) / double(total_ns) : 0;
    std::snprintf(line, sizeof line, "%-8s %-32s %10llu %12.3f %10.3f %6.1f%%\n", engine::TraceSpanName(r.kind),
                  r.name.c_str(), static_cast<unsigned long long>(r.count), double(r.ns) / 1e6, mean_us, share);
    out << line;
  }
}

void Profiler::PrintJson(std::ostream& out, int64_t total_ns, uint64_t events) const {
  std::string s = "{\"events\":" + std::to_string(events) + ",\"total_ns\":" + std::to_string(total_ns) +
                  ",\"method\":\"steady_clock spans, inclusive\",\"entries\":[";
  bool first = true;
  for (const Row& r : Rows()) {
    s += first ? "\n" : ",\n";
    first = false;
    s += "{\"kind\":\"";
    s += engine::TraceSpanName(r.kind);
    s += "\",\"name\":";
    engine::AppendJsonString(s, r.name);
    s += ",\"count\":" + std::to_string(r.count) + ",\"ns\":" + std::to_string(r.ns) + "}";
  }
  s += "]}\n";
  out << s;
}

}  // namespace questline::driver
