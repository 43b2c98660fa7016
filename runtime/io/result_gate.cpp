#include "runtime/io/result_gate.h"

#include <algorithm>
#include <set>
#include <vector>

#include <simdjson.h>

#include "runtime/io/owner_lines.h"
#include "runtime/io/keyed_line.h"

namespace questline::io {
namespace {

constexpr std::string_view kTickKey = "clock_tick";

// {"clock_tick":"2026-12-08T00:00:00Z"} and nothing else.
bool ParseTick(std::string_view line, int64_t* at, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  std::string_view value;
  if (line.size() > 1024 || parser.parse(simdjson::padded_string(line)).get(o) || o.size() != 1 ||
      o[kTickKey].get(value) || !ParseTimestamp(value, at)) {
    *error = "a clock tick must be {\"clock_tick\":\"RFC 3339 time\"} and nothing else";
    return false;
  }
  return true;
}

}  // namespace

bool ResultGate::IsOwnersLine(std::string_view line) {
  return IsCompetitionResultLine(line) || IsRaffleResultLine(line) || IsStockAnswerLine(line);
}

bool ResultGate::ReplayToCommitted(std::string_view payload, int64_t position, int64_t committed) {
  if (position >= committed && !WaitsBelow(committed)) return false;
  while (!payload.empty()) {
    const size_t end = payload.find('\n');
    const std::string_view line = payload.substr(0, end);
    if (position < committed || IsOwnersLine(line)) Push(line, position);
    payload = end == std::string_view::npos ? std::string_view() : payload.substr(end + 1);
  }
  Run();
  return position + 1 < committed || WaitsBelow(committed);
}

void ResultGate::Push(std::string_view line, int64_t position) {
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return;
  const bool raffle = IsRaffleResultLine(line), result = raffle || IsCompetitionResultLine(line),
             answer = !result && IsStockAnswerLine(line);
  if (dropped_from_ >= 0 && !result && !answer) return;   // read again after the wait
  // Only while it waits: otherwise what is held runs at the next Run.
  if (max_held > 0 && held_.size() >= max_held && !result && !answer && Awaiting()) {
    dropped_from_ = position;
    return;
  }
  Line& held = held_.emplace_back();
  held.text = std::string(line);
  held.position = position;
  held.result = result;
  held.answer = answer;
  held.raffle = raffle;
  if (raffle) held.parsed = ParseRaffleResultLine(line, &held.raffle_value, &held.error);
  else if (held.result) held.parsed = ParseCompetitionResultLine(line, &held.value, &held.error);
  if (held.answer) held.parsed = ParseStockAnswerLine(line, &held.stock, &held.error);
  held.tick = !result && !answer && OpensWithKey(line, kTickKey);
  if (held.tick) held.parsed = ParseTick(line, &held.tick_at, &held.error);
}

void ResultGate::ApplyResultLine(Line& line) {
  line.applied = true;
  reason_ = line.error;
  if (line.parsed && (line.raffle ? engine_.ApplyRaffleResult(line.raffle_value, &reason_)
                                  : engine_.ApplyResult(line.value, &reason_))) {
    if (applied) applied();
  } else if (rejected) {
    rejected(line.position, reason_);
  }
}

bool ResultGate::Awaited(const Line& line) const {
  return line.raffle ? engine_.AwaitsRaffle(line.raffle_value.raffle, line.raffle_value.draw_at)
                     : engine_.Awaits(line.value.competition, line.value.window_end);
}

bool ResultGate::TakeAwaited() {
  // A line's place among the awaited: its instant, then raffles (drawn by
  // timers scheduled before any window's close) before competitions, each
  // in the program's order.
  struct Place {
    int64_t at;
    int kind;
    int32_t index;
    bool operator<(const Place& o) const {
      return at != o.at ? at < o.at : kind != o.kind ? kind < o.kind : index < o.index;
    }
  };
  auto place = [&](const Line& l) {
    return l.raffle ? Place{l.raffle_value.draw_at, 0, engine_.RaffleIndex(l.raffle_value.raffle)}
                    : Place{l.value.window_end, 1, engine_.CompetitionIndex(l.value.competition)};
  };
  auto is_done = [](const Line& l) { return l.raffle ? l.raffle_value.done : l.value.done; };
  std::vector<Line*> taken;
  std::set<std::pair<int, int32_t>> done;   // the awaited windows and draws whose `done` is held
  const size_t awaited = engine_.AwaitedWindows();
  for (Line& line : held_) {
    if (!line.result || !line.parsed || line.applied || !Awaited(line)) continue;   // it runs in its place
    taken.push_back(&line);
    if (is_done(line)) done.insert({place(line).kind, place(line).index});
    if (done.size() < awaited) continue;
    // Every awaited window's and draw's results are held: windows that end
    // together are all ranked before any prize is paid, as in one engine,
    // which pays them competition by competition in the program's order,
    // each in rank order (the owner's, kept by the log; owners of different
    // competitions interleave in the log in any order). The `done`s last:
    // they end the wait.
    std::stable_sort(taken.begin(), taken.end(), [&](const Line* a, const Line* b) { return place(*a) < place(*b); });
    for (Line* l : taken)
      if (!is_done(*l)) ApplyResultLine(*l);
    for (Line* l : taken)
      if (is_done(*l)) ApplyResultLine(*l);
    return true;
  }
  return false;
}

bool ResultGate::TakeStockAnswer() {
  for (Line& line : held_) {
    if (!line.answer || !line.parsed || line.applied || !engine_.AwaitsStock(line.stock)) continue;
    line.applied = true;
    Line& waiting = held_.front();   // the event that asked: it parsed before
    if (!reader_.ParseLine(waiting.text, uint64_t(waiting.position), &event_, &reason_) ||
        !engine_.ProcessWithStock(event_, line.stock, &reason_)) {
      if (rejected) rejected(waiting.position, reason_);
    } else if (engine_.AwaitingStock()) {
      return true;   // it asked again (another stock): it waits on, at the front
    } else if (processed) {
      processed(true);
    }
    held_.pop_front();
    return true;
  }
  return false;
}

int64_t ResultGate::TakeRefetch() {
  if (dropped_from_ < 0 || Awaiting()) return -1;
  // The lines held past the dropped position are results read ahead: they
  // come again with the rest and run in their place (applied ones are
  // dropped as duplicates by the engine).
  while (!held_.empty() && held_.back().position >= dropped_from_) held_.pop_back();
  const int64_t from = dropped_from_;
  dropped_from_ = -1;
  return from;
}

void ResultGate::Run() {
  while (!held_.empty()) {
    // Past a dropped line nothing runs until it has been read again.
    if (dropped_from_ >= 0 && held_.front().position >= dropped_from_ && !Awaiting()) return;
    if (engine_.AwaitingResults() && !TakeAwaited()) return;   // the input waits here
    if (engine_.AwaitingStock()) {
      if (!TakeStockAnswer()) return;   // the input waits at the event that asked
      continue;
    }
    Line& line = held_.front();
    if (line.applied) {
      held_.pop_front();
      continue;
    }
    if (line.result) {
      ApplyResultLine(line);
      held_.pop_front();
      continue;
    }
    if (line.answer) {   // awaited by no step: an owner's repeat
      if (!line.parsed && rejected) rejected(line.position, line.error);
      held_.pop_front();
      continue;
    }
    if (line.tick ? !line.parsed : !reader_.ParseLine(line.text, uint64_t(line.position), &event_, &reason_)) {
      if (rejected) rejected(line.position, line.tick ? line.error : reason_);
      held_.pop_front();
      continue;
    }
    // An event or a tick at or after a window's end: the engine moves there
    // first and hands the window out; the line waits for the results.
    // (Should the window not go out, the line runs: the gate never loops.)
    const int64_t at = line.tick ? line.tick_at : event_.Ts();
    const int64_t hand_out = engine_.NextHandOut();
    if (at >= hand_out) {
      engine_.AdvanceTo(hand_out);
      if (engine_.AwaitingResults()) continue;
    }
    if (line.tick) {
      engine_.AdvanceTo(at);
    } else {
      const bool fresh = engine_.Process(event_);
      if (engine_.AwaitingStock()) continue;   // undone: the line waits at the front for the answer
      if (processed) processed(fresh);
    }
    held_.pop_front();
  }
}

}  // namespace questline::io
