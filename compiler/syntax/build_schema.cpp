// Schema declarations: types, events, profile, settings, constants, functions.
#include "compiler/syntax/builder.h"

namespace questline::syntax {

// typeRef : unionType | name
ast::TypeRef Builder::BuildTypeRef(P::TypeRefContext* ctx) {
  ast::TypeRef ref;
  ref.range = Range(ctx);
  if (auto* u = ctx->unionType()) {
    for (auto* s : u->STRING()) ref.members.push_back(DecodeStringToken(s));
  } else {
    ref.name = MakeIdent(ctx->name());
  }
  return ref;
}

// typeDecl : TYPE ident '=' unionType
ast::Decl Builder::BuildTypeDecl(P::TypeDeclContext* ctx) {
  ast::TypeDecl decl;
  decl.name = MakeIdent(ctx->ident());
  for (auto* s : ctx->unionType()->STRING())
    decl.members.push_back({DecodeStringToken(s), Range(s)});
  decl.range = Range(ctx);
  return decl;
}

namespace {

// field : name ':' typeRef ('=' expr)?
std::vector<ast::Field> BuildFields(Builder& b, P::FieldBlockContext* block) {
  std::vector<ast::Field> fields;
  for (auto* f : block->field()) {
    ast::Field field;
    field.name = b.MakeIdent(f->name());
    field.type = b.BuildTypeRef(f->typeRef());
    if (f->expr()) field.default_value = b.BuildExpr(f->expr());
    field.range = b.Range(f);
    fields.push_back(std::move(field));
  }
  return fields;
}

}  // namespace

// eventDecl : EVENT ident fieldBlock ; extendEventDecl : EXTEND EVENT ident fieldBlock
ast::Decl Builder::BuildEventDecl(P::FieldBlockContext* block, P::IdentContext* name,
                                  bool extends, antlr4::ParserRuleContext* whole) {
  ast::EventDecl decl;
  decl.name = MakeIdent(name);
  decl.extends = extends;
  decl.fields = BuildFields(*this, block);
  decl.range = Range(whole);
  return decl;
}

// profileDecl : PROFILE fieldBlock ; extendProfileDecl : EXTEND PROFILE fieldBlock
ast::Decl Builder::BuildProfileDecl(P::FieldBlockContext* block, bool extends,
                                    antlr4::ParserRuleContext* whole) {
  ast::ProfileDecl decl;
  decl.extends = extends;
  decl.fields = BuildFields(*this, block);
  decl.range = Range(whole);
  return decl;
}

// settingsDecl : SETTINGS '{' (setting ';'?)* '}' ; setting : name expr
ast::Decl Builder::BuildSettings(P::SettingsDeclContext* ctx) {
  static const char* kKnown[] = {"timezone", "week_starts", "seed"};
  ast::SettingsDecl decl;
  decl.range = Range(ctx);
  for (auto* s : ctx->setting()) {
    ast::Setting setting{MakeIdent(s->name()), BuildExpr(s->expr()), Range(s)};
    bool known = false;
    for (const char* k : kKnown) known |= setting.name.name == k;
    if (!known) {
      Error(diag::Kind::UnknownSetting, setting.name.range,
            "unknown setting '" + setting.name.name + "'",
            "settings are `timezone`, `week_starts` and `seed`");
      continue;
    }
    decl.settings.push_back(std::move(setting));
  }
  return decl;
}

// constDecl : CONST ident (':' typeRef)? '=' expr
ast::Decl Builder::BuildConst(P::ConstDeclContext* ctx) {
  ast::ConstDecl decl;
  decl.name = MakeIdent(ctx->ident());
  if (ctx->typeRef()) decl.type = BuildTypeRef(ctx->typeRef());
  decl.value = BuildExpr(ctx->expr());
  decl.range = Range(ctx);
  return decl;
}

// fnDecl : FN ident '(' (param (',' param)*)? ')' '->' typeRef '=' expr
ast::Decl Builder::BuildFn(P::FnDeclContext* ctx) {
  ast::FnDecl decl;
  decl.name = MakeIdent(ctx->ident());
  for (auto* p : ctx->param())
    decl.params.push_back({MakeIdent(p->name()), BuildTypeRef(p->typeRef())});
  decl.result = BuildTypeRef(ctx->typeRef());
  decl.body = BuildExpr(ctx->expr());
  decl.range = Range(ctx);
  return decl;
}

}  // namespace questline::syntax
