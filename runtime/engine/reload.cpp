// Reload: a new kernel for the new program takes the old one's place between
// two inputs (docs/engine.md, "Reload: the migration rules"). The kernel
// carries its own part (clock, counters, recent ids, the string pool, the
// players in the order they came) and each mechanic carries its part by
// declaration name (migration.h), in registry order.
#include <algorithm>

#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/world.h"

namespace questline::engine {

bool Engine::Reload(const ir::Program& program, const core::Backend& backend, std::string* error) {
  const ir::Settings& was = owner_->p.settings;
  const ir::Settings& now = program.settings;
  // Periods, local days and every key and draw hang on these: changing them
  // under running state would move today's counts into another day and make
  // event ids seen before look new.
  if (was.timezone != now.timezone || was.week_starts != now.week_starts || was.seed != now.seed) {
    *error = "the new package changes the settings (timezone, week start or seed), which a running engine "
             "cannot take: its periods and keys would shift";
    return false;
  }
  if (world_) {
    EngineOptions options = owner_->options;
    auto next = std::make_unique<World>(program, backend, owner_->strings, options, options.partitions);
    next->MigrateFrom(*world_);
    world_ = std::move(next);
    owner_ = &world_->Owner();
    return true;
  }
  auto next = std::make_unique<Kernel>(program, backend, k_->strings, k_->options);
  next->MigrateFrom(*k_);
  k_ = std::move(next);
  owner_ = k_.get();
  return true;
}

void Kernel::MigrateFrom(Kernel& old) {
  const Migration mg = PlanMigration(old, old.p, p);
  clock = old.clock;
  horizon = old.horizon;
  now = old.now;
  seq = old.seq;
  event_seq = old.event_seq;
  started = old.started;
  blocks_run = old.blocks_run;
  std::swap(recent_ids, old.recent_ids);   // same seed (Engine::Reload), so the same keys
  sink = old.sink;
  actions = std::move(old.actions);
  // Counters: the engine's own carry on; fires by rule name.
  std::vector<uint64_t> fires(stats.rule_fires.size(), 0);
  stats = old.stats;
  for (size_t r = 0; r < old.stats.rule_fires.size(); ++r)
    if (const int32_t n = mg.rules.New(int32_t(r)); n >= 0) fires[size_t(n)] = old.stats.rule_fires[r];
  stats.rule_fires = std::move(fires);

  // Timers: building this kernel scheduled some (raffle draws); the
  // mechanics schedule what the new program adds in Migrate, after the old
  // engine's pending ones, which keep their order.
  timers = TimerQueue(TimerLater{&strings});
  timer_seq = old.timer_seq;
  for (auto queue = old.timers; !queue.empty(); queue.pop()) {
    Timer t = queue.top();
    bool keep = false;
    switch (t.owner) {
#define QUESTLINE_MECHANIC(field, Type) \
  case MechanicId::field: keep = m.field.MigrateTimer(t, mg); break;
#include "runtime/engine/mechanics.def"
    }
    if (keep) timers.push(t);
  }
  // A world's global timers (world.h) follow on its owner, as a kernel's own.
  if (world && old.world && &old == &old.Owner()) {
    for (Timer t : old.world->PendingGlobals()) {
      bool keep = false;
      switch (t.owner) {
#define QUESTLINE_MECHANIC(field, Type) \
  case MechanicId::field: keep = m.field.MigrateTimer(t, mg); break;
#include "runtime/engine/mechanics.def"
      }
      if (keep) world->RestoreGlobal(t);
    }
  }

  for (const UserState& from : old.users) {
    UserState& to = UserFor(from.user);
    user = &to;
#define QUESTLINE_MECHANIC(field, Type) m.field.MigratePlayer(old.m.field, from, to, mg);
#include "runtime/engine/mechanics.def"
  }
  user = nullptr;
#define QUESTLINE_MECHANIC(field, Type) m.field.Migrate(old.m.field, mg);
#include "runtime/engine/mechanics.def"
}

}  // namespace questline::engine
