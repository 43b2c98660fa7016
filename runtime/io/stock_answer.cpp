#include "runtime/io/stock_answer.h"

#include <simdjson.h>

#include "runtime/engine/json_text.h"
#include "runtime/io/keyed_line.h"

namespace questline::io {
namespace {

constexpr std::string_view kKey = "stock_answer";
constexpr size_t kMaxLineBytes = 64 * 1024;   // names and ids: far below

}  // namespace

bool IsStockAnswerLine(std::string_view line) { return OpensWithKey(line, kKey); }

bool ParseStockAnswerLine(std::string_view line, engine::StockAnswer* answer, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object body;
  if (!ParseKeyedObject(parser, line, kKey, "a stock answer", kMaxLineBytes, &body, error)) return false;
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
