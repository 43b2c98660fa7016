// Constant folding: clause values (caps, prices, windows) and the lints that
// spot conditions which are always true or always false.
#include "compiler/sema/checker.h"
#include "stdlib/civil_time.h"

namespace questline::sema {
namespace {

bool Overflows(__int128 v) { return v > INT64_MAX || v < INT64_MIN; }

// The longest duration a clause may give: 100 years of 365 days.
constexpr int64_t kMaxDurationMs = 36'500 * int64_t(86'400'000);

}  // namespace

bool Checker::Fold(const Expr& e, Value* out) const {
  switch (e.kind) {
    case ExprKind::Literal:
    case ExprKind::Const:
      if (e.value.kind == TypeKind::Error && e.kind == ExprKind::Const) return false;
      *out = e.value;
      out->kind = e.type.kind;
      return e.type.kind != TypeKind::Error;
    case ExprKind::Widen: {
      if (!Fold(e.operands[0], out)) return false;
      if (out->i > INT64_MAX / ast::kDecimalScale || out->i < INT64_MIN / ast::kDecimalScale) return false;
      out->i *= ast::kDecimalScale;
      out->kind = TypeKind::Decimal;
      return true;
    }
    case ExprKind::Unary: {
      if (!Fold(e.operands[0], out)) return false;
      if (e.op == Op::Not) out->i = !out->i;
      else if (out->i == INT64_MIN) return false;
      else out->i = -out->i;
      return true;
    }
    case ExprKind::Binary: {
      Value a, b;
      if (!Fold(e.operands[0], &a) || !Fold(e.operands[1], &b)) return false;
      const bool strings = a.kind == TypeKind::String || a.kind == TypeKind::Union;
      const bool decimal = a.kind == TypeKind::Decimal;
      out->kind = e.type.kind;
      out->s.clear();
      __int128 x = a.i, y = b.i, r = 0;
      switch (e.op) {
        case Op::And: r = x && y; break;
        case Op::Or: r = x || y; break;
        case Op::Eq: r = strings ? a.s == b.s : x == y; break;
        case Op::Ne: r = strings ? a.s != b.s : x != y; break;
        case Op::Lt: r = x < y; break;
        case Op::Le: r = x <= y; break;
        case Op::Gt: r = x > y; break;
        case Op::Ge: r = x >= y; break;
        case Op::Add: r = x + y; break;
        case Op::Sub: r = x - y; break;
        case Op::Mul: r = decimal ? x * y / ast::kDecimalScale : x * y; break;
        case Op::Div:
          // Division by zero yields 0 at run time; folding does the same.
          r = y == 0 ? 0 : x * ast::kDecimalScale / y;
          break;
        default: return false;
      }
      if (Overflows(r)) return false;
      out->i = int64_t(r);
      return true;
    }
    default:
      return false;
  }
}

bool Checker::ConstantInt(const ast::Expr* e, TypeKind kind, const char* clause, int64_t* out) {
  if (e == nullptr) return false;
  Scope scope;
  scope.constant = true;
  scope.allow_aggregates = false;
  Expr checked = CheckExpr(*e, scope);
  if (checked.type.kind == TypeKind::Error) {
    pkg.unfolded.push_back(e->range);
    return false;
  }
  if (checked.type.kind != kind && !(kind == TypeKind::Decimal && checked.type.kind == TypeKind::Int)) {
    static const char* kWanted[] = {"", "a bool", "a whole number such as `10`",
                                    "a number such as `12.50`", "a string",
                                    "an instant such as `2026-12-01T00:00Z`",
                                    "a duration such as `7d`", "a percentage such as `10%`", ""};
    Report(diag::Kind::ClauseType, e->range,
           std::string("`") + clause + "` expects " + kWanted[int(kind)] + ", found " +
               TypeName(checked.type));
    pkg.unfolded.push_back(e->range);
    return false;
  }
  Value v;
  if (!Fold(Convert(std::move(checked), {kind, -1}), &v)) {
    Report(diag::Kind::NotConstant, e->range,
           std::string("`") + clause + "` needs a value known before the package runs");
    pkg.unfolded.push_back(e->range);
    return false;
  }
  // Deadlines are `start + duration` and calendars count days from 1970: a
  // limit of 106751991167d wraps past the int64 end and expires a mission
  // the moment it starts. Bounds far inside int64 keep every sum exact.
  if (kind == TypeKind::Duration && (v.i > kMaxDurationMs || v.i < -kMaxDurationMs)) {
    Report(diag::Kind::TimeRange, e->range,
           std::string("`") + clause + "` is out of range: a duration is at most 100 years (36500d)");
    pkg.unfolded.push_back(e->range);
    return false;
  }
  if (kind == TypeKind::Time && !stdlib::InstantInRange(v.i)) {
    Report(diag::Kind::TimeRange, e->range,
           std::string("`") + clause + "` is out of range: an instant is in the years 0000 to 9999");
    pkg.unfolded.push_back(e->range);
    return false;
  }
  *out = v.i;
  return true;
}

void Checker::ConstantInterval(const std::optional<ast::Interval>& interval, const char* clause,
                               std::optional<int64_t>* from, std::optional<int64_t>* to) {
  int64_t a, b;
  if (interval && ConstantInt(interval->from.get(), TypeKind::Time, clause, &a) &&
      ConstantInt(interval->to.get(), TypeKind::Time, clause, &b)) {
    *from = a;
    *to = b;
  }
}

}  // namespace questline::sema
