#include "runtime/daemon/durable_counters.h"

#include <cstring>

#include "core/byte_io.h"

namespace questline::daemon {
namespace {

// The snapshot ends with: payload | u64 payload length (LE) | this magic.
// At the end, not the start, so the engine's bytes are cut off in place
// (a 1M-player snapshot is not copied).
constexpr char kMagic[8] = {'Q', 'D', 'C', 'N', 'T', 'R', 'S', '1'};
constexpr size_t kTail = 16;

}  // namespace

void AppendCountersTrailer(const IngestCounters& counters, const MissionStats& missions, std::string* snapshot) {
  core::ByteWriter w;
  for (uint64_t n : {counters.received, counters.accepted, counters.rejected, counters.duplicates, counters.imports})
    w.Unsigned(n);
  missions.Encode(w);
  w.Fixed64(w.Data().size());
  w.Raw(std::string_view(kMagic, sizeof kMagic));
  snapshot->append(w.Data());
}

bool TakeCountersTrailer(std::string* snapshot, IngestCounters* counters, MissionStats* missions) {
  *counters = IngestCounters{};
  *missions = MissionStats{};
  if (snapshot->size() < kTail || std::memcmp(snapshot->data() + snapshot->size() - 8, kMagic, 8) != 0) return true;
  core::ByteReader length(std::string_view(*snapshot).substr(snapshot->size() - kTail, 8));
  const uint64_t size = length.Fixed64();
  if (size > snapshot->size() - kTail) return false;
  const size_t start = snapshot->size() - kTail - size_t(size);
  core::ByteReader r(std::string_view(*snapshot).substr(start, size_t(size)));
  for (uint64_t* n : {&counters->received, &counters->accepted, &counters->rejected, &counters->duplicates,
                      &counters->imports})
    *n = r.Unsigned();
  if (!missions->Decode(r) || !r.AtEnd()) return false;
  snapshot->resize(start);
  return true;
}

}  // namespace questline::daemon
