// The deterministic engine: event-time clock, timers, per-player state and
// the processing order of LANGUAGE.md §11. No I/O, no wall clock, no
// threads: the same program and inputs give the same actions and state, on
// every backend. A kernel (kernel.h) and one module per mechanic
// (mechanics/, listed in mechanics.def) do the work; this is their API.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/backend.h"
#include "core/event.h"
#include "core/ir/program.h"
#include "runtime/engine/action.h"
#include "runtime/engine/core_names.h"
#include "runtime/engine/strings.h"

namespace questline::engine {

class Kernel;
class Tracer;
class World;

struct EngineOptions {
  int fixpoint_limit = 16;   // rounds of levels/badges/segments/missions per event
  // Skip re-asking conditions in a settle round that cannot change their
  // answers (Kernel::Settle). Off: every round asks everything, the plain
  // fixpoint the differential test checks this against.
  bool skip_settled_conditions = true;
  // Duplicate event ids are recognised within this much event time (docs/engine.md).
  int64_t dedupe_window_ms = 7 * 86'400'000LL;
  // Observes the run (trace.h): explain, profile, coverage. Null: no tracing,
  // and the outputs are the same bytes with or without one.
  Tracer* tracer = nullptr;
  // Players split over this many partitions by a stable hash of their id,
  // each on a thread of its own (world.h): the same actions, state and
  // snapshots as one.
  size_t partitions = 1;
  // The global mechanics are owned elsewhere (questd on Kafka, docs/scale-out.md,
  // "Global mechanics"), one partition only:
  // - competitions: a window's close hands its entries out
  //   (Engine::DrainClosedWindows) instead of ranking them and paying prizes,
  //   min_players is judged there at the close, and each player's outcome
  //   comes back as an input (Engine::ApplyResult);
  // - raffles: a draw hands its entrants out (Engine::DrainRaffleEntrants)
  //   and each win comes back as an input (Engine::ApplyRaffleResult);
  // - stock, and a tournament's seats (max_players): a purchase, a play or
  //   a registration that needs a finite stock asks its owner
  //   (Engine::DrainStockClaims) and the step waits, undone, until the answer
  //   comes back as an input (Engine::ProcessWithStock).
  bool owned_elsewhere = false;
};

// A competition window closed by an engine whose windows are ranked
// elsewhere: its entries, scored or registered, to be ranked with the other
// engines' (EngineOptions::owned_elsewhere).
struct ClosedWindow {
  struct Entry {
    std::string user;
    int64_t score = 0;        // the score's kind; a decimal scaled by kDecimalScale
    int64_t reached_at = 0;   // the instant the score last changed: orders equal scores
    bool scored = false;      // false: registered, never scored
    bool registered = false;
  };
  std::string competition;
  int64_t window_start = 0, window_end = 0;
  std::vector<Entry> entries;
};

// One player's outcome of a window ranked elsewhere, an input like an event
// (Engine::ApplyResult).
struct CompetitionResult {
  enum : int64_t { kCancelled = -1, kUnranked = 0 };
  std::string competition, user;
  int64_t window_end = 0;
  int64_t rank = 0;           // 1…; kUnranked: under min_score; kCancelled: fewer than min_players
  int64_t score = 0;          // as ClosedWindow::Entry::score
  bool registered = false;    // cancelled: the buy-in is refunded
  // Not a player's result: the window's results for this engine are all
  // given (user, rank and score unused). Until then the engine awaits them.
  bool done = false;
};

// A raffle drawn elsewhere: this engine's entrants at the draw — in the
// raffle's audience, with tickets, in user id order — to be drawn with the
// other engines' (EngineOptions::owned_elsewhere).
struct RaffleEntrants {
  std::string raffle;
  int64_t draw_at = 0;
  std::vector<std::pair<std::string, int64_t>> tickets;   // user, tickets
};

// One ticket of a raffle drawn elsewhere: its winner and prize, an input
// like an event (Engine::ApplyRaffleResult).
struct RaffleResult {
  std::string raffle, user, prize;
  int64_t draw_at = 0;
  int64_t draw = 0;   // the ticket's number in the draw, from 0: names the win's step
  // Not a win: the draw's wins for this engine are all given (user, prize
  // and draw unused). Until then the engine awaits them.
  bool done = false;
};

// A question to the owner of a stock, asked by a step that needs it
// (EngineOptions::owned_elsewhere); the step waits for the StockAnswer.
//   Take: one unit, if any is left (a purchase or a tournament registration
//         that passes every check);
//   Peek: whether any is left, taking none (a request refused by a check
//         after the stock's: its reason is the stock's when none is left);
//   Draw: a mini-game's prize, drawn among the prizes still in stock with the
//         play's keyed draw (DrawPrize), one unit of it taken.
struct StockClaim {
  enum class Kind : uint8_t { Take, Peek, Draw };
  Kind kind = Kind::Take;
  // "item:NAME", "minigame:NAME", or "tournament:NAME" (its max_players
  // seats in the window ending at `window`), as the actions' source.
  std::string stock;
  int64_t window = 0;
  std::string user, event;   // the request's player and event id: the claim's name
  int64_t at = 0;            // the step's instant
};

// The owner's answer to a StockClaim, an input like an event.
struct StockAnswer {
  std::string stock, user, event;
  bool granted = false;      // Take, Peek: in stock; Draw: a prize was drawn
  std::string prize;         // Draw: the prize drawn
};

// One player's score in a competition's current window (Engine::VisitScores).
struct ScoreChange {
  const std::string& competition;
  int64_t window_start;   // epoch ms
  const std::string& user;
  double score;           // a decimal score as its value, not scaled
};

// How far a mirror has read (Engine::VisitScores): the scoring steps and the
// windows closed so far. {0, 0}: nothing yet, everything is visited.
struct ScoreStep {
  uint64_t scores = 0, closes = 0;
};

struct EngineStats {
  uint64_t events = 0, duplicates = 0, late = 0, timers = 0;
  uint64_t imports = 0;                          // segment lists and balance rows applied
  uint64_t runtime_errors = 0;                   // fixpoint bound exceeded
  std::map<std::string, uint64_t> warnings;      // division_by_zero, overflow, …
  std::map<std::string, uint64_t> actions;       // by kind
  std::vector<uint64_t> rule_fires;              // by rule: bodies run (a limit's refusals not counted)
  void Add(const EngineStats& other);            // another partition's (world.h)
};

class Engine final {
 public:
  Engine(const ir::Program& program, const core::Backend& backend, StringPool& strings,
         EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // False when the event is a duplicate, dropped.
  bool Process(const Event& event);
  // With owned_elsewhere: the windows closed since the last call, in the
  // order they closed; and a window's outcome for one player, applied at
  // the clock (its window's end, or later): the rank's action and prizes, a
  // cancellation's refund, the player's last result. False with `error` for
  // an unknown competition, or without owned_elsewhere; a result seen
  // before is dropped (true, counted as a duplicate).
  std::vector<ClosedWindow> DrainClosedWindows();
  bool ApplyResult(const CompetitionResult& result, std::string* error);
  // The same for raffles: the draws made since the last call (those with
  // entrants here), and one win, applied at the clock (the draw's instant,
  // or later): the raffle's action and the prize's block.
  std::vector<RaffleEntrants> DrainRaffleEntrants();
  bool ApplyRaffleResult(const RaffleResult& result, std::string* error);
  // The gate of a partition whose global mechanics are owned elsewhere
  // (io/result_gate.h): the earliest end of a window this engine holds
  // entries in, or raffle draw still to come (INT64_MAX: none) — no event
  // at or after it may be processed before the engine has moved to it,
  // handed the window or the entrants out, and applied the results; and
  // whether it awaits handed-out windows' or draws' results (their `done`).
  int64_t NextHandOut() const;
  bool AwaitingResults() const;
  size_t AwaitedWindows() const;   // windows and draws
  int32_t CompetitionIndex(const std::string& name) const;   // the program's order; -1: none
  int32_t RaffleIndex(const std::string& name) const;        // the program's order; -1: none
  bool Awaits(const std::string& competition, int64_t window_end) const;
  bool AwaitsRaffle(const std::string& raffle, int64_t draw_at) const;
  // With owned_elsewhere: the claims of the steps that waited for a stock's
  // owner since the last call. Such a step is undone, as if its event had
  // not come (Process returns true); the engine awaits the answer, and the
  // same event is given again with it to ProcessWithStock. Until then
  // nothing else may be processed (io/result_gate.h holds the input).
  std::vector<StockClaim> DrainStockClaims();
  bool AwaitingStock() const;
  bool AwaitsStock(const StockAnswer& answer) const;   // the awaited claim's answer
  // False with `error` when the engine awaits no claim of `event` that `answer` answers.
  bool ProcessWithStock(const Event& event, const StockAnswer& answer, std::string* error);
  // With partitions on threads, events wait for a batch: Flush runs them and
  // delivers their actions (every view below flushes first).
  void Flush();
  // Moves the clock to `t`, firing every timer due by then (for --until).
  void AdvanceTo(int64_t t);
  // Actions go to `sink` as they are produced; without one (nullptr) they
  // wait in the engine for DrainActions.
  void SetSink(ActionSink* sink);
  std::vector<Action> DrainActions();
  std::string StateJson() const;                 // every user, sorted by id

  // Views for the daemon's API (INTERFACES.md §6), each a JSON object; false
  // when the engine knows no such player, competition or mission.
  // One player's object of StateJson, the same bytes.
  bool UserStateJson(const std::string& user, std::string* out) const;
  // {"leaderboard","entries":[{"rank","user","score"}…]}: the current window's
  // ranking, the best `top`.
  bool LeaderboardJson(const std::string& name, size_t top, std::string* out) const;
  // For a mirror of the rankings (questd's Redis leaderboards, docs/scale-out.md):
  // every scored entry of each competition's current window whose score
  // changed after `since`, and each window's final scores once it has
  // closed; returns the step now, the `since` of the next call.
  ScoreStep VisitScores(ScoreStep since, const std::function<void(const ScoreChange&)>& visit) const;
  // {"mission","players","started","completed","expired","completions","tasks":{NAME: done}}:
  // the players holding an instance, by phase, and how many of their current
  // instances finished each task.
  bool MissionStatsJson(const std::string& name, std::string* out) const;

  // Offline (`quest run --import-…`) and the daemon's import endpoints. Each
  // import is an input, applied in order at the current clock; it changes
  // state only (no actions, rules or flows). False with `error` set when the
  // import is refused (nothing changes).
  enum class BalanceOp : uint8_t { Add, Deduct, Set };
  int32_t SegmentIndex(const std::string& name) const;    // -1: none
  int32_t CurrencyIndex(const std::string& name) const;   // points is 0; -1: none
  // An `imported` segment's members become exactly `users`.
  bool ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error);
  bool ImportBalance(const std::string& user, int32_t currency, BalanceOp op, int64_t amount, std::string* error);
  const EngineStats& Stats() const;

