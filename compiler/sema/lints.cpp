// W05xx lints and `// quest:allow` suppression.
#include "compiler/sema/lints.h"

#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "compiler/sema/checker.h"

namespace questline::sema {
namespace {

bool ReadsProfileField(const Package& pkg, const Expr& e, const char* field) {
  if (e.kind == ExprKind::ProfileField && pkg.profile[size_t(e.field)].name == field) return true;
  if (e.kind == ExprKind::Segment && pkg.segments[size_t(e.id)].condition &&
      ReadsProfileField(pkg, *pkg.segments[size_t(e.id)].condition, field))
    return true;
  for (const Expr& o : e.operands)
    if (ReadsProfileField(pkg, o, field)) return true;
  return false;
}

template <typename F>
void ForEachStmt(const Block& block, F&& f) {
  for (const Stmt& s : block) {
    f(s);
    ForEachStmt(s.body, f);
    ForEachStmt(s.else_body, f);
    for (const Branch& b : s.branches) ForEachStmt(b.body, f);
  }
}

bool IsReward(ast::StmtKind k) {
  return k == ast::StmtKind::Award || k == ast::StmtKind::GrantBonus ||
         k == ast::StmtKind::GiveAttempts || k == ast::StmtKind::GiveTickets;
}

class Lints {
 public:
  Lints(const Package& pkg, const Checker& checker, diag::DiagnosticSink& sink)
      : pkg_(pkg), checker_(checker), sink_(sink) {}

  void Run() {
    Unused();
    ConstantConditions();
    UncappedRules();
    RewardLoops();
    Protection();
    Prices();
    TasksThatCannotComplete();
  }

 private:
  diag::Diagnostic& Warn(diag::Kind kind, SourceRange range, std::string message, std::string hint) {
    diag::Diagnostic& d = sink_.Report(kind, range, std::move(message));
    d.hints.push_back(std::move(hint));
    return d;
  }

  bool Used(const std::string& name) const { return checker_.used.count(name) > 0; }

  void Unused() {
    for (const Metric& m : pkg_.metrics)
      if (!m.anonymous && !Used(m.name))
        Warn(diag::Kind::UnusedMetric, checker_.DeclaredAt(m.name, m.range), "metric '" + m.name + "' is never used",
             "every metric costs state and work on each event: remove it or use it");
    for (const Segment& s : pkg_.segments)
      if (!Used(s.name) && !s.imported)
        Warn(diag::Kind::UnusedSegment, checker_.DeclaredAt(s.name, s.range), "segment '" + s.name + "' is never used",
             "use it in an audience, a condition or a flow trigger, or remove it");
    for (const Const& c : pkg_.consts)
      if (!Used(c.name))
        Warn(diag::Kind::UnusedConst, checker_.DeclaredAt(c.name, c.range), "constant '" + c.name + "' is never used", "remove it");
    for (size_t m = 0; m < pkg_.missions.size(); ++m)
      if (pkg_.missions[m].given && !checker_.given_missions.count(int32_t(m)))
        Warn(diag::Kind::NeverGiven, checker_.DeclaredAt(pkg_.missions[m].name, pkg_.missions[m].range),
             "mission '" + pkg_.missions[m].name + "' is `given`, but no rule, flow or reward gives it",
             "add `give mission " + pkg_.missions[m].name + "` where players should get it, or remove `given`");
    for (const Fn& f : pkg_.fns)
      if (!Used(f.name))
        Warn(diag::Kind::UnusedFn, checker_.DeclaredAt(f.name, f.range), "function '" + f.name + "' is never called", "remove it");
  }

  void Constant(const std::optional<Expr>& e, const std::string& what) {
    if (!e) return;
    Value v;
    if (!checker_.Fold(*e, &v) || v.kind != TypeKind::Bool) return;
    Warn(diag::Kind::ConstantCondition, e->range,
         what + " is always " + (v.i ? "true" : "false"),
         v.i ? "remove the condition, or fix it to depend on the player"
             : "nothing can ever pass it: fix or remove the declaration");
  }

  void ConstantConditions() {
    for (const Rule& r : pkg_.rules) Constant(r.where, "the condition of rule '" + r.name + "'");
    for (const Segment& s : pkg_.segments) Constant(s.condition, "segment '" + s.name + "'");
    for (const Badge& b : pkg_.badges) Constant(std::optional<Expr>(b.when), "badge '" + b.name + "'");
    for (const Mission& m : pkg_.missions) Constant(m.audience, "the audience of mission '" + m.name + "'");
    for (const Competition& c : pkg_.competitions) Constant(c.audience, "the audience of '" + c.name + "'");
    for (const Item& i : pkg_.items) Constant(i.audience, "the audience of item '" + i.name + "'");
    for (const Flow& f : pkg_.flows) {
      Constant(f.audience, "the audience of flow '" + f.name + "'");
      Constant(f.trigger.where, "the trigger condition of flow '" + f.name + "'");
    }
  }

