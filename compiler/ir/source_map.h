// Where the IR's constructs came from, for tools that report against the
// sources (quest test --coverage, quest explain). A side table beside the
// Program, filled by LowerToIr on request and never serialized: bundles and
// snapshots keep their bytes, and a bundle simply has no source map.
#pragma once

#include <vector>

#include "compiler/diag/source.h"

namespace questline::ir {

struct SourceMap {
  std::vector<diag::SourceRange> nodes;                  // by ExprRef: the expression each node lowers
  std::vector<diag::SourceRange> rules;                  // by rule: its declaration
  std::vector<std::vector<diag::SourceRange>> tasks;     // by mission, by task
  std::vector<diag::SourceRange> missions;
  std::vector<diag::SourceRange> flows;
  std::vector<std::vector<diag::SourceRange>> flow_ops;  // by flow, by op: the statement it came from
};

}  // namespace questline::ir
