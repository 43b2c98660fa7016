// A package's symbol index: every declared name with the range of its
// declaration, and every place a name is used, resolved the way sema resolves
// it (one package namespace, event fields under their event, profile fields,
// fn parameters and `let` locals in their scope). Built from the syntax tree
// alone, so it exists even when the package does not type-check; the editor
// features (hover, definition, references, rename, completion) are queries on it.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "compiler/diag/source.h"
#include "compiler/syntax/ast.h"

namespace questline::index {

using diag::SourceRange;

enum class SymbolKind : uint8_t {
  Type, Event, EventField, ProfileField, Currency, Const, Fn, Param, Local, Metric, Segment,
  Rule, Level, Badge, Mission, Task, Competition, Item, Minigame, Raffle, Flow, Policy,
};

// `metric`, `event field`, …: how hover and completion name a kind.
const char* KindName(SymbolKind kind);

struct Symbol {
  std::string name;
  SymbolKind kind = SymbolKind::Const;
  std::string container;   // EventField: its event; Task: its mission; Param/Local: the enclosing declaration
  SourceRange decl;        // the name at its (first) declaration
};

struct Occurrence {
  int32_t symbol = -1;
  SourceRange range;       // the name's characters only
  bool is_decl = false;    // `extend event bet` and a field of it count as declarations too
};

class Index {
 public:
  const std::vector<Symbol>& Symbols() const { return symbols_; }
  const Symbol& At(int32_t id) const { return symbols_[size_t(id)]; }

  // The symbol whose name covers 1-based (line, col) of `file` (the end column
  // counts, so a cursor just after a name finds it); -1 when none.
  int32_t SymbolAt(diag::FileId file, uint32_t line, uint32_t col) const;
  // Every occurrence of `symbol`, declarations first, in file and position order.
  std::vector<Occurrence> OccurrencesOf(int32_t symbol) const;
  // A top-level (package namespace) symbol by name; -1 when none.
  int32_t Find(const std::string& name) const;
  // The fields of an event (`deposit`), or of the profile for "profile".
  std::vector<int32_t> FieldsOf(const std::string& owner) const;

  // Building (compiler/index/collect.cpp).
  int32_t Declare(Symbol symbol, const std::string& key);
  int32_t Lookup(const std::string& key) const;
  void Record(int32_t symbol, SourceRange range, bool is_decl);

 private:
  std::vector<Symbol> symbols_;
  std::vector<Occurrence> occurrences_;
  std::unordered_map<std::string, int32_t> by_key_;   // "name", "event.field", "profile.field", "#n.local"
};

// Limits: expressions deeper than this are not walked further (the parser
// already refuses deeper nesting; this bounds the walk on its own).
inline constexpr int kMaxWalkDepth = 256;

// The index of parsed modules (the prelude included; its ranges point into it).
Index Build(const std::vector<ast::Module>& modules);

}  // namespace questline::index
