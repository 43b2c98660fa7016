// Expressions: literals, names, members, unary and binary operators. Calls are
// in calls.cpp, aggregates in aggregates.cpp, folding in fold.cpp.
#include <algorithm>

#include "compiler/sema/checker.h"

namespace questline::sema {
namespace {

Expr Literal(TypeKind kind, int64_t i, SourceRange range) {
  Expr e;
  e.kind = ExprKind::Literal;
  e.type = {kind, -1};
  e.value.kind = kind;
  e.value.i = i;
  e.range = range;
  return e;
}

Expr ErrorExpr(SourceRange range) {
  Expr e;
  e.type = {TypeKind::Error, -1};
  e.range = range;
  return e;
}

bool IsNumeric(Type t) { return t.kind == TypeKind::Int || t.kind == TypeKind::Decimal; }
bool IsStringy(Type t) { return t.kind == TypeKind::String || t.kind == TypeKind::Union; }

const char* OpText(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Or: return "or";
    case ast::BinaryOp::And: return "and";
    case ast::BinaryOp::Eq: return "==";
    case ast::BinaryOp::Ne: return "!=";
    case ast::BinaryOp::Lt: return "<";
    case ast::BinaryOp::Le: return "<=";
    case ast::BinaryOp::Gt: return ">";
    case ast::BinaryOp::Ge: return ">=";
    case ast::BinaryOp::Add: return "+";
    case ast::BinaryOp::Sub: return "-";
    case ast::BinaryOp::Mul: return "*";
    case ast::BinaryOp::Div: return "/";
  }
  return "?";
}

Op ToOp(ast::BinaryOp op) {
  switch (op) {
    case ast::BinaryOp::Or: return Op::Or;
    case ast::BinaryOp::And: return Op::And;
    case ast::BinaryOp::Eq: return Op::Eq;
    case ast::BinaryOp::Ne: return Op::Ne;
    case ast::BinaryOp::Lt: return Op::Lt;
    case ast::BinaryOp::Le: return Op::Le;
    case ast::BinaryOp::Gt: return Op::Gt;
    case ast::BinaryOp::Ge: return Op::Ge;
    case ast::BinaryOp::Add: return Op::Add;
    case ast::BinaryOp::Sub: return Op::Sub;
    case ast::BinaryOp::Mul: return Op::Mul;
    case ast::BinaryOp::Div: return Op::Div;
  }
  return Op::Add;
}

}  // namespace

// `GameType is "slots" | "live_casino" | …`: the values themselves, since the
// type's name alone does not tell a user what to write. Long unions are cut.
std::string DescribeUnion(const UnionType& u) {
  constexpr size_t kShown = 6;
  std::string out = u.name + " is ";
  for (size_t i = 0; i < u.members.size() && i < kShown; ++i)
    out += (i ? " | \"" : "\"") + u.members[i] + "\"";
  if (u.members.size() > kShown) out += " | …";
  if (u.members.empty()) out += "empty";
  return out;
}

Expr Checker::CheckUnionLiteral(Expr literal, Type union_type, SourceRange range) {
  const UnionType& u = pkg.unions[size_t(union_type.union_id)];
  const std::string& s = literal.value.s;
  if (std::find(u.members.begin(), u.members.end(), s) == u.members.end()) {
    std::string near = NearestName(s, u.members);
    diag::Diagnostic& d = Report(diag::Kind::UnknownUnionValue, range,
                                 "\"" + s + "\" is not a value of " + u.name);
    if (!near.empty()) d.hints.push_back("did you mean \"" + near + "\"?");
    else d.hints.push_back(DescribeUnion(u));
    return ErrorExpr(range);
  }
  literal.type = union_type;
  return literal;
}

