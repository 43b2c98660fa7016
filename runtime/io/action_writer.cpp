#include "runtime/io/action_writer.h"

#include "runtime/engine/json_text.h"

namespace questline::io {

void AppendActionJson(std::string& out, const engine::Action& a) {
  out += "{\"seq\":" + std::to_string(a.seq) + ",\"ts\":";
  engine::AppendTime(out, a.ts);
  out += ",\"user\":";
  engine::AppendJsonString(out, a.user);
  out += ",\"event\":";
  engine::AppendJsonString(out, a.event);
  out += ",\"source\":";
  engine::AppendJsonString(out, a.source);
  out += ",\"action\":";
  engine::AppendJsonString(out, a.action);
  out += ",\"key\":\"";
  engine::AppendHex64(out, a.key.hi);
  engine::AppendHex64(out, a.key.lo);
  out += '"';
  for (const auto& [name, v] : a.fields) {
    out += ",";
    engine::AppendJsonString(out, name);
    out += ":";
    AppendActionValue(out, v);
  }
  out += "}\n";
}

void AppendActionValue(std::string& out, const engine::ActionValue& v) {
  using engine::ActionValue;
  switch (v.kind) {
    case ActionValue::Kind::Null: out += "null"; break;
    case ActionValue::Kind::Bool: out += v.i ? "true" : "false"; break;
    case ActionValue::Kind::Int: out += std::to_string(v.i); break;
    case ActionValue::Kind::Decimal: engine::AppendDecimal(out, v.i); break;
    case ActionValue::Kind::String: engine::AppendJsonString(out, v.s); break;
    case ActionValue::Kind::Time: engine::AppendTime(out, v.i); break;
    case ActionValue::Kind::Raw: out += v.s; break;
  }
}

}  // namespace questline::io
