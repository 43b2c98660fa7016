// What hover shows for a symbol: its kind, name and type (from the checked
// package, when the package checked) and the comment written above it.
#pragma once

#include <string>

#include "compiler/diag/source.h"
#include "compiler/index/index.h"
#include "compiler/sema/package.h"

namespace questline::index {

// One line such as `metric deposits_30d: decimal` or `fn vip(x: int) -> bool`.
// `package` may be null (the package has errors): the line then has no type.
std::string Signature(const Index& index, int32_t symbol, const sema::Package* package);

// The `//` comment lines directly above `decl` (no blank line between), their
// markers stripped; empty when there is none. At most kMaxDocLines lines.
inline constexpr int kMaxDocLines = 40;
std::string DocComment(const diag::SourceManager& sources, const SourceRange& decl);

}  // namespace questline::index
