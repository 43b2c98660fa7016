#include "runtime/io/csv_import.h"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace questline::io {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Lines with their numbers, blank ones skipped, a UTF-8 byte order mark dropped.
template <class Fn> void ForEachLine(std::istream& in, Fn fn) {
  std::string line;
  uint64_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line_no == 1 && line.compare(0, 3, "\xEF\xBB\xBF") == 0) line.erase(0, 3);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (Trim(line).empty()) continue;
    fn(line_no, line);
  }
}

}  // namespace

bool SplitCsvLine(const std::string& line, std::vector<std::string>* fields, std::string* error) {
  fields->clear();
  std::string field;
  bool quoted = false, was_quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') field.push_back('"'), ++i;
      else if (c == '"') quoted = false;
      else field.push_back(c);
    } else if (c == '"' && Trim(field).empty()) {
      quoted = was_quoted = true;
      field.clear();
    } else if (c == ',') {
      fields->push_back(was_quoted ? field : Trim(field));
      field.clear();
      was_quoted = false;
    } else if (!was_quoted || (c != ' ' && c != '\t')) {
      field.push_back(c);
    }
  }
  if (quoted) {
    *error = "unclosed quote";
    return false;
  }
  fields->push_back(was_quoted ? field : Trim(field));
  return true;
}

void ReadSegmentCsv(std::istream& in, std::vector<std::string>* users, std::vector<Rejection>* errors) {
  bool header = true;
  std::vector<std::string> fields;
  std::string error;
  ForEachLine(in, [&](uint64_t line_no, const std::string& line) {
    if (header) {
      header = false;
      return;
    }
    if (!SplitCsvLine(line, &fields, &error)) return errors->push_back({line_no, error});
    if (fields.size() != 1)
      return errors->push_back({line_no, "expected one user id per line, found " + std::to_string(fields.size()) +
                                             " columns"});
    if (fields[0].empty()) return errors->push_back({line_no, "empty user id"});
    users->push_back(fields[0]);
  });
}

void ReadBalancesCsv(std::istream& in, std::vector<BalanceRow>* rows, std::vector<Rejection>* errors) {
  using Op = engine::Engine::BalanceOp;
  bool header = true;
  std::vector<std::string> fields;
  std::string error;
  ForEachLine(in, [&](uint64_t line_no, const std::string& line) {
    if (!SplitCsvLine(line, &fields, &error)) return errors->push_back({line_no, error});
    if (header) {
      header = false;
      std::string joined;
      for (const std::string& f : fields) joined += (joined.empty() ? "" : ",") + Lower(f);
      if (joined != "user,currency,operation,amount")
        errors->push_back({line_no, "expected the header user,currency,operation,amount"});
      return;
    }
    if (fields.size() != 4)
      return errors->push_back({line_no, "expected 4 columns (user,currency,operation,amount), found " +
                                             std::to_string(fields.size())});
    BalanceRow row;
    row.line = line_no;
    row.user = fields[0];
    row.currency = fields[1];
    if (row.user.empty()) return errors->push_back({line_no, "empty user id"});
    const std::string op = Lower(fields[2]);
    if (op == "add") row.op = Op::Add;
    else if (op == "deduct") row.op = Op::Deduct;
    else if (op == "set") row.op = Op::Set;
    else return errors->push_back({line_no, "bad operation '" + fields[2] + "': use add, deduct or set"});
    const std::string& n = fields[3];
    auto [end, ec] = std::from_chars(n.data(), n.data() + n.size(), row.amount);
    if (ec == std::errc::result_out_of_range)
      return errors->push_back({line_no, "bad number '" + n + "': out of range"});
    if (n.empty() || ec != std::errc() || end != n.data() + n.size() || row.amount < 0)
      return errors->push_back({line_no, "bad number '" + n + "': amounts are whole numbers, 0 or more"});
    rows->push_back(std::move(row));
  });
}

}  // namespace questline::io
