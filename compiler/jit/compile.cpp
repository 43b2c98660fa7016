#include "compiler/jit/compile.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "compiler/jit/codegen.h"
#include "compiler/jit/digest.h"
#include "compiler/jit/emit.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/program_index.h"
#include "compiler/jit/target.h"
#include "compiler/jit/version.h"
#include "core/ir/program_codec.h"

namespace questline::jit {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// A few modules, never one per rule: enough to compile on every core of a
// small machine, few enough that per-module overhead stays negligible. The
// count depends on the program alone, so the cache key needs nothing else.
size_t ModuleCountFor(const ProgramIndex& index) {
  const size_t entries = index.EntryCount();
  return std::clamp<size_t>(entries / 512 + 1, 1, 4);
}

}  // namespace

const char* JitVersion() { return QUESTLINE_JIT_VERSION; }

std::string CacheKey(const ir::Program& program, int opt_level) {
  const Target& t = HostTarget();
  const std::string bytes = ir::SerializeProgram(program);
  const std::string level = std::to_string(opt_level);
  return Sha256Hex({JitVersion(), t.triple, t.cpu, t.features, level, bytes});
}

bool CompileProgram(const ir::Program& program, const CompileOptions& options, std::vector<std::string>* objects,
                    CompileReport* report, std::string* error) {
  const auto start = Clock::now();
  *report = CompileReport{};
  report->key = CacheKey(program, options.opt_level);
  const ObjectCache cache(options.cache_dir);
  if (cache.Load(report->key, objects, &report->cache_warning)) {
    report->cache_hit = true;
    report->modules = objects->size();
    report->total_ms = MsSince(start);
    return true;
  }

  const Target& target = HostTarget();
  const std::string layout = DataLayoutFor(target, error);
  if (layout.empty()) return false;
  const ProgramIndex index = IndexProgram(program);
  std::vector<ModuleUnit> units;
  const auto generate = Clock::now();
  try {
    units = GenerateModules(program, index, ModuleCountFor(index), target.triple, layout);
  } catch (const CodegenError& e) {
    *error = e.what();
    return false;
  }
  report->generate_ms = MsSince(generate);

  // Each module owns its LLVMContext, so modules optimise and emit on their
  // own threads with nothing shared.
  std::vector<std::string> out(units.size()), errors(units.size());
  std::vector<EmitTimes> times(units.size());
  std::vector<std::thread> threads;
  for (size_t m = 1; m < units.size(); ++m)
    threads.emplace_back([&, m] { out[m] = EmitObject(*units[m].module, target, options.opt_level, &times[m], &errors[m]); });
  out[0] = EmitObject(*units[0].module, target, options.opt_level, &times[0], &errors[0]);
  for (std::thread& t : threads) t.join();
  for (size_t m = 0; m < units.size(); ++m) {
    if (out[m].empty()) {
      *error = errors[m].empty() ? "LLVM produced an empty object" : errors[m];
      return false;
    }
    report->optimise_ms += times[m].optimise_ms;
    report->codegen_ms += times[m].codegen_ms;
    report->functions += units[m].functions;
  }
  report->modules = units.size();
  *objects = std::move(out);
  std::string store_error;
  cache.Store(report->key, *objects, &store_error);   // best effort: a read-only cache only costs time
  report->total_ms = MsSince(start);
  return true;
}

}  // namespace questline::jit
