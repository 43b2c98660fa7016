// Inline golden expectations: `// CHECK: error[Q0203] message prefix` on the
// line after the offending line (clox/Carbon style).
#pragma once

#include <string>
#include <vector>

namespace questline::golden {

struct Expectation {
  std::string file;
  unsigned line = 0;         // the line the finding is reported on
  std::string severity;      // error | warning
  std::string code;
  std::string message_prefix;
};

// Reads every CHECK comment of `text`; each refers to the nearest preceding
// line that is not itself a CHECK line.
std::vector<Expectation> ReadExpectations(const std::string& file, const std::string& text);

// `text` with every CHECK line removed and, after each line that has findings,
// one CHECK line per finding (the --update mode).
std::string RewriteExpectations(const std::string& text, const std::vector<Expectation>& actual);

}  // namespace questline::golden
