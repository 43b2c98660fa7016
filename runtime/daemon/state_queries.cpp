#include "runtime/daemon/state_queries.h"

#include <algorithm>
#include <cstdint>
#include <vector>

#include <simdjson.h>

#include "runtime/daemon/json_out.h"

namespace questline::daemon {
namespace {

namespace od = simdjson::ondemand;

// Calls `visit(raw_object)` for each element of the document's "users",
// stopping when it returns false. Each element is handed over as its raw
// text, so the caller's answer keeps the engine's bytes.
template <class Visit>
void ForEachUser(const std::string& state_json, Visit visit) {
  od::parser parser;
  simdjson::padded_string padded(state_json);
  od::document doc = parser.iterate(padded);
  od::array users;
  if (doc["users"].get_array().get(users)) return;
  for (auto element : users) {
    od::object object;
    std::string_view raw;
    if (element.get_object().get(object) || object.raw_json().get(raw)) return;
    if (!visit(raw)) return;
  }
}

}  // namespace

bool UserState(const std::string& state_json, const std::string& user, std::string* out) {
  bool found = false;
  od::parser inner;
  ForEachUser(state_json, [&](std::string_view raw) {
    simdjson::padded_string one(raw);
    od::document doc = inner.iterate(one);
    std::string_view id;
    if (!doc["user"].get_string().get(id) && id == user) {
      *out = std::string(raw);
      found = true;
    }
    return !found;
  });
  return found;
}

std::string Leaderboard(const std::string& state_json, const std::string& name, size_t top) {
  struct Row {
    int64_t rank;
    std::string user, score;   // score: its JSON text (an int or a decimal)
  };
  std::vector<Row> rows;
  od::parser inner;
  ForEachUser(state_json, [&](std::string_view raw) {
    simdjson::padded_string one(raw);
    od::document doc = inner.iterate(one);
    std::string_view id, score;
    int64_t rank = 0;
    if (doc["user"].get_string().get(id)) return true;
    Row row{0, std::string(id), ""};
    od::object entry;
    if (doc["competitions"][name].get_object().get(entry)) return true;
    // A registered player who has not scored has rank null: not ranked yet.
    if (entry["score"].raw_json_token().get(score) || entry["rank"].get_int64().get(rank)) return true;
    row.rank = rank;
    row.score = std::string(score);
    rows.push_back(std::move(row));
    return true;
  });
  std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.rank < b.rank; });
  std::string out = "{\"leaderboard\":" + JsonString(name) + ",\"entries\":[";
  for (size_t i = 0; i < rows.size() && i < top; ++i) {
    if (i) out += ',';
    out += "{\"rank\":" + std::to_string(rows[i].rank) + ",\"user\":" + JsonString(rows[i].user) +
           ",\"score\":" + rows[i].score + "}";
  }
  out += "]}\n";
  return out;
}

}  // namespace questline::daemon
