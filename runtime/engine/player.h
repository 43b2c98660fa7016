// A player's state: each mechanic's part (its Player struct), assembled from
// the registry. Plain data, so that snapshots are a matter of writing it.
#pragma once

#include <cstdint>

#include "runtime/engine/mechanics/all.h"

namespace questline::engine {

struct UserState {
  uint32_t user = 0;   // interned id
#define QUESTLINE_MECHANIC(field, Type) mechanics::Type::Player field;
#include "runtime/engine/mechanics.def"
};

}  // namespace questline::engine
