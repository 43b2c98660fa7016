#include "compiler/driver/scenario.h"

#include <cstdlib>
#include <set>

#include "runtime/engine/json_text.h"
#include "runtime/io/event_reader.h"
#include "stdlib/civil_time.h"

namespace questline::driver {
namespace {

std::string JsonScalar(const YAML::Node& node) {
  std::string s = node.Scalar(), out;
  if (node.Tag() == "!") {   // quoted in YAML: always a string
    engine::AppendJsonString(out, s);
    return out;
  }
  if (s == "true" || s == "false") return s;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  if (!s.empty() && end == s.c_str() + s.size() && s.find_first_of("0123456789") != std::string::npos) return s;
  engine::AppendJsonString(out, s);
  return out;
}

// What a scenario may say (docs/scenarios.md). Anything else is a mistake
// that would make an expectation vacuous (`contain:` checks nothing), so it is
// an error with its line, never ignored.
const std::set<std::string> kTopKeys = {"package", "start", "events", "until", "expect"};
const std::set<std::string> kExpectKeys = {"actions", "state"};
const std::set<std::string> kActionListKeys = {"contains", "not_contains", "sequence"};
// The action kinds the engine emits (runtime/engine: Emit calls).
const std::set<std::string> kActionKinds = {
    "award",   "deduct",   "bonus",  "send",  "attempts", "tickets", "tag",       "level_up",   "badge",  "flow",
    "mission", "unlock",   "task",   "rejected", "purchase", "minigame", "raffle", "tournament", "leaderboard",
    "blocked", "bandit", "bandit_reward"};
// Every field an action can carry: the envelope, then the union of the kinds'
// own fields (a `blocked` action carries the blocked action's fields too).
const std::set<std::string> kActionFields = {
    "action", "user",   "source",  "event",  "seq",   "ts",     "key",      "amount", "badge",  "balance",
    "blocked", "bonus", "buy_in",  "channel", "control", "cost", "count",   "currency", "data", "flow",
    "game",   "item",   "level",   "mission", "op",    "policy", "price",   "prize",  "raffle", "rank",
    "reason", "refund", "request", "score",  "state", "tag",    "task",     "template", "total", "tournament",
    "leaderboard", "arm", "decision", "probability", "probabilities", "context", "reward", "reward_event"};

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

std::string List(const std::set<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

const char* KindName(const YAML::Node& node) {
  return node.IsMap() ? "a map" : node.IsSequence() ? "a list" : node.IsNull() ? "nothing" : "a scalar";
}

// Prints each problem as FILE:LINE: MESSAGE; returns how many there were.
int ValidateScenario(const std::string& file, const YAML::Node& doc, std::ostream& out) {
  int problems = 0;
  auto report = [&](const YAML::Node& at, const std::string& message) {
    out << file << ":" << LineOf(at) << ": " << message << "\n";
    ++problems;
  };
  auto keys = [&](const YAML::Node& map, const std::set<std::string>& allowed, const char* where) {
    for (const auto& kv : map)
      if (!allowed.count(kv.first.Scalar()))
        report(kv.first, "unknown key '" + kv.first.Scalar() + "' in " + where + " (expected one of: " +
                             List(allowed) + ")");
  };
  if (!doc.IsMap()) {
    report(doc, "a scenario is a map (package, start, events, until, expect)");
    return problems;
  }
  keys(doc, kTopKeys, "the scenario");
  if (doc["events"] && !doc["events"].IsSequence()) report(doc["events"], "`events` takes a list");
  const YAML::Node expect = doc["expect"];
  if (!expect || !expect.IsMap() || expect.size() == 0) {
    report(expect ? expect : doc, "no `expect`: a scenario without expectations passes vacuously");
    return problems;
  }
  keys(expect, kExpectKeys, "`expect`");
  if (const YAML::Node actions = expect["actions"]) {
    if (!actions.IsMap()) {
      report(actions, "`actions` takes a map of contains, not_contains, sequence, not " +
                          std::string(KindName(actions)));
    } else {
      keys(actions, kActionListKeys, "`actions`");
      for (const std::string& list_key : kActionListKeys) {
        const YAML::Node list = actions[list_key];
        if (!list) continue;
        if (!list.IsSequence()) {
          report(list, "`" + list_key + "` takes a list of actions, not " + KindName(list));
          continue;
        }
        for (const YAML::Node& want : list) {
          if (!want.IsMap() || want.size() == 0) {
            report(want, "an action to match is a non-empty map of fields, not " + std::string(KindName(want)));
            continue;
          }
          for (const auto& kv : want) {
            const std::string field = kv.first.Scalar();
            if (field == "times") {   // not an action field: how many actions must match
              const std::string n = kv.second.IsScalar() ? kv.second.Scalar() : "";
              if (list_key != "contains")
                report(kv.first, "`times` is for `contains` only (`not_contains` means none)");
              else if (n.empty() || n.size() > 9 || n.find_first_not_of("0123456789") != std::string::npos ||
                       std::stol(n) == 0)
                report(kv.second, "`times` takes a count from 1 (for none, use `not_contains`)");
              continue;
            }
            if (!kActionFields.count(field)) report(kv.first, "unknown action field '" + field + "'");
            else if (!kv.second.IsScalar()) report(kv.second, "the value of '" + field + "' must be a scalar");
            else if (field == "action" && !kActionKinds.count(kv.second.Scalar()))
              report(kv.second, "unknown action kind '" + kv.second.Scalar() + "' (expected one of: " +
                                    List(kActionKinds) + ")");
          }
        }
      }
    }
  }
  if (const YAML::Node state = expect["state"]) {
    if (!state.IsSequence()) report(state, "`state` takes a list of claims, not " + std::string(KindName(state)));
    else
      for (const YAML::Node& claim : state)
        if (!claim.IsScalar()) report(claim, "a state claim is text: \"USER.PATH == VALUE\"");
  }
  return problems;
}

}  // namespace

bool ParseAt(const std::string& text, int64_t start, int64_t* out) {
  if (!text.empty() && text[0] == '+') {
    size_t unit = text.find_first_not_of("0123456789", 1);
    if (unit == std::string::npos || unit == 1 || unit + 1 != text.size()) return false;
    // Digits by hand, not std::stoll: a count too large for int64 is a
    // malformed offset, not an exception; an overflowing sum neither.
    int64_t n = 0;
    for (size_t i = 1; i < unit; ++i)
      if (__builtin_mul_overflow(n, int64_t(10), &n) || __builtin_add_overflow(n, int64_t(text[i] - '0'), &n))
        return false;
    static const std::pair<char, int64_t> kUnits[] = {{'s', 1000}, {'m', 60'000}, {'h', 3'600'000},
                                                     {'d', 86'400'000}, {'w', 604'800'000}};
    for (auto [c, ms] : kUnits)
      if (text[unit] == c) {
        int64_t offset;
        return !__builtin_mul_overflow(n, ms, &offset) && !__builtin_add_overflow(start, offset, out) &&
               stdlib::InstantInRange(*out);
      }
    return false;
  }
  return io::ParseTimestamp(text, out) && stdlib::InstantInRange(*out);   // years 0000-9999
}


bool ParseScenario(const std::string& text, const std::string& name, Scenario* scenario, std::ostream& report,
                   int* problems) {
  *problems = 0;
  Scenario s;
  s.doc = YAML::Load(text);
  const YAML::Node& doc = s.doc;
  if ((*problems = ValidateScenario(name, doc, report))) return false;
  if (doc["package"]) s.package = doc["package"].as<std::string>();
  if (doc["start"] && !io::ParseTimestamp(doc["start"].as<std::string>(), &s.start)) {
    report << name << ": `start` must be an RFC 3339 time\n";
    return false;
  }
  size_t n = 0;
  for (const YAML::Node& item : doc["events"]) {
    ++n;
    std::string type;
    YAML::Node fields = item;
    if (item.IsMap() && item["type"]) {
      type = item["type"].as<std::string>();
    } else if (item.IsMap() && item.size() == 1) {   // short form: `- deposit: {user: u1, …}`
      type = item.begin()->first.as<std::string>();
      fields = item.begin()->second;
    }
    if (!fields.IsMap() && !fields.IsNull()) {   // `- login:` is an event with no fields
      report << name << ":" << LineOf(item) << ": event " << n << " is not a map of fields\n";
      return false;
    }
    int64_t ts = s.start;
    std::string line = "{\"type\":";
    engine::AppendJsonString(line, type);
    bool has_id = false;
    for (const auto& kv : fields) {
      std::string key = kv.first.as<std::string>();
      if (key == "type") continue;
      if (key == "at") {
        if (!ParseAt(kv.second.as<std::string>(), s.start, &ts)) {
          report << name << ": event " << n << ": bad `at`\n";
          return false;
        }
        continue;
      }
      if (!kv.second.IsScalar()) {
        report << name << ":" << LineOf(kv.second) << ": event " << n << ": the value of '" << key
               << "' must be a scalar\n";
        return false;
      }
      has_id |= key == "id";
      line += ",";
      engine::AppendJsonString(line, key);
      line += ":" + JsonScalar(kv.second);
    }
    if (!has_id) line += ",\"id\":\"scenario-" + std::to_string(n) + "\"";
    if (!fields["ts"]) line += ",\"ts\":" + std::to_string(ts);
    line += "}";
    s.events.push_back(std::move(line));
  }
  if (doc["until"]) {
    int64_t until;
    if (!ParseAt(doc["until"].as<std::string>(), s.start, &until)) {
      report << name << ": bad `until`\n";
      return false;
    }
    s.until = until;
  }
  *scenario = std::move(s);
  return true;
}

}  // namespace questline::driver
