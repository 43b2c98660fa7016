// A competition window's outcome for one player as a line of the input
// (docs/scale-out.md, "Global mechanics"): the owner of a competition ranks
// the entries of every partition and writes each player's result into the
// events, in the player's partition, where it is an input in order like an
// event. The same line replays offline (`quest run --owned-elsewhere`):
//   {"competition_result":{"competition":C,"window_end":MS,"user":U,"rank":R,"score":S,"registered":B}}
//   {"competition_result":{"competition":C,"window_end":MS,"done":true}}
// `score` is in the score's units (a decimal scaled by kDecimalScale); the
// second shape ends a window's results for the partition it is written to.
#pragma once

#include <string>
#include <string_view>

#include "runtime/engine/engine.h"

namespace questline::io {

// Whether `line` is meant as a result (it opens with the result's key): it
// is then parsed as one, never as an event.
bool IsCompetitionResultLine(std::string_view line);
// False with `error` (what is wrong, and where) for anything but the shape above.
bool ParseCompetitionResultLine(std::string_view line, engine::CompetitionResult* result, std::string* error);
// The line, without a newline.
void AppendCompetitionResultLine(std::string& out, const engine::CompetitionResult& result);

}  // namespace questline::io
