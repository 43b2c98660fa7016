// The world's inputs, in the order of one kernel (world.h).
#include "runtime/engine/world.h"

#include <algorithm>

namespace questline::engine {

namespace {
const std::string kNoUser;   // orders before every user id: the least player key at an instant
}  // namespace

World::World(const ir::Program& program, const core::Backend& backend, StringPool& strings, EngineOptions options,
             size_t partitions)
    : globals_(TimerLater{&strings}) {
  const size_t n = std::max<size_t>(partitions, 1);
  for (size_t i = 0; i < n; ++i) {
    kernels_.push_back(std::make_unique<Kernel>(program, backend, strings, options));
    Kernel& k = *kernels_.back();
    // Building a kernel schedules the global timers (raffle draws): the
    // owner's become the world's, the others' are copies.
    for (; !k.timers.empty(); k.timers.pop())
      if (i == 0) globals_.push({k.timers.top().deadline, global_seq_++, k.timers.top().owner, k.timers.top().kind,
                                 true, 0, k.timers.top().a, k.timers.top().b});
    k.world = this;
  }
  // A tracer sees one step at a time: it runs the partitions in turn.
  threaded_ = n > 1 && options.tracer == nullptr;
  if (!threaded_) return;
  strings.Share();
  frontier_.assign(n, StepKey{});
  parked_.assign(n, 0);
  ended_.assign(n, 0);
  for (size_t i = 0; i < n; ++i) threads_.emplace_back([this, i] { Work(i); });
}

World::~World() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& t : threads_) t.join();
}

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

void World::ScheduleGlobal(const Kernel& from, int64_t deadline, MechanicId owner, uint8_t kind, int32_t a, uint64_t b) {
  // Migrating, every partition's mechanics schedule what the new program
  // adds: the owner's are the world's, the others' copies.
  if (migrating_ && &from != kernels_[0].get()) return;
  std::lock_guard<std::mutex> lock(globals_mutex_);
  globals_.push({deadline, global_seq_++, owner, kind, true, 0, a, b});
}

bool World::TopGlobal(Timer* t) {
  std::lock_guard<std::mutex> lock(globals_mutex_);
  if (globals_.empty()) return false;
  *t = globals_.top();
  return true;
}

std::string World::Snapshot() {
  Flush();
  return SaveSnapshot(Partitions(), PendingGlobals(), global_seq_);
}

bool World::Restore(std::string_view bytes, std::string* error) {
  if (!LoadSnapshot(Partitions(), this, bytes, error)) return false;
  clock_ = Owner().clock;
  started_ = Owner().started;
  return true;
}

void World::ClearGlobals(uint64_t seq) {
  globals_ = TimerQueue(TimerLater{&Owner().strings});
  global_seq_ = seq;
}

void World::RestoreGlobal(const Timer& t) { globals_.push(t); }

void World::SyncClocks(int64_t t) {
  for (const auto& k : kernels_) clock_ = std::max(clock_, k->clock);
  clock_ = std::max(clock_, t);
  for (const auto& k : kernels_) k->clock = clock_;
}

// ---- Inputs -----------------------------------------------------------------

bool World::Process(const Event& e) {
  Kernel& owner = Owner();
  owner.clock = clock_;   // duplicates are judged at the world's clock
  if (!owner.Admit(e)) return false;   // duplicates and the first event's start are the world's
  if (!started_) {   // the owner's mechanics started (scheduled flows: the world's timers)
    started_ = true;
    for (const auto& k : kernels_) k->started = true;
  }
  const size_t partition = PartitionIndex(owner.strings.Get(e.User()), kernels_.size());
  if (!threaded_) {
    AdvanceAlone(e.Ts());
    Kernel& k = *kernels_[partition];
    k.Step(e);
    SyncClocks(k.clock);
    return true;
  }
  if (inputs_.empty()) batch_clock_ = clock_;
  events_.push_back(e);
  clock_ = std::max(clock_, e.Ts());
  inputs_.push_back({int64_t(events_.size() - 1), e.Ts(), clock_, partition});
  if (inputs_.size() >= kBatch) RunBatch();
  return true;
}

std::vector<Timer> World::PendingGlobals() {
  std::vector<Timer> out;
  for (TimerQueue queue = globals_; !queue.empty(); queue.pop()) out.push_back(queue.top());
  return out;
}

void World::MigrateFrom(World& old) {
  old.Flush();
  ClearGlobals(old.global_seq_);   // building this world scheduled its draws: the migration decides
  migrating_ = true;
  for (size_t i = 0; i < kernels_.size(); ++i) kernels_[i]->MigrateFrom(*old.kernels_[i]);
  migrating_ = false;
  clock_ = old.clock_;
  started_ = old.started_;
}

