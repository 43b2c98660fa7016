// Leaderboards and tournaments (LANGUAGE.md §8): global, not per player.
// Scores of the aggregate's own kind inside the window (after registration
// when it is required), happy hours multiplying them, ranking by score with
// ties to whoever reached it first, `min_players` judged at the start, every
// window closing at an instant ranked before any prize is paid.
#pragma once

#include <functional>
#include <unordered_map>

#include "runtime/engine/engine.h"
#include "runtime/engine/mechanic.h"
#include "runtime/engine/mechanics/common.h"

namespace questline::engine::mechanics {

class Competitions : public Mechanic {
 public:
  explicit Competitions(Kernel& k);

  bool OnRequest(const Event& e);   // tournament_register
  void OnEvent(const Event& e);     // scoring events
  bool OnTimer(const Timer& t);
  void PrepareState();
  void WriteState(const UserState& u, std::string& out) const;
  void Save(core::ByteWriter& w) const;
  void Load(core::ByteReader& r);

  void ScorePoints(int64_t amount);   // points earned, for points_earned competitions
  // The first instant after `after` at which a window of some competition
  // closes or opens, INT64_MAX for none: where a close or a start may be due
  // (a world's barriers, world.h).
  int64_t NextBoundary(int64_t after) const;
  // Engine::LeaderboardJson.
  bool Ranking(const std::string& name, size_t top, std::string* out) const;
  // Engine::VisitScores.
  ScoreStep VisitScores(ScoreStep since, const std::function<void(const ScoreChange&)>& visit) const;

  void InternNames();
  int32_t Index(const std::string& name) const;   // -1: none
  // EngineOptions::owned_elsewhere: the windows closed since the last call,
  // and one player's outcome of a window (the step's player).
  std::vector<ClosedWindow> TakeClosed();
  void ApplyResult(int32_t c, const CompetitionResult& r);
  void ResultsDone(int32_t c, int64_t window_end);
  int64_t NextHandOut() const;
  size_t AwaitedWindows() const;
  bool Awaits(const std::string& name, int64_t window_end) const;
  // A competition by name with the same score, window and registration keeps
  // its window, entries and last results; its timers follow it.
  void Migrate(const Competitions& old, const Migration& mg);
  bool MigrateTimer(Timer& t, const Migration& mg) const;
 private:
  enum TimerKind : uint8_t { kClose, kStart };
  // One player in one window of one competition. `score` has the score's
  // kind (a decimal is scaled by kDecimalScale); `reached` orders equal scores: the
  // step at which the score last changed, 0 before the first scoring event.
  struct Entry {
    uint32_t user;
    int64_t score = 0;
    int64_t sum = 0, count = 0;         // avg: its parts
    int64_t last_day = INT64_MIN;       // distinct_days: the last local day counted
    uint64_t reached = 0;
    int64_t reached_at = 0;             // the instant of `reached`, for ranking elsewhere
    bool registered = false;
  };
  // A finished window's result for one player, kept for the state.
  struct FinalResult { int64_t score; int64_t rank; };   // rank 0: not ranked (min_score)
  struct State {
    // The window entries belong to: the open one, or (registrations before
    // it) the next one to open.
    int64_t window_start = INT64_MIN, window_end = INT64_MIN;
    int64_t closed_end = INT64_MIN;                              // the last window ranked
    bool cancelled = false;                                      // min_players not met at the start
    bool start_judged = false;                                   // min_players has been judged
    std::vector<Entry> entries;
    std::unordered_map<uint32_t, size_t> index;
    std::unordered_map<uint32_t, FinalResult> last;              // the last finished window
    int64_t last_end = INT64_MIN;                                // ranked elsewhere: the window `last` is of
    int64_t awaiting_end = INT64_MIN;                            // ranked elsewhere: handed out, results not all in
    uint64_t close_number = 0;   // VisitScores: `closes_` when `last` was set (not in snapshots)
  };

  bool WindowAt(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const;
  bool NextWindow(const ir::Competition& c, int64_t t, int64_t* start, int64_t* end) const;
  void EnterWindow(int32_t c, int64_t start, int64_t end);
  State& CurrentWindow(int32_t c, bool* open);
  Entry* EntryFor(int32_t c, bool create);
  void AddScore(int32_t c, Value v);
  void Close();
  void StartWindow(int32_t c);
  void CancelWindow(int32_t c, const std::vector<Entry>& players);
  // The cancellation's action for the step's player in `player`, a buy-in refunded when registered.
  void CancelPlayer(const ir::Competition& comp, Kernel& player, bool registered);
  // Close, when windows are ranked elsewhere: each closing window's entries handed out.
  void HandOut();
  ActionValue ScoreValue(const ir::Competition& c, int64_t score) const;
  // The current window's entries in rank order: scored ones first, by score
  // then by who reached it first; registered ones not scored yet last.
  std::vector<const Entry*> Ranked(size_t c) const;
  bool HandleRegister(const Event& e);
  // The global state — windows, entries, ranks — is the owner partition's
  // (world.h): a player's step in any partition reads and writes it there.
  Competitions& G() const;

  std::vector<State> competitions_;
  NameIndex by_name_;
  uint64_t score_seq_ = 0;   // orders equal scores: first reached ranks first
  std::vector<ClosedWindow> closed_;   // ranked elsewhere: until TakeClosed (not in snapshots: taken every batch)
  uint64_t closes_ = 0;      // windows closed in this engine's life, for VisitScores (not in snapshots)
  // PrepareState: ranks in each competition's current window.
  std::vector<std::unordered_map<uint32_t, std::pair<int64_t, size_t>>> ranks_;
};

}  // namespace questline::engine::mechanics
