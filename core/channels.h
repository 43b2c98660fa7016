// Message channels (channels.def): their spellings by number, for the
// checker (names to numbers) and the engine (numbers to action fields).
#pragma once

#include <cstdint>

namespace questline::core {

inline constexpr const char* kChannelNames[] = {
#define QUEST_CHANNEL(name, spelling) spelling,
#include "core/channels.def"
#undef QUEST_CHANNEL
};
inline constexpr int32_t kChannelCount = int32_t(sizeof kChannelNames / sizeof kChannelNames[0]);

}  // namespace questline::core
