// libFuzzer target for the bundle decoder: arbitrary bytes as the program
// payload of a bundle (core/ir/program_codec), past the checksum, which
// only proves the bytes are the ones written, not that they make sense. A
// program that decodes must pass ir::CheckIr or be refused, and one that
// passes must run: the interpreter and the engine take one event of every
// type and a week of timers without crashing.
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/ir/check.h"
#include "core/ir/program_codec.h"
#include "runtime/engine/calendar.h"
#include "tests/fuzz/run_program.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace questline;
  ir::Program program;
  if (!ir::DeserializeProgram(std::string(reinterpret_cast<const char*>(data), size), &program)) return 0;
  std::string error;
  // Refused as `quest run --bundle` refuses it (exit 2).
  if (!ir::CheckIr(program, &error) || !engine::KnownTimezone(program.settings.timezone)) return 0;
  fuzz::RunProgram(program);
  return 0;
}
