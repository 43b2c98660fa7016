// Snapshots: the kernel's part (clock, counters, strings, recent ids, timers,
// the players' blocks) and each mechanic's Save / SavePlayer, in registry
// order. The layout (docs/engine.md, Snapshots):
//
//   "QLSNAP\n" version program-hash
//   clock horizon seq timer_seq event_seq started
//   strings recent-ids stats timers
//   players: (id block mechanics' SavePlayer…)…
//   mechanics' Save…
//   checksum (SipHash of everything before it)
#include <algorithm>

#include "core/ir/program_codec.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/snapshot_io.h"
#include "runtime/engine/world.h"

namespace questline::engine {
namespace {

constexpr std::string_view kMagic = "QLSNAP\n";
constexpr uint64_t kVersion = 3;   // 2: competition entries' reached_at, last_end; 3: raffle draws awaited

uint64_t Checksum(std::string_view bytes) { return SipHash24(0x51, 0x4c, bytes.data(), bytes.size()); }

uint64_t ProgramHash(const ir::Program& p) { return Engine::ProgramHash(p); }

void PutMap(core::ByteWriter& w, const std::map<std::string, uint64_t>& m) {
  w.Unsigned(m.size());
  for (const auto& [k, v] : m) {
    w.Bytes(k);
    w.Unsigned(v);
  }
}

void GetMap(core::ByteReader& r, std::map<std::string, uint64_t>& m) {
  m.clear();
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    std::string k = r.Bytes();
    m[k] = r.Unsigned();
  }
}

}  // namespace

uint64_t Engine::ProgramHash(const ir::Program& p) {
  const std::string bytes = ir::SerializeProgram(p);
  return SipHash24(0x50, 0x47, bytes.data(), bytes.size());
}

bool Engine::SnapshotProgramHash(std::string_view bytes, uint64_t* hash) {
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic) return false;
  core::ByteReader r(bytes.substr(kMagic.size()));
  if (r.Unsigned() != kVersion) return false;
  *hash = r.Fixed64();
  return r.ok();
}

std::string Kernel::Save() { return SaveSnapshot({this}, {}, 0); }

bool Kernel::Load(std::string_view bytes, std::string* error) { return LoadSnapshot({this}, nullptr, bytes, error); }

// One kernel, or a world's partitions written as one kernel (world.h): the
// bytes are the same whatever the number of partitions, and a world of any
// number restores them. The partitions' timer and event counters only order
// each player's own steps, so the largest of each carries on; the global
// state is the owner's (parts[0]); the world's global timers are the
// timers' global ones.
std::string SaveSnapshot(const std::vector<Kernel*>& parts, const std::vector<Timer>& world_timers, uint64_t world_seq) {
  Kernel& o = *parts[0];
  uint64_t timer_seq = world_seq, event_seq = 0;
  EngineStats stats = o.stats;
  for (const Kernel* k : parts) {
    timer_seq = std::max(timer_seq, k->timer_seq);
    event_seq = std::max(event_seq, k->event_seq);
    if (k != &o) stats.Add(k->stats);
  }
  core::ByteWriter w;
  w.Raw(kMagic);
  w.Unsigned(kVersion);
  w.Fixed64(ProgramHash(o.p));
  w.Signed(o.clock);
  w.Signed(o.horizon);
  w.Unsigned(o.seq);
  w.Unsigned(timer_seq);
  w.Unsigned(event_seq);
  w.Unsigned(o.started);
  // Every interned string by id: ids are in the state (profile values, tags,
  // `top` keys).
  w.Unsigned(o.strings.Size());
  for (size_t id = 0; id < o.strings.Size(); ++id) w.Bytes(o.strings.Get(uint32_t(id)));
  o.recent_ids.Save(w);
  for (uint64_t n : {stats.events, stats.duplicates, stats.late, stats.timers, stats.imports, stats.runtime_errors})
    w.Unsigned(n);
  PutMap(w, stats.warnings);
  PutMap(w, stats.actions);
  w.Unsigned(stats.rule_fires.size());
  for (uint64_t n : stats.rule_fires) w.Unsigned(n);
  std::vector<Timer> pending = world_timers;
  for (const Kernel* k : parts)
    for (auto queue = k->timers; !queue.empty(); queue.pop()) pending.push_back(queue.top());
  w.Unsigned(pending.size());
  for (const Timer& t : pending) {
    w.Signed(t.deadline);
    w.Unsigned(t.seq);
    w.Unsigned(uint64_t(t.owner));
    w.Unsigned(t.kind);
    w.Unsigned(t.global);
    w.Unsigned(t.user);
    w.Signed(t.a);
    w.Unsigned(t.b);
  }
  size_t players = 0;
  for (const Kernel* k : parts) players += k->users.size();
  w.Unsigned(players);
  for (Kernel* k : parts)
    for (const UserState& u : k->users) {
      w.Unsigned(u.user);
      w.Bytes(std::string_view(reinterpret_cast<const char*>(u.block.get()), k->layout.Bytes()));
#define QUESTLINE_MECHANIC(field, Type) k->m.field.SavePlayer(u, w);
#include "runtime/engine/mechanics.def"
    }
#define QUESTLINE_MECHANIC(field, Type) o.m.field.Save(w);
#include "runtime/engine/mechanics.def"
  w.Fixed64(Checksum(w.Data()));
  return w.Take();
}

