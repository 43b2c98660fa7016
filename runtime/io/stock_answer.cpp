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
  bool has[5] = {};
  static const char* kNames[] = {"stock", "user", "event", "granted", "prize"};
  for (auto field : body) {
    const std::string_view key = field.key;
    int slot = -1;
    for (int i = 0; i < 5; ++i)
      if (key == kNames[i]) slot = i;
    if (slot < 0) {
      *error = "a stock answer with an unknown field \"" + std::string(key) + "\"";
      return false;
    }
    std::string_view text;
    bool ok = false;
    switch (slot) {
      case 0: ok = !field.value.get(text) && (answer->stock = std::string(text), true); break;
      case 1: ok = !field.value.get(text) && (answer->user = std::string(text), true); break;
      case 2: ok = !field.value.get(text) && (answer->event = std::string(text), true); break;
      case 3: ok = !field.value.get(answer->granted); break;
      case 4: ok = !field.value.get(text) && (answer->prize = std::string(text), true); break;
    }
    if (!ok) {
      *error = "a stock answer whose \"" + std::string(key) + "\" has the wrong type";
      return false;
    }
    has[slot] = true;
  }
  for (int i = 0; i < 4; ++i)
    if (!has[i]) {
      *error = std::string("a stock answer without \"") + kNames[i] + "\"";
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
