// VerifyIr: every index in range, every child before its parent. A failure is
// a compiler bug: lowering produced a program the backends must not run.
#include "compiler/diag/diagnostics.h"
#include "compiler/ir/lower.h"

namespace questline::ir {

void VerifyIr(const Program& p) {
  auto fail = [](const std::string& what) { diag::InternalError("VerifyIr", what); };
  auto in = [](int64_t i, size_t n) { return i >= 0 && size_t(i) < n; };
  for (size_t i = 0; i < p.nodes.size(); ++i) {
    const Node& n = p.nodes[i];
    if (n.first + n.count > p.children.size()) fail("children out of range at node " + std::to_string(i));
    for (uint32_t c = 0; c < n.count; ++c)
      if (!in(p.Child(n, c), i)) fail("node " + std::to_string(i) + " has a child that is not before it");
    switch (n.kind) {
      case NodeKind::Metric: if (!in(n.a, p.metrics.size())) fail("metric index"); break;
      case NodeKind::Segment: if (!in(n.a, p.segments.size())) fail("segment index"); break;
      case NodeKind::Balance: if (!in(n.a, p.currencies.size())) fail("currency index"); break;
      case NodeKind::ProfileField: if (!in(n.a, p.profile_names.size())) fail("profile index"); break;
      case NodeKind::Call: if (!in(n.a, p.fns.size())) fail("fn index"); break;
      case NodeKind::Const:
        if (n.type == ValueKind::String && !n.none && !in(n.imm, p.strings.size())) fail("string index");
        break;
      default: break;
    }
  }
  if (p.plans.size() != p.schema.types.size()) fail("one plan per event type");
  for (const Rule& r : p.rules)
    if (!in(r.event, p.schema.types.size())) fail("rule '" + r.name + "' has no event");
  for (const Metric& m : p.metrics)
    if (!in(m.aggregate.event, p.schema.types.size())) fail("metric '" + m.name + "' has no event");
}

}  // namespace questline::ir
