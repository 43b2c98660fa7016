#include "compiler/jit/emit.h"

#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/TargetRegistry.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include <chrono>
#include <cstdlib>

#include "compiler/jit/target.h"

namespace questline::jit {
namespace {

using Clock = std::chrono::steady_clock;

double MsSince(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

std::unique_ptr<llvm::TargetMachine> MachineFor(const Target& target, int opt_level, std::string* error) {
  const llvm::Target* t = llvm::TargetRegistry::lookupTarget(target.triple, *error);
  if (!t) return nullptr;
  // Below -O2, instruction selection and register allocation run in their
  // fast modes: the IR passes have already done what matters for this code,
  // and the selection DAG would dominate compile time on large handlers.
  const llvm::CodeGenOpt::Level level = opt_level <= 1 ? llvm::CodeGenOpt::None : llvm::CodeGenOpt::Default;
  // Position-independent, small code model: the object links wherever the JIT
  // maps it, and calls into the runtime, which may lie beyond a 32-bit
  // displacement, go through the PLT and GOT entries JITLink creates.
  std::unique_ptr<llvm::TargetMachine> tm(t->createTargetMachine(target.triple, target.cpu, target.features,
                                                                 llvm::TargetOptions(), llvm::Reloc::PIC_,
                                                                 llvm::CodeModel::Small, level));
  if (!tm) *error = "LLVM cannot create a target machine for " + target.triple;
  return tm;
}

void Optimise(llvm::Module& module, llvm::TargetMachine& tm, int opt_level) {
  if (opt_level <= 0) return;
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb(&tm);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  if (opt_level >= 2) {
    pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, mam);
    return;
  }
  // The passes that matter for this code: slots and memo flags into registers
  // (SROA), repeated loads and runtime reads folded (EarlyCSE), select chains
  // simplified, and the branches of guarded values cleaned up.
  llvm::FunctionPassManager fpm;
  fpm.addPass(llvm::SROAPass());
  fpm.addPass(llvm::EarlyCSEPass());
  fpm.addPass(llvm::InstCombinePass());
  fpm.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager mpm;
  mpm.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(fpm)));
  mpm.run(module, mam);
}

}  // namespace

std::string DataLayoutFor(const Target& target, std::string* error) {
  auto tm = MachineFor(target, 0, error);
  return tm ? tm->createDataLayout().getStringRepresentation() : std::string();
}

std::string EmitObject(llvm::Module& module, const Target& target, int opt_level, EmitTimes* times,
                       std::string* error) {
  auto tm = MachineFor(target, opt_level, error);
  if (!tm) return {};
  std::string verify;
  llvm::raw_string_ostream verify_out(verify);
  if (llvm::verifyModule(module, &verify_out)) {
    *error = "generated code does not verify: " + verify_out.str();
    return {};
  }
  auto t0 = Clock::now();
  Optimise(module, *tm, opt_level);
  times->optimise_ms += MsSince(t0);

  // A debugging aid: QUESTLINE_JIT_DUMP=DIR writes each module's optimised IR.
  if (const char* dir = std::getenv("QUESTLINE_JIT_DUMP")) {
    std::error_code ec;
    llvm::raw_fd_ostream out(std::string(dir) + "/" + module.getModuleIdentifier() + ".ll", ec);
    if (!ec) module.print(out, nullptr);
  }

  auto t1 = Clock::now();
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream out(object);
  llvm::legacy::PassManager pm;
  if (tm->addPassesToEmitFile(pm, out, nullptr, llvm::CGFT_ObjectFile)) {
    *error = "LLVM cannot emit objects for " + target.triple;
    return {};
  }
  pm.run(module);
  times->codegen_ms += MsSince(t1);
  return std::string(object.data(), object.size());
}

}  // namespace questline::jit
