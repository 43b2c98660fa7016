// CheckIr: a program's internal consistency, without aborting. Lowering's
// VerifyIr (compiler/ir) and `quest run --bundle` share it; it lives in core
// so that whoever decodes a program can check it without the front end.
#pragma once

#include <string>

#include "core/ir/program.h"

namespace questline::ir {

// False with `error` set when `program` is inconsistent (for programs read
// from a bundle, which nothing vouches for).
bool CheckIr(const Program& program, std::string* error);

}  // namespace questline::ir
