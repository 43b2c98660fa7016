// LowerToIr: a checked package (no errors) to an ir::Program; VerifyIr checks
// the program's internal consistency between phases with ir::CheckIr
// (core/ir/check.h): here an inconsistency is a compiler bug, reported with
// diag::InternalError.
#pragma once

#include "compiler/sema/package.h"
#include "compiler/ir/source_map.h"
#include "core/ir/program.h"

namespace questline::ir {

// With `map`, also where each construct came from (source_map.h).
Program LowerToIr(const sema::Package& package, SourceMap* map = nullptr);
void VerifyIr(const Program& program);

}  // namespace questline::ir
