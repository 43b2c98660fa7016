// Actions out as NDJSON (INTERFACES.md §4): seq, ts, user, event, source,
// action, key, then the action's own fields, one object per line.
#pragma once

#include <string>

#include "runtime/engine/action.h"

namespace questline::io {

void AppendActionJson(std::string& out, const engine::Action& action);

}  // namespace questline::io
