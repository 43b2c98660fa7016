// Bandit policies (bandit_policies.def): spellings and parameter bounds by
// number, for the checker (names to numbers) and the engine (numbers to
// the policy it runs). The first, thompson, is the default.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace questline::core {

enum class BanditPolicy : uint8_t {
#define QUEST_BANDIT_POLICY(name, spelling, param, fallback, min, max) name,
#include "core/bandit_policies.def"
#undef QUEST_BANDIT_POLICY
};

struct BanditPolicyInfo {
  const char* spelling;
  bool param;
  int64_t fallback, min, max;   // scaled by kDecimalScale
};

inline constexpr BanditPolicyInfo kBanditPolicies[] = {
#define QUEST_BANDIT_POLICY(name, spelling, param, fallback, min, max) {spelling, param, fallback, min, max},
#include "core/bandit_policies.def"
#undef QUEST_BANDIT_POLICY
};
inline constexpr int32_t kBanditPolicyCount = int32_t(sizeof kBanditPolicies / sizeof kBanditPolicies[0]);

// Features (docs/bandits.md): a string takes kBanditStringBuckets
// dimensions, one-hot at the bucket of its text; the engine and `quest
// report bandit` encode alike.
inline constexpr size_t kBanditStringBuckets = 8;
inline size_t BanditBucket(std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ull;   // FNV-1a: fixed on every platform, unlike std::hash
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  return size_t(h % kBanditStringBuckets);
}

}  // namespace questline::core
