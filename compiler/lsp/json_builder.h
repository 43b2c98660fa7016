// Writes JSON text for the server's answers. Commas are placed by the builder;
// strings are escaped by stdlib::AppendJsonString, the project's one definition.
// Nesting is bounded by how the server calls it (a few levels), not by input.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace questline::lsp {

class JsonBuilder {
 public:
  JsonBuilder& BeginObject();
  JsonBuilder& EndObject();
  JsonBuilder& BeginArray();
  JsonBuilder& EndArray();
  JsonBuilder& Key(std::string_view key);
  JsonBuilder& String(std::string_view value);
  JsonBuilder& Int(int64_t value);
  JsonBuilder& Bool(bool value);
  JsonBuilder& Null();
  JsonBuilder& Raw(std::string_view json);   // an already-encoded value (a request's id)
  std::string Take() { return std::move(out_); }

 private:
  void Separate();
  std::string out_;
  std::vector<bool> first_;   // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace questline::lsp
