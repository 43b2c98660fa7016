// libFuzzer target for the scenario loader of `quest test` (compiler/driver/
// scenario.cpp): arbitrary bytes as a *.test.yaml file, from memory. Malformed
// YAML is a YAML::Exception, which quest test reports with its line; any other
// exception, or a crash, is a bug.
#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "compiler/driver/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace questline;
  driver::Scenario scenario;
  std::ostringstream report;
  int problems = 0;
  try {
    driver::ParseScenario(std::string(reinterpret_cast<const char*>(data), size), "fuzz.test.yaml", &scenario,
                          report, &problems);
  } catch (const YAML::Exception&) {
  }
  return 0;
}
