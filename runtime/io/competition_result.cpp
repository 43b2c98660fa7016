#include "runtime/io/competition_result.h"

#include <simdjson.h>

#include "runtime/engine/json_text.h"
#include "runtime/io/keyed_line.h"

namespace questline::io {
namespace {

constexpr std::string_view kKey = "competition_result";
constexpr size_t kMaxLineBytes = 64 * 1024;   // names and a user id: far below

}  // namespace

bool IsCompetitionResultLine(std::string_view line) { return OpensWithKey(line, kKey); }

bool ParseCompetitionResultLine(std::string_view line, engine::CompetitionResult* result, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (!ParseKeyedObject(parser, line, kKey, "a competition result", kMaxLineBytes, &body, error)) return false;
  *result = engine::CompetitionResult();
  bool has[7] = {};
  for (auto field : body) {
    const std::string_view key = field.key;
    auto text = [&](std::string* out, int slot) {
      std::string_view v;
      if (field.value.get(v)) return false;
      *out = std::string(v);
      has[slot] = true;
      return true;
    };
    auto number = [&](int64_t* out, int slot) {
      if (field.value.get(*out)) return false;
      has[slot] = true;
      return true;
    };
    bool ok = true;
    if (key == "competition") ok = text(&result->competition, 0);
    else if (key == "user") ok = text(&result->user, 1);
    else if (key == "window_end") ok = number(&result->window_end, 2);
    else if (key == "rank") ok = number(&result->rank, 3);
    else if (key == "score") ok = number(&result->score, 4);
    else if (key == "registered") ok = !field.value.get(result->registered) && (has[5] = true);
    else if (key == "done") ok = !field.value.get(result->done) && result->done && (has[6] = true);
    else {
      *error = "a competition result with an unknown field \"" + std::string(key) + "\"";
      return false;
    }
    if (!ok) {
      *error = "a competition result whose \"" + std::string(key) + "\" has the wrong type";
      return false;
    }
  }
  static const char* kNames[] = {"competition", "user", "window_end", "rank", "score", "registered"};
  if (result->done) {
    if (!has[0] || !has[2] || has[1] || has[3] || has[4] || has[5]) {
      *error = "a competition result marked done has a competition and a window_end, and nothing else";
      return false;
    }
    return true;
  }
  for (int i = 0; i < 6; ++i)
    if (!has[i]) {
      *error = std::string("a competition result without \"") + kNames[i] + "\"";
      return false;
    }
  return true;
}

void AppendCompetitionResultLine(std::string& out, const engine::CompetitionResult& r) {
  out += "{\"competition_result\":{\"competition\":";
  engine::AppendJsonString(out, r.competition);
  if (r.done) {
    out += ",\"window_end\":" + std::to_string(r.window_end) + ",\"done\":true}}";
    return;
  }
  out += ",\"window_end\":" + std::to_string(r.window_end) + ",\"user\":";
  engine::AppendJsonString(out, r.user);
  out += ",\"rank\":" + std::to_string(r.rank) + ",\"score\":" + std::to_string(r.score) +
         ",\"registered\":" + (r.registered ? "true" : "false") + "}}";
}

}  // namespace questline::io
