// Declarations of a random package, in an order that rules out definition
// cycles: metrics may read earlier metrics and the fns whose bodies read only
// metrics before them; fns read metrics below their bound and earlier fns;
// segments read everything but later segments; rules, badges, missions, flows
// and policies read everything.
#include "tests/jit/package_gen.h"

#include "tests/jit/expr_gen.h"

namespace questline::jitdiff {
namespace {

std::string Str(int64_t i) { return std::to_string(i); }

// Field types an aggregate over `event` can produce.
std::vector<Ty> AggregateTypes(const std::string& event) {
  std::vector<Ty> out = {Ty::Int, Ty::Int, Ty::Int, Ty::Time};
  for (const FieldDef& f : FindEvent(event)->fields) out.push_back(f.ty);
  return out;
}

const char* RandomEvent(Rng& rng) {
  int r = int(rng.Below(100));
  return r < 70 ? "bet" : r < 90 ? "deposit" : "login";
}

void SharedPools(ExprGen& gen, Model& m, const Scope& rule_scope) {
  Rng& rng = gen.rng();
  m.shared[SharedKey("bet", Ty::Bool)] = {"(bet.amount > 10)", "(bet.game_type == \"slots\")",
                                          "(floor((bet.amount / bet.div)) > 1)", "(points >= 20)",
                                          "(lower(bet.label) == \"book\")", "((bet.amount * bet.mult) > 100.0)",
                                          "((bet.big * bet.qty) > 1_000)", "(count(bet where bet.hot) > 2)"};
  m.shared[SharedKey("bet", Ty::Int)] = {"floor((bet.amount / 10))", "(bet.qty * bet.big)", "(points + 1)",
                                         "floor((bet.amount / bet.div))", "(bet.qty + bet.count)"};
  m.shared[SharedKey("bet", Ty::Dec)] = {"(bet.amount * bet.mult)", "(bet.amount / bet.div)", "(bet.amount / 4)",
                                         "(bet.mult * 9_000_000_000.0)"};
  m.shared[SharedKey("deposit", Ty::Bool)] = {"(deposit.amount >= 20)", "((deposit.amount / deposit.parts) > 5)"};
  m.shared[SharedKey("deposit", Ty::Int)] = {"floor((deposit.amount / deposit.parts))"};
  m.shared[SharedKey("deposit", Ty::Dec)] = {"(deposit.amount * deposit.ratio)"};
  for (const char* event : {"bet", "deposit", "login"}) {
    Scope s = rule_scope;
    s.event = event;
    for (Ty t : {Ty::Bool, Ty::Int, Ty::Dec}) {
      const int n = int(rng.Range(1, 3));
      for (int i = 0; i < n; ++i) {
        std::string e = gen.Gen(t, s, 3);
        m.shared[SharedKey(event, t)].push_back(e);
      }
    }
  }
  m.shared[SharedKey("filter:bet", Ty::Bool)] = {"(bet.amount > 10)", "(bet.game_type == \"slots\")",
                                                 "((bet.amount / bet.div) > 1.0)", "(lower(bet.label) == \"book\")",
                                                 "((bet.mult * bet.amount) > 50.0)", "bet.hot"};
  m.shared[SharedKey("filter:deposit", Ty::Bool)] = {"(deposit.amount >= 20)", "((deposit.amount / deposit.parts) > 2.0)"};
  // Filters that read the metrics ranked 0 and 1 (usable from rank 2 up).
  for (const char* event : {"bet", "deposit", "login"}) {
    std::vector<std::string>& pool = m.shared[SharedKey(std::string("filter2:") + event, Ty::Bool)];
    Scope s;
    s.event = event;
    for (const Named& metric : m.metrics) {
      if (metric.rank >= 2) continue;
      pool.push_back("has(" + metric.name + ")");
      if (IsNumeric(metric.ty)) pool.push_back("(" + metric.name + " >= 2)");
      if (metric.ty == Ty::Time) pool.push_back("(" + metric.name + " < " + event + ".ts)");
      std::string local = gen.Gen(Ty::Bool, s, 1);
      pool.push_back("(" + local + " or has(" + metric.name + "))");
    }
  }
}

}  // namespace

std::vector<std::string> GeneratePackage(Rng& rng) {
  Model m;
  ExprGen gen(rng, m);
  std::vector<std::string> decls = {SchemaDecl()};
  const char* tz = rng.Pick({"UTC", "Europe/Malta", "Pacific/Auckland", "America/New_York"});
  const char* week = rng.Pick({"mon", "sun"});
  decls.push_back(std::string("settings { timezone \"") + tz + "\"  week_starts " + week + "  seed \"diff-" +
                  Str(rng.Range(0, 999)) + "\" }");
  const std::vector<std::pair<std::string, std::pair<Ty, const char*>>> consts = {
      {"k_big", {Ty::Int, "4_611_686_018_427_387_904"}}, {"k_zero", {Ty::Int, "0"}}, {"k_n", {Ty::Int, "3"}},
      {"k_dec", {Ty::Dec, "2.5"}},  {"k_tiny", {Ty::Dec, "0.000001"}}, {"k_pct", {Ty::Pct, "15%"}},
      {"k_dur", {Ty::Dur, "90m"}}};
  for (const auto& [name, value] : consts) {
    m.consts.push_back({name, value.first});
    decls.push_back("const " + name + (value.first == Ty::Dec ? ": decimal" : "") + " = " + value.second);
  }
  // Names come first, so every later declaration can refer to them.
  if (rng.Chance(55))
    for (int i = 0, n = int(rng.Range(2, 4)); i < n; ++i) m.levels.push_back("lv" + Str(i));
  if (rng.Chance(40))
    for (int i = 0, n = int(rng.Range(1, 2)); i < n; ++i) m.missions.push_back("ms" + Str(i));
  if (rng.Chance(30)) m.games.push_back("mg0");
  if (rng.Chance(20)) m.raffles.push_back("rf0");

  // Metric heads: event and type now, aggregate and filter once fns exist.
  // A metric's filter reads only metrics of lower rank; ranks are a random
  // permutation, so a filter may read a metric declared (and updated) after it.
  const int n_metrics = int(rng.Range(3, 8));
  std::vector<std::string> metric_events;
  std::vector<int> ranks;
  for (int i = 0; i < n_metrics; ++i) ranks.insert(ranks.begin() + long(rng.Below(size_t(i) + 1)), i);
  for (int i = 0; i < n_metrics; ++i) {
    metric_events.push_back(RandomEvent(rng));
    const Ty t = rng.Pick(AggregateTypes(metric_events.back()));
    m.metrics.push_back({"m" + Str(i), t, t != Ty::Int, ranks[size_t(i)]});
  }
  const int n_fns = int(rng.Range(1, 4));
  for (int i = 0; i < n_fns; ++i) {
    FnInfo f;
    f.name = "f" + Str(i);
    for (int p = 0, n = int(rng.Range(1, 3)); p < n; ++p)
      f.params.push_back({"p" + Str(p), rng.Pick(std::vector<Ty>{Ty::Int, Ty::Dec, Ty::Dec, Ty::Bool, Ty::Str, Ty::Time,
                                                                  Ty::Dur, Ty::Pct, Ty::Tier})});
    f.result = rng.Pick(std::vector<Ty>{Ty::Int, Ty::Dec, Ty::Bool, Ty::Bool, Ty::Str, Ty::Time, Ty::Dur});
    f.metric_bound = int(rng.Range(0, n_metrics));
    Scope s;
    s.vars = f.params;
    s.metric_bound = f.metric_bound;
    s.fn_bound = i;
    static const char* kTypeNames[] = {"int", "decimal", "bool", "string", "time", "duration", "percent", "GameType",
                                       "Device", "Tier"};
    std::string head = "fn " + f.name + "(";
    for (size_t p = 0; p < f.params.size(); ++p)
      head += (p ? ", " : "") + f.params[p].first + ": " + kTypeNames[int(f.params[p].second)];
    head += std::string(") -> ") + kTypeNames[int(f.result)] + " =\n  ";
    decls.push_back(head + gen.Gen(f.result, s, 3));
    m.fns.push_back(f);
  }
  Scope rule_scope;
  rule_scope.metric_bound = n_metrics;
  rule_scope.fn_bound = n_fns;
  rule_scope.inline_aggregates = true;
  rule_scope.shared = true;
  SharedPools(gen, m, rule_scope);
  for (int i = 0; i < n_metrics; ++i) {
    Scope filter;
    filter.metric_bound = m.metrics[size_t(i)].rank;
    filter.fn_bound = n_fns;
    filter.shared = true;
    filter.pool = "filter:";
    bool noneable = false;
    const std::string agg = gen.Aggregate(metric_events[size_t(i)], m.metrics[size_t(i)].ty, filter, &noneable);
    m.metrics[size_t(i)].noneable = noneable;
    decls.push_back("metric m" + Str(i) + " = " + agg);
  }
  const int n_segments = int(rng.Range(1, 4));
  for (int j = 0; j < n_segments; ++j) {
    Scope s = rule_scope;
    s.shared = false;
    s.segment_bound = j;
    decls.push_back("segment s" + Str(j) + " = " + gen.Cond(s, 3));
    m.segments.push_back("s" + Str(j));
  }
  Scope all = rule_scope;   // no event in scope: on-blocks, rewards, audiences
  all.segment_bound = n_segments;
  all.shared = false;
  rule_scope.segment_bound = n_segments;
  rule_scope.lets = true;

  int64_t at = 0;
  for (size_t i = 0; i < m.levels.size(); ++i) {
    std::string d = "level " + m.levels[i] + " { at " + Str(at);
    if (rng.Chance(45)) d += "\n  on reach {\n" + gen.Block(all, int(rng.Range(1, 2)), 1, "    ") + "  }\n";
    decls.push_back(d + " }");
    at += rng.Range(5, 120);
  }
  for (int i = 0, n = int(rng.Range(3, 10)); i < n; ++i) {
    Scope s = rule_scope;
    s.event = RandomEvent(rng);
    std::string d = "rule r" + Str(i) + " on " + s.event;
    if (rng.Chance(75)) d += " where " + gen.Cond(s, 3);
    d += " {\n" + gen.Block(s, int(rng.Range(1, 5)), 2, "  ");
    if (rng.Chance(30)) {
      const char* currency = rng.Chance(75) ? "points" : "gems";
      d += "  cap " + Str(rng.Range(5, 200)) + " " + currency;
      if (rng.Chance(70)) d += std::string(" per ") + rng.Pick({"day", "week", "month"});
      d += "\n";
    }
    if (rng.Chance(25)) {
      d += "  limit " + Str(rng.Range(1, 5));
      if (rng.Chance(70)) d += std::string(" per ") + rng.Pick({"day", "week", "month"});
      d += "\n";
    }
    decls.push_back(d + "}");
  }
  for (int i = 0, n = rng.Chance(45) ? int(rng.Range(1, 2)) : 0; i < n; ++i) {
    std::string d = "badge b" + Str(i) + " { when " + gen.Cond(all, 3);
    if (rng.Chance(70)) d += "\n  on earn {\n" + gen.Block(all, int(rng.Range(1, 2)), 1, "    ") + "  }\n";
    decls.push_back(d + " }");
  }
  for (const std::string& name : m.missions) decls.push_back(MissionDecl(gen, name, all));
  for (int i = 0, n = rng.Chance(35) ? int(rng.Range(1, 2)) : 0; i < n; ++i) decls.push_back(FlowDecl(gen, i, rule_scope, all));
  for (const std::string& name : m.games) decls.push_back(MinigameDecl(gen, name, all));
  for (const std::string& name : m.raffles) decls.push_back(RaffleDecl(gen, name, all));
  for (int i = 0, n = rng.Chance(30) ? int(rng.Range(1, 2)) : 0; i < n; ++i) decls.push_back(ItemDecl(gen, i, all));
  for (int i = 0, n = rng.Chance(30) ? int(rng.Range(1, 2)) : 0; i < n; ++i) decls.push_back(CompetitionDecl(gen, i, all));
  if (rng.Chance(85)) decls.push_back(PolicyDecl(gen, all));
  return decls;
}

}  // namespace questline::jitdiff
