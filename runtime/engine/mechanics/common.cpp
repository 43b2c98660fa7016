#include "runtime/engine/mechanics/common.h"

#include <algorithm>
#include <cstring>

#include "runtime/engine/kernel.h"

namespace questline::engine::mechanics {

int32_t RequestTarget(Kernel& k, const Event& e, const char* field, const NameIndex& by_name, std::string* name) {
  const EventType& et = k.p.schema.types[size_t(e.type)];
  for (size_t f = 3; f < et.fields.size() && f < e.fields.size(); ++f) {
    if (et.fields[f].name != field) continue;
    if (e.fields[f].none) return -1;
    const uint32_t id = uint32_t(e.fields[f].i);
    *name = k.strings.Get(id);
    auto it = by_name.find(id);
    return it == by_name.end() ? -1 : it->second;
  }
  return -1;
}

bool WithinLimit(const std::optional<ir::Bound>& limit, PeriodCount& counter, const Calendar& cal, int64_t now) {
  if (!limit) return true;
  int64_t key = cal.PeriodKey(static_cast<CalendarPeriod>(limit->period), now);
  if (key != counter.key) counter = {key, 0};
  return counter.count < limit->amount;
}

bool Reject(Kernel& k, const std::string& source, const char* request, const char* reason, Fields fields) {
  fields.insert(fields.begin(), {{"request", ActionValue::String(request)}, {"reason", ActionValue::String(reason)}});
  k.Emit(source, "rejected", std::move(fields));
  return false;
}

void GiveCounted(Kernel& k, std::vector<std::pair<int32_t, int64_t>>& list, int32_t target, int64_t count,
                 const char* action, const char* field, const std::string& name) {
  if (k.m.policies.Blocks(ir::PolicyTarget::Rewards, action,
                          {{field, ActionValue::String(name)}, {"count", ActionValue::Int(count)}}))
    return;
  auto it = std::find_if(list.begin(), list.end(), [&](auto& e) { return e.first == target; });
  if (it == list.end()) it = list.insert(list.end(), {target, 0});
  it->second = SaturatingAdd(it->second, count);
  k.Emit(*k.source, action,
         {{field, ActionValue::String(name)}, {"count", ActionValue::Int(count)}, {"total", ActionValue::Int(it->second)}});
}

}  // namespace questline::engine::mechanics
