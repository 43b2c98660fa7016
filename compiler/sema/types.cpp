// Type references, names and the one implicit conversion (int to decimal).
#include "compiler/sema/checker.h"

namespace questline::sema {

Type Checker::TypeOf(const ast::TypeRef& ref) {
  if (!ref.members.empty()) {
    UnionType u;
    for (size_t i = 0; i < ref.members.size(); ++i)
      u.name += (i ? " | \"" : "\"") + ref.members[i] + "\"";
    u.members = ref.members;
    u.range = ref.range;
    pkg.unions.push_back(std::move(u));
    return {TypeKind::Union, int32_t(pkg.unions.size() - 1)};
  }
  static const std::pair<const char*, TypeKind> kBuiltins[] = {
      {"bool", TypeKind::Bool},         {"int", TypeKind::Int},
      {"decimal", TypeKind::Decimal},   {"string", TypeKind::String},
      {"time", TypeKind::Time},         {"duration", TypeKind::Duration},
      {"percent", TypeKind::Percent}};
  for (auto& [name, kind] : kBuiltins)
    if (ref.name.name == name) return {kind, -1};
  int32_t id = Resolve(ref.name, SymbolKind::Type, diag::Kind::UnknownType, "type");
  if (id < 0) return {};
  return {TypeKind::Union, id};
}

std::string Checker::TypeName(Type t) const { return sema::TypeName(pkg, t); }

std::string TypeName(const Package& package, Type t) {
  switch (t.kind) {
    case TypeKind::Error: return "<error>";
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Decimal: return "decimal";
    case TypeKind::String: return "string";
    case TypeKind::Time: return "time";
    case TypeKind::Duration: return "duration";
    case TypeKind::Percent: return "percent";
    case TypeKind::Union:
      return t.union_id >= 0 && size_t(t.union_id) < package.unions.size() ? package.unions[size_t(t.union_id)].name
                                                                            : "union";
  }
  return "?";
}

bool Checker::Assignable(Type from, Type to) const {
  if (from.kind == TypeKind::Error || to.kind == TypeKind::Error) return true;
  if (from == to) return true;
  if (from.kind == TypeKind::Int && to.kind == TypeKind::Decimal) return true;
  // A union value is a string; a string is not a union value (it may be anything).
  if (from.kind == TypeKind::Union && to.kind == TypeKind::String) return true;
  return false;
}

Expr Checker::Convert(Expr e, Type to) const {
  if (e.type.kind == TypeKind::Int && to.kind == TypeKind::Decimal) {
    Expr w;
    w.kind = ExprKind::Widen;
    w.type = {TypeKind::Decimal, -1};
    w.range = e.range;
    w.operands.push_back(std::move(e));
    return w;
  }
  return e;
}

}  // namespace questline::sema
