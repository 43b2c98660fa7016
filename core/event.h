// Events as the engine sees them, and the schema that types them. The schema is
// produced by lowering (ir::Program::schema) and used by ingestion (runtime/io)
// to type JSON fields; the engine never sees JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace questline::core {

struct FieldSchema {
  std::string name;
  ValueKind kind = ValueKind::Int;
  std::vector<std::string> union_members;   // non-empty: a string union
  Value default_value;                      // taken when the field is missing
  // Missing is normal (a prelude field feeds often omit): the default, no
  // warning. A none default is optional too (profile_update's profile fields).
  bool optional = false;
};

struct EventType {
  std::string name;
  std::vector<FieldSchema> fields;          // 0 id, 1 user, 2 ts, then declared fields
  bool request = false;                     // store_purchase, minigame_play, …
};

struct EventSchema {
  std::vector<EventType> types;
  // The package reads an event's `id` (`deposit.id`): only then is it interned
  // into the string pool, which otherwise would grow with every event.
  bool intern_ids = false;
  int32_t Find(std::string_view name) const {
    for (size_t i = 0; i < types.size(); ++i)
      if (types[i].name == name) return int32_t(i);
    return -1;
  }
};

inline constexpr int kFieldId = 0, kFieldUser = 1, kFieldTs = 2;

struct Event {
  int32_t type = -1;
  std::string id;                           // the feed's id: duplicates, action keys
  std::vector<Value> fields;                // same order as EventType::fields; [kFieldId] is
                                            // interned only with EventSchema::intern_ids
  uint64_t line = 0;                        // source line in the input, for messages

  uint32_t User() const { return uint32_t(fields[kFieldUser].i); }
  int64_t Ts() const { return fields[kFieldTs].i; }
};

}  // namespace questline::core
