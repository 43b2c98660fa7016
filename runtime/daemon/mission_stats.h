// GET /v1/missions/{name}/stats, counted from the actions as the engine emits
// them (`mission` and `task` actions): cumulative counts since the data_dir's
// first start (snapshots carry them, the journal's replay recounts the rest), which the state document (current phases only) cannot give.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/byte_io.h"
#include "runtime/engine/action.h"

namespace questline::daemon {

class MissionStats {
 public:
  // Looks at every action; counts the mission and task ones.
  void Count(const engine::Action& action);
  // {"mission", "available", "started", "completed", "expired", "funnel": [{"task", "completed"}…]}
  // `tasks`: the mission's tasks in declaration order, so the funnel lists
  // each one, completed by nobody too.
  std::string Json(const std::string& mission, const std::vector<std::string>& tasks) const;
  // Carried by a snapshot (durable_counters.h), so the counts survive restarts.
  void Encode(core::ByteWriter& w) const;
  bool Decode(core::ByteReader& r);

 private:
  struct Counts {
    uint64_t available = 0, started = 0, completed = 0, expired = 0;
    std::map<std::string, uint64_t> tasks;
  };
  std::map<std::string, Counts> missions_;
};

}  // namespace questline::daemon