void World::AdvanceTo(int64_t t) {
  if (!threaded_) {
    AdvanceAlone(t);
    return;
  }
  if (inputs_.empty()) batch_clock_ = clock_;
  clock_ = std::max(clock_, t);
  inputs_.push_back({-1, t, clock_, 0});
  RunBatch();
}

void World::Flush() {
  if (threaded_) RunBatch();
}

// Without threads: every timer due by `t`, across the partitions and the
// world's global ones, in TimerLater's order — the order one kernel fires them in.
void World::AdvanceAlone(int64_t t) {
  for (const auto& k : kernels_) k->horizon = t;
  const TimerLater later{&Owner().strings};
  for (;;) {
    Kernel* next = nullptr;
    for (const auto& k : kernels_) {
      if (k->timers.empty() || k->timers.top().deadline > t) continue;
      if (next == nullptr || later(next->timers.top(), k->timers.top())) next = k.get();
    }
    Timer global;
    const bool has_global = TopGlobal(&global) && global.deadline <= t;
    if (has_global && (next == nullptr || later(next->timers.top(), global))) {
      globals_.pop();
      Owner().clock = clock_;
      Owner().FireTimer(global);
      clock_ = std::max(clock_, Owner().clock);
      continue;
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

// ---- Threads ----------------------------------------------------------------

void World::Work(size_t partition) {
  uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    RunPartition(partition);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      frontier_[partition] = StepKey{inputs_.size(), 0, INT64_MIN, false, nullptr, 0};
      ended_[partition] = 1;
      ++finished_;
    }
    step_.notify_all();   // a turn waiting for it, or a barrier for the rest
    done_.notify_all();
  }
}

int64_t World::NextBarrier(int64_t after) {
  int64_t next = Owner().m.competitions.NextBoundary(after);
  Timer global;
  if (TopGlobal(&global)) next = std::min(next, global.deadline);
  return next;
}

void World::RunBatch() {
  if (inputs_.empty()) return;
  for (const auto& k : kernels_) {
    k->clock = batch_clock_;
    k->to_outbox = true;
  }
  {
    std::lock_guard<std::mutex> lock(mutex_);
    std::fill(frontier_.begin(), frontier_.end(), StepKey{});
    std::fill(parked_.begin(), parked_.end(), 0);
    std::fill(ended_.begin(), ended_.end(), 0);
    finished_ = 0;
    // Instants up to the batch's start had their barriers (a step reached
    // them) or were never reached; before the first event there is nothing.
    barrier_ = NextBarrier(batch_clock_ == INT64_MIN ? inputs_[0].clock - 1 : batch_clock_);
    running_.store(true);
    ++generation_;
  }
  wake_.notify_all();
  {
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return finished_ == kernels_.size(); });
    running_.store(false);
  }
  Merge();
  for (const auto& k : kernels_) k->to_outbox = false;
  SyncClocks(inputs_.back().clock);
  inputs_.clear();
  events_.clear();
}

// One partition's steps of the batch, in key order: for each input, its
// timers due by the input's time, then the input if it is its player's.
void World::RunPartition(size_t i) {
  Kernel& k = *kernels_[i];
  for (size_t s = 0; s < inputs_.size(); ++s) {
    const Input& in = inputs_[s];
    // One kernel's clock before the input's step or any of its timers: the
    // world's before the input (a timer fires at its deadline, or late at it).
    const int64_t before = s > 0 ? inputs_[s - 1].clock : batch_clock_;
    const bool mine = in.event >= 0 && in.partition == i;
    // A barrier (Enter true) may hand this partition's players timers due
    // before its next step: look again after each.
    for (;;) {
      if (!k.timers.empty() && k.timers.top().deadline <= in.ts) {
        const Timer t = k.timers.top();
        const StepKey key{s, 0, t.deadline, true, &k.strings.Get(t.user), t.seq};
        if (Enter(i, key, std::max(before, t.deadline))) continue;
        k.timers.pop();
        Begin(k, key, before, in.ts);
        k.FireTimer(t);
        continue;
      }
      // Global timers due by the input's time fire before it, whether or
      // not this partition has a step there.
      const int64_t barrier = barrier_.load();
      if (in.ts >= barrier) {
        Enter(i, StepKey{s, 0, barrier, true, &kNoUser, 0}, in.ts);
        continue;
      }
      if (!mine) break;
      const StepKey key{s, 1, INT64_MIN, false, nullptr, 0};
      if (Enter(i, key, in.clock)) continue;
      Begin(k, key, before, in.ts);
      k.Step(events_[size_t(in.event)]);
      break;
    }
  }
}

// A step's context: its key, and one kernel's clock and horizon (a barrier's
// global step may have moved them).
void World::Begin(Kernel& k, const StepKey& key, int64_t clock, int64_t horizon) {
  k.key = key;
  k.emits = 0;
  k.turn_held = false;
  k.clock = clock;
  k.horizon = horizon;
}

