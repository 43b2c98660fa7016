#include "runtime/engine/mechanics/segments.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {

Segments::Segments(Kernel& k) : Mechanic(k) {
  for (const ir::Segment& s : k_.p.segments) reads_time_.push_back(!s.imported && ReadsTime(s.condition, 0));
  member_ = k_.layout.ReserveBits(k_.p.segments.size());
  stale_ = k_.layout.ReserveBits(1);
  recheck_ = k_.layout.Reserve<int64_t>(1);
  PlanAfterMetrics();
}

void Segments::NewPlayer(UserState& u) {
  MarkStale(u);   // never settled
  *recheck_.In(u.block) = INT64_MAX;
}

void Segments::MarkStale(const UserState& u) const { stale_.Set(u.block, 0, true); }

bool Segments::Member(int32_t s) const { return member_.Test(k_.user->block, size_t(s)); }

// Segments are settled at the end of every step of the player's, and at each
// instant time alone can change them (segment_time.cpp). So when an event's
// metrics are done, only a segment reading one of those metrics (or reading
// a segment that does) can have moved: MetricsDone re-evaluates those, and
// nothing on an event whose metrics no segment reads. Requests and profile
// updates change what segments read before the metrics (balances, profile
// fields): after them, every segment is re-evaluated, as for a player never
// settled or changed by an import (UserState::segments_stale).
void Segments::PlanAfterMetrics() {
  const size_t n = k_.p.segments.size();
  // What each condition reads, inside the fns it calls too.
  std::vector<std::vector<int32_t>> metrics(n), segments(n);
  for (size_t s = 0; s < n; ++s) {
    std::vector<bool> fn_seen(k_.p.fns.size(), false);
    std::vector<ir::ExprRef> stack;
    if (k_.p.segments[s].condition >= 0) stack.push_back(k_.p.segments[s].condition);
    while (!stack.empty()) {
      const ir::Node& node = k_.p.At(stack.back());
      stack.pop_back();
      if (node.kind == ir::NodeKind::Metric) metrics[s].push_back(node.a);
      if (node.kind == ir::NodeKind::Segment) segments[s].push_back(node.a);
      if (node.kind == ir::NodeKind::Call && !fn_seen[size_t(node.a)]) {
        fn_seen[size_t(node.a)] = true;
        stack.push_back(k_.p.fns[size_t(node.a)].body);
      }
      for (uint32_t i = 0; i < node.count; ++i) stack.push_back(k_.p.Child(node, i));
    }
  }
  // Dependencies first (a depth-first walk, its stack explicit; the checker
  // refuses cycles, and a segment is placed once whatever happens).
  std::vector<uint8_t> placed(n, 0);   // 0 not yet, 1 on the walk, 2 placed
  for (size_t root = 0; root < n; ++root) {
    std::vector<std::pair<int32_t, size_t>> walk{{int32_t(root), 0}};
    while (!walk.empty()) {
      auto& [s, next] = walk.back();
      if (placed[size_t(s)] == 2) {
        walk.pop_back();
        continue;
      }
      placed[size_t(s)] = 1;
      if (next < segments[size_t(s)].size()) {
        const int32_t read = segments[size_t(s)][next++];
        if (placed[size_t(read)] == 0) walk.push_back({read, 0});
        continue;
      }
      placed[size_t(s)] = 2;
      in_order_.push_back(s);
      walk.pop_back();
    }
  }
  const int32_t before_metrics[] = {k_.p.mission_opt_in, k_.p.tournament_register, k_.p.store_purchase,
                                    k_.p.minigame_play,  k_.p.profile_update,      k_.p.schema.Find("registration")};
  for (size_t t = 0; t < k_.p.plans.size(); ++t) {
    const std::vector<int32_t>& counted = k_.p.plans[t].metrics;
    const bool all = std::find(std::begin(before_metrics), std::end(before_metrics), int32_t(t)) !=
                     std::end(before_metrics);
    std::vector<bool> moved(n, false);
    std::vector<int32_t>& list = after_metrics_.emplace_back();
    for (int32_t s : in_order_) {
      bool m = all;
      for (int32_t metric : metrics[size_t(s)])
        m = m || std::find(counted.begin(), counted.end(), metric) != counted.end();
      for (int32_t read : segments[size_t(s)]) m = m || moved[size_t(read)];
      moved[size_t(s)] = m;
      if (m && !k_.p.segments[size_t(s)].imported && k_.p.segments[size_t(s)].condition >= 0) list.push_back(s);
    }
  }
}


