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

void MissionStats::Encode(core::ByteWriter& w) const {
  w.Unsigned(missions_.size());
  for (const auto& [name, c] : missions_) {
    w.Bytes(name);
    for (uint64_t n : {c.available, c.started, c.completed, c.expired}) w.Unsigned(n);
    w.Unsigned(c.tasks.size());
    for (const auto& [task, n] : c.tasks) {
      w.Bytes(task);
      w.Unsigned(n);
    }
  }
}

bool MissionStats::Decode(core::ByteReader& r) {
  missions_.clear();
  for (uint64_t m = r.Count(); m > 0 && r.ok(); --m) {
    Counts& c = missions_[r.Bytes()];
    for (uint64_t* n : {&c.available, &c.started, &c.completed, &c.expired}) *n = r.Unsigned();
    for (uint64_t t = r.Count(); t > 0 && r.ok(); --t) {
      std::string task = r.Bytes();
      c.tasks[std::move(task)] = r.Unsigned();
    }
  }
  return r.ok();
}

}  // namespace questline::daemon