bool LoadSnapshot(const std::vector<Kernel*>& parts, World* world, std::string_view bytes, std::string* error) {
  auto fail = [&](const std::string& why) {
    *error = why;
    return false;
  };
  Kernel& o = *parts[0];
  for (const Kernel* k : parts)
    if (k->started || !k->users.empty() || k->stats.events != 0) return fail("a snapshot is restored into a fresh engine only");
  const size_t kFreshPool = o.fresh_pool_size;
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic)
    return fail("not a Questline snapshot");
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  core::ByteReader tail(bytes.substr(bytes.size() - 8));
  if (tail.Fixed64() != Checksum(body)) return fail("the snapshot is damaged (checksum mismatch)");
  core::ByteReader r(body.substr(kMagic.size()));
  if (r.Unsigned() != kVersion) return fail("a snapshot of another version of the engine");
  if (r.Fixed64() != ProgramHash(o.p)) return fail("a snapshot of another program (or another version of it)");
  const int64_t clock = r.Signed(), horizon = r.Signed();
  const uint64_t seq = r.Unsigned(), timer_seq = r.Unsigned(), event_seq = r.Unsigned();
  const bool started = r.Unsigned() != 0;
  for (Kernel* k : parts) {
    k->clock = clock;
    k->horizon = horizon;
    k->seq = seq;
    k->timer_seq = timer_seq;
    k->event_seq = event_seq;
    k->started = started;
  }
  // The snapshot's pool replaces what building this engine interned: after a
  // reload, the package's names came in another order than a fresh build's.
  // Every name is in it (the snapshot's engine ran this program), so the
  // names interned for requests are found again, not added.
  StringPool& strings = o.strings;
  if (strings.Size() > kFreshPool) return fail("the string pool was used before Restore");
  strings.Clear();
  const uint64_t string_count = r.Count();
  for (uint64_t id = 0; id < string_count && r.ok(); ++id)
    if (strings.Intern(r.Bytes()) != id) return fail("the snapshot's string pool is damaged (a string twice)");
  if (strings.Size() != string_count || strings.Get(0) != "") return fail("the snapshot's string pool is damaged");
  for (Kernel* k : parts) k->InternNames();
  if (!o.recent_ids.Load(r)) return fail("the snapshot's recent event ids are damaged");
  EngineStats& stats = o.stats;   // the world's counters are its partitions' summed: all in the owner's
  for (uint64_t* n : {&stats.events, &stats.duplicates, &stats.late, &stats.timers, &stats.imports, &stats.runtime_errors})
    *n = r.Unsigned();
  GetMap(r, stats.warnings);
  GetMap(r, stats.actions);
  if (r.Count() != stats.rule_fires.size()) return fail("the snapshot's rule counters do not match the program");
  for (uint64_t& n : stats.rule_fires) n = r.Unsigned();
  auto partition_of = [&](uint32_t user) -> Kernel& { return world ? world->PartitionOf(user) : o; };
  // The snapshot's timers replace those building the engine scheduled (raffle draws).
  for (Kernel* k : parts) k->timers = TimerQueue(TimerLater{&strings});
  if (world) world->ClearGlobals(timer_seq);
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    Timer t;
    t.deadline = r.Signed();
    t.seq = r.Unsigned();
    const uint64_t owner = r.Unsigned();
    t.kind = uint8_t(r.Unsigned());
    t.global = r.Unsigned() != 0;
    t.user = uint32_t(r.Unsigned());
    t.a = int32_t(r.Signed());
    t.b = r.Unsigned();
    if (owner >= uint64_t(MechanicId::profile) + 1 || (!t.global && t.user >= strings.Size()))
      return fail("the snapshot's timers are damaged");
    t.owner = MechanicId(owner);
    if (t.global && world) world->RestoreGlobal(t);
    else if (t.global) o.timers.push(t);
    else partition_of(t.user).timers.push(t);
  }
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    const uint64_t id = r.Unsigned();
    const std::string block = r.Bytes();
    if (id >= strings.Size() || block.size() != o.layout.Bytes()) return fail("the snapshot's players are damaged");
    Kernel& k = partition_of(uint32_t(id));
    UserState& u = k.UserFor(uint32_t(id));
    std::copy(block.begin(), block.end(), u.block.get());
#define QUESTLINE_MECHANIC(field, Type) k.m.field.LoadPlayer(u, r);
#include "runtime/engine/mechanics.def"
  }
  // The global state: the owner's. Every partition reads it too, for what a
  // mechanic keeps per partition beside it (the ids of held messages).
  const core::ByteReader globals = r;
  for (Kernel* k : parts) {
    r = globals;
#define QUESTLINE_MECHANIC(field, Type) k->m.field.Load(r);
#include "runtime/engine/mechanics.def"
  }
  if (!r.ok() || !r.AtEnd()) return fail("the snapshot is damaged (its contents do not add up)");
  return true;
}

}  // namespace questline::engine
