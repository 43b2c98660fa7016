#include "tests/golden/expectations.h"

#include <map>
#include <regex>
#include <sstream>

namespace questline::golden {
namespace {

const std::regex& CheckPattern() {
  static const std::regex pattern(R"(^\s*//\s*CHECK:\s*(error|warning|note)\[([A-Z][0-9]{4})\]\s*(.*?)\s*$)");
  return pattern;
}

bool IsCheckLine(const std::string& line) {
  return line.find("// CHECK:") != std::string::npos &&
         line.find_first_not_of(" \t") == line.find("//");
}

// Lines as the compiler counts them (diag::SourceManager): LF ends a line
// (a CR before it stays in the line, as CRLF files are rewritten as they were),
// and so does a lone CR.
std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 == text.size() || text[i + 1] != '\n'))) {
      lines.push_back(std::move(line));
      line.clear();
    } else {
      line.push_back(c);
    }
  }
  if (!line.empty()) lines.push_back(std::move(line));
  return lines;
}

}  // namespace

std::vector<Expectation> ReadExpectations(const std::string& file, const std::string& text) {
  std::vector<Expectation> out;
  unsigned subject = 0;
  std::vector<std::string> lines = Lines(text);
  for (unsigned i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (IsCheckLine(lines[i]) && std::regex_match(lines[i], m, CheckPattern())) {
      out.push_back({file, subject, m[1], m[2], m[3]});
    } else {
      subject = i + 1;
    }
  }
  return out;
}

std::string RewriteExpectations(const std::string& text, const std::vector<Expectation>& actual) {
  // Findings are numbered against the file as parsed, CHECK lines included.
  std::map<unsigned, std::vector<const Expectation*>> by_line;
  for (const Expectation& e : actual) by_line[e.line].push_back(&e);
  std::string out;
  std::vector<std::string> lines = Lines(text);
  for (unsigned i = 0; i < lines.size(); ++i) {
    if (IsCheckLine(lines[i])) continue;
    out += lines[i] + "\n";
    auto it = by_line.find(i + 1);
    if (it == by_line.end()) continue;
    for (const Expectation* e : it->second)
      out += "// CHECK: " + e->severity + "[" + e->code + "] " + e->message_prefix + "\n";
  }
  return out;
}

}  // namespace questline::golden
