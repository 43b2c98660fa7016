#include "compiler/driver/options.h"

#include <iostream>

namespace questline::driver {

bool ParseOptions(const Args& args, const std::vector<OptionSpec>& specs, const char* who, const char* help,
                  std::vector<std::string>* positional, int* exit_code) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << help;
      *exit_code = kExitOk;
      return false;
    }
    if (a.empty() || a[0] != '-' || a == "-") {
      positional->push_back(a);
      continue;
    }
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : specs)
      if (a == s.name) spec = &s;
    *exit_code = kExitUsage;
    if (!spec) {
      std::cerr << who << ": unknown option '" << a << "'\n" << help;
      return false;
    }
    if (spec->flag) {
      *spec->flag = true;
    } else if (i + 1 < args.size()) {
      *spec->value = args[++i];
    } else {
      std::cerr << who << ": " << a << " needs a value\n";
      return false;
    }
  }
  return true;
}

bool LoadPackageArgs(const std::vector<std::string>& paths, const char* who, const char* help, Sources* out,
                     int* exit_code) {
  *exit_code = kExitUsage;
  if (paths.empty()) {
    std::cerr << help;
    return false;
  }
  std::string error;
  if (!LoadPackage(paths, out, &error)) {
    std::cerr << who << ": " << error << "\n";
    return false;
  }
  return true;
}

}  // namespace questline::driver