bool World::Enter(size_t i, const StepKey& key, int64_t now) {
  std::unique_lock<std::mutex> lock(mutex_);
  frontier_[i] = key;
  if (turn_waiters_) step_.notify_all();
  if (now < barrier_) return false;
  // Parked until the barrier has run (by whichever partition parks last):
  // one barrier at a time, since its steps may give this one earlier work.
  parked_[i] = 1;
  const uint64_t runs = barrier_runs_;
  for (;;) {
    bool all = true;
    for (size_t p = 0; p < kernels_.size(); ++p) all = all && (parked_[p] || ended_[p]);
    if (all) {
      RunBarrier();
      break;
    }
    step_.wait(lock);
    if (barrier_runs_ != runs) break;
  }
  return true;
}

void World::WaitTurn(Kernel& k) {
  // Between batches (the caller's views) and in a barrier there is one thread.
  if (!running_.load(std::memory_order_relaxed) || exclusive_.load(std::memory_order_relaxed)) return;
  size_t i = 0;
  while (kernels_[i].get() != &k) ++i;
  std::unique_lock<std::mutex> lock(mutex_);
  ++turn_waiters_;
  step_.wait(lock, [&] {
    for (size_t p = 0; p < kernels_.size(); ++p)
      if (p != i && !Before(frontier_[i], frontier_[p])) return false;
    return true;
  });
  --turn_waiters_;
  k.turn_held = true;
}

// Every partition waits at or after the barrier's instant, or has ended:
// the global timers due by then fire, on the owner, in TimerLater's order.
void World::RunBarrier() {
  exclusive_.store(true);
  const int64_t at = barrier_.load();
  // The input the barrier falls in: the first whose clock reaches it.
  size_t s = 0;
  while (s < inputs_.size() && inputs_[s].clock < at) ++s;
  Kernel& owner = Owner();
  for (Timer global; TopGlobal(&global) && global.deadline <= at;) {
    {
      std::lock_guard<std::mutex> lock(globals_mutex_);
      globals_.pop();
    }
    owner.clock = s > 0 ? inputs_[s - 1].clock : batch_clock_;   // FireTimer moves it to the deadline
    owner.horizon = s < inputs_.size() ? inputs_[s].ts : at;
    owner.key = StepKey{s, 0, global.deadline, false, nullptr, global.seq};
    owner.emits = 0;
    owner.turn_held = true;
    owner.FireTimer(global);
  }
  barrier_ = NextBarrier(at);
  // Every partition's next step comes after the barrier's, but its global
  // steps may have given one a timer due before the step it waits at: until
  // each publishes again, the least key any can still run.
  std::fill(frontier_.begin(), frontier_.end(), StepKey{s, 0, at, true, &kNoUser, 0});
  for (size_t p = 0; p < kernels_.size(); ++p)
    if (ended_[p]) frontier_[p] = StepKey{inputs_.size(), 0, INT64_MIN, false, nullptr, 0};
  std::fill(parked_.begin(), parked_.end(), 0);
  ++barrier_runs_;
  exclusive_.store(false);
  step_.notify_all();
}

// The partitions' actions, by step key (and order within the step): the
// sequence one kernel would have delivered.
void World::Merge() {
  std::vector<Kernel::Outgoing*> all;
  for (const auto& k : kernels_)
    for (Kernel::Outgoing& o : k->outbox) all.push_back(&o);
  std::stable_sort(all.begin(), all.end(), [](const Kernel::Outgoing* a, const Kernel::Outgoing* b) {
    if (Before(a->key, b->key)) return true;
    if (Before(b->key, a->key)) return false;
    return a->emit < b->emit;
  });
  Kernel& owner = Owner();
  for (Kernel::Outgoing* o : all) {
    o->action.seq = ++owner.seq;
    if (owner.sink) owner.sink->Write(std::move(o->action));
    else owner.actions.push_back(std::move(o->action));
  }
  for (const auto& k : kernels_) k->outbox.clear();
}

// ---- Views ------------------------------------------------------------------

std::string World::StateJson() {
  Flush();
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
  Flush();
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
  Flush();
  std::vector<std::vector<std::string>> shares(kernels_.size());
  for (const std::string& user : users) shares[PartitionIndex(user, kernels_.size())].push_back(user);
  for (size_t n = 0; n < kernels_.size(); ++n)
    if (!kernels_[n]->m.segments.Import(segment, shares[n], error)) return false;   // refused alike by each: the first
  return true;
}

const EngineStats& World::Stats() {
  Flush();
  stats_ = Owner().stats;
  for (size_t n = 1; n < kernels_.size(); ++n) stats_.Add(kernels_[n]->stats);
  return stats_;
}

}  // namespace questline::engine
