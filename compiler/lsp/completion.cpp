// Completion items from the context scan and the last analysis' index.
#include "compiler/index/describe.h"
#include "compiler/lsp/completion_context.h"
#include "compiler/lsp/features.h"
#include "compiler/lsp/json_builder.h"

namespace questline::lsp {

namespace {

// LSP CompletionItemKind values.
enum ItemKind { kFunction = 3, kField = 5, kVariable = 6, kClass = 7, kModule = 9, kProperty = 10, kEnum = 13,
                kKeyword = 14, kConstant = 21, kEvent = 23 };

int ItemKindOf(index::SymbolKind kind) {
  switch (kind) {
    case index::SymbolKind::Fn: return kFunction;
    case index::SymbolKind::EventField: return kField;
    case index::SymbolKind::ProfileField: return kProperty;
    case index::SymbolKind::Const: return kConstant;
    case index::SymbolKind::Event: return kEvent;
    case index::SymbolKind::Type: return kEnum;
    case index::SymbolKind::Metric:
    case index::SymbolKind::Segment:
    case index::SymbolKind::Param:
    case index::SymbolKind::Local: return kVariable;
    case index::SymbolKind::Currency: return kModule;
    default: return kClass;
  }
}

class Items {
 public:
  explicit Items(JsonBuilder& json) : json_(json) {}
  void Add(const std::string& label, int kind, const std::string& detail) {
    if (count_ >= kMaxCompletionItems) {
      incomplete_ = true;
      return;
    }
    ++count_;
    json_.BeginObject().Key("label").String(label).Key("kind").Int(kind);
    if (!detail.empty()) json_.Key("detail").String(detail);
    json_.EndObject();
  }
  void Keywords(const std::vector<std::string>& words) {
    for (const std::string& w : words) Add(w, kKeyword, "keyword");
  }
  bool Incomplete() const { return incomplete_; }

 private:
  JsonBuilder& json_;
  size_t count_ = 0;
  bool incomplete_ = false;
};

// `bet.` or `profile.`: the fields, with the implicit id/user/ts when the package checked.
void AddMembers(const Cursor& at, const std::string& owner, Items& items) {
  const index::Index& idx = at.session->Symbols();
  const sema::Package* checked = at.session->LastChecked();
  const int32_t event = checked ? checked->EventId(owner) : -1;
  if (event >= 0) {
    for (const sema::Field& f : checked->events[size_t(event)].fields)
      items.Add(f.name, kField, sema::TypeName(*checked, f.type));
    return;
  }
  for (int32_t field : idx.FieldsOf(owner)) items.Add(idx.At(field).name, ItemKindOf(idx.At(field).kind), index::Signature(idx, field, checked));
}

void AddNames(const Cursor& at, Items& items) {
  const index::Index& idx = at.session->Symbols();
  const auto& symbols = idx.Symbols();
  for (size_t i = 0; i < symbols.size(); ++i) {
    const index::SymbolKind kind = symbols[i].kind;
    if (kind == index::SymbolKind::EventField || kind == index::SymbolKind::ProfileField ||
        kind == index::SymbolKind::Task || kind == index::SymbolKind::Param || kind == index::SymbolKind::Local)
      continue;
    items.Add(symbols[i].name, ItemKindOf(kind), index::Signature(idx, int32_t(i), at.session->LastChecked()));
  }
  for (const char* builtin : {"now", "level", "points_ever", "profile"}) items.Add(builtin, kKeyword, "built in");
}

}  // namespace

std::string CompletionResult(const Cursor& at) {
  const diag::SourceFile& file = at.session->Sources().File(at.file);
  const std::string_view line = at.session->Sources().Line(at.file, at.line);
  const size_t offset = size_t(line.data() - file.text.data()) + diag::ByteOfColumn(line, at.col);
  const CompletionContext ctx = ContextAt(std::string_view(file.text).substr(0, offset));

  JsonBuilder json;
  json.BeginObject().Key("items").BeginArray();
  Items items(json);
  if (!ctx.member_of.empty()) {
    AddMembers(at, ctx.member_of, items);
  } else if (ctx.depth == 0 && ctx.line_start) {
    items.Keywords(DeclarationKeywords());
  } else {
    if (ctx.depth > 0 && ctx.line_start) {
      if (ctx.depth == 1) items.Keywords(ClauseKeywords(ctx.decl));
      if (ctx.depth > 1 || BodyTakesStatements(ctx.decl)) items.Keywords(StatementKeywords());
    }
    AddNames(at, items);
  }
  json.EndArray().Key("isIncomplete").Bool(items.Incomplete()).EndObject();
  return json.Take();
}

}  // namespace questline::lsp
