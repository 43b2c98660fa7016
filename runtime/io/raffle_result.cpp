#include "runtime/io/raffle_result.h"

#include <simdjson.h>

#include "runtime/engine/json_text.h"
#include "runtime/io/keyed_line.h"

namespace questline::io {
namespace {

constexpr std::string_view kKey = "raffle_result";
constexpr size_t kMaxLineBytes = 64 * 1024;   // names and a user id: far below

}  // namespace

bool IsRaffleResultLine(std::string_view line) { return OpensWithKey(line, kKey); }

bool ParseRaffleResultLine(std::string_view line, engine::RaffleResult* result, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (!ParseKeyedObject(parser, line, kKey, "a raffle result", kMaxLineBytes, &body, error)) return false;
  *result = engine::RaffleResult();
  std::vector<bool> has;
  auto take = [&](size_t slot, simdjson::dom::element value) {
    std::string_view text;
    switch (slot) {
      case 0: return !value.get(text) && (result->raffle = std::string(text), true);
      case 1: return !value.get(result->draw_at);
      case 2: return !value.get(result->draw) && result->draw >= 0;
      case 3: return !value.get(text) && (result->user = std::string(text), true);
      case 4: return !value.get(text) && (result->prize = std::string(text), true);
      default: return !value.get(result->done) && result->done;
    }
  };
  if (!ReadFields(body, {"raffle", "draw_at", "draw", "user", "prize", "done"}, "a raffle result", take, &has, error))
    return false;
  if (!has[0] || !has[1]) {
    *error = "a raffle result without \"raffle\" and \"draw_at\"";
    return false;
  }
  if (result->done ? (has[2] || has[3] || has[4]) : !(has[2] && has[3] && has[4])) {
    *error = result->done ? "a raffle result marked done has a raffle and a draw_at, and nothing else"
                          : "a raffle win has a draw, a user and a prize";
    return false;
  }
  return true;
}

void AppendRaffleResultLine(std::string& out, const engine::RaffleResult& r) {
  out += "{\"raffle_result\":{\"raffle\":";
  engine::AppendJsonString(out, r.raffle);
  out += ",\"draw_at\":" + std::to_string(r.draw_at);
  if (r.done) {
    out += ",\"done\":true}}";
    return;
  }
  out += ",\"draw\":" + std::to_string(r.draw) + ",\"user\":";
  engine::AppendJsonString(out, r.user);
  out += ",\"prize\":";
  engine::AppendJsonString(out, r.prize);
  out += "}}";
}

}  // namespace questline::io
