#include "compiler/jit/target.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/Support/Host.h>
#include <llvm/Support/TargetSelect.h>

#include <algorithm>
#include <mutex>
#include <vector>

namespace questline::jit {

const Target& HostTarget() {
  static Target target;
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    target.triple = llvm::sys::getProcessTriple();
    target.cpu = llvm::sys::getHostCPUName().str();
    llvm::StringMap<bool> features;
    std::vector<std::string> list;
    if (llvm::sys::getHostCPUFeatures(features))
      for (const auto& f : features) list.push_back((f.second ? "+" : "-") + f.first().str());
    std::sort(list.begin(), list.end());   // StringMap order is unspecified; keys must be stable
    for (const std::string& f : list) target.features += (target.features.empty() ? "" : ",") + f;
  });
  return target;
}

}  // namespace questline::jit