  // Bets and wins arrive by the thousand per player per day: an award on them
  // without a cap is how points inflation and bonus abuse start.
  void UncappedRules() {
    for (const Rule& r : pkg_.rules) {
      if (r.event < 0 || r.cap) continue;
      const std::string& event = pkg_.events[size_t(r.event)].name;
      if (event != "bet" && event != "win") continue;
      if (r.limit && r.limit->period != ast::Period::Forever) continue;
      bool awards = false;
      ForEachStmt(r.body, [&](const Stmt& s) { awards |= s.kind == ast::StmtKind::Award; });
      if (awards)
        Warn(diag::Kind::UncappedHighFrequency, checker_.DeclaredAt(r.name, r.range),
             "rule '" + r.name + "' awards on every '" + event + "' without a cap",
             "add e.g. `cap 5000 points per day`");
    }
  }

  // Effects that produce the very request or event that triggered them.
  void RewardLoops() {
    auto check = [&](int32_t event, const Block& body, const std::string& who, SourceRange range) {
      if (event < 0) return;
      const std::string& name = pkg_.events[size_t(event)].name;
      ForEachStmt(body, [&](const Stmt& s) {
        bool loop = (name == "bonus_claimed" && s.kind == ast::StmtKind::GrantBonus) ||
                    (name == "minigame_play" && s.kind == ast::StmtKind::GiveAttempts);
        if (loop)
          Warn(diag::Kind::RewardLoop, s.range,
               who + " answers '" + name + "' with the reward that produces another '" + name + "'",
               "add a `limit`, or trigger on something the reward does not produce");
      });
      (void)range;
    };
    for (const Rule& r : pkg_.rules)
      if (!r.limit || r.limit->period != ast::Period::Forever) check(r.event, r.body, "rule '" + r.name + "'", r.range);
    for (const Flow& f : pkg_.flows)
      if (f.trigger.kind == ast::TriggerKind::Event) check(f.trigger.target, f.steps, "flow '" + f.name + "'", f.range);
  }

  void Protection() {
    bool blocks_excluded = false, blocks_unconsented = false;
    for (const Policy& p : pkg_.policies)
      for (const PolicyBlock& b : p.blocks) {
        if (b.target == ast::PolicyTarget::Rewards && ReadsProfileField(pkg_, b.when, "self_excluded"))
          blocks_excluded = true;
        if (b.target == ast::PolicyTarget::Messages && ReadsProfileField(pkg_, b.when, "marketing_opt_in"))
          blocks_unconsented = true;
      }
    if (!blocks_excluded) {
      const Rule* rewarding = nullptr;
      for (const Rule& r : pkg_.rules)
        ForEachStmt(r.body, [&](const Stmt& s) { if (IsReward(s.kind) && !rewarding) rewarding = &r; });
      if (rewarding)
        Warn(diag::Kind::NoSelfExclusionPolicy, checker_.DeclaredAt(rewarding->name, rewarding->range),
             "the package rewards players (e.g. rule '" + rewarding->name +
                 "') but no policy blocks rewards for self-excluded players",
             "add `policy responsible_gaming { block rewards when profile.self_excluded }`");
    }
    if (blocks_unconsented) return;
    for (const Flow& f : pkg_.flows) {
      bool sends = false;
      ForEachStmt(f.steps, [&](const Stmt& s) { sends |= s.kind == ast::StmtKind::Send; });
      if (sends && !(f.audience && ReadsProfileField(pkg_, *f.audience, "marketing_opt_in")))
        Warn(diag::Kind::MessageWithoutConsent, checker_.DeclaredAt(f.name, f.range),
             "flow '" + f.name + "' sends messages without checking marketing consent",
             "add `audience profile.marketing_opt_in`, or a policy `block messages when not profile.marketing_opt_in`");
    }
  }

