// The one interface every mechanic implements. A mechanic derives from
// Mechanic and defines the hooks it needs; the kernel calls each hook on
// every mechanic in registry order (mechanics.def), statically: a hook a
// mechanic does not define is the empty one here, which the compiler drops.
//
// A step is one event or one timer of one player (Kernel::user). In a step the
// kernel calls, in order (BeginStep first):
//   OnRequest   a request event (opt-in, purchase …): false rejects it, and
//               nothing else of the step happens;
//   (the backend's handler: metrics, the segments they move, rules)
//   OnEvent     what an event does after the rules (mission tasks, scores);
//   Settle      rounds to a bounded fixpoint (levels, badges, segments, missions);
//   AfterSettle what follows from the settled step (flows);
//   EndStep     bookkeeping once everything has settled (segment re-checks).
// OnTimer runs a timer the mechanic scheduled (Kernel::Schedule) before the
// step's settle; Effect runs a statement of a block (award, send, give …).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/backend.h"
#include "core/byte_io.h"
#include "core/ir/program.h"
#include "runtime/engine/core_names.h"
#include "runtime/engine/player_block.h"

namespace questline::engine {

class Kernel;
struct Migration;
struct UserState;

// The mechanics by registry position, naming a timer's owner.
enum class MechanicId : uint8_t {
#define QUESTLINE_MECHANIC(field, Type) field,
#include "runtime/engine/mechanics.def"
};

struct Timer {
  int64_t deadline;
  uint64_t seq;                  // ties of one player's (or of global ones): scheduled first, fires first
  MechanicId owner;
  uint8_t kind;                  // the owner's own timer kinds
  bool global;                   // not one player's (a raffle draw, a competition's close)
  uint32_t user;
  int32_t a;
  uint64_t b;
};

// One round of the settle loop (Kernel::Settle).
struct SettleRound {
  // In: every condition would answer as in the last round (nothing it reads
  // moved): mechanics that only follow conditions can skip the round.
  bool conditions_agree = false;
  bool changed = false;            // out: something moved, settle again
  bool conditions_moved = false;   // out: something a condition reads moved
};

class Mechanic {
 public:
  explicit Mechanic(Kernel& k) : k_(k) {}

  // What the mechanic keeps per player beyond its slots in the block
  // (PlayerLayout, reserved when it is built): sparse entries (UserState::<field>).
  struct Player {};
  void NewPlayer(UserState&) {}                             // lays out a new player's part
  void Start(int64_t) {}                                    // once, at the first event's time
  void BeginStep() {}                                       // a step begins: clear its scratch
  bool OnRequest(const Event&) { return true; }
  void OnEvent(const Event&) {}
  void Settle(SettleRound&) {}
  void AfterSettle(const Event*, uint64_t) {}               // the event (null: a timer); blocks run at the settle's end
  void EndStep() {}
  // A timer of the mechanic's: false when it turned out stale and the
  // player's step has nothing to settle (a global timer settles its own).
  bool OnTimer(const Timer&) { return false; }
  // A statement of a block: false when it is not the mechanic's.
  bool Effect(const ir::Stmt&, Value, const std::vector<Value>&) { return false; }
  // Snapshots (Engine::Snapshot): the mechanic's global state, and a
  // player's sparse part (the block is the kernel's to write).
  void Save(core::ByteWriter&) const {}
  void Load(core::ByteReader&) {}
  void SavePlayer(const UserState&, core::ByteWriter&) const {}
  void LoadPlayer(UserState&, core::ByteReader&) {}
  // Reload (reload.cpp, migration.h): what the same mechanic of the engine
  // being replaced holds, carried over by declaration name — its global part,
  // then each player's (`to` is laid out as a new player) — and each of its
  // pending timers re-pointed into this program (false: dropped).
  template <class Old>
  void Migrate(const Old&, const Migration&) {}
  template <class Old>
  void MigratePlayer(const Old&, const UserState&, UserState&, const Migration&) {}
  bool MigrateTimer(Timer&, const Migration&) const { return false; }
  // Names interned for requests (by_name_): at construction, and again when
  // a snapshot's string pool replaces the engine's (Kernel::Load).
  void InternNames() {}
  void PrepareState() {}                                    // before players' states are written
  void WriteState(const UserState&, std::string&) const {}  // `,"key":value` parts of §5

 protected:
  Kernel& k_;
};

}  // namespace questline::engine
