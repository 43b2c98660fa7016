#include "runtime/engine/state.h"

namespace questline::engine {

MissionPtr MissionState::Make(int32_t mission, size_t tasks, bool windows) {
  void* block = ::operator new(sizeof(MissionState) + tasks * sizeof(TaskState));
  MissionPtr ms(new (block) MissionState);
  ms->mission = mission;
  ms->task_count = uint16_t(tasks);
  for (TaskState& t : ms->Tasks()) new (&t) TaskState;
  if (windows) ms->windows.reset(new AggState[tasks]);
  return ms;
}

void MissionDeleter::operator()(MissionState* ms) const {
  ms->~MissionState();   // TaskState is trivially destructible
  ::operator delete(ms);
}

}  // namespace questline::engine
