#include "runtime/engine/random.h"

#include <cstring>
#include <string>

namespace questline::engine {
namespace {

inline uint64_t Rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }

inline void Round(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
  v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
  v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
  v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
  v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
}

}  // namespace

// SipHash-2-4 (Aumasson & Bernstein), little-endian message words; `wide`
// selects the 128-bit output variant (its own constants: 0xee, 0xdd).
static void SipHashCore(uint64_t k0, uint64_t k1, const void* data, size_t size, bool wide, uint64_t out[2]) {
  uint64_t v0 = 0x736f6d6570736575ull ^ k0, v1 = 0x646f72616e646f6dull ^ k1;
  uint64_t v2 = 0x6c7967656e657261ull ^ k0, v3 = 0x7465646279746573ull ^ k1;
  if (wide) v1 ^= 0xee;
  const auto* in = static_cast<const unsigned char*>(data);
  size_t blocks = size / 8;
  for (size_t i = 0; i < blocks; ++i) {
    uint64_t m = 0;
    for (int b = 7; b >= 0; --b) m = (m << 8) | in[i * 8 + size_t(b)];
    v3 ^= m;
    Round(v0, v1, v2, v3);
    Round(v0, v1, v2, v3);
    v0 ^= m;
  }
  uint64_t last = uint64_t(size & 0xff) << 56;
  for (size_t b = 0; b < size % 8; ++b) last |= uint64_t(in[blocks * 8 + b]) << (8 * b);
  v3 ^= last;
  Round(v0, v1, v2, v3);
  Round(v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= wide ? 0xee : 0xff;
  for (int i = 0; i < 4; ++i) Round(v0, v1, v2, v3);
  out[0] = v0 ^ v1 ^ v2 ^ v3;
  if (!wide) return;
  v1 ^= 0xdd;
  for (int i = 0; i < 4; ++i) Round(v0, v1, v2, v3);
  out[1] = v0 ^ v1 ^ v2 ^ v3;
}

uint64_t SipHash24(uint64_t k0, uint64_t k1, const void* data, size_t size) {
  uint64_t out[2];
  SipHashCore(k0, k1, data, size, false, out);
  return out[0];
}

Hash128 SipHash128(uint64_t k0, uint64_t k1, const void* data, size_t size) {
  uint64_t out[2];
  SipHashCore(k0, k1, data, size, true, out);
  return {out[0], out[1]};
}

KeyedRandom::KeyedRandom(std::string_view seed) {
  k0_ = SipHash24(0x51756573746c696eull, 0x65000000000000a1ull, seed.data(), seed.size());
  k1_ = SipHash24(k0_, 0x2d6b65792d310000ull, seed.data(), seed.size());
  action_k0_ = SipHash24(k1_, 0x616374696f6e2d6bull, seed.data(), seed.size());
  action_k1_ = SipHash24(action_k0_, 0x65792d3132380000ull, seed.data(), seed.size());
  id_k0_ = SipHash24(action_k1_, 0x6576656e742d6964ull, seed.data(), seed.size());
  id_k1_ = SipHash24(id_k0_, 0x2d6b65792d313238ull, seed.data(), seed.size());
}

namespace {

// Length-prefixed fields, so ("ab","c") and ("a","bc") never collide.
void PutField(std::string& message, std::string_view s) {
  const uint32_t n = uint32_t(s.size());
  message.append(reinterpret_cast<const char*>(&n), 4);
  message.append(s);
}

}  // namespace

Hash128 KeyedRandom::ActionKey(std::string_view source, std::string_view user, std::string_view event_id,
                               uint64_t ordinal) const {
  thread_local std::string message;
  message.clear();
  PutField(message, source);
  PutField(message, user);
  PutField(message, event_id);
  message.append(reinterpret_cast<const char*>(&ordinal), 8);
  return SipHash128(action_k0_, action_k1_, message.data(), message.size());
}

uint64_t KeyedRandom::Draw(std::string_view user, std::string_view event_id, uint64_t index) const {
  std::string message;
  PutField(message, user);
  PutField(message, event_id);
  message.append(reinterpret_cast<const char*>(&index), 8);
  return SipHash24(k0_, k1_, message.data(), message.size());
}

uint64_t KeyedRandom::Below(uint64_t n, std::string_view user, std::string_view event_id, uint64_t index) const {
  // Rejection sampling: redraw (with a derived index) above the largest multiple of n.
  const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
  for (uint64_t attempt = 0;; ++attempt) {
    uint64_t x = Draw(user, event_id, index + (attempt << 32));
    if (x < limit) return x % n;
  }
}

int KeyedRandom::Weighted(const std::vector<int64_t>& weights, std::string_view user,
                          std::string_view event_id, uint64_t index) const {
  uint64_t total = 0;
  for (int64_t w : weights) total += w > 0 ? uint64_t(w) : 0;
  if (total == 0) return -1;
  uint64_t pick = Below(total, user, event_id, index);
  for (size_t i = 0; i < weights.size(); ++i) {
    uint64_t w = weights[i] > 0 ? uint64_t(weights[i]) : 0;
    if (pick < w) return int(i);
    pick -= w;
  }
  return -1;
}

}  // namespace questline::engine
