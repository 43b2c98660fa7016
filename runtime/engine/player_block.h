// What every player has, in one block laid out once from the Program: each
// mechanic reserves its fixed-width slots (balances, counters, bits) when it
// is built, and a new player gets one zeroed allocation of the layout's size.
// What only some players have (mission instances, running flows, tags, held
// messages) stays in the mechanic's sparse entries (player.h).
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <type_traits>

namespace questline::engine {

// The block: raw storage (an unsigned char array provides storage for the
// trivially copyable slots placed in it), 8-byte aligned.
using PlayerBlock = std::unique_ptr<unsigned char[]>;

// `count` values of T at `offset` bytes into a player's block.
template <class T>
struct Slots {
  uint32_t offset = 0, count = 0;
  T* In(const PlayerBlock& block) const { return reinterpret_cast<T*>(block.get() + offset); }
};

// `count` bits at `offset` bytes into a player's block.
struct Bits {
  uint32_t offset = 0, count = 0;
  bool Test(const PlayerBlock& block, size_t i) const {
    return (reinterpret_cast<const uint64_t*>(block.get() + offset)[i / 64] >> (i % 64)) & 1;
  }
  void Set(const PlayerBlock& block, size_t i, bool on) const {
    uint64_t& word = reinterpret_cast<uint64_t*>(block.get() + offset)[i / 64];
    word = on ? word | (uint64_t(1) << (i % 64)) : word & ~(uint64_t(1) << (i % 64));
  }
};

class PlayerLayout {
 public:
  template <class T>
  Slots<T> Reserve(size_t count) {
    static_assert(std::is_trivially_copyable_v<T> && alignof(T) <= 8, "a slot is plain data");
    Slots<T> s{bytes_, uint32_t(count)};
    bytes_ += uint32_t((sizeof(T) * count + 7) / 8 * 8);
    return s;
  }
  Bits ReserveBits(size_t count) {
    Bits b{bytes_, uint32_t(count)};
    bytes_ += uint32_t((count + 63) / 64 * 8);
    return b;
  }
  size_t Bytes() const { return bytes_; }
  PlayerBlock NewBlock() const {
    PlayerBlock block(new unsigned char[bytes_ ? bytes_ : 8]);
    std::memset(block.get(), 0, bytes_ ? bytes_ : 8);
    return block;
  }

 private:
  uint32_t bytes_ = 0;
};

}  // namespace questline::engine
