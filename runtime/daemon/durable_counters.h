// The daemon's own counters (/metrics, /v1/missions/…/stats), kept monotonic
// across restarts (docs/durability.md): a snapshot file carries their values
// at its record as a trailer after Engine::Snapshot()'s bytes, and the
// journal's replay adds what each later record added when it was first
// applied (an Events record carries its refused lines' count for this).
// Counters that no record explains (sink failures, reloads by outcome)
// count from the process's start.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/daemon/mission_stats.h"

namespace questline::daemon {

struct IngestCounters {
  uint64_t received = 0, accepted = 0, rejected = 0, duplicates = 0, imports = 0;
};

// Appends the trailer to a snapshot's bytes.
void AppendCountersTrailer(const IngestCounters& counters, const MissionStats& missions, std::string* snapshot);
// Cuts the trailer off `snapshot`, leaving Engine::Snapshot()'s bytes, and
// reads it. A snapshot without one (written before it existed) leaves the
// counters at zero and is true; a damaged trailer is false.
bool TakeCountersTrailer(std::string* snapshot, IngestCounters* counters, MissionStats* missions);

}  // namespace questline::daemon
