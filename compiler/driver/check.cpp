// quest check PATH… [--format text|json|sarif] [--werror]
#include <cstdlib>
#include <iostream>

#include "compiler/diag/render.h"
#include "compiler/driver/command.h"
#include "compiler/driver/file_identity.h"
#include "compiler/driver/options.h"
#include "compiler/driver/pipeline.h"

namespace questline::driver {

namespace {

const char* kHelp =
    "usage: quest check PATH... [--format text|json|sarif] [--werror] [--max-per-file N]\n"
    "\n"
    "Parse, type-check and lint a package (.quest files; folders recurse).\n"
    "  --format F   text (default), json, or sarif (SARIF 2.1.0)\n"
    "  --werror     treat warnings as errors\n"
    "  --max-per-file N  show at most N findings of a file as text (default 100,\n"
    "               0 for all); a line counts the rest, the exit code counts all\n"
    "exit: 0 clean or warnings only, 1 errors, 2 usage or unreadable input\n";

}  // namespace

int CheckCommand(const Args& args) {
  std::vector<std::string> paths;
  diag::RenderOptions options;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return kExitOk;
    } else if (a == "--werror") {
      options.werror = true;
    } else if (a == "--max-per-file") {
      const std::string value = i + 1 < args.size() ? args[++i] : "";
      char* end = nullptr;
      const unsigned long long n = std::strtoull(value.c_str(), &end, 10);
      if (value.empty() || value[0] == '-' || *end != '\0') {
        std::cerr << "quest check: --max-per-file takes a count (0 for all), not '" << value << "'\n";
        return kExitUsage;
      }
      options.max_per_file = static_cast<size_t>(n);
    } else if (a == "--format" || a.rfind("--format=", 0) == 0) {
      std::string value = a == "--format" ? (i + 1 < args.size() ? args[++i] : "") : a.substr(9);
      if (value == "text") options.format = diag::Format::Text;
      else if (value == "json") options.format = diag::Format::Json;
      else if (value == "sarif") options.format = diag::Format::Sarif;
      else {
        std::cerr << "quest check: unknown format '" << value << "' (text, json or sarif)\n";
        return kExitUsage;
      }
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "quest check: unknown option '" << a << "'\n" << kHelp;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  FrontEnd fe;
  int exit_code = kExitOk;
  if (!LoadPackageArgs(paths, "quest check", kHelp, &fe.sources, &exit_code)) return exit_code;
  RunFrontEnd(fe);
  diag::Render(fe.sink.All(), fe.sources.manager, options, std::cout);
  if (!FlushStdout(std::cout)) {   // a report lost to a full disk is not a clean check
    std::cerr << "quest check: cannot write the report to stdout\n";
    return kExitUsage;
  }
  size_t errors = fe.sink.ErrorCount(), warnings = fe.sink.WarningCount();
  if (options.format == diag::Format::Text) {
    size_t files = fe.sources.files.size() - 1;
    std::cerr << errors << (errors == 1 ? " error, " : " errors, ") << warnings
              << (warnings == 1 ? " warning" : " warnings") << " in " << files
              << (files == 1 ? " file\n" : " files\n");
  }
  return errors > 0 || (options.werror && warnings > 0) ? kExitFailure : kExitOk;
}

}  // namespace questline::driver
