#include "compiler/jit/native_code.h"

#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/Support/MemoryBuffer.h>

#include "compiler/jit/abi.h"
#include "compiler/jit/target.h"

namespace questline::jit {

struct NativeCode::Impl {
  std::unique_ptr<llvm::orc::LLJIT> jit;
};

NativeCode::NativeCode() : impl_(std::make_unique<Impl>()) {}
NativeCode::~NativeCode() = default;

std::unique_ptr<NativeCode> NativeCode::Create(std::string* error) {
  HostTarget();   // initialises the native target
  auto jtmb = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!jtmb) {
    *error = llvm::toString(jtmb.takeError());
    return nullptr;
  }
  auto jit = llvm::orc::LLJITBuilder().setJITTargetMachineBuilder(std::move(*jtmb)).create();
  if (!jit) {
    *error = llvm::toString(jit.takeError());
    return nullptr;
  }
  std::unique_ptr<NativeCode> code(new NativeCode());
  code->impl_->jit = std::move(*jit);
  llvm::orc::LLJIT& j = *code->impl_->jit;

  // The runtime calls, by name: objects refer to them symbolically, so a cached
  // object links in any process, wherever this library was loaded.
  llvm::orc::SymbolMap symbols;
  size_t count = 0;
  const RuntimeSymbol* table = RuntimeSymbols(&count);
  for (size_t i = 0; i < count; ++i)
    symbols[j.mangleAndIntern(table[i].name)] = llvm::JITEvaluatedSymbol(
        llvm::pointerToJITTargetAddress(table[i].address), llvm::JITSymbolFlags::Exported | llvm::JITSymbolFlags::Callable);
  if (auto err = j.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(symbols)))) {
    *error = llvm::toString(std::move(err));
    return nullptr;
  }
  // Code generation may lower a large copy to a libc call; nothing else may
  // come from the process, so a stray reference fails at link time, loudly.
  const char prefix = j.getDataLayout().getGlobalPrefix();
  auto allow = [&j](const llvm::orc::SymbolStringPtr& name) {
    return name == j.mangleAndIntern("memcpy") || name == j.mangleAndIntern("memset") ||
           name == j.mangleAndIntern("memmove");
  };
  auto libc = llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix, allow);
  if (!libc) {
    *error = llvm::toString(libc.takeError());
    return nullptr;
  }
  j.getMainJITDylib().addGenerator(std::move(*libc));
  return code;
}

bool NativeCode::AddObject(const std::string& object, std::string* error) {
  auto buffer = llvm::MemoryBuffer::getMemBufferCopy(object, "questline-object");
  if (auto err = impl_->jit->addObjectFile(std::move(buffer))) {
    *error = llvm::toString(std::move(err));
    return false;
  }
  return true;
}

void* NativeCode::Lookup(const std::string& name, std::string* error) {
  auto symbol = impl_->jit->lookup(name);
  if (!symbol) {
    *error = llvm::toString(symbol.takeError());
    return nullptr;
  }
  return llvm::jitTargetAddressToPointer<void*>(symbol->getAddress());
}

}  // namespace questline::jit
