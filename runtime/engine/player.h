// A player's state: one block of fixed-width slots laid out from the Program
// (player_block.h), and each mechanic's sparse part (its Player struct),
// assembled from the registry. Plain data, so that snapshots are a matter of writing it.
#pragma once

#include <cstdint>

#include "runtime/engine/mechanics/all.h"
#include "runtime/engine/player_block.h"

namespace questline::engine {

struct UserState {
  uint32_t user = 0;   // interned id
  PlayerBlock block;   // every mechanic's fixed-width slots (Kernel::layout)
#define QUESTLINE_MECHANIC(field, Type) mechanics::Type::Player field;
#include "runtime/engine/mechanics.def"
};

}  // namespace questline::engine
