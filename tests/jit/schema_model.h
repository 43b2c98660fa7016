// The fixed schema every generated package starts from: the prelude's bet,
// deposit and login events, extended with a field of every type. The
// expression generator reads it to name fields of a wanted type; the event
// generator reads it to fill NDJSON lines with values of the right kind.
#pragma once

#include <string>
#include <vector>

namespace questline::jitdiff {

// The value types the generator produces. GameType and Device are the
// prelude's unions, Tier the package's own.
enum class Ty { Int, Dec, Bool, Str, Time, Dur, Pct, GameType, Device, Tier };

inline bool IsUnion(Ty t) { return t == Ty::GameType || t == Ty::Device || t == Ty::Tier; }
inline bool IsStringy(Ty t) { return t == Ty::Str || IsUnion(t); }
inline bool IsNumeric(Ty t) { return t == Ty::Int || t == Ty::Dec; }

inline const std::vector<std::string>& UnionMembers(Ty t) {
  static const std::vector<std::string> game = {"slots", "live_casino", "table", "sports", "crash", "lottery", "poker"};
  static const std::vector<std::string> device = {"desktop", "mobile", "tablet", "app"};
  static const std::vector<std::string> tier = {"bronze_t", "silver_t", "gold_t"};
  return t == Ty::GameType ? game : t == Ty::Device ? device : tier;
}

struct FieldDef {
  std::string name;
  Ty ty;
  bool extension;   // declared by the generated package (else by the prelude)
};

struct EventDef {
  std::string name;
  std::vector<FieldDef> fields;   // without id, user, ts
};

inline const std::vector<EventDef>& Events() {
  static const std::vector<EventDef> events = {
      {"bet",
       {{"game", Ty::Str, false}, {"provider", Ty::Str, false}, {"game_type", Ty::GameType, false},
        {"amount", Ty::Dec, false}, {"currency", Ty::Str, false}, {"device", Ty::Device, false},
        {"qty", Ty::Int, true}, {"count", Ty::Int, true}, {"div", Ty::Int, true}, {"big", Ty::Int, true},
        {"mult", Ty::Dec, true}, {"label", Ty::Str, true}, {"hot", Ty::Bool, true}, {"tier", Ty::Tier, true},
        {"span", Ty::Dur, true}, {"share", Ty::Pct, true}, {"at_time", Ty::Time, true}}},
      {"deposit",
       {{"amount", Ty::Dec, false}, {"currency", Ty::Str, false}, {"method", Ty::Str, false},
        {"first", Ty::Bool, false}, {"ratio", Ty::Dec, true}, {"bonus_pct", Ty::Pct, true},
        {"parts", Ty::Int, true}}},
      {"login", {{"device", Ty::Device, false}, {"ip_country", Ty::Str, false}}},
  };
  return events;
}

inline const EventDef* FindEvent(const std::string& name) {
  for (const EventDef& e : Events())
    if (e.name == name) return &e;
  return nullptr;
}

// `extend event …` and the union the extensions use: one declaration.
inline std::string SchemaDecl() {
  return "type Tier = \"bronze_t\" | \"silver_t\" | \"gold_t\"\n"
         "extend event bet { qty: int, count: int, div: int, big: int, mult: decimal, label: string,\n"
         "  hot: bool, tier: Tier, span: duration, share: percent, at_time: time }\n"
         "extend event deposit { ratio: decimal, bonus_pct: percent, parts: int }\n"
         "currency gems";
}

}  // namespace questline::jitdiff
