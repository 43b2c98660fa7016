// A stock owner's answer as a line of the input (docs/scale-out.md, "Global
// mechanics"): the owner of a stock answers each claim (engine.h,
// StockClaim) into the events, in the claiming player's partition, where
// the step that asked waits for it (io/result_gate.h). The same line
// replays offline (`quest run --owned-elsewhere`):
//   {"stock_answer":{"stock":S,"user":U,"event":E,"granted":B}}
//   {"stock_answer":{"stock":S,"user":U,"event":E,"granted":true,"prize":P}}
// The second shape answers a mini-game's draw with the prize drawn.
#pragma once

#include <string>
#include <string_view>

#include "runtime/engine/engine.h"

namespace questline::io {

// Whether `line` is meant as a stock answer (it opens with the answer's
// key): it is then parsed as one, never as an event.
bool IsStockAnswerLine(std::string_view line);
// False with `error` (what is wrong) for anything but the shapes above.
bool ParseStockAnswerLine(std::string_view line, engine::StockAnswer* answer, std::string* error);
// The line, without a newline.
void AppendStockAnswerLine(std::string& out, const engine::StockAnswer& answer);

}  // namespace questline::io
