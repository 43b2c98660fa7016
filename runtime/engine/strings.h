// The engine's string pool: every string the engine sees (event ids, users,
// field values, literals of the package) gets a dense uint32 id, stable for the
// life of the engine. Ids are assigned in first-seen order, so a replay of the
// same package and events assigns the same ids.
//
// The partitions of a world (world.h) share one pool from their threads:
// once Share() is called, Intern and Find take a lock, and Get never does —
// a string, once interned, never moves (chunks that double in size, each
// allocated once), and an id reaches another thread only through the world's
// own hand-over of work.
#pragma once

#include <algorithm>
#include <array>
#include <atomic>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <functional>
#include <vector>

namespace questline::engine {

class StringPool {
 public:
  StringPool() {
    slots_.assign(1024, Slot{kEmpty, 0, 0, {}});
    Intern("");   // id 0 is the empty string
  }
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  // From here on, threads may intern and read at once (world.h).
  void Share() { shared_ = true; }

  uint32_t Intern(std::string_view s) {
    if (!shared_) return InternAlone(s);
    std::lock_guard<std::mutex> lock(mutex_);
    return InternAlone(s);
  }
  // -1 when the string was never interned (so it equals no interned value).
  int64_t Find(std::string_view s) const {
    if (!shared_) return FindAlone(s);
    std::lock_guard<std::mutex> lock(mutex_);
    return FindAlone(s);
  }
  // An id the pool never gave out reads as the empty string. Ids come from
  // interning, but a program read from a bundle passes ir::CheckIr, which
  // cannot tie every node's type to the event a handler sees at run time: a
  // forged program may present an integer as text. It must not read memory.
  const std::string& Get(uint32_t id) const { return At(id < size_.load(std::memory_order_acquire) ? id : 0); }
  size_t Size() const { return size_.load(std::memory_order_acquire); }
  // Back to the empty string alone (Kernel::Load, replacing a fresh pool by a snapshot's).
  void Clear() {
    for (auto& chunk : chunks_) chunk.reset();
    size_.store(0, std::memory_order_release);
    slots_.assign(1024, Slot{kEmpty, 0, 0, {}});
    Intern("");
  }

 private:
  // Open addressing over a power of two of slots, at most half full: a lookup
  // (every user and string value of every event) is one probe into a flat
  // array, and a short string (most user ids, every enum-like value) is
  // compared in the slot itself — one cache miss where a node-based map
  // costs a division and a chain of them.
  static constexpr size_t kInline = 15;
  struct Slot {
    uint32_t id;
    uint32_t tag;           // the hash's high bits (the low ones pick the slot)
    uint8_t size;           // the string's, up to 255
    char text[kInline];     // the string when it fits
  };
  static constexpr uint32_t kEmpty = UINT32_MAX;
  static uint64_t Hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  static uint32_t Tag(uint64_t hash) { return uint32_t(hash >> 32); }

  // The slot holding `s`, or the empty slot where it belongs.
  size_t Probe(std::string_view s, uint64_t hash) const {
    const size_t mask = slots_.size() - 1;
    for (size_t at = size_t(hash) & mask;; at = (at + 1) & mask) {
      const Slot& slot = slots_[at];
      if (slot.id == kEmpty) return at;
      if (slot.tag != Tag(hash) || slot.size != std::min<size_t>(s.size(), 255)) continue;
      if (s.size() <= kInline ? std::memcmp(slot.text, s.data(), s.size()) == 0 : At(slot.id) == s) return at;
    }
  }
  // Chunk k holds ids [64·(2^k − 1), 64·(2^(k+1) − 1)): 64 << k strings.
  static constexpr size_t kFirstChunk = 64;
  static size_t ChunkOf(size_t id) { return size_t(63 - __builtin_clzll(uint64_t(id / kFirstChunk + 1))); }
  static size_t ChunkStart(size_t chunk) { return kFirstChunk * ((size_t(1) << chunk) - 1); }
  const std::string& At(size_t id) const {
    const size_t chunk = ChunkOf(id);
    return chunks_[chunk][id - ChunkStart(chunk)];
  }

  uint32_t InternAlone(std::string_view s) {
    const uint64_t hash = Hash(s);
    size_t at = Probe(s, hash);
    if (slots_[at].id != kEmpty) return slots_[at].id;
    const size_t id = size_.load(std::memory_order_relaxed);
    const size_t chunk = ChunkOf(id);
    if (!chunks_[chunk]) chunks_[chunk] = std::make_unique<std::string[]>(kFirstChunk << chunk);
    chunks_[chunk][id - ChunkStart(chunk)] = std::string(s);
    size_.store(id + 1, std::memory_order_release);
    Slot& slot = slots_[at];
    slot = {uint32_t(id), Tag(hash), uint8_t(std::min<size_t>(s.size(), 255)), {}};
    if (s.size() <= kInline) std::memcpy(slot.text, s.data(), s.size());
    if ((id + 1) * 2 > slots_.size()) Grow();
    return uint32_t(id);
  }
  int64_t FindAlone(std::string_view s) const {
    const Slot& slot = slots_[Probe(s, Hash(s))];
    return slot.id == kEmpty ? -1 : int64_t(slot.id);
  }

  void Grow() {
    std::vector<Slot> old(slots_.size() * 2, Slot{kEmpty, 0, 0, {}});
    old.swap(slots_);
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.id == kEmpty) continue;
      size_t at = size_t(Hash(At(slot.id))) & mask;
      while (slots_[at].id != kEmpty) at = (at + 1) & mask;
      slots_[at] = slot;
    }
  }

  std::array<std::unique_ptr<std::string[]>, 48> chunks_;   // by id (ChunkOf)
  std::atomic<size_t> size_{0};
  std::vector<Slot> slots_;
  bool shared_ = false;
  mutable std::mutex mutex_;
};

}  // namespace questline::engine
