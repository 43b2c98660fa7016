// The argument loop the newer commands share (diff, explain): `--name VALUE`
// options, `--flag`s and positional arguments, with `--help`, unknown options
// and missing values handled one way.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/command.h"

namespace questline::driver {

struct OptionSpec {
  const char* name;             // "--events"
  std::string* value = nullptr; // takes a value into *value …
  bool* flag = nullptr;         // … or is a flag, set to true
};

// False when the command should stop with `*exit_code`: kExitOk after
// printing `help` for --help, kExitUsage (with a message prefixed by `who`)
// for an unknown option or a missing value. A lone `-` is positional.
bool ParseOptions(const Args& args, const std::vector<OptionSpec>& specs, const char* who, const char* help,
                  std::vector<std::string>* positional, int* exit_code);

}  // namespace questline::driver
