#include "compiler/driver/explain_tracer.h"

#include "runtime/engine/json_text.h"
#include "runtime/io/action_writer.h"

namespace questline::driver {
namespace {

// A value as the package would write it; strings through the runtime's pool.
std::string ValueText(const core::Value& v, core::Runtime* rt) {
  if (v.none) return "none";
  std::string out;
  switch (v.kind) {
    case core::ValueKind::Bool: return v.i ? "true" : "false";
    case core::ValueKind::String:
      if (rt) engine::AppendJsonString(out, rt->StringText(uint32_t(v.i)));
      else out = "#" + std::to_string(v.i);
      return out;
    case core::ValueKind::Decimal: engine::AppendDecimal(out, v.i); return out;
    case core::ValueKind::Percent: engine::AppendDecimal(out, v.i); return out + "%";
    case core::ValueKind::Time: engine::AppendTime(out, v.i); return out;
    case core::ValueKind::Duration: return std::to_string(v.i) + "ms";
    default: return std::to_string(v.i);
  }
}

// A literal, perhaps widened or negated: it shows itself in its parent's text.
bool IsLiteral(const ir::Program& p, ir::ExprRef ref) {
  const ir::Node& n = p.At(ref);
  if (n.kind == ir::NodeKind::Const) return true;
  return (n.kind == ir::NodeKind::Widen || n.kind == ir::NodeKind::Neg) && IsLiteral(p, p.Child(n, 0));
}

}  // namespace

ExplainTracer::ExplainTracer(const ir::Program& program, const interp::Interpreter& interpreter,
                             const ir::SourceMap& map, const diag::SourceManager& sources, std::string user,
                             int64_t at, std::ostream& out)
    : p_(program), interp_(interpreter), map_(map), sources_(sources), user_(std::move(user)), at_(at), out_(out) {}

std::string ExplainTracer::Text(const diag::SourceRange& range) const {
  if (!range.Valid()) return "?";
  const std::string_view line = sources_.Line(range.file, range.line);
  const size_t from = diag::ByteOfColumn(line, range.col);
  if (range.end_line != range.line) return std::string(line.substr(from)) + " …";
  const size_t to = diag::ByteOfColumn(line, range.end_col);
  return std::string(line.substr(from, to > from ? to - from : 0));
}

std::string ExplainTracer::Where(const diag::SourceRange& range) const {
  if (!range.Valid()) return "";
  return sources_.File(range.file).path + ":" + std::to_string(range.line);
}

void ExplainTracer::Step(const std::string& user, const std::string& event_id, const core::Event* event,
                         int64_t now) {
  Resolve();
  active_ = user == user_ && now <= at_;
  if (!active_) return;
  ++steps_;
  std::string when;
  engine::AppendTime(when, now);   // a JSON string: the quotes go
  out_ << "\n" << when.substr(1, when.size() - 2) << " " << event_id;
  if (event) out_ << " (" << p_.schema.types[size_t(event->type)].name << ")";
  else out_ << " (timers)";
  out_ << "\n";
}

void ExplainTracer::BeforeRule(int32_t rule, core::Frame& frame, core::Runtime& rt) {
  Resolve();
  if (!active_) return;
  pending_ = rule;
  pending_lines_.clear();
  const ir::ExprRef where = p_.rules[size_t(rule)].where;
  if (where >= 0) Explain(where, 2, frame, rt, pending_lines_);
}

void ExplainTracer::Explain(ir::ExprRef ref, int depth, core::Frame& frame, core::Runtime& rt,
                            std::vector<std::string>& lines) {
  const ir::Node& n = p_.At(ref);
  const core::Value v = interp_.Eval(ref, frame, rt);
  const std::string text = size_t(ref) < map_.nodes.size() ? Text(map_.nodes[size_t(ref)]) : "?";
  lines.push_back(std::string(size_t(depth) * 2, ' ') + text + " = " + ValueText(v, &rt));
  if (n.kind == ir::NodeKind::Call) return;   // its arguments are in its text; its body is the fn's
  for (uint32_t i = 0; i < n.count; ++i) {
    const ir::ExprRef kid = p_.Child(n, i);
    if (IsLiteral(p_, kid)) continue;
    Explain(kid, depth + 1, frame, rt, lines);
    if (i == 0 && (n.kind == ir::NodeKind::And || n.kind == ir::NodeKind::Or)) {
      const core::Value left = interp_.Eval(kid, frame, rt);
      const bool truthy = !left.none && left.i != 0;
      if (truthy == (n.kind == ir::NodeKind::Or)) {
        lines.push_back(std::string(size_t(depth + 1) * 2, ' ') + "(the rest is not evaluated)");
        return;
      }
    }
  }
}

void ExplainTracer::RuleHeld(int32_t rule, bool admitted) {
  if (!active_ || rule != pending_) return;
  const ir::Rule& r = p_.rules[size_t(rule)];
  out_ << "  rule " << r.name << ": "
       << (admitted ? "fired" : "condition held, but its limit refused it (limit reached)") << "  ["
       << Where(map_.rules[size_t(rule)]) << "]\n";
  for (const std::string& line : pending_lines_) out_ << line << "\n";
  pending_ = -1;
}

void ExplainTracer::Resolve() {
  if (pending_ < 0) return;
  const ir::Rule& r = p_.rules[size_t(pending_)];
  out_ << "  rule " << r.name << ": not fired, its condition is false  [" << Where(map_.rules[size_t(pending_)])
       << "]\n";
  for (const std::string& line : pending_lines_) out_ << line << "\n";
  pending_ = -1;
}

void ExplainTracer::CapHit(int32_t rule, int32_t currency, int64_t asked, int64_t left) {
  Resolve();   // anything after a rule's test that is not its body: the rule did not hold
  if (!active_) return;
  out_ << "  cap: rule " << (rule >= 0 ? p_.rules[size_t(rule)].name : "?") << " asked " << asked << " "
       << p_.currencies[size_t(currency)] << ", its cap left " << (left > 0 ? left : 0) << "\n";
}

void ExplainTracer::TaskCounted(int32_t mission, int32_t task, core::Value value, core::Value threshold,
                                bool reached) {
  Resolve();   // anything after a rule's test that is not its body: the rule did not hold
  if (!active_) return;
  const ir::Mission& m = p_.missions[size_t(mission)];
  out_ << "  task " << m.name << "." << m.tasks[size_t(task)].name << ": " << ValueText(value, nullptr) << " of "
       << ValueText(threshold, nullptr) << (reached ? ", completed" : "") << "\n";
}

void ExplainTracer::SegmentMoved(int32_t segment, bool member) {
  Resolve();   // anything after a rule's test that is not its body: the rule did not hold
  if (!active_) return;
  out_ << "  segment " << p_.segments[size_t(segment)].name << ": " << (member ? "entered" : "left") << "\n";
}

void ExplainTracer::FlowStep(int32_t flow, int32_t op) {
  Resolve();   // anything after a rule's test that is not its body: the rule did not hold
  if (!active_) return;
  static const char* kOps[] = {"run", "branch", "wait", "wait for", "split", "jump", "exit"};
  const ir::Flow& f = p_.flows[size_t(flow)];
  if (f.ops[size_t(op)].kind == ir::FlowOpKind::Jump) return;   // made by lowering, not written
  out_ << "  flow " << f.name << ": step " << op << " (" << kOps[int(f.ops[size_t(op)].kind)] << ")  ["
       << Where(map_.flow_ops[size_t(flow)][size_t(op)]) << "]\n";
}

void ExplainTracer::Emitted(const engine::Action& a) {
  Resolve();   // anything after a rule's test that is not its body: the rule did not hold
  if (!active_) return;
  std::string fields;
  for (const auto& [name, v] : a.fields) {
    fields += " " + name + "=";
    io::AppendActionValue(fields, v);
  }
  out_ << "  action " << a.action << " (" << a.source << ")" << fields << "\n";
}

}  // namespace questline::driver
