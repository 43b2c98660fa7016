#include "runtime/daemon/mission_stats.h"

#include "runtime/daemon/json_out.h"

namespace questline::daemon {
namespace {

const std::string* Field(const engine::Action& action, const char* name) {
  for (const auto& [key, value] : action.fields)
    if (key == name && value.kind == engine::ActionValue::Kind::String) return &value.s;
  return nullptr;
}

}  // namespace

void MissionStats::Count(const engine::Action& action) {
  const bool mission = action.action == "mission", task = action.action == "task";
  if (!mission && !task) return;
  const std::string* name = Field(action, "mission");
  if (!name) return;
  Counts& c = missions_[*name];
  if (task) {
    if (const std::string* t = Field(action, "task")) ++c.tasks[*t];
    return;
  }
  const std::string* state = Field(action, "state");
  if (!state) return;
  if (*state == "available") ++c.available;
  else if (*state == "started") ++c.started;
  else if (*state == "completed") ++c.completed;
  else if (*state == "expired") ++c.expired;
}

std::string MissionStats::Json(const std::string& mission, const std::vector<std::string>& tasks) const {
  static const Counts kNone;
  auto it = missions_.find(mission);
  const Counts& c = it == missions_.end() ? kNone : it->second;
  std::string out = "{\"mission\":" + JsonString(mission) + ",\"available\":" + std::to_string(c.available) +
                    ",\"started\":" + std::to_string(c.started) + ",\"completed\":" + std::to_string(c.completed) +
                    ",\"expired\":" + std::to_string(c.expired) + ",\"funnel\":[";
  for (size_t t = 0; t < tasks.size(); ++t) {
    auto done = c.tasks.find(tasks[t]);
    out += (t ? ",{\"task\":" : "{\"task\":") + JsonString(tasks[t]) +
           ",\"completed\":" + std::to_string(done == c.tasks.end() ? 0 : done->second) + "}";
  }
  out += "]}\n";
  return out;
}

}  // namespace questline::daemon
