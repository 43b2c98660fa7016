// The argument loop the newer commands share (diff, explain): `--name VALUE`
// options, `--flag`s and positional arguments, with `--help`, unknown options
// and missing values handled one way.
#pragma once

#include <string>
#include <vector>

#include "compiler/driver/command.h"
#include "compiler/driver/pipeline.h"

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

// The tail of every path-taking command: no path is usage (help on
// stderr); paths that cannot be read are an error prefixed by `who`. False
// with `*exit_code` (kExitUsage) when the command should stop.
bool LoadPackageArgs(const std::vector<std::string>& paths, const char* who, const char* help, Sources* out,
                     int* exit_code);

}  // namespace questline::driver
