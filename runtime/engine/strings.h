// The engine's string pool: every string the engine sees (event ids, users,
// field values, literals of the package) gets a dense uint32 id, stable for the
// life of the engine. Ids are assigned in first-seen order, so a replay of the
// same package and events assigns the same ids.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>

namespace questline::engine {

class StringPool {
 public:
  StringPool() { Intern(""); }   // id 0 is the empty string

  uint32_t Intern(std::string_view s) {
    auto it = ids_.find(s);
    if (it != ids_.end()) return it->second;
    strings_.emplace_back(s);
    uint32_t id = uint32_t(strings_.size() - 1);
    ids_.emplace(strings_.back(), id);
    return id;
  }
  // -1 when the string was never interned (so it equals no interned value).
  int64_t Find(std::string_view s) const {
    auto it = ids_.find(s);
    return it == ids_.end() ? -1 : int64_t(it->second);
  }
  // An id the pool never gave out reads as the empty string. Ids come from
  // interning, but a program read from a bundle passes ir::CheckIr, which
  // cannot tie every node's type to the event a handler sees at run time: a
  // forged program may present an integer as text. It must not read memory.
  const std::string& Get(uint32_t id) const { return id < strings_.size() ? strings_[id] : strings_[0]; }
  size_t Size() const { return strings_.size(); }

 private:
  std::deque<std::string> strings_;                      // stable addresses for the keys
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace questline::engine
