// What a compiled program exports, in one deterministic order computed from the
// program alone: the code generator numbers entry points and statements with
// it, and a backend loading the same program's objects (from the cache or a
// bundle) recomputes the very same numbering to find them.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "core/ir/program.h"

namespace questline::jit {

struct ProgramIndex {
  std::vector<ir::ExprRef> exprs;          // expressions the engine evaluates directly, ascending
  std::vector<const ir::Block*> blocks;    // blocks the engine runs directly (bodies, rewards, prizes…)
  std::vector<const ir::Stmt*> stmts;      // every statement inside them, pre-order: the statement id
  std::unordered_map<const ir::Stmt*, int32_t> stmt_ids;
  size_t handlers = 0;                     // one per event type

  // Slots of the one entry table the objects export: exprs, then blocks, then handlers.
  size_t EntryCount() const { return exprs.size() + blocks.size() + handlers; }
};

ProgramIndex IndexProgram(const ir::Program& program);

}  // namespace questline::jit
