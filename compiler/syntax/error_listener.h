// Turns ANTLR's syntax errors into Questline diagnostics in plain words
// ("expected a duration such as `7d` after `time_limit`") and keeps one
// mistake from producing a cascade of reports.
#pragma once

#include <string>
#include <vector>

#include "antlr4-runtime.h"
#include "compiler/syntax/builder.h"

namespace questline::syntax {

class ErrorListener : public antlr4::BaseErrorListener {
 public:
  // `resync_points`: sorted token indices where a top-level declaration starts a
  // line. After an error, reports are held back until the parser passes the next
  // one: whatever else goes wrong before it is almost always the same mistake.
  ErrorListener(Builder& builder, size_t max_errors, bool eof_already_reported,
                std::vector<size_t> resync_points)
      : builder_(builder), max_errors_(max_errors), eof_reported_(eof_already_reported),
        resync_points_(std::move(resync_points)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& msg, std::exception_ptr e) override;

  // Token indices of reported errors, sorted, for Builder::SetErrorTokens.
  std::vector<size_t> ErrorTokens() const { return error_tokens_; }

 private:
  std::string Describe(antlr4::Parser* parser, antlr4::Token* offending, std::string* hint);

  Builder& builder_;
  size_t max_errors_;
  bool eof_reported_;
  size_t reported_ = 0;
  size_t last_line_ = 0;
  std::vector<size_t> resync_points_;
  size_t quiet_until_ = 0;           // token index; errors before it are echoes
  std::vector<size_t> error_tokens_;
};

}  // namespace questline::syntax
