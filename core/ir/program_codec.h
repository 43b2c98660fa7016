// A lowered program as bytes and back: the metadata half of a bundle (the
// engine runs from it without parsing or checking the package again) and the
// input of the cache key (two programs with the same bytes compile to the same
// code). Every field of ir::Program is encoded; program_codec.cpp fails to
// compile when an IR struct gains a field it does not know.
#pragma once

#include <string>

#include "core/ir/program.h"

namespace questline::ir {

std::string SerializeProgram(const ir::Program& program);
// False when `bytes` is not a whole, well-formed encoding (nothing is trusted).
bool DeserializeProgram(const std::string& bytes, ir::Program* program);

}  // namespace questline::ir
