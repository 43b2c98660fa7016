#include "compiler/index/index.h"

#include <algorithm>
#include <tuple>

namespace questline::index {

const char* KindName(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Type: return "type";
    case SymbolKind::Event: return "event";
    case SymbolKind::EventField: return "event field";
    case SymbolKind::ProfileField: return "profile field";
    case SymbolKind::Currency: return "currency";
    case SymbolKind::Const: return "const";
    case SymbolKind::Fn: return "fn";
    case SymbolKind::Param: return "parameter";
    case SymbolKind::Local: return "let";
    case SymbolKind::Metric: return "metric";
    case SymbolKind::Segment: return "segment";
    case SymbolKind::Rule: return "rule";
    case SymbolKind::Level: return "level";
    case SymbolKind::Badge: return "badge";
    case SymbolKind::Mission: return "mission";
    case SymbolKind::Task: return "task";
    case SymbolKind::Competition: return "competition";
    case SymbolKind::Item: return "item";
    case SymbolKind::Minigame: return "minigame";
    case SymbolKind::Raffle: return "raffle";
    case SymbolKind::Flow: return "flow";
    case SymbolKind::Policy: return "policy";
  }
  return "symbol";
}

int32_t Index::Declare(Symbol symbol, const std::string& key) {
  symbols_.push_back(std::move(symbol));
  const int32_t id = int32_t(symbols_.size() - 1);
  by_key_.emplace(key, id);
  return id;
}

int32_t Index::Lookup(const std::string& key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? -1 : it->second;
}

void Index::Record(int32_t symbol, SourceRange range, bool is_decl) {
  if (symbol >= 0 && range.Valid()) occurrences_.push_back({symbol, range, is_decl});
}

int32_t Index::Find(const std::string& name) const { return name.find('.') == std::string::npos ? Lookup(name) : -1; }

int32_t Index::SymbolAt(diag::FileId file, uint32_t line, uint32_t col) const {
  for (const Occurrence& o : occurrences_) {
    const SourceRange& r = o.range;
    if (r.file != file || line < r.line || line > r.end_line) continue;
    if (line == r.line && col < r.col) continue;
    if (line == r.end_line && col > r.end_col) continue;
    return o.symbol;
  }
  return -1;
}

std::vector<Occurrence> Index::OccurrencesOf(int32_t symbol) const {
  std::vector<Occurrence> out;
  for (const Occurrence& o : occurrences_)
    if (o.symbol == symbol) out.push_back(o);
  std::stable_sort(out.begin(), out.end(), [](const Occurrence& a, const Occurrence& b) {
    return std::make_tuple(!a.is_decl, a.range) < std::make_tuple(!b.is_decl, b.range);
  });
  return out;
}

std::vector<int32_t> Index::FieldsOf(const std::string& owner) const {
  std::vector<int32_t> out;
  for (size_t i = 0; i < symbols_.size(); ++i) {
    const Symbol& s = symbols_[i];
    if ((s.kind == SymbolKind::EventField || s.kind == SymbolKind::ProfileField) && s.container == owner)
      out.push_back(int32_t(i));
  }
  return out;
}

}  // namespace questline::index
