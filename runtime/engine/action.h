// What the engine emits: one Action per effect, in production order. Actions are
// plain data; runtime/io renders them as NDJSON (INTERFACES.md §4) and sinks
// deliver them. `key` is the stable idempotency key (source, user, event, ordinal).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "runtime/engine/random.h"

namespace questline::engine {

struct ActionValue {
  enum class Kind : uint8_t { Null, Bool, Int, Decimal, String, Time, Raw } kind = Kind::Null;
  int64_t i = 0;          // Bool, Int, Decimal (scaled by kDecimalScale), Time (epoch ms)
  std::string s;          // String; Raw: an already-encoded JSON value (e.g. `data` objects)

  static ActionValue Bool(bool b) { ActionValue v; v.kind = Kind::Bool; v.i = b; return v; }
  static ActionValue Int(int64_t x) { ActionValue v; v.kind = Kind::Int; v.i = x; return v; }
  static ActionValue Decimal(int64_t scaled) { ActionValue v; v.kind = Kind::Decimal; v.i = scaled; return v; }
  static ActionValue String(std::string s) { ActionValue v; v.kind = Kind::String; v.s = std::move(s); return v; }
  static ActionValue Time(int64_t ms) { ActionValue v; v.kind = Kind::Time; v.i = ms; return v; }
  static ActionValue Raw(std::string json) { ActionValue v; v.kind = Kind::Raw; v.s = std::move(json); return v; }
};

struct Action {
  uint64_t seq = 0;
  int64_t ts = 0;                 // engine time when produced (release time when deferred)
  std::string user;
  std::string event;              // id of the event (or timer) that caused it
  std::string source;             // "rule:slot_points", "mission:casino_challenge", …
  std::string action;             // award deduct bonus send level_up badge mission task …
  Hash128 key;                    // idempotency key, written as 32 hex digits (hi, then lo)
  std::vector<std::pair<std::string, ActionValue>> fields;   // action-specific, in order
};

// Where the engine hands each action the moment it is produced: the engine
// keeps none (Engine::SetSink), so a midnight that moves a million players
// streams its actions instead of holding them all.
class ActionSink {
 public:
  virtual ~ActionSink() = default;
  virtual void Write(Action&& action) = 0;
};

}  // namespace questline::engine
