// The gate of a partition whose competitions are ranked elsewhere
// (docs/scale-out.md, "Global mechanics"). One engine ranks a window at its
// end and pays the prizes before anything after it; a partition must do the
// same with results that its competitions' owners write into its log later:
//
//   before an event at or after the end of a window the engine holds
//   entries in, the engine moves to that end (handing the window out), and
//   the partition's input waits there until the window's results are in the
//   log, up to the owner's `done`; those results are applied first, at the
//   window's end, then the input goes on from where it waited, skipping them.
//
// A raffle's draw is the same at its instant: the entrants go out, the
// wins ({"raffle_result":…}) and the owner's `done` come back.
//
// A stock owned elsewhere works the same way at an event instead of a
// window's end: an event whose step asks a stock's owner (engine.h,
// StockClaim) is undone and held, with the input behind it, until the
// owner's {"stock_answer":…} is in the log; the event then runs with it.
// Answers no step awaits (an owner's repeat after a restart) are skipped.
//
// A clock tick, {"clock_tick":"RFC 3339"}, moves the clock like an event of
// no one's, through the same gate: a partition whose players are idle still
// passes window ends, so the other partitions' windows can be ranked.
//
// A function of the log alone: questd's partition (PartitionTask) and the
// offline replay (`quest run --owned-elsewhere`) both push lines in log order
// and get the same steps. Lines are the unit; a Kafka message is one event.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>

#include "core/event.h"
#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"

namespace questline::io {

class ResultGate {
 public:
  ResultGate(engine::Engine& engine, EventReader& reader) : engine_(engine), reader_(reader) {}

  // A line the reader or the engine refused, at its `position` (offset or line number).
  std::function<void(int64_t position, const std::string& reason)> rejected;
  // After each event processed: false when it was a duplicate.
  std::function<void(bool fresh)> processed;
  // After each result applied.
  std::function<void()> applied;

  // At most this many lines held while the input waits (0: no bound).
  // Past it an event line is not kept (result and answer lines always are): the reader
  // must read the log again from TakeRefetch() once the wait is over.
  size_t max_held = 0;

  // A line an owner writes into the log: a competition's or a raffle's
  // result, a stock answer.
  static bool IsOwnersLine(std::string_view line);
  // The next line of the log; nothing runs until Run.
  void Push(std::string_view line, int64_t position);
  // Once Run has ended a wait during which lines were dropped: where the
  // log must be read again (positions from there on were not run); -1 when
  // nothing is to be read again. Taking it clears it.
  int64_t TakeRefetch();
  // Runs every line it may, in order, until the input waits for results or
  // every line has run.
  void Run();
  bool Waiting() const { return !held_.empty(); }
  // Restoring the state a commit at `committed` saw (questd's partition,
  // PartitionTask::ReplayTo): every line before it, then — while a line
  // before it waits — the owners' lines past it, one of which that state
  // used (a step that waited ran with an answer read ahead, and the commit
  // stopped at a later wait). One message's lines at `position`; false when
  // the log need not be read further. Events past `committed` are not taken.
  bool ReplayToCommitted(std::string_view payload, int64_t position, int64_t committed);
  bool WaitsBelow(int64_t committed) const { return Waiting() && FirstWaiting() < committed; }
  int64_t FirstWaiting() const { return held_.front().position; }
  size_t Held() const { return held_.size(); }

 private:
  struct Line {
    std::string text;
    int64_t position;
    bool result;                       // a competition or raffle result line (parsed at Push)
    bool raffle = false;               // …a raffle's (in `raffle_value`)
    engine::RaffleResult raffle_value;
    bool answer = false;               // a stock answer line (parsed at Push, into `stock`)
    engine::StockAnswer stock;
    bool tick = false;                 // a clock tick (`tick_at`, or `error`)
    int64_t tick_at = 0;
    bool parsed = false;               // …that parses
    engine::CompetitionResult value;
    std::string error;
    bool applied = false;              // a result taken ahead of its place: skipped when reached
  };
  // The awaited windows' and draws' results and their `done`s from the
  // lines held, applied when every awaited `done` is there; false otherwise.
  bool TakeAwaited();
  bool Awaited(const Line& line) const;
  // The held event's stock answer, if held: the event runs with it (true).
  bool TakeStockAnswer();
  bool Awaiting() const { return engine_.AwaitingResults() || engine_.AwaitingStock(); }
  void ApplyResultLine(Line& line);

  engine::Engine& engine_;
  EventReader& reader_;
  std::deque<Line> held_;
  int64_t dropped_from_ = -1;   // the first position not kept, while waiting
  core::Event event_;
  std::string reason_;
};

}  // namespace questline::io
