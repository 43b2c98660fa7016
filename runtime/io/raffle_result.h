// A raffle's win drawn by its owner, as a line of the input
// (docs/scale-out.md, "Global mechanics"): the owner draws among every
// partition's entrants and writes each win into the winner's partition,
// then a `done` into every partition that sent entrants. The same lines
// replay offline (`quest run --owned-elsewhere`):
//   {"raffle_result":{"raffle":R,"draw_at":MS,"draw":N,"user":U,"prize":P}}
//   {"raffle_result":{"raffle":R,"draw_at":MS,"done":true}}
#pragma once

#include <string>
#include <string_view>

#include "runtime/engine/engine.h"

namespace questline::io {

// Whether `line` is meant as a raffle result (it opens with the key).
bool IsRaffleResultLine(std::string_view line);
// False with `error` (what is wrong) for anything but the shapes above.
bool ParseRaffleResultLine(std::string_view line, engine::RaffleResult* result, std::string* error);
// The line, without a newline.
void AppendRaffleResultLine(std::string& out, const engine::RaffleResult& result);

}  // namespace questline::io
