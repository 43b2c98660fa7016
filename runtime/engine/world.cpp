// The world's inputs, in the order of one kernel (world.h).
#include "runtime/engine/world.h"

#include <algorithm>

#include "runtime/engine/kernel.h"

namespace questline::engine {

World::World(const ir::Program& program, const core::Backend& backend, StringPool& strings, EngineOptions options,
             size_t partitions) {
  for (size_t n = 0; n < std::max<size_t>(partitions, 1); ++n) {
    kernels_.push_back(std::make_unique<Kernel>(program, backend, strings, options));
    Kernel& k = *kernels_.back();
    k.world = this;
    // Building a kernel schedules the global timers (raffle draws): the owner's are the world's.
    if (n > 0) k.timers = TimerQueue(TimerLater{&strings});
  }
}

World::~World() = default;

size_t World::PartitionIndex(std::string_view user, size_t partitions) {
  uint64_t h = 14695981039346656037ULL;
  for (unsigned char c : user) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return size_t(h % std::max<size_t>(partitions, 1));
}

std::vector<Kernel*> World::Partitions() const {
  std::vector<Kernel*> out;
  for (const auto& k : kernels_) out.push_back(k.get());
  return out;
}

Kernel& World::PartitionOf(uint32_t user) {
  return *kernels_[PartitionIndex(Owner().strings.Get(user), kernels_.size())];
}

void World::SyncClocks(int64_t t) {
  for (const auto& k : kernels_) clock_ = std::max(clock_, k->clock);
  clock_ = std::max(clock_, t);
  for (const auto& k : kernels_) k->clock = clock_;
}

// Every timer due by `t`, across the partitions, in TimerLater's order: the
// order one kernel fires them in.
void World::AdvanceTo(int64_t t) {
  for (const auto& k : kernels_) k->horizon = t;
  const TimerLater later{&Owner().strings};
  for (;;) {
    Kernel* next = nullptr;
    for (const auto& k : kernels_) {
      if (k->timers.empty() || k->timers.top().deadline > t) continue;
      if (next == nullptr || later(next->timers.top(), k->timers.top())) next = k.get();
    }
    if (next == nullptr) break;
    Timer timer = next->timers.top();
    next->timers.pop();
    next->clock = clock_;
    next->FireTimer(timer);
    clock_ = std::max(clock_, next->clock);
  }
  SyncClocks(t);
}

void World::Process(const Event& e) {
  Kernel& owner = Owner();
  owner.clock = clock_;
  if (!owner.Admit(e)) return;   // duplicates and the first event's start are the world's
  for (const auto& k : kernels_) k->started = true;
  AdvanceTo(e.Ts());
  Kernel& k = PartitionOf(e.User());
  k.Step(e);
  SyncClocks(k.clock);
}

std::string World::StateJson() {
  for (const auto& k : kernels_) k->PrepareState();
  std::vector<std::pair<Kernel*, const UserState*>> players;
  for (const auto& k : kernels_)
    for (const UserState& u : k->users) players.push_back({k.get(), &u});
  const StringPool& strings = Owner().strings;
  std::sort(players.begin(), players.end(),
            [&](const auto& a, const auto& b) { return strings.Get(a.second->user) < strings.Get(b.second->user); });
  std::string out = "{\n  \"users\": [";
  for (size_t n = 0; n < players.size(); ++n) {
    out += n ? ",\n    " : "\n    ";
    players[n].first->WritePlayer(*players[n].second, out);
  }
  out += players.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

bool World::UserStateJson(const std::string& user, std::string* out) {
  const int64_t found = Owner().strings.Find(user);
  if (found < 0) return false;
  Kernel& k = PartitionOf(uint32_t(found));
  const size_t id = size_t(found);
  if (id >= k.user_slot.size() || k.user_slot[id] == 0) return false;
  out->clear();
  for (const auto& each : kernels_) each->PrepareState();
  k.WritePlayer(k.users[k.user_slot[id] - 1], *out);
  return true;
}

// Each partition's members become exactly its share of `users`.
bool World::ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error) {
  std::vector<std::vector<std::string>> shares(kernels_.size());
  for (const std::string& user : users) shares[PartitionIndex(user, kernels_.size())].push_back(user);
  for (size_t n = 0; n < kernels_.size(); ++n)
    if (!kernels_[n]->m.segments.Import(segment, shares[n], error)) return false;   // refused alike by each: the first
  return true;
}

const EngineStats& World::Stats() {
  stats_ = Owner().stats;
  for (size_t n = 1; n < kernels_.size(); ++n) {
    const EngineStats& s = kernels_[n]->stats;
    stats_.events += s.events;
    stats_.duplicates += s.duplicates;
    stats_.late += s.late;
    stats_.timers += s.timers;
    stats_.imports += s.imports;
    stats_.runtime_errors += s.runtime_errors;
    for (const auto& [what, count] : s.warnings) stats_.warnings[what] += count;
    for (const auto& [what, count] : s.actions) stats_.actions[what] += count;
    for (size_t r = 0; r < s.rule_fires.size() && r < stats_.rule_fires.size(); ++r) stats_.rule_fires[r] += s.rule_fires[r];
  }
  return stats_;
}

}  // namespace questline::engine
