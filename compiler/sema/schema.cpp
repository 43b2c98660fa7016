// Schema: unions, events (+ extend), the profile (+ extend), settings,
// constants and functions.
#include <algorithm>
#include <filesystem>

#include "compiler/sema/checker.h"

namespace questline::sema {
namespace {

const char* kRequestEvents[] = {"profile_update", "mission_opt_in", "store_purchase",
                                "minigame_play", "tournament_register"};

}  // namespace

void ReportCycle(Checker& c, const std::string& what, const std::string& name, SourceRange range) {
  c.Report(diag::Kind::DefinitionCycle, range, what + " '" + name + "' depends on itself")
      .hints.push_back("break the cycle: a definition cannot use its own value");
}

void EnsureConst(Checker& c, int32_t id, const std::vector<const ast::ConstDecl*>& decls);

void Checker::CheckSchema() {
  // type NAME = "a" | "b"
  auto types = DeclsOf<ast::TypeDecl>();
  for (size_t i = 0; i < types.size(); ++i) {
    // A redeclared type (the prelude's GameType again) was reported once, by
    // Declare. Its values join the kept declaration's, quietly, so that each
    // use of them (`bet.game_type == "a"`) does not report the same mistake again.
    const Symbol* kept = pkg.Find(types[i]->name.name);
    const bool redeclared = kept && kept->kind == SymbolKind::Type && size_t(kept->id) != i;
    auto& members = pkg.unions[redeclared ? size_t(kept->id) : i].members;
    for (const ast::Ident& m : types[i]->members) {
      if (std::find(members.begin(), members.end(), m.name) == members.end())
        members.push_back(m.name);
      else if (!redeclared)
        Report(diag::Kind::DuplicateField, m.range,
               "\"" + m.name + "\" appears twice in " + types[i]->name.name);
    }
  }

  // event NAME { fields } and extend event NAME { fields }
  // `quiet`: the fields of a redeclaration, already reported as a whole.
  auto add_fields = [&](std::vector<Field>& fields, const std::vector<ast::Field>& decls,
                        const std::string& owner, bool with_defaults, bool quiet = false) {
    for (const ast::Field& f : decls) {
      bool duplicate = false;
      for (const Field& existing : fields)
        if (existing.name == f.name.name) {
          duplicate = true;
          if (quiet) continue;
          diag::Diagnostic& d = Report(diag::Kind::DuplicateField, f.name.range,
                                       owner + " already has a field '" + f.name.name + "'");
          if (existing.range.Valid()) d.related.push_back({existing.range, "first declared here"});
        }
      if (duplicate) continue;
      Field field{f.name.name, TypeOf(f.type), {}, f.range};
      field.default_value.kind = field.type.kind;
      if (with_defaults && f.default_value) {
        Scope scope;
        scope.constant = true;
        scope.allow_aggregates = false;
        Expr v = CheckExpr(*f.default_value, scope);
        if (field.type.kind == TypeKind::Union && v.kind == ExprKind::Literal && v.type.kind == TypeKind::String)
          v = CheckUnionLiteral(std::move(v), field.type, v.range);
        if (v.type.kind != TypeKind::Error && !Assignable(v.type, field.type) && field.type.kind != TypeKind::Error)
          Report(diag::Kind::DeclaredType, f.default_value->range,
                 "default of '" + f.name.name + "' is " + TypeName(v.type) + ", but the field is " +
                     TypeName(field.type));
        else if (v.type.kind != TypeKind::Error)
          Fold(Convert(std::move(v), field.type), &field.default_value);
      }
      fields.push_back(std::move(field));
    }
  };
  for (const ast::EventDecl* e : DeclsOf<ast::EventDecl>()) {
    int32_t id = pkg.EventId(e->name.name);
    if (e->extends) {
      if (id < 0) {
        ReportUnknown(diag::Kind::UnknownEvent, e->name.range, "event", e->name.name,
                      NamesOf(SymbolKind::Event));
        continue;
      }
    } else {
      const Symbol* s = pkg.Find(e->name.name);
      if (!s || s->kind != SymbolKind::Event) continue;   // a clash, already reported
      if (pkg.events[size_t(s->id)].range.line != e->range.line ||
          pkg.events[size_t(s->id)].range.file != e->range.file) {
        // A redeclared event (`event bet { x: int }` over the prelude's), already
        // reported: its new fields join the kept event as `extend event` would,
        // so that each use of them does not report the same mistake again.
        add_fields(pkg.events[size_t(s->id)].fields, e->fields, "", false, /*quiet=*/true);
        continue;
      }
      Event& ev = pkg.events[size_t(id)];
      ev.fields = {{"id", {TypeKind::String, -1}, {}, {}},
                   {"user", {TypeKind::String, -1}, {}, {}},
                   {"ts", {TypeKind::Time, -1}, {}, {}}};
      for (const char* r : kRequestEvents) ev.request |= ev.name == r;
    }
    add_fields(pkg.events[size_t(id)].fields, e->fields, "event '" + e->name.name + "'", false);
  }
  for (const ast::ProfileDecl* p : DeclsOf<ast::ProfileDecl>())
    add_fields(pkg.profile, p->fields, "the profile", true);

  for (const ast::SettingsDecl* s : DeclsOf<ast::SettingsDecl>()) {
    for (const ast::Setting& setting : s->settings) {
      const ast::Expr& v = *setting.value;
      if (setting.name.name == "week_starts") {
        if (v.kind != ast::ExprKind::Weekday)
          Report(diag::Kind::InvalidSetting, v.range, "`week_starts` expects a weekday such as `mon`");
        else
          pkg.settings.week_starts = int(v.int_value);
        continue;
      }
      if (v.kind != ast::ExprKind::String) {
        Report(diag::Kind::InvalidSetting, v.range, "`" + setting.name.name + "` expects a string");
        continue;
      }
      if (setting.name.name == "timezone") {
        std::error_code ec;
        bool known = v.text == "UTC" ||
                     (v.text.find("..") == std::string::npos &&
                      std::filesystem::is_regular_file("/usr/share/zoneinfo/" + v.text, ec));
        if (!known)
          Report(diag::Kind::InvalidSetting, v.range, "unknown timezone \"" + v.text + "\"")
              .hints.push_back("use an IANA name such as \"Europe/Malta\" or \"UTC\"");
        else
          pkg.settings.timezone = v.text;
      } else {
        pkg.settings.seed = v.text;
      }
    }
  }

  auto consts = DeclsOf<ast::ConstDecl>();
  const_state.assign(pkg.consts.size(), 0);
  for (size_t i = 0; i < consts.size() && i < pkg.consts.size(); ++i) EnsureConst(*this, int32_t(i), consts);
}

bool Checker::EnterDefinition(SourceRange at) {
  if (definition_depth >= kMaxDefinitionDepth) {
    if (!definition_depth_reported)
      Report(diag::Kind::NestingTooDeep, at,
             "definitions use one another more than " + std::to_string(kMaxDefinitionDepth) + " deep")
          .hints.push_back("shorten the chain of consts, fns or segments that each use the next");
    definition_depth_reported = true;
    return false;
  }
  ++definition_depth;
  return true;
}

// const NAME (: TYPE)? = EXPR — folded once, on first use or in order.
void EnsureConst(Checker& c, int32_t id, const std::vector<const ast::ConstDecl*>& decls) {
  if (c.const_state[size_t(id)] == 2) return;
  Const& k = c.pkg.consts[size_t(id)];
  const ast::ConstDecl& d = *decls[size_t(id)];
  if (c.const_state[size_t(id)] == 1) {
    ReportCycle(c, "constant", k.name, d.name.range);
    k.type = {TypeKind::Error, -1};
    return;
  }
  if (!c.EnterDefinition(d.name.range)) {
    k.type = {TypeKind::Error, -1};
    return;
  }
  c.const_state[size_t(id)] = 1;
  Scope scope;
  scope.constant = true;
  scope.allow_aggregates = false;
  Expr v = c.CheckExpr(*d.value, scope);
  Type declared = d.type ? c.TypeOf(*d.type) : v.type;
  if (declared.kind == TypeKind::Union && v.kind == ExprKind::Literal && v.type.kind == TypeKind::String)
    v = c.CheckUnionLiteral(std::move(v), declared, v.range);
  if (v.type.kind != TypeKind::Error && !c.Assignable(v.type, declared)) {
    c.Report(diag::Kind::DeclaredType, d.value->range,
             "'" + k.name + "' is declared " + c.TypeName(declared) + " but its value is " +
                 c.TypeName(v.type));
    declared = {TypeKind::Error, -1};
  }
  k.type = v.type.kind == TypeKind::Error ? v.type : declared;
  if (k.type.kind != TypeKind::Error && !c.Fold(c.Convert(std::move(v), declared), &k.value)) {
    c.Report(diag::Kind::NotConstant, d.value->range, "'" + k.name + "' cannot be computed before the package runs");
    k.type = {TypeKind::Error, -1};
  }
  k.value.kind = k.type.kind;
  c.const_state[size_t(id)] = 2;
  c.LeaveDefinition();
}

// fn NAME(params) -> TYPE = EXPR — checked at its definition, on first call or in order.
void EnsureFn(Checker& c, int32_t id) {
  if (c.fn_state[size_t(id)] == 2) return;
  Fn& fn = c.pkg.fns[size_t(id)];
  const ast::FnDecl& d = *c.DeclsOf<ast::FnDecl>()[size_t(id)];
  if (c.fn_state[size_t(id)] == 1) {
    ReportCycle(c, "function", fn.name, d.name.range);
    return;
  }
  if (!c.EnterDefinition(d.name.range)) return;   // left at state 0: the call reports nothing more
  c.fn_state[size_t(id)] = 1;
  fn.params.clear();
  for (const ast::Param& p : d.params) fn.params.push_back({p.name.name, c.TypeOf(p.type), {}, p.name.range});
  fn.result = c.TypeOf(d.result);
  Scope scope;
  scope.params = &fn.params;
  scope.allow_aggregates = false;
  Expr body = c.CheckExpr(*d.body, scope);
  if (fn.result.kind == TypeKind::Union && body.kind == ExprKind::Literal && body.type.kind == TypeKind::String)
    body = c.CheckUnionLiteral(std::move(body), fn.result, body.range);
  if (body.type.kind != TypeKind::Error && !c.Assignable(body.type, fn.result))
    c.Report(diag::Kind::ResultType, d.body->range,
             "'" + fn.name + "' returns " + c.TypeName(fn.result) + " but its body is " +
                 c.TypeName(body.type))
        .hints.push_back(body.type.kind == TypeKind::Decimal && fn.result.kind == TypeKind::Int
                             ? "wrap the body in floor(…), ceil(…) or round(…)"
                             : "change the result type or the body");
  fn.body = c.Convert(std::move(body), fn.result);
  c.fn_state[size_t(id)] = 2;
  c.LeaveDefinition();
}

void Checker::CheckFunctions() {
  for (size_t i = 0; i < pkg.fns.size(); ++i) EnsureFn(*this, int32_t(i));
}

}  // namespace questline::sema