// Names in value position: locals, parameters, built-ins, currencies,
// constants, metrics, segments.
static Expr CheckName(Checker& c, const ast::Expr& e, const Scope& scope);
// `event.field` and `profile.field`.
static Expr CheckMember(Checker& c, const ast::Expr& e, const Scope& scope);
Expr CheckCall(Checker& c, const ast::Expr& e, const Scope& scope);   // calls.cpp
Expr EnsureMetricRef(Checker& c, int32_t id, SourceRange range);       // behaviour.cpp
Expr EnsureSegmentRef(Checker& c, int32_t id, SourceRange range);      // behaviour.cpp
Expr HoistAggregate(Checker& c, const ast::Expr& e, const Scope& scope);   // aggregates.cpp
void EnsureConst(Checker& c, int32_t id, const std::vector<const ast::ConstDecl*>& decls);  // schema.cpp

Expr Checker::CheckExpr(const ast::Expr& e, const Scope& scope) {
  switch (e.kind) {
    case ast::ExprKind::Bool: return Literal(TypeKind::Bool, e.bool_value, e.range);
    case ast::ExprKind::Int: return Literal(TypeKind::Int, e.int_value, e.range);
    case ast::ExprKind::Decimal: return Literal(TypeKind::Decimal, e.int_value, e.range);
    case ast::ExprKind::Duration: return Literal(TypeKind::Duration, e.int_value, e.range);
    case ast::ExprKind::Percent: return Literal(TypeKind::Percent, e.int_value, e.range);
    case ast::ExprKind::Instant: return Literal(TypeKind::Time, e.int_value, e.range);
    // A time of day in an expression is the duration since midnight.
    case ast::ExprKind::TimeOfDay: return Literal(TypeKind::Duration, e.int_value * 60'000, e.range);
    case ast::ExprKind::Weekday: return Literal(TypeKind::Int, e.int_value, e.range);
    case ast::ExprKind::String: {
      Expr s = Literal(TypeKind::String, 0, e.range);
      s.value.s = e.text;
      return s;
    }
    case ast::ExprKind::Name: return CheckName(*this, e, scope);
    case ast::ExprKind::Member: return CheckMember(*this, e, scope);
    case ast::ExprKind::Call: return CheckCall(*this, e, scope);
    case ast::ExprKind::Aggregate:
      if (!scope.allow_aggregates || scope.constant) {
        Report(diag::Kind::AggregatePlacement, e.range, "an aggregate cannot be used here")
            .hints.push_back(scope.constant ? "constants and clause values are fixed numbers"
                                            : "declare it as a `metric` and refer to the metric");
        return ErrorExpr(e.range);
      }
      return HoistAggregate(*this, e, scope);
    case ast::ExprKind::Unary: {
      Expr operand = CheckExpr(*e.operands[0], scope);
      Expr out;
      out.kind = ExprKind::Unary;
      out.range = e.range;
      out.op = e.unary_op == ast::UnaryOp::Not ? Op::Not : Op::Neg;
      if (operand.type.kind == TypeKind::Error) return ErrorExpr(e.range);
      bool ok = out.op == Op::Not ? operand.type.kind == TypeKind::Bool
                                  : IsNumeric(operand.type) || operand.type.kind == TypeKind::Duration;
      if (!ok) {
        Report(diag::Kind::OperatorTypes, e.range,
               std::string("operator '") + (out.op == Op::Not ? "not" : "-") +
                   "' cannot apply to " + TypeName(operand.type));
        return ErrorExpr(e.range);
      }
      out.type = operand.type;
      out.operands.push_back(std::move(operand));
      return out;
    }
    case ast::ExprKind::Binary: break;
  }

  Expr lhs = CheckExpr(*e.operands[0], scope);
  Expr rhs = CheckExpr(*e.operands[1], scope);
  if (lhs.type.kind == TypeKind::Error || rhs.type.kind == TypeKind::Error) return ErrorExpr(e.range);
  const ast::BinaryOp bop = e.binary_op;
  Expr out;
  out.kind = ExprKind::Binary;
  out.range = e.range;
  out.op = ToOp(bop);
  Type lt = lhs.type, rt = rhs.type;
  auto mismatch = [&](diag::Kind kind) {
    Report(kind, e.range,
           std::string("operator '") + OpText(bop) + "' cannot apply to " + TypeName(lt) +
               " and " + TypeName(rt))
        .hints.push_back(bop == ast::BinaryOp::Add && (IsStringy(lt) || IsStringy(rt))
                             ? "strings cannot be added; compare them or send them as data"
                             : "convert one side (floor, ceil, round) or compare like with like");
    return ErrorExpr(e.range);
  };
  auto finish = [&](Type result, Type operand_type) {
    out.type = result;
    out.operands.push_back(Convert(std::move(lhs), operand_type));
    out.operands.push_back(Convert(std::move(rhs), operand_type));
    return out;
  };
  Type common = lt.kind == TypeKind::Decimal || rt.kind == TypeKind::Decimal
                    ? Type{TypeKind::Decimal, -1} : lt;
  const Type kBool{TypeKind::Bool, -1};

  switch (bop) {
    case ast::BinaryOp::And:
    case ast::BinaryOp::Or:
      if (lt.kind != TypeKind::Bool || rt.kind != TypeKind::Bool) return mismatch(diag::Kind::OperatorTypes);
      return finish(kBool, kBool);
    case ast::BinaryOp::Eq:
    case ast::BinaryOp::Ne: {
      // A string literal against a union is checked against the union's values.
      if (lt.kind == TypeKind::Union && rhs.kind == ExprKind::Literal && rt.kind == TypeKind::String) {
        rhs = CheckUnionLiteral(std::move(rhs), lt, rhs.range);
        if (rhs.type.kind == TypeKind::Error) return ErrorExpr(e.range);
        return finish(kBool, lt);
      }
      if (rt.kind == TypeKind::Union && lhs.kind == ExprKind::Literal && lt.kind == TypeKind::String) {
        lhs = CheckUnionLiteral(std::move(lhs), rt, lhs.range);
        if (lhs.type.kind == TypeKind::Error) return ErrorExpr(e.range);
        return finish(kBool, rt);
      }
      if (IsNumeric(lt) && IsNumeric(rt)) return finish(kBool, common);
      if (IsStringy(lt) && IsStringy(rt)) return finish(kBool, lt);
      if (lt == rt) return finish(kBool, lt);
      return mismatch(diag::Kind::CompareTypes);
    }
    case ast::BinaryOp::Lt:
    case ast::BinaryOp::Le:
    case ast::BinaryOp::Gt:
    case ast::BinaryOp::Ge:
      if (IsNumeric(lt) && IsNumeric(rt)) return finish(kBool, common);
      if (lt == rt && (lt.kind == TypeKind::Time || lt.kind == TypeKind::Duration ||
                       lt.kind == TypeKind::Percent))
        return finish(kBool, lt);
      return mismatch(diag::Kind::CompareTypes);
    case ast::BinaryOp::Add:
      if (IsNumeric(lt) && IsNumeric(rt)) return finish(common, common);
      if (lt.kind == TypeKind::Duration && rt.kind == TypeKind::Duration) return finish(lt, lt);
      if (lt.kind == TypeKind::Time && rt.kind == TypeKind::Duration) { out.type = lt; break; }
      if (lt.kind == TypeKind::Duration && rt.kind == TypeKind::Time) { out.type = rt; break; }
      return mismatch(diag::Kind::OperatorTypes);
    case ast::BinaryOp::Sub:
      if (IsNumeric(lt) && IsNumeric(rt)) return finish(common, common);
      if (lt.kind == TypeKind::Duration && rt.kind == TypeKind::Duration) return finish(lt, lt);
      if (lt.kind == TypeKind::Time && rt.kind == TypeKind::Time) {
        out.type = {TypeKind::Duration, -1};
        break;
      }
      if (lt.kind == TypeKind::Time && rt.kind == TypeKind::Duration) { out.type = lt; break; }
      return mismatch(diag::Kind::OperatorTypes);
    case ast::BinaryOp::Mul:
      if (IsNumeric(lt) && IsNumeric(rt)) return finish(common, common);
      if (lt.kind == TypeKind::Duration && rt.kind == TypeKind::Int) { out.type = lt; break; }
      if (lt.kind == TypeKind::Int && rt.kind == TypeKind::Duration) { out.type = rt; break; }
      return mismatch(diag::Kind::OperatorTypes);
    case ast::BinaryOp::Div: {
      // Division yields a decimal; floor, ceil or round bring it back to an int.
      if (!IsNumeric(lt) || !IsNumeric(rt)) return mismatch(diag::Kind::OperatorTypes);
      Type dec{TypeKind::Decimal, -1};
      return finish(dec, dec);
    }
  }
  out.operands.push_back(std::move(lhs));
  out.operands.push_back(std::move(rhs));
  return out;
}

Expr Checker::CheckCondition(const ast::Expr* e, const Scope& scope, const char* what) {
  Expr c = CheckExpr(*e, scope);
  if (c.type.kind != TypeKind::Bool && c.type.kind != TypeKind::Error) {
    Report(diag::Kind::ConditionNotBool, e->range,
           std::string(what) + " must be a bool, found " + TypeName(c.type))
        .hints.push_back("compare the value, e.g. `x > 0`");
    return ErrorExpr(e->range);
  }
  return c;
}

std::optional<Expr> Checker::CheckOptionalCondition(const ast::ExprPtr& e, const Scope& scope,
                                                    const char* what) {
  if (!e) return std::nullopt;
  Expr c = CheckCondition(e.get(), scope, what);
  if (c.type.kind == TypeKind::Error) return std::nullopt;
  return c;
}

static Expr CheckName(Checker& c, const ast::Expr& e, const Scope& scope) {
  const std::string& name = e.text;
  auto make = [&](ExprKind kind, Type type, int32_t id) {
    Expr out;
    out.kind = kind;
    out.type = type;
    out.id = id;
    out.range = e.range;
    return out;
  };
  if (scope.locals)
    for (size_t i = scope.locals->size(); i-- > 0;)
      if ((*scope.locals)[i].first == name) return make(ExprKind::Local, (*scope.locals)[i].second, int32_t(i));
  if (scope.params)
    for (size_t i = 0; i < scope.params->size(); ++i)
      if ((*scope.params)[i].name == name) return make(ExprKind::Param, (*scope.params)[i].type, int32_t(i));

  const Symbol* s = c.pkg.Find(name);
  if (scope.constant && !(s && s->kind == SymbolKind::Const)) {
    c.Report(diag::Kind::NotConstant, e.range, "'" + name + "' is not a constant")
        .hints.push_back("clause values are literals or `const` names");
    return make(ExprKind::Literal, {TypeKind::Error, -1}, -1);
  }
  if (name == "now") return make(ExprKind::Now, {TypeKind::Time, -1}, -1);
  if (name == "points_ever") return make(ExprKind::PointsEver, {TypeKind::Int, -1}, -1);
  if (name == "level") return make(ExprKind::Level, {TypeKind::Union, c.pkg.level_union}, -1);
  if (name == "profile") {
    c.Report(diag::Kind::BareProfile, e.range, "`profile` needs a field, such as `profile.country`");
    return make(ExprKind::Literal, {TypeKind::Error, -1}, -1);
  }
  if (s != nullptr) {
    c.used[name] = "value";
    switch (s->kind) {
      case SymbolKind::Currency: return make(ExprKind::Balance, {TypeKind::Int, -1}, s->id);
      case SymbolKind::Const: {
        EnsureConst(c, s->id, c.DeclsOf<ast::ConstDecl>());
        const Const& k = c.pkg.consts[size_t(s->id)];
        Expr out = make(ExprKind::Const, k.type, s->id);
        out.value = k.value;
        return out;
      }
      case SymbolKind::Metric: return EnsureMetricRef(c, s->id, e.range);
      case SymbolKind::Segment: return EnsureSegmentRef(c, s->id, e.range);
      case SymbolKind::Event:
        c.Report(diag::Kind::EventNotInScope, e.range,
                 "event '" + name + "' is not a value; use one of its fields, such as `" + name + ".ts`");
        return make(ExprKind::Literal, {TypeKind::Error, -1}, -1);
      default:
        c.Report(diag::Kind::UnknownName, e.range,
                 "'" + name + "' names a declaration, not a value");
        return make(ExprKind::Literal, {TypeKind::Error, -1}, -1);
    }
  }
  std::vector<std::string> candidates = {"now", "points", "points_ever", "level"};
  for (SymbolKind k : {SymbolKind::Currency, SymbolKind::Const, SymbolKind::Metric, SymbolKind::Segment})
    for (auto& n : c.NamesOf(k)) candidates.push_back(n);
  if (scope.locals)
    for (auto& l : *scope.locals) candidates.push_back(l.first);
  if (scope.params)
    for (auto& p : *scope.params) candidates.push_back(p.name);
  c.ReportUnknown(diag::Kind::UnknownName, e.range, "name", name, candidates);
  return make(ExprKind::Literal, {TypeKind::Error, -1}, -1);
}

static Expr CheckMember(Checker& c, const ast::Expr& e, const Scope& scope) {
  Expr err = ErrorExpr(e.range);
  const ast::Expr& object = *e.operands[0];
  if (object.kind != ast::ExprKind::Name) {
    c.Report(diag::Kind::UnknownName, e.name_range, "only events and `profile` have fields");
    return err;
  }
  auto field_names = [](const std::vector<Field>& fields) {
    std::vector<std::string> names;
    for (const Field& f : fields) names.push_back(f.name);
    return names;
  };
  if (object.text == "profile") {
    if (scope.constant) {
      c.Report(diag::Kind::NotConstant, e.range, "a profile field is not a constant");
      return err;
    }
    for (size_t i = 0; i < c.pkg.profile.size(); ++i)
      if (c.pkg.profile[i].name == e.text) {
        Expr out;
        out.kind = ExprKind::ProfileField;
        out.type = c.pkg.profile[i].type;
        out.field = int32_t(i);
        out.range = e.range;
        return out;
      }
    std::string near = NearestName(e.text, field_names(c.pkg.profile));
    diag::Diagnostic& d = c.Report(diag::Kind::UnknownProfileField, e.name_range,
                                   "the profile has no field '" + e.text + "'");
    d.hints.push_back(near.empty() ? "add it with `extend profile { " + e.text + ": TYPE = DEFAULT }`"
                                   : "did you mean '" + near + "'?");
    return err;
  }
  int32_t event = c.pkg.EventId(object.text);
  if (event < 0) {
    std::vector<std::string> candidates = c.NamesOf(SymbolKind::Event);
    candidates.push_back("profile");
    c.ReportUnknown(diag::Kind::UnknownEvent, object.range, "event", object.text, candidates);
    return err;
  }
  if (scope.constant || event != scope.event) {
    c.Report(diag::Kind::EventNotInScope, object.range,
             "event '" + object.text + "' is not in scope here")
        .hints.push_back("an event's fields are visible in its rule, in its aggregate's `where`, "
                         "in its `wait for` block and in its trigger's condition");
    return err;
  }
  const Event& ev = c.pkg.events[size_t(event)];
  for (size_t i = 0; i < ev.fields.size(); ++i)
    if (ev.fields[i].name == e.text) {
      Expr out;
      out.kind = ExprKind::EventField;
      out.type = ev.fields[i].type;
      out.id = event;
      out.field = int32_t(i);
      out.range = e.range;
      return out;
    }
  std::string near = NearestName(e.text, field_names(ev.fields));
  diag::Diagnostic& d = c.Report(diag::Kind::UnknownField, e.range,
                                 "event '" + ev.name + "' has no field '" + e.text + "'");
  d.hints.push_back(near.empty() ? "add it with `extend event " + ev.name + " { " + e.text + ": TYPE }`"
                                 : "did you mean '" + near + "'?");
  return err;
}

}  // namespace questline::sema
