// Native code in this process: an LLVM ORC LLJIT for the host that links
// relocatable object files (freshly compiled, from the object cache or from a
// bundle) against the runtime calls of abi.h, and finds their symbols. The
// LLJIT's own IR layer is never used: compile.cpp compiles modules itself so
// that the cache is consulted before any optimisation runs.
#pragma once

#include <memory>
#include <string>

namespace questline::jit {

class NativeCode {
 public:
  // Null (with `error`) when LLVM cannot create a JIT for this host.
  static std::unique_ptr<NativeCode> Create(std::string* error);
  ~NativeCode();

  // Links one relocatable object (ELF for the host). False with `error` when
  // the object is malformed or names a symbol nothing defines.
  bool AddObject(const std::string& object, std::string* error);
  // The address of a symbol the linked objects define, or null with `error`.
  void* Lookup(const std::string& name, std::string* error);

 private:
  NativeCode();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace questline::jit
