// Actions out as NDJSON (INTERFACES.md §4): seq, ts, user, event, source,
// action, key, then the action's own fields, one object per line.
#pragma once

#include <string>

#include "runtime/engine/action.h"

namespace questline::io {

void AppendActionJson(std::string& out, const engine::Action& action);
// One field's value as JSON (what AppendActionJson writes after its name).
void AppendActionValue(std::string& out, const engine::ActionValue& value);

}  // namespace questline::io
