// `choose by bandit reward EVENT [where COND] within D [context (EXPR, …)]
//  [policy NAME[(P)]] { arm NAME { … } … }` (LANGUAGE.md §9): a reward event
// and its window, context features the engine can encode (numbers, bools,
// strings — one-hot by hashing), a policy of the registry with its
// parameter in range, and at least two arms with distinct names.
#include <set>

#include "compiler/sema/checker.h"
#include "core/bandit_policies.h"

namespace questline::sema {

namespace {

// How many features a decision may have: each string feature takes
// kBanditStringBuckets of the model's dimensions (runtime/engine/mechanics/bandits.h),
// and the model's update costs the square of them.
constexpr size_t kMaxBanditFeatures = 8;
constexpr size_t kMaxBanditArms = 16;

}  // namespace

bool Checker::CheckBandit(const ast::Stmt& s, Stmt& st, const Scope& scope, StmtContext& ctx) {
  bool ok = true;
  auto shape = [&](SourceRange range, const std::string& why, const std::string& hint = "") {
    auto& d = Report(diag::Kind::BanditShape, range, why);
    if (!hint.empty()) d.hints.push_back(hint);
    ok = false;
  };
  st.event = Resolve(s.event, SymbolKind::Event, diag::Kind::UnknownEvent, "event");
  int64_t ms = 0;
  ok &= ConstantInt(s.value.get(), TypeKind::Duration, "within", &ms);
  if (ms <= 0 && ok) shape(s.value->range, "the reward window must be longer than zero");
  if (st.event >= 0 && s.where) {
    // Read when the reward comes, after the flow may have moved on: the
    // reward event's fields and the player's state, not the flow's locals.
    Scope where_scope;
    where_scope.event = st.event;
    Expr w = CheckCondition(s.where.get(), where_scope, "the reward's `where` condition");
    ok &= w.type.kind != TypeKind::Error;
    st.where = std::move(w);
  }
  ok &= st.event >= 0;
  if (s.context.size() > kMaxBanditFeatures)
    shape(s.context[kMaxBanditFeatures]->range,
          "a bandit takes at most " + std::to_string(kMaxBanditFeatures) + " context features");
  for (const ast::ExprPtr& feature : s.context) {
    Expr f = CheckExpr(*feature, scope);
    switch (f.type.kind) {
      case TypeKind::Error: ok = false; break;
      case TypeKind::Int: case TypeKind::Decimal: case TypeKind::Bool: case TypeKind::String:
      case TypeKind::Union: case TypeKind::Percent:
        break;
      default:
        shape(feature->range, "a context feature must be a number, a bool or a string, found " + TypeName(f.type),
              "an instant or a duration is no feature: use hour(now), weekday(now) or a count");
    }
    st.context.push_back(std::move(f));
  }
  // The policy, by name, and its parameter.
  st.policy = 0;
  if (!s.policy.name.empty()) {
    st.policy = -1;
    for (int32_t p = 0; p < core::kBanditPolicyCount; ++p)
      if (s.policy.name == core::kBanditPolicies[p].spelling) st.policy = p;
    if (st.policy < 0) {
      std::vector<std::string> names;
      for (const auto& info : core::kBanditPolicies) names.push_back(info.spelling);
      ReportUnknown(diag::Kind::BanditShape, s.policy.range, "bandit policy", s.policy.name, names);
      return false;
    }
  }
  const core::BanditPolicyInfo& info = core::kBanditPolicies[st.policy];
  st.policy_param = info.fallback;
  if (s.policy_param && !info.param) {
    shape(s.policy_param->range, std::string("the ") + info.spelling + " policy takes no parameter");
  } else if (s.policy_param) {
    int64_t p = 0;
    if (ConstantInt(s.policy_param.get(), TypeKind::Decimal, "policy", &p)) {
      if (p < info.min || p > info.max)
        shape(s.policy_param->range, std::string("the ") + info.spelling + " parameter is out of range",
              "epsilon_greedy takes 0 to 1, softmax a temperature above 0.00001, linucb an alpha of 0 or more");
      st.policy_param = p;
    } else {
      ok = false;
    }
  }
  // The arms.
  if (s.branches.size() < 2) shape(s.range, "a bandit needs at least two arms");
  if (s.branches.size() > kMaxBanditArms)
    shape(s.branches[kMaxBanditArms].range, "a bandit takes at most " + std::to_string(kMaxBanditArms) + " arms");
  std::set<std::string> names;
  for (const ast::Branch& b : s.branches) {
    if (!names.insert(b.name.name).second) shape(b.name.range, "the arm '" + b.name.name + "' is declared twice");
    Branch branch;
    branch.name = b.name.name;
    branch.range = b.range;
    branch.body = CheckBlock(b.body, ctx);
    st.branches.push_back(std::move(branch));
  }
  if (!ok) return false;
  Expr within;
  within.kind = ExprKind::Literal;
  within.type = {TypeKind::Duration, -1};
  within.value.kind = TypeKind::Duration;
  within.value.i = ms;
  st.value = std::move(within);
  return true;
}

}  // namespace questline::sema
