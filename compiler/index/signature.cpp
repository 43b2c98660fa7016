// Signatures read types from the checked package by name: the index knows
// where names are, sema knows what they are.
#include <string>

#include "compiler/index/describe.h"

namespace questline::index {

namespace {

const sema::Field* FieldNamed(const std::vector<sema::Field>& fields, const std::string& name) {
  for (const sema::Field& f : fields)
    if (f.name == name) return &f;
  return nullptr;
}

// The id of `name` in the package namespace when it has `kind`; -1 otherwise.
int32_t IdOf(const sema::Package& p, const std::string& name, sema::SymbolKind kind) {
  const sema::Symbol* s = p.Find(name);
  return s && s->kind == kind ? s->id : -1;
}

std::string Params(const sema::Package& p, const sema::Fn& fn) {
  std::string out = "(";
  for (size_t i = 0; i < fn.params.size(); ++i)
    out += (i ? ", " : "") + fn.params[i].name + ": " + sema::TypeName(p, fn.params[i].type);
  return out + ") -> " + sema::TypeName(p, fn.result);
}

// The type part of the signature (": decimal", "(x: int) -> bool"), or "".
std::string TypePart(const Symbol& s, const sema::Package& p) {
  auto typed = [&](sema::Type t) { return ": " + sema::TypeName(p, t); };
  switch (s.kind) {
    case SymbolKind::EventField: {
      const int32_t e = p.EventId(s.container);
      const sema::Field* f = e >= 0 ? FieldNamed(p.events[size_t(e)].fields, s.name) : nullptr;
      return f ? typed(f->type) : "";
    }
    case SymbolKind::ProfileField: {
      const sema::Field* f = FieldNamed(p.profile, s.name);
      return f ? typed(f->type) : "";
    }
    case SymbolKind::Const: {
      const int32_t id = IdOf(p, s.name, sema::SymbolKind::Const);
      return id >= 0 ? typed(p.consts[size_t(id)].type) : "";
    }
    case SymbolKind::Fn: {
      const int32_t id = IdOf(p, s.name, sema::SymbolKind::Fn);
      return id >= 0 ? Params(p, p.fns[size_t(id)]) : "";
    }
    case SymbolKind::Param: {
      const int32_t id = IdOf(p, s.container, sema::SymbolKind::Fn);
      const sema::Field* f = id >= 0 ? FieldNamed(p.fns[size_t(id)].params, s.name) : nullptr;
      return f ? typed(f->type) : "";
    }
    case SymbolKind::Metric: {
      const int32_t id = IdOf(p, s.name, sema::SymbolKind::Metric);
      return id >= 0 ? typed(p.metrics[size_t(id)].aggregate.result) : "";
    }
    case SymbolKind::Segment: return ": bool";
    case SymbolKind::Level: {
      const int32_t id = IdOf(p, s.name, sema::SymbolKind::Level);
      return id >= 0 ? " (at " + std::to_string(p.levels[size_t(id)].at) + " points)" : "";
    }
    case SymbolKind::Type: {
      const int32_t id = IdOf(p, s.name, sema::SymbolKind::Type);
      if (id < 0) return "";
      std::string out = " =";
      for (size_t i = 0; i < p.unions[size_t(id)].members.size(); ++i)
        out += std::string(i ? " |" : "") + " \"" + p.unions[size_t(id)].members[i] + "\"";
      return out;
    }
    case SymbolKind::Event: {
      const int32_t e = p.EventId(s.name);
      if (e < 0) return "";
      std::string out = " {";
      for (const sema::Field& f : p.events[size_t(e)].fields) out += " " + f.name + ": " + sema::TypeName(p, f.type);
      return out + " }";
    }
    case SymbolKind::Mission: {
      const int32_t id = IdOf(p, s.name, sema::SymbolKind::Mission);
      return id >= 0 && !p.missions[size_t(id)].title.empty() ? " \"" + p.missions[size_t(id)].title + "\"" : "";
    }
    default:
      return "";
  }
}

}  // namespace

std::string Signature(const Index& index, int32_t symbol, const sema::Package* package) {
  const Symbol& s = index.At(symbol);
  std::string name = s.name;
  if (s.kind == SymbolKind::EventField || s.kind == SymbolKind::Task) name = s.container + "." + s.name;
  if (s.kind == SymbolKind::ProfileField) name = "profile." + s.name;
  return std::string(KindName(s.kind)) + " " + name + (package ? TypePart(s, *package) : "");
}

}  // namespace questline::index