// Between the metrics and the rules (LANGUAGE.md §11): the segments this
// event's metrics moved, re-evaluated so that a rule `where depositor` and a
// rule `where count(deposit) >= 1` agree on a first deposit, and missions and
// competitions see them too. A change is recorded like the settle's, so its
// `on enter` / `on exit` flows still run after the settle.
void Segments::MetricsDone() {
  const std::vector<int32_t>& segments =
      stale_.Test(k_.user->block, 0) ? in_order_ : after_metrics_[size_t(k_.event->type)];
  if (segments.empty()) return;
  core::Frame frame{k_.event, nullptr, nullptr};
  for (int32_t s : segments) Update(size_t(s), frame);
}

void Segments::Settle(SettleRound& round) {
  if (round.conditions_agree) return;
  bool changed = false;
  core::Frame frame{k_.event, nullptr, nullptr};
  for (size_t s = 0; s < k_.p.segments.size(); ++s) changed |= Update(s, frame);
  stale_.Set(k_.user->block, 0, false);   // the settle's fixpoint finishes what this pass starts
  if (changed) round.changed = round.conditions_moved = true;
}

bool Segments::Update(size_t s, core::Frame& frame) {
  const ir::Segment& seg = k_.p.segments[s];
  if (seg.imported || seg.condition < 0) return false;
  if (seg.locked_at && k_.now >= *seg.locked_at) return false;   // frozen at its instant
  const bool member = k_.backend.Test(seg.condition, frame, k_);
  if (member == member_.Test(k_.user->block, s)) return false;
  member_.Set(k_.user->block, s, member);
  changes.push_back({int32_t(s), member});   // for the step's flows, whoever found it
  if (k_.options.tracer) k_.options.tracer->SegmentMoved(int32_t(s), member);
  return true;
}

// Once per player and step, when everything has settled.
void Segments::EndStep() {
  ScheduleRecheck(recheck_due_);
  recheck_due_ = false;
}

bool Segments::OnTimer(const Timer& t) {
  int64_t& recheck = *recheck_.In(k_.user->block);
  if (recheck != t.deadline) return false;   // replaced by an earlier one, which has run
  recheck = INT64_MAX;
  recheck_due_ = true;   // the player went quiet: search ahead for the next change
  return true;           // the settle re-evaluates the segments
}

int32_t Segments::Index(const std::string& name) const {
  for (size_t s = 0; s < k_.p.segments.size(); ++s)
    if (k_.p.segments[s].name == name) return int32_t(s);
  return -1;
}

// The list is the segment: listed players are members, every other player
// is not (a promo list replaced by this week's).
bool Segments::Import(int32_t segment, const std::vector<std::string>& users, std::string* error) {
  if (segment < 0 || size_t(segment) >= k_.p.segments.size()) {
    *error = "no such segment";
    return false;
  }
  if (!k_.p.segments[size_t(segment)].imported) {
    *error = "segment '" + k_.p.segments[size_t(segment)].name + "' is not `imported`: its condition decides its members";
    return false;
  }
  for (UserState& u : k_.users) {
    member_.Set(u.block, size_t(segment), false);
    MarkStale(u);   // segments reading this one (MetricsDone)
  }
  for (const std::string& user : users) member_.Set(k_.UserFor(k_.strings.Intern(user)).block, size_t(segment), true);
  return true;
}

void Segments::WriteState(const UserState& u, std::string& out) const {
  out += ",\"segments\":[";
  bool first = true;
  for (size_t s = 0; s < member_.count; ++s)
    if (member_.Test(u.block, s)) {
      if (!first) out += ",";
      first = false;
      AppendJsonString(out, k_.p.segments[s].name);
    }
  out += "]";
}

void Segments::MigratePlayer(const Segments& old, const UserState& from, UserState& to, const Migration& mg) {
  CopyBits(mg.segments, old.member_, from.block, member_, to.block);
  *recheck_.In(to.block) = *old.recheck_.In(from.block);
  // Conditions that changed are asked again at the player's next step.
  stale_.Set(to.block, 0, !mg.same_segments || old.stale_.Test(from.block, 0));
}

}  // namespace questline::engine::mechanics
