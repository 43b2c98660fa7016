#include "compiler/lsp/json_builder.h"

#include "stdlib/json_text.h"

namespace questline::lsp {

void JsonBuilder::Separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_.push_back(',');
    first_.back() = false;
  }
}

JsonBuilder& JsonBuilder::BeginObject() {
  Separate();
  out_.push_back('{');
  first_.push_back(true);
  return *this;
}
JsonBuilder& JsonBuilder::EndObject() {
  out_.push_back('}');
  first_.pop_back();
  return *this;
}
JsonBuilder& JsonBuilder::BeginArray() {
  Separate();
  out_.push_back('[');
  first_.push_back(true);
  return *this;
}
JsonBuilder& JsonBuilder::EndArray() {
  out_.push_back(']');
  first_.pop_back();
  return *this;
}
JsonBuilder& JsonBuilder::Key(std::string_view key) {
  Separate();
  stdlib::AppendJsonString(out_, key);
  out_.push_back(':');
  after_key_ = true;
  return *this;
}
JsonBuilder& JsonBuilder::String(std::string_view value) {
  Separate();
  stdlib::AppendJsonString(out_, value);
  return *this;
}
JsonBuilder& JsonBuilder::Int(int64_t value) {
  Separate();
  out_ += std::to_string(value);
  return *this;
}
JsonBuilder& JsonBuilder::Bool(bool value) {
  Separate();
  out_ += value ? "true" : "false";
  return *this;
}
JsonBuilder& JsonBuilder::Null() { return Raw("null"); }
JsonBuilder& JsonBuilder::Raw(std::string_view json) {
  Separate();
  out_ += json;
  return *this;
}

}  // namespace questline::lsp
