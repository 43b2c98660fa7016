// What several mechanics share: finding a request's target, rejecting a
// request, and grants counted per player (attempts, tickets).
#pragma once

#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/ir/program.h"
#include "runtime/engine/action.h"
#include "runtime/engine/calendar.h"
#include "runtime/engine/core_names.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/state.h"

namespace questline::engine {
class Kernel;
}

namespace questline::engine::mechanics {

using Fields = std::vector<std::pair<std::string, ActionValue>>;
// Interned name -> index, so requests never compare strings.
using NameIndex = std::unordered_map<uint32_t, int32_t>;

// The index of the mechanic's thing a request names in its field `field`
// ("item", "game" …), or -1; `name` is the requested name (for the action).
int32_t RequestTarget(Kernel& k, const Event& e, const char* field, const NameIndex& by_name, std::string* name);
// Emits the `rejected` action; false, so that handlers `return Reject(…)`.
bool Reject(Kernel& k, const std::string& source, const char* request, const char* reason, Fields fields = {});
// A per-player limit's counter (period key, uses) moved to the period of
// `now`; true when another use fits.
bool WithinLimit(const std::optional<ir::Bound>& limit, PeriodCount& counter, const Calendar& cal, int64_t now);
// Adds `count` to the player's `target` entry of `list` (attempts, tickets)
// unless a policy blocks the reward, and emits `action` with `field`: name.
void GiveCounted(Kernel& k, std::vector<std::pair<int32_t, int64_t>>& list, int32_t target, int64_t count,
                 const char* action, const char* field, const std::string& name);

}  // namespace questline::engine::mechanics
