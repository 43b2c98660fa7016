// The owner's side of the repartition topic (docs/scale-out.md, "Global
// mechanics"): a competition window's entries arrive from every input
// partition that had players in it, each partition's clock after them; once
// every partition's clock has passed a window's end, the window is ranked
// as one engine would rank it — min_players over every partition's players,
// then score, then who reached it first, then user id — and each player's
// result goes back to the partition that holds them. Pure: records in,
// results out, state as bytes; the Kafka plumbing is OwnerTask's.
//
// Raffles the same way: a draw's entrants from every partition that had
// any, drawn once every partition's clock has passed the draw, with one
// engine's draw (DrawRaffle), each win to its winner's partition.
//
// Records (JSON, one per message, keyed by competition or "raffle:NAME"):
//   {"partition":P,"clock":MS}
//   {"partition":P,"competition":C,"start":MS,"end":MS,"entries":[[USER,SCORE,REACHED_AT,FLAGS],…]}
//   {"partition":P,"raffle":R,"draw_at":MS,"entrants":[[USER,TICKETS],…]}
// FLAGS: 1 scored, 2 registered. A window's entries may come in several
// records; the same entry twice (a transaction produced again) is one.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ir/program.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/random.h"

namespace questline::daemon::kafka {

// A result — a competition's, or a raffle's win — and the input partition
// of its player.
struct PlacedResult {
  int32_t partition;
  engine::CompetitionResult result;   // unless `is_raffle`
  engine::RaffleResult raffle;        // if `is_raffle`
  bool is_raffle = false;
};

// The repartition topic's partition that owns `competition`: FNV-1a 64 of
// its name, so every instance agrees whatever librdkafka's partitioner.
int32_t RepartitionOf(std::string_view competition, int32_t partitions);

class Standings {
 public:
  Standings(const ir::Program& program, int32_t inputs);

  // One record; the results of the windows and draws it completes appended
  // to `out`, by instant, then draws before windows, each in the program's
  // order, in rank or draw order, then a `done` for each partition that
  // sent the window or draw. False with `error` for a record that is not
  // one of the three shapes (nothing changes).
  bool Apply(std::string_view record, std::vector<PlacedResult>* out, std::string* error);
  size_t PendingWindows() const { return windows_.size(); }
  // The clock every input partition has passed (INT64_MIN: not all have reported).
  int64_t LowestClock() const { return *std::min_element(clocks_.begin(), clocks_.end()); }
  uint64_t WindowsRanked() const { return ranked_; }

  // The state as bytes, and back (false with `error`: damaged, or another input count).
  std::string Save() const;
  bool Load(std::string_view bytes, std::string* error);

  // The partition side: a closed window's records (at most kEntriesPerRecord
  // entries each), and a clock record.
  static constexpr size_t kEntriesPerRecord = 1000;
  static std::vector<std::string> EncodeWindow(const engine::ClosedWindow& window, int32_t partition);
  static std::string EncodeClock(int32_t partition, int64_t clock);
  static std::vector<std::string> EncodeRaffle(const engine::RaffleEntrants& entrants, int32_t partition);

 private:
  struct Entry {
    int64_t score = 0, reached_at = 0;
    int32_t partition = 0;
    bool scored = false, registered = false;
  };
  struct Window {
    int64_t start = 0;
    std::map<std::string, Entry> entries;   // by user: one entry per player however often sent
    std::set<int32_t> senders;              // the partitions that sent it: each awaits a `done`
  };
  // end, competition; a raffle's draw as (draw_at, "raffle:NAME"), its
  // entrants' tickets as their scores.
  using WindowKey = std::pair<int64_t, std::string>;

  void Resolve(std::vector<PlacedResult>* out);
  void Rank(const WindowKey& key, const Window& window, std::vector<PlacedResult>* out);
  void Draw(const WindowKey& key, const Window& window, std::vector<PlacedResult>* out);

  const ir::Program& program_;
  engine::KeyedRandom random_;    // the engine's draws (raffles)
  std::vector<int64_t> clocks_;   // by input partition; INT64_MIN until it has reported
  std::map<WindowKey, Window> windows_;
  uint64_t ranked_ = 0;           // windows ranked in this life (not saved)
  std::vector<PlacedResult> done_;   // Rank's `done` markers, put after its results
};

}  // namespace questline::daemon::kafka
