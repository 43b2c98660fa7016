// A reload's map from the old program to the new one (Engine::Reload,
// docs/engine.md "Reload: the migration rules"): for each kind of
// declaration, the new index of every old one that is kept, by name and
// shape. Shapes are compared structurally across the two programs (their
// indices differ; names, kinds and literal texts must not): what cannot be
// shown to be the same counts as changed, and its state starts afresh.
#pragma once

#include <cstdint>
#include <vector>

#include "core/ir/program.h"
#include "runtime/engine/player_block.h"

namespace questline::engine {

class Kernel;

// Old index -> new index, -1 where the declaration is gone or changed.
struct IndexMap {
  std::vector<int32_t> to_new;
  std::vector<int32_t> to_old;   // the inverse: -1 where the new one was added or changed
  int32_t New(int32_t old_index) const { return old_index < 0 || size_t(old_index) >= to_new.size() ? -1 : to_new[size_t(old_index)]; }
  int32_t Old(int32_t new_index) const { return new_index < 0 || size_t(new_index) >= to_old.size() ? -1 : to_old[size_t(new_index)]; }
};

struct Migration {
  const ir::Program& from;
  const ir::Program& to;
  const Kernel& old;   // the engine being replaced, for each mechanic's own state
  bool same_schema = false;   // every event type and field the same, in the same order
  bool same_segments = false; // every segment the same, in the same order: memberships stand as they are
  IndexMap events, currencies, profile, metrics, segments, rules, levels, badges, missions, policies, items, games,
      raffles, flows, competitions;
};

// A player's slots (or bits) of kept declarations, from the old block to the new.
template <class T>
void CopySlots(const IndexMap& map, const Slots<T>& from, const PlayerBlock& from_block, const Slots<T>& to,
               const PlayerBlock& to_block) {
  for (uint32_t i = 0; i < from.count; ++i)
    if (const int32_t n = map.New(int32_t(i)); n >= 0 && uint32_t(n) < to.count) to.In(to_block)[n] = from.In(from_block)[i];
}
inline void CopyBits(const IndexMap& map, const Bits& from, const PlayerBlock& from_block, const Bits& to,
                     const PlayerBlock& to_block) {
  for (uint32_t i = 0; i < from.count; ++i)
    if (const int32_t n = map.New(int32_t(i)); n >= 0 && uint32_t(n) < to.count) to.Set(to_block, size_t(n), from.Test(from_block, i));
}
// What is left of a stock after a reload: what the old engine had left, moved
// by what the package changed (100 -> 150 gives 50 more); -1 is unlimited.
inline int64_t CarriedStock(int64_t left, int64_t old_initial, int64_t new_initial) {
  if (new_initial < 0) return -1;
  if (old_initial < 0 || left < 0) return new_initial;
  const int64_t moved = left + (new_initial - old_initial);
  return moved < 0 ? 0 : moved;
}

// Builds the maps; `old` is the kernel running `from`.
Migration PlanMigration(const Kernel& old, const ir::Program& from, const ir::Program& to);

// Structural sameness across the two programs (exposed for the mechanics:
// a mission's tasks, a competition's score). `old_event`/`new_event` are the
// event types whose fields the expressions read (-1: none).
bool SameExpr(const Migration& mg, ir::ExprRef a, ir::ExprRef b, int32_t old_event, int32_t new_event);
bool SameAggregate(const Migration& mg, const ir::Aggregate& a, const ir::Aggregate& b);
bool SameBlock(const Migration& mg, const ir::Block& a, const ir::Block& b, int32_t old_event, int32_t new_event);

}  // namespace questline::engine
