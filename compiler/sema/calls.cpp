// Calls: the built-in functions and the package's own `fn`s.
#include "compiler/sema/checker.h"

namespace questline::sema {

void EnsureFn(Checker& c, int32_t id);   // schema.cpp

namespace {

struct BuiltinSig {
  const char* name;
  Builtin builtin;
  int arity;
};

const BuiltinSig kBuiltins[] = {
    {"floor", Builtin::Floor, 1},     {"ceil", Builtin::Ceil, 1},
    {"round", Builtin::Round, 1},     {"abs", Builtin::Abs, 1},
    {"min", Builtin::Min, 2},         {"max", Builtin::Max, 2},
    {"has", Builtin::Has, 1},         {"hour", Builtin::Hour, 1},
    {"weekday", Builtin::Weekday, 1}, {"lower", Builtin::Lower, 1},
    {"upper", Builtin::Upper, 1},     {"contains", Builtin::Contains, 2},
    {"starts_with", Builtin::StartsWith, 2},
};

bool IsNumeric(Type t) { return t.kind == TypeKind::Int || t.kind == TypeKind::Decimal; }

}  // namespace

Expr CheckCall(Checker& c, const ast::Expr& e, const Scope& scope) {
  Expr out;
  out.range = e.range;
  out.type = {TypeKind::Error, -1};
  std::vector<Expr> args;
  for (const auto& a : e.operands) args.push_back(c.CheckExpr(*a, scope));
  for (const Expr& a : args)
    if (a.type.kind == TypeKind::Error) return out;

  for (const BuiltinSig& sig : kBuiltins) {
    if (e.text != sig.name) continue;
    if (int(args.size()) != sig.arity) {
      c.Report(diag::Kind::ArgumentCount, e.range,
               std::string("'") + sig.name + "' takes " + std::to_string(sig.arity) +
                   (sig.arity == 1 ? " argument, " : " arguments, ") + std::to_string(args.size()) +
                   " given");
      return out;
    }
    auto bad_arg = [&](size_t i, const char* wanted) {
      c.Report(diag::Kind::ArgumentType, args[i].range,
               std::string("'") + sig.name + "' expects " + wanted + ", found " + c.TypeName(args[i].type));
      return out;
    };
    Type result = args[0].type;
    switch (sig.builtin) {
      case Builtin::Floor:
      case Builtin::Ceil:
      case Builtin::Round:
        if (!IsNumeric(args[0].type)) return bad_arg(0, "a number");
        args[0] = c.Convert(std::move(args[0]), {TypeKind::Decimal, -1});
        result = {TypeKind::Int, -1};
        break;
      case Builtin::Abs:
        if (!IsNumeric(args[0].type) && args[0].type.kind != TypeKind::Duration) return bad_arg(0, "a number");
        break;
      case Builtin::Min:
      case Builtin::Max: {
        bool numeric = IsNumeric(args[0].type) && IsNumeric(args[1].type);
        if (!numeric && args[0].type != args[1].type) return bad_arg(1, c.TypeName(args[0].type).c_str());
        if (numeric && (args[0].type.kind == TypeKind::Decimal || args[1].type.kind == TypeKind::Decimal)) {
          result = {TypeKind::Decimal, -1};
          args[0] = c.Convert(std::move(args[0]), result);
          args[1] = c.Convert(std::move(args[1]), result);
        }
        break;
      }
      case Builtin::Has: result = {TypeKind::Bool, -1}; break;
      case Builtin::Hour:
      case Builtin::Weekday:
        if (args[0].type.kind != TypeKind::Time) return bad_arg(0, "a time");
        result = {TypeKind::Int, -1};
        break;
      case Builtin::Lower:
      case Builtin::Upper:
        if (args[0].type.kind != TypeKind::String && args[0].type.kind != TypeKind::Union)
          return bad_arg(0, "a string");
        result = {TypeKind::String, -1};
        break;
      case Builtin::Contains:
      case Builtin::StartsWith:
        for (size_t i = 0; i < 2; ++i)
          if (args[i].type.kind != TypeKind::String && args[i].type.kind != TypeKind::Union)
            return bad_arg(i, "a string");
        result = {TypeKind::Bool, -1};
        break;
    }
    out.kind = ExprKind::Builtin;
    out.builtin = sig.builtin;
    out.type = result;
    out.operands = std::move(args);
    return out;
  }

  const Symbol* s = c.pkg.Find(e.text);
  if (s == nullptr || s->kind != SymbolKind::Fn) {
    std::vector<std::string> candidates = c.NamesOf(SymbolKind::Fn);
    for (const BuiltinSig& sig : kBuiltins) candidates.push_back(sig.name);
    c.ReportUnknown(diag::Kind::UnknownFunction, e.name_range, "function", e.text, candidates);
    return out;
  }
  if (scope.constant) {
    c.Report(diag::Kind::NotConstant, e.range, "a function call is not a constant");
    return out;
  }
  c.used[e.text] = "call";
  EnsureFn(c, s->id);
  if (c.fn_state[size_t(s->id)] == 0) return out;   // refused as too deep (Q0108 reported)
  const Fn& fn = c.pkg.fns[size_t(s->id)];
  if (args.size() != fn.params.size()) {
    c.Report(diag::Kind::ArgumentCount, e.range,
             "'" + fn.name + "' takes " + std::to_string(fn.params.size()) + " arguments, " +
                 std::to_string(args.size()) + " given");
    return out;
  }
  for (size_t i = 0; i < args.size(); ++i) {
    const Type want = fn.params[i].type;
    if (want.kind == TypeKind::Union && args[i].kind == ExprKind::Literal &&
        args[i].type.kind == TypeKind::String) {
      args[i] = c.CheckUnionLiteral(std::move(args[i]), want, args[i].range);
      if (args[i].type.kind == TypeKind::Error) return out;
      continue;
    }
    if (!c.Assignable(args[i].type, want)) {
      c.Report(diag::Kind::ArgumentType, args[i].range,
               "argument '" + fn.params[i].name + "' of '" + fn.name + "' is " + c.TypeName(want) +
                   ", found " + c.TypeName(args[i].type));
      return out;
    }
    args[i] = c.Convert(std::move(args[i]), want);
  }
  out.kind = ExprKind::FnCall;
  out.id = s->id;
  out.type = fn.result;
  out.operands = std::move(args);
  return out;
}

}  // namespace questline::sema
