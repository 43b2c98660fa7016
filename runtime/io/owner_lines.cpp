#include "runtime/io/owner_lines.h"

#include <vector>

#include <simdjson.h>

#include "runtime/engine/json_text.h"
#include "runtime/io/keyed_line.h"

namespace questline::io {
namespace {

constexpr size_t kMaxLineBytes = 64 * 1024;   // names and ids: far below

}  // namespace

bool IsCompetitionResultLine(std::string_view line) { return OpensWithKey(line, "competition_result"); }

bool ParseCompetitionResultLine(std::string_view line, engine::CompetitionResult* result, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (!ParseKeyedObject(parser, line, "competition_result", "a competition result", kMaxLineBytes, &body, error))
    return false;
  *result = engine::CompetitionResult();
  static const std::vector<std::string_view> kNames = {"competition", "user", "window_end", "rank",
                                                       "score", "registered", "done"};
  std::vector<bool> has;
  auto take = [&](size_t slot, simdjson::dom::element value) {
    std::string_view text;
    switch (slot) {
      case 0: return !value.get(text) && (result->competition = std::string(text), true);
      case 1: return !value.get(text) && (result->user = std::string(text), true);
      case 2: return !value.get(result->window_end);
      case 3: return !value.get(result->rank);
      case 4: return !value.get(result->score);
      case 5: return !value.get(result->registered);
      default: return !value.get(result->done) && result->done;
    }
  };
  if (!ReadFields(body, kNames, "a competition result", take, &has, error)) return false;
  if (result->done) {
    if (!has[0] || !has[2] || has[1] || has[3] || has[4] || has[5]) {
      *error = "a competition result marked done has a competition and a window_end, and nothing else";
      return false;
    }
    return true;
  }
  for (size_t i = 0; i < 6; ++i)
    if (!has[i]) {
      *error = "a competition result without \"" + std::string(kNames[i]) + "\"";
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


bool IsRaffleResultLine(std::string_view line) { return OpensWithKey(line, "raffle_result"); }

bool ParseRaffleResultLine(std::string_view line, engine::RaffleResult* result, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (!ParseKeyedObject(parser, line, "raffle_result", "a raffle result", kMaxLineBytes, &body, error)) return false;
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


bool IsStockAnswerLine(std::string_view line) { return OpensWithKey(line, "stock_answer"); }

bool ParseStockAnswerLine(std::string_view line, engine::StockAnswer* answer, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (!ParseKeyedObject(parser, line, "stock_answer", "a stock answer", kMaxLineBytes, &body, error)) return false;
  *answer = engine::StockAnswer();
  static const std::vector<std::string_view> kNames = {"stock", "user", "event", "granted", "prize"};
  std::vector<bool> has;
  auto take = [&](size_t slot, simdjson::dom::element value) {
    std::string_view text;
    switch (slot) {
      case 0: return !value.get(text) && (answer->stock = std::string(text), true);
      case 1: return !value.get(text) && (answer->user = std::string(text), true);
      case 2: return !value.get(text) && (answer->event = std::string(text), true);
      case 3: return !value.get(answer->granted);
      default: return !value.get(text) && (answer->prize = std::string(text), true);
    }
  };
  if (!ReadFields(body, kNames, "a stock answer", take, &has, error)) return false;
  for (size_t i = 0; i < 4; ++i)
    if (!has[i]) {
      *error = "a stock answer without \"" + std::string(kNames[i]) + "\"";
      return false;
    }
  if (answer->stock.empty() || answer->user.empty() || answer->event.empty()) {
    *error = "a stock answer with an empty stock, user or event";
    return false;
  }
  if (has[4] && (!answer->granted || answer->prize.empty())) {
    *error = "a stock answer's prize goes with \"granted\":true and is not empty";
    return false;
  }
  return true;
}

void AppendStockAnswerLine(std::string& out, const engine::StockAnswer& a) {
  out += "{\"stock_answer\":{\"stock\":";
  engine::AppendJsonString(out, a.stock);
  out += ",\"user\":";
  engine::AppendJsonString(out, a.user);
  out += ",\"event\":";
  engine::AppendJsonString(out, a.event);
  out += a.granted ? ",\"granted\":true" : ",\"granted\":false";
  if (!a.prize.empty()) {
    out += ",\"prize\":";
    engine::AppendJsonString(out, a.prize);
  }
  out += "}}";
}

}  // namespace questline::io