  // The whole engine as bytes (docs/engine.md, Snapshots): players, timers,
  // global state, the string pool, the recent event ids, counters — versioned,
  // checksummed and tied to the program. Restore reads one back into a fresh
  // engine of the same program (built, nothing processed yet): after it the
  // engine goes on exactly as the one that wrote it. False with `error` set
  // when the bytes are not a snapshot of this program or are damaged.
  std::string Snapshot() const;
  bool Restore(std::string_view bytes, std::string* error);
  int64_t Clock() const;

  // Reload (docs/engine.md, "Reload: the migration rules"): between two
  // inputs, the engine goes on with `program` run by `backend`, and every
  // player keeps what the new program still declares, by name. Timers move
  // with what they belong to; what was removed is dropped; what was added
  // starts as for a new player. The old program and backend may be freed
  // once this returns; the new ones must outlive the engine. The string
  // pool stays the engine's. False with `error` set when refused (nothing
  // changes).
  bool Reload(const ir::Program& program, const core::Backend& backend, std::string* error);
  // What a snapshot is tied to (Snapshot, Restore), and a reload journaled.
  static uint64_t ProgramHash(const ir::Program& program);
  // The hash of the program a snapshot was taken with (its header, unchecked):
  // false when the bytes do not begin like a snapshot of this engine version.
  static bool SnapshotProgramHash(std::string_view snapshot, uint64_t* hash);

 private:
  std::unique_ptr<World> world_;   // partitions > 1
  std::unique_ptr<Kernel> k_;      // one partition
  Kernel* owner_;                  // k_, or the world's owner
};

}  // namespace questline::engine
