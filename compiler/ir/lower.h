// LowerToIr: a checked package (no errors) to an ir::Program; VerifyIr checks
// the program's internal consistency between phases (an inconsistency is a
// compiler bug, reported with diag::InternalError).
#pragma once

#include "compiler/ir/program.h"
#include "compiler/sema/package.h"

namespace questline::ir {

Program LowerToIr(const sema::Package& package);
void VerifyIr(const Program& program);
// The same checks without aborting: false with `error` set when `program` is
// inconsistent (for programs read from a bundle, which nothing vouches for).
bool CheckIr(const Program& program, std::string* error);

}  // namespace questline::ir
