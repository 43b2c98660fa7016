#include "runtime/engine/recent_ids.h"

#include <limits>

namespace questline::engine {

RecentIds::RecentIds(int64_t window_ms, uint64_t key0, uint64_t key1)
    : window_ms_(window_ms), key0_(key0), key1_(key1) {}

bool RecentIds::SeenOrAdd(std::string_view id, int64_t now) {
  // Saturating: a window reaching before year 0 keeps everything.
  const int64_t oldest = now < std::numeric_limits<int64_t>::min() + window_ms_ ? std::numeric_limits<int64_t>::min()
                                                                              : now - window_ms_;
  while (!order_.empty() && order_.front().first < oldest) {
    keys_.erase(order_.front().second);
    order_.pop_front();
  }
  const Hash128 key = SipHash128(key0_, key1_, id.data(), id.size());
  if (!keys_.insert(key).second) return true;
  order_.emplace_back(now, key);
  return false;
}

}  // namespace questline::engine
