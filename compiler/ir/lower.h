// LowerToIr: a checked package (no errors) to an ir::Program; VerifyIr checks
// the program's internal consistency between phases with ir::CheckIr
// (core/ir/check.h): here an inconsistency is a compiler bug, reported with
// diag::InternalError.
#pragma once

#include "compiler/sema/package.h"
#include "core/ir/program.h"

namespace questline::ir {

Program LowerToIr(const sema::Package& package);
void VerifyIr(const Program& program);

}  // namespace questline::ir
