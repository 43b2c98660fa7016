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

namespace questline::engine {
namespace {

constexpr std::string_view kMagic = "QLSNAP\n";
constexpr uint64_t kVersion = 1;

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

std::string Kernel::Save() {
  core::ByteWriter w;
  w.Raw(kMagic);
  w.Unsigned(kVersion);
  w.Fixed64(ProgramHash(p));
  w.Signed(clock);
  w.Signed(horizon);
  w.Unsigned(seq);
  w.Unsigned(timer_seq);
  w.Unsigned(event_seq);
  w.Unsigned(started);
  // Every interned string by id: ids are in the state (profile values, tags,
  // `top` keys) and order `top`'s ties.
  w.Unsigned(strings.Size());
  for (size_t id = 0; id < strings.Size(); ++id) w.Bytes(strings.Get(uint32_t(id)));
  recent_ids.Save(w);
  for (uint64_t n : {stats.events, stats.duplicates, stats.late, stats.timers, stats.imports, stats.runtime_errors})
    w.Unsigned(n);
  PutMap(w, stats.warnings);
  PutMap(w, stats.actions);
  w.Unsigned(stats.rule_fires.size());
  for (uint64_t n : stats.rule_fires) w.Unsigned(n);
  std::vector<Timer> pending;
  for (auto queue = timers; !queue.empty(); queue.pop()) pending.push_back(queue.top());
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
  // Players in the order they came: scheduled flows and raffle draws visit them so.
  w.Unsigned(users.size());
  for (const UserState& u : users) {
    w.Unsigned(u.user);
    w.Bytes(std::string_view(reinterpret_cast<const char*>(u.block.get()), layout.Bytes()));
#define QUESTLINE_MECHANIC(field, Type) m.field.SavePlayer(u, w);
#include "runtime/engine/mechanics.def"
  }
#define QUESTLINE_MECHANIC(field, Type) m.field.Save(w);
#include "runtime/engine/mechanics.def"
  w.Fixed64(Checksum(w.Data()));
  return w.Take();
}

bool Kernel::Load(std::string_view bytes, std::string* error) {
  auto fail = [&](const std::string& why) {
    *error = why;
    return false;
  };
  if (started || !users.empty() || stats.events != 0) return fail("a snapshot is restored into a fresh engine only");
  const size_t kFreshPool = fresh_pool_size;
  if (bytes.size() < kMagic.size() + 8 || bytes.substr(0, kMagic.size()) != kMagic)
    return fail("not a Questline snapshot");
  const std::string_view body = bytes.substr(0, bytes.size() - 8);
  core::ByteReader tail(bytes.substr(bytes.size() - 8));
  if (tail.Fixed64() != Checksum(body)) return fail("the snapshot is damaged (checksum mismatch)");
  core::ByteReader r(body.substr(kMagic.size()));
  if (r.Unsigned() != kVersion) return fail("a snapshot of another version of the engine");
  if (r.Fixed64() != ProgramHash(p)) return fail("a snapshot of another program (or another version of it)");
  clock = r.Signed();
  horizon = r.Signed();
  seq = r.Unsigned();
  timer_seq = r.Unsigned();
  event_seq = r.Unsigned();
  started = r.Unsigned() != 0;
  // The snapshot's pool replaces what building this engine interned: after a
  // reload, the package's names came in another order than a fresh build's.
  // Every name is in it (the snapshot's engine ran this program), so the
  // names interned for requests are found again, not added.
  if (strings.Size() > kFreshPool) return fail("the string pool was used before Restore");
  strings.Clear();
  const uint64_t string_count = r.Count();
  for (uint64_t id = 0; id < string_count && r.ok(); ++id)
    if (strings.Intern(r.Bytes()) != id) return fail("the snapshot's string pool is damaged (a string twice)");
  if (strings.Size() != string_count || strings.Get(0) != "") return fail("the snapshot's string pool is damaged");
  InternNames();
  if (!recent_ids.Load(r)) return fail("the snapshot's recent event ids are damaged");
  for (uint64_t* n : {&stats.events, &stats.duplicates, &stats.late, &stats.timers, &stats.imports, &stats.runtime_errors})
    *n = r.Unsigned();
  GetMap(r, stats.warnings);
  GetMap(r, stats.actions);
  if (r.Count() != stats.rule_fires.size()) return fail("the snapshot's rule counters do not match the program");
  for (uint64_t& n : stats.rule_fires) n = r.Unsigned();
  // The snapshot's timers replace those building the engine scheduled (raffle draws).
  timers = TimerQueue(TimerLater{&strings});
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
    timers.push(t);
  }
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    const uint64_t id = r.Unsigned();
    const std::string block = r.Bytes();
    if (id >= strings.Size() || block.size() != layout.Bytes()) return fail("the snapshot's players are damaged");
    UserState& u = UserFor(uint32_t(id));
    std::copy(block.begin(), block.end(), u.block.get());
#define QUESTLINE_MECHANIC(field, Type) m.field.LoadPlayer(u, r);
#include "runtime/engine/mechanics.def"
  }
#define QUESTLINE_MECHANIC(field, Type) m.field.Load(r);
#include "runtime/engine/mechanics.def"
  if (!r.ok() || !r.AtEnd()) return fail("the snapshot is damaged (its contents do not add up)");
  return true;
}

}  // namespace questline::engine
