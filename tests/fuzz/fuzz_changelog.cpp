// libFuzzer target for the Kafka changelog's decoder (runtime/daemon/kafka/
// changelog.h): a changelog partition is whatever its topic holds, written
// by any client with access, so the decoder must take arbitrary records —
// a header claiming any size or chunk count, chunks of any generation, a
// progress record of any text — without crashing or allocating what a
// header claims. The input is a sequence of records: a key length byte,
// the key, a two-byte value length (little endian), the value.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "runtime/daemon/kafka/changelog.h"
#include "runtime/daemon/log.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace questline::daemon::kafka;
  static const bool quiet = (questline::daemon::SetLogLevel("error"), true);   // a warning per input is noise
  (void)quiet;
  std::map<std::string, std::string> latest;
  size_t pos = 0;
  while (pos < size) {
    const size_t key_size = data[pos++];
    if (pos + key_size + 2 > size) break;
    std::string key(reinterpret_cast<const char*>(data + pos), key_size);
    pos += key_size;
    const size_t value_size = size_t(data[pos]) | size_t(data[pos + 1]) << 8;
    pos += 2;
    if (pos + value_size > size) break;
    latest[key] = std::string(reinterpret_cast<const char*>(data + pos), value_size);
    pos += value_size;
  }
  ChangelogState state;
  std::string error;
  if (DecodeChangelog(latest, &state, &error) && state.has_checkpoint) {
    // What was decoded encodes back to the same records.
    for (const auto& [key, value] : EncodeCheckpoint(state.checkpoint))
      if (key == "checkpoint" && latest.at(key).size() < value.size()) __builtin_trap();
  }
  return 0;
}
