// The lines owners write into a partition's log (docs/scale-out.md,
// "Global mechanics"), inputs in order with its events. Each is one JSON
// object whose one key names it (keyed_line.h); the same lines replay
// offline (`quest run --owned-elsewhere`).
//
// A competition window's outcome for one player — the owner ranks every
// partition's entries — then a `done` ending the window's results for the
// partition it is written to; `score` in the score's units (a decimal
// scaled by kDecimalScale):
//   {"competition_result":{"competition":C,"window_end":MS,"user":U,"rank":R,"score":S,"registered":B}}
//   {"competition_result":{"competition":C,"window_end":MS,"done":true}}
// A raffle's win — the owner draws among every partition's entrants — then
// a `done` for each partition that sent entrants:
//   {"raffle_result":{"raffle":R,"draw_at":MS,"draw":N,"user":U,"prize":P}}
//   {"raffle_result":{"raffle":R,"draw_at":MS,"done":true}}
// A stock owner's answer to a claim (engine.h, StockClaim); a draw's with
// the prize drawn:
//   {"stock_answer":{"stock":S,"user":U,"event":E,"granted":B}}
//   {"stock_answer":{"stock":S,"user":U,"event":E,"granted":true,"prize":P}}
//
// Is…Line: whether a line is meant as one (it opens with the key: it is
// then parsed as one, never as an event). Parse…Line: false with `error`
// (what is wrong) for anything but its shapes. Append…Line: the line,
// without a newline.
#pragma once

#include <string>
#include <string_view>

#include "runtime/engine/engine.h"

namespace questline::io {

bool IsCompetitionResultLine(std::string_view line);
bool ParseCompetitionResultLine(std::string_view line, engine::CompetitionResult* result, std::string* error);
void AppendCompetitionResultLine(std::string& out, const engine::CompetitionResult& result);

bool IsRaffleResultLine(std::string_view line);
bool ParseRaffleResultLine(std::string_view line, engine::RaffleResult* result, std::string* error);
void AppendRaffleResultLine(std::string& out, const engine::RaffleResult& result);

bool IsStockAnswerLine(std::string_view line);
bool ParseStockAnswerLine(std::string_view line, engine::StockAnswer* answer, std::string* error);
void AppendStockAnswerLine(std::string& out, const engine::StockAnswer& answer);

}  // namespace questline::io
