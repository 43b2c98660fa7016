// CSV imports (INTERFACES.md §6): an `imported` segment's member list and
// balance operations. Reading only checks the file's own shape (columns,
// operations, numbers); names the package must know (currencies, segments)
// are checked by the caller, which knows the package. Every bad row is
// reported with its line number.
#pragma once

#include <cstdint>
#include <istream>
#include <string>
#include <vector>

#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"

namespace questline::io {

// A header line (any: `user`, `user_id` …), then one user id per line.
void ReadSegmentCsv(std::istream& in, std::vector<std::string>* users, std::vector<Rejection>* errors);

struct BalanceRow {
  uint64_t line = 0;
  std::string user, currency;
  engine::Engine::BalanceOp op = engine::Engine::BalanceOp::Add;
  int64_t amount = 0;                 // a whole number of the currency, >= 0
};

// The header `user,currency,operation,amount`, then one row per operation:
// operation is add, deduct or set.
void ReadBalancesCsv(std::istream& in, std::vector<BalanceRow>* rows, std::vector<Rejection>* errors);

// One CSV record's fields (RFC 4180 quotes: "a,b" and "" for a quote), each
// trimmed of surrounding blanks; false with `error` on an unclosed quote.
bool SplitCsvLine(const std::string& line, std::vector<std::string>* fields, std::string* error);

}  // namespace questline::io
