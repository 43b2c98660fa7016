// The owner's side of stock (docs/scale-out.md, "Global mechanics"): every
// item's and mini-game prize's stock, and every tournament's seats
// (max_players, per window), whose name hashes to this owner's partition
// of the repartition topic, whole. A partition's step that needs a
// finite stock asks with a claim (engine.h, StockClaim) and waits; the owner
// answers claims in the order they reach it — the repartition partition's
// order, one sequence for every input partition — so a stock is never sold
// twice, nor refused while a unit is left. Pure: claims in, answers out,
// state as bytes; the Kafka plumbing is OwnerTask's.
//
// Records (JSON, one per message, keyed by stock):
//   {"stock_claim":{"partition":P,"stock":S,"window":MS,"kind":"take"|"peek"|"draw","user":U,"event":E,"at":MS}}
// `window`: a tournament's window end for its seats, else 0.
// The same claim twice (a partition that asked again after a restart) gets
// the first answer again, until every partition's clock is a duplicate
// window past the claim's coming.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/ir/program.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/random.h"

namespace questline::daemon::kafka {

// An answer and the input partition of its player.
struct PlacedAnswer {
  int32_t partition = 0;
  engine::StockAnswer answer;
};

class StockBook {
 public:
  // `inputs`: the events topic's partitions, where answers go;
  // `dedupe_window_ms`: how long after a claim's instant its repeat is recognised.
  StockBook(const ir::Program& program, int32_t inputs, int64_t dedupe_window_ms);

  // Whether `record` is meant as a claim (it opens with the claim's key).
  static bool IsClaim(std::string_view record);
  // One claim, answered into `out`; `horizon`: the lowest clock every input
  // partition has reported (Standings::LowestClock), which ages the claims
  // and windows remembered. False with `error` for a record that is not a
  // claim (nothing changes, no answer); a claim of what is not a finite
  // stock of this program is refused, with `error` saying why.
  bool Apply(std::string_view record, int64_t horizon, PlacedAnswer* out, std::string* error);
  // What is left of `stock` (per prize for a mini-game; -1 unlimited; a
  // tournament's seats in `window`); empty: no such stock.
  std::vector<int64_t> Left(const std::string& stock, int64_t window = 0) const;

  // The state as bytes, and back (false with `error`: damaged, or another program's stock).
  std::string Save() const;
  bool Load(std::string_view bytes, std::string* error);

  // The partition side: a claim as its record.
  static std::string EncodeClaim(const engine::StockClaim& claim, int32_t partition);

 private:
  struct Stock {
    const ir::Minigame* game = nullptr;   // a mini-game's prizes
    std::vector<int64_t> left;            // an item's one count, or a game's per prize
    int64_t seats = -1;                   // a tournament's max_players, else -1
    std::map<int64_t, int64_t> taken;     // a tournament's seats taken, by window end
  };
  struct Answered {
    int64_t came = 0;   // the horizon when it came
    bool granted = false;
    std::string prize;
  };

  void Forget(int64_t now);

  engine::KeyedRandom random_;
  int32_t inputs_;
  int64_t window_ms_;
  std::map<std::string, Stock> stocks_;                   // by name: "item:NAME", "minigame:NAME"
  std::map<std::string, Answered> answered_;              // by claim: stock, user and event id
  std::deque<std::pair<int64_t, std::string>> order_;     // answered_ as it came, for Forget
  int64_t first_horizon_ = INT64_MIN;                     // the first horizon known (Forget)
};

}  // namespace questline::daemon::kafka
