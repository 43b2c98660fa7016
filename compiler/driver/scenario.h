// A scenario file (*.test.yaml, docs/scenarios.md) read into what `quest test`
// runs: the package path, the clock start, the events as NDJSON lines and the
// expectations. Apart from the runner so that it parses from text, without
// the filesystem (tests/fuzz/fuzz_scenario.cpp feeds it arbitrary bytes).
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace questline::driver {

struct Scenario {
  YAML::Node doc;                       // the whole file: `expect` is read from it
  std::string package;                  // as written; empty: the scenario's folder
  int64_t start = 0;
  std::vector<std::string> events;      // one NDJSON line per event, in order
  std::optional<int64_t> until;
};

// Parses and validates `text` (named `name` in messages). On failure prints
// each problem as NAME:LINE: MESSAGE (or NAME: MESSAGE) to `report`, sets
// `problems` to the number of validation problems (0 for a problem that is
// not a validation one: a bad `start`, `at` or `until`), and returns false.
// Malformed YAML throws YAML::Exception, which carries its line.
bool ParseScenario(const std::string& text, const std::string& name, Scenario* scenario, std::ostream& report,
                   int* problems);

// "+90m", "+1h", "+2d", "+1w" after `start`, or an RFC 3339 time; false when
// malformed or out of range.
bool ParseAt(const std::string& text, int64_t start, int64_t* out);

}  // namespace questline::driver
