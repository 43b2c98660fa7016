// Turns ANTLR's syntax errors into Questline diagnostics in plain words
// ("expected a duration such as `7d` after `time_limit`") and keeps one
// mistake from producing a cascade of reports.
#pragma once

#include <string>
#include <vector>

#include "antlr4-runtime.h"
#include "compiler/syntax/builder.h"

namespace questline::syntax {

// Shared by every declaration of a file: reporting stops after this many.
struct ErrorBudget {
  size_t left;
};

class ErrorListener : public antlr4::BaseErrorListener {
 public:
  // Listens to the parse of one declaration. `next_declaration` names what
  // follows it ("`rule` on line 12"), or is empty at the end of the file.
  ErrorListener(Builder& builder, ErrorBudget& budget, bool eof_already_reported,
                std::string next_declaration)
      : builder_(builder), budget_(budget), eof_reported_(eof_already_reported),
        next_declaration_(std::move(next_declaration)) {}

  void syntaxError(antlr4::Recognizer* recognizer, antlr4::Token* offending, size_t line,
                   size_t column, const std::string& msg, std::exception_ptr e) override;

 private:
  std::string Describe(antlr4::Parser* parser, antlr4::Token* offending, std::string* hint);

  Builder& builder_;
  ErrorBudget& budget_;
  bool eof_reported_;
  std::string next_declaration_;
  bool reported_ = false;
};

}  // namespace questline::syntax