  // An item no player can ever afford: nothing awards its currency, or only a
  // bounded total below its price.
  void Prices() {
    std::map<int32_t, int64_t> bounded;       // currency -> total of one-off awards
    std::set<int32_t> unbounded;
    auto scan = [&](const Block& body, bool repeats) {
      ForEachStmt(body, [&](const Stmt& s) {
        if (s.kind != ast::StmtKind::Award) return;
        Value v;
        if (!repeats && s.value && checker_.Fold(*s.value, &v)) {
          int64_t& total = bounded[s.target];   // saturates: huge awards must not overflow the sum
          if (__builtin_add_overflow(total, v.i, &total)) total = v.i > 0 ? INT64_MAX : INT64_MIN;
        }
        else unbounded.insert(s.target);
      });
    };
    for (const Rule& r : pkg_.rules) scan(r.body, !(r.limit && r.limit->period == ast::Period::Forever));
    for (const Level& l : pkg_.levels) scan(l.on_reach, false);
    for (const Badge& b : pkg_.badges) scan(b.on_earn, false);
    for (const Mission& m : pkg_.missions) {
      bool repeats = m.recurring != ast::Recurrence::None;
      scan(m.reward, repeats);
      for (const Task& t : m.tasks) scan(t.body, repeats);
    }
    for (const Competition& c : pkg_.competitions)
      for (const Prize& p : c.prizes) scan(p.body, true);
    for (const Minigame& g : pkg_.minigames)
      for (const GamePrize& p : g.prizes) scan(p.body, true);
    for (const Raffle& r : pkg_.raffles)
      for (const RafflePrize& p : r.prizes) scan(p.body, false);
    for (const Flow& f : pkg_.flows) scan(f.steps, true);
    for (const Item& i : pkg_.items) {
      if (i.currency < 0 || unbounded.count(i.currency)) continue;
      int64_t total = bounded.count(i.currency) ? bounded[i.currency] : 0;
      if (total >= i.price) continue;
      const std::string& cur = pkg_.currencies[size_t(i.currency)].name;
      Warn(diag::Kind::UnreachablePrice, checker_.DeclaredAt(i.name, i.range),
           "item '" + i.name + "' costs " + std::to_string(i.price) + " " + cur + ", but the package can award at most " +
               std::to_string(total) + " " + cur,
           "lower the price or award " + cur + " somewhere");
    }
  }

  void TasksThatCannotComplete() {
    for (const Mission& m : pkg_.missions)
      for (const Task& t : m.tasks) {
        Value v;
        bool never = t.aggregate.filter && checker_.Fold(*t.aggregate.filter, &v) && v.i == 0;
        Value threshold;
        if (!never && t.aggregate.fn == ast::AggregateFn::Count && checker_.Fold(t.threshold, &threshold)) {
          never = (t.op == Op::Lt && threshold.i <= 0) || (t.op == Op::Le && threshold.i < 0) ||
                  (t.op == Op::Eq && threshold.i < 0);
        }
        if (never)
          Warn(diag::Kind::TaskNeverCompletes, t.range,
               "task '" + t.name + "' of mission '" + m.name + "' can never complete",
               "its filter or threshold excludes every event");
      }
  }

  const Package& pkg_;
  const Checker& checker_;
  diag::DiagnosticSink& sink_;
};

// `// quest:allow W0507` (or several codes, comma separated) on the line above.
void ApplyAllows(const std::vector<ast::Module>& modules, const diag::SourceManager& sources,
                 diag::DiagnosticSink& sink) {
  static const std::regex kAllow(R"(//\s*quest:allow\s+([A-Z0-9, ]+))");
  struct Allow {
    diag::SourceRange range;
    std::string code;
    bool used = false;
  };
  std::vector<Allow> allows;
  for (const ast::Module& m : modules) {
    if (m.file == diag::kNoFile) continue;
    const diag::SourceFile& f = sources.File(m.file);
    for (uint32_t line = 1; line <= f.line_starts.size(); ++line) {
      std::string_view text = sources.Line(m.file, line);
      if (text.find("quest:allow") == std::string_view::npos) continue;
      std::string s(text);
      std::smatch match;
      if (!std::regex_search(s, match, kAllow)) continue;
      std::stringstream codes(match[1].str());
      for (std::string code; std::getline(codes, code, ',');) {
        code.erase(0, code.find_first_not_of(' '));
        code.erase(code.find_last_not_of(' ') + 1);
        const size_t line_begin = size_t(text.data() - f.text.data());   // columns count characters
        uint32_t col = sources.Column(m.file, line, line_begin + size_t(match.position(0)));
        allows.push_back({{m.file, line, col, line, sources.Column(m.file, line, line_begin + s.size())}, code});
      }
    }
  }
  auto& diags = sink.Mutable();
  diags.erase(std::remove_if(diags.begin(), diags.end(),
                             [&](const diag::Diagnostic& d) {
                               if (d.severity != diag::Severity::Warning) return false;
                               for (Allow& a : allows)
                                 if (a.range.file == d.range.file && a.range.line + 1 == d.range.line &&
                                     a.code == diag::Info(d.kind).code) {
                                   a.used = true;
                                   return true;
                                 }
                               return false;
                             }),
              diags.end());
  for (const Allow& a : allows)
    if (!a.used)
      sink.Report(diag::Kind::UnusedAllow, a.range, "`quest:allow " + a.code + "` silences nothing on the next line")
          .hints.push_back("remove it: the finding it was for is gone");
}

}  // namespace

void RunLints(const Package& pkg, const Checker& checker, const std::vector<ast::Module>& modules,
              const diag::SourceManager& sources, diag::DiagnosticSink& sink) {
  Lints(pkg, checker, sink).Run();
  ApplyAllows(modules, sources, sink);
}

}  // namespace questline::sema
