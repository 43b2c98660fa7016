// Missions (tasks with aggregate goals and thresholds, rewards, recurrence),
// flows (event and segment triggers, waits, splits, `wait for`) and the
// policy: the declarations whose expressions the engine evaluates through the
// backend's Eval/Test/Run entry points rather than the fused event handler.
#include "tests/jit/expr_gen.h"

namespace questline::jitdiff {
namespace {

std::string Str(int64_t i) { return std::to_string(i); }

}  // namespace

std::string MissionDecl(ExprGen& gen, const std::string& name, const Scope& all) {
  Rng& rng = gen.rng();
  std::string d = "mission " + name + " {\n";
  if (rng.Chance(25)) d += "  audience " + gen.Cond(all, 2) + "\n";
  if (rng.Chance(15)) {
    Scope u = all;
    u.event = "deposit";
    d += "  unlock on deposit where " + gen.Cond(u, 2) + "\n";
  }
  const bool recurring = rng.Chance(50);
  if (recurring) d += std::string("  recurring ") + rng.Pick({"daily", "weekly", "on_completion"}) + "\n";
  const int tasks = int(rng.Range(1, 3));
  if (tasks >= 2 && rng.Chance(30)) d += "  ordered\n";
  for (int i = 0; i < tasks; ++i) {
    const char* event = rng.Chance(75) ? "bet" : "deposit";
    const Ty want = rng.Chance(70) ? Ty::Int : Ty::Dec;
    Scope filter = all;
    filter.inline_aggregates = false;
    bool noneable = false;
    const std::string agg = gen.Aggregate(event, want, filter, &noneable);
    const char* op = rng.Pick({">=", ">=", ">", "=="});
    const std::string threshold = want == Ty::Int ? Str(rng.Range(1, 6)) : rng.Pick({"25.5", "100", "0.5"});
    d += "  task t" + Str(i) + " { (" + agg + ") " + op + " " + threshold;   // `over last D` is greedy
    if (rng.Chance(40)) d += "\n" + gen.Block(all, int(rng.Range(1, 2)), 0, "    ") + "  ";
    d += " }\n";
  }
  if (rng.Chance(80)) d += "  reward {\n" + gen.Block(all, int(rng.Range(1, 3)), 1, "    ") + "  }\n";
  if (recurring && rng.Chance(50)) d += "  max_completions " + Str(rng.Range(1, 3)) + "\n";
  return d + "}";
}

std::string FlowDecl(ExprGen& gen, int index, const Scope& rule_scope, const Scope& all) {
  Rng& rng = gen.rng();
  std::string d = "flow fl" + Str(index) + " {\n";
  Scope steps = all;
  steps.lets = true;
  const int trigger = int(rng.Below(100));
  if (trigger < 65) {
    Scope t = rule_scope;
    t.event = rng.Chance(75) ? "bet" : "deposit";
    t.lets = false;
    d += "  on " + t.event;
    if (rng.Chance(70)) d += " where " + gen.Cond(t, 2);
    d += "\n";
    steps.event = t.event;
  } else if (trigger < 90 && all.segment_bound > 0) {
    const char* edge = rng.Chance(70) ? "enter" : "exit";
    d += std::string("  on ") + edge + " s" + Str(rng.Range(0, all.segment_bound - 1)) + "\n";
  } else {
    d += "  every day at 10:00\n";
  }
  if (rng.Chance(40)) d += "  audience " + gen.Cond(all, 2) + "\n";
  if (rng.Chance(25)) d += "  holdout 20%\n";
  if (rng.Chance(30)) d += "  reenter after 1h\n";
  d += gen.Block(steps, int(rng.Range(1, 3)), 1, "  ");
  if (rng.Chance(30)) {
    // The trigger's fields after a wait: the event is gone, the value is none.
    d += "  wait 2h\n";
    d += gen.Block(steps, int(rng.Range(1, 2)), 1, "  ");
  }
  if (rng.Chance(20)) {
    d += "  split {\n    50%: {\n" + gen.Block(steps, 1, 0, "      ") + "    }\n";
    d += "    50%: {\n" + gen.Block(steps, 1, 0, "      ") + "    }\n  }\n";
  }
  if (rng.Chance(30)) {
    Scope w = steps;
    w.event = "deposit";
    d += "  wait for deposit where " + gen.Cond(w, 2) + " within 1d {\n";
    d += gen.Block(w, int(rng.Range(1, 2)), 1, "    ") + "  } timeout {\n";
    Scope timeout = steps;
    timeout.event = "";
    d += gen.Block(timeout, 1, 1, "    ") + "  }\n";
  }
  return d + "}";
}

std::string PolicyDecl(ExprGen& gen, const Scope& all) {
  Rng& rng = gen.rng();
  std::string d = "policy rg {\n  block rewards when ";
  d += rng.Chance(75) ? "profile.self_excluded" : "(profile.self_excluded or " + gen.Cond(all, 2) + ")";
  d += "\n";
  if (rng.Chance(25)) d += "  block messages when " + gen.Cond(all, 2) + "\n";
  if (rng.Chance(30)) d += "  cap messages " + Str(rng.Range(1, 5)) + " per day\n";
  if (rng.Chance(20)) d += "  quiet_hours 22:00-08:00 for push, sms\n";
  return d + "}";
}

}  // namespace questline::jitdiff
