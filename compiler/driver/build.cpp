// quest build PATH… -o FILE.qlb [--opt 0|1|2]: check, lower and compile a
// package into a bundle (jit/bundle.h) that `quest run --bundle` loads without
// parsing, checking or compiling. The help promises only what exists: there is
// no long-running daemon yet (tests/driver/cli_test.sh holds it to that).
#include <iostream>

#include "compiler/driver/command.h"
#include "compiler/driver/file_identity.h"
#include "compiler/driver/pipeline.h"
#include "compiler/jit/bundle.h"
#include "compiler/jit/compile.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/sealed_file.h"

namespace questline::driver {
namespace {

const char* kHelp =
    "usage: quest build PATH... -o FILE.qlb [--opt 0|1|2]\n"
    "\n"
    "Compile a package into a bundle: the checked program and its native code for\n"
    "this machine. `quest run --bundle FILE.qlb` loads it without re-parsing;\n"
    "a bundle built by another quest version or for another CPU is refused.\n"
    "  -o FILE     the bundle to write\n"
    "  --opt N     LLVM optimisation: 0 none, 1 light (what quest run compiles with),\n"
    "              2 -O2 (default: a bundle is built once and run for long)\n"
    "exit: 0 written, 1 compile errors, 2 usage or unwritable output\n";

}  // namespace

int BuildCommand(const Args& args) {
  std::vector<std::string> paths;
  std::string out_path, opt_text = "2";
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return kExitOk;
    }
    if (a == "-o" || a == "--opt") {
      if (i + 1 >= args.size()) {
        std::cerr << "quest build: " << a << " needs a value\n";
        return kExitUsage;
      }
      (a == "-o" ? out_path : opt_text) = args[++i];
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "quest build: unknown option '" << a << "'\n" << kHelp;
      return kExitUsage;
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty() || out_path.empty() || (opt_text != "0" && opt_text != "1" && opt_text != "2")) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  std::string error;
  // The bundle is renamed into place: over a link, a FIFO or a device that would
  // replace the node itself, which is never what `-o` asked for.
  if (!MayReplace(out_path, &error)) {
    std::cerr << "quest build: " << error << "\n";
    return kExitUsage;
  }
  int exit_code = kExitOk;
  const std::optional<ir::Program> lowered = CompileToIr(paths, "quest build", std::cerr, &exit_code);
  if (!lowered) return exit_code;
  const ir::Program& program = *lowered;
  jit::CompileOptions options;
  options.opt_level = opt_text[0] - '0';
  options.cache_dir = jit::ObjectCache::DefaultDir();
  std::vector<std::string> objects;
  jit::CompileReport report;
  if (!jit::CompileProgram(program, options, &objects, &report, &error)) {
    // A bundle is native code or nothing: without it there is nothing to write.
    std::cerr << "quest build: the JIT could not compile this package: " << error << "\n";
    return kExitFailure;
  }
  if (!report.cache_warning.empty()) std::cerr << "quest build: warning: " << report.cache_warning << "\n";
  const std::string bytes = jit::EncodeBundle(program, objects, options.opt_level);
  if (!jit::WriteFileAtomically(out_path, bytes, &error)) {
    std::cerr << "quest build: " << error << "\n";
    return kExitUsage;
  }
  std::cerr << "wrote " << out_path << ": " << bytes.size() / 1024 << " KiB, " << report.modules << " modules, "
            << (report.cache_hit ? "from the object cache" : "compiled") << " in " << int64_t(report.total_ms)
            << " ms\n";
  return kExitOk;
}

}  // namespace questline::driver
