// The runtime calls generated code makes. Each is a thin C shim over the
// core::Runtime the engine implements, or over the interpreter's own
// arithmetic, so that both backends share one definition of every effect and
// every fixed-point rounding rule.
#include "compiler/jit/abi.h"

#include <cctype>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"

namespace questline::jit {
namespace {

const char* WarningText(int32_t w) {
  return w == int32_t(Warning::DivisionByZero) ? "division_by_zero" : "overflow";
}

}  // namespace

extern "C" {

void ql_metric(const NativeFrame* f, int32_t metric, Value* out) { *out = f->rt->Metric(metric); }
int32_t ql_segment(const NativeFrame* f, int32_t segment) { return f->rt->Segment(segment) ? 1 : 0; }
void ql_profile(const NativeFrame* f, int32_t field, Value* out) { *out = f->rt->Profile(field); }
int64_t ql_balance(const NativeFrame* f, int32_t currency) { return f->rt->Balance(currency); }
int64_t ql_points_ever(const NativeFrame* f) { return f->rt->PointsEver(); }
void ql_level(const NativeFrame* f, Value* out) { *out = f->rt->Level(); }
int64_t ql_now(const NativeFrame* f) { return f->rt->Now(); }
int64_t ql_hour(const NativeFrame* f, int64_t t) { return f->rt->Hour(t); }
int64_t ql_weekday(const NativeFrame* f, int64_t t) { return f->rt->Weekday(t); }
int64_t ql_string_id(const NativeFrame* f, int64_t literal) { return f->rt->StringId(literal); }

int64_t ql_change_case(const NativeFrame* f, int64_t id, int32_t upper) {
  std::string text = f->rt->StringText(uint32_t(id));
  for (char& c : text)
    c = char(upper ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
  return f->rt->InternText(text);
}

int32_t ql_string_test(const NativeFrame* f, int64_t haystack, int64_t needle, int32_t starts_with) {
  const std::string& hay = f->rt->StringText(uint32_t(haystack));
  const std::string& sub = f->rt->StringText(uint32_t(needle));
  return starts_with ? hay.rfind(sub, 0) == 0 : hay.find(sub) != std::string::npos;
}

int64_t ql_decimal_mul(const NativeFrame* f, int64_t a, int64_t b) {
  bool overflow = false;
  int64_t r = interp::Interpreter::DecimalMul(a, b, &overflow);
  if (overflow) f->rt->CountWarning(WarningText(int32_t(Warning::Overflow)));
  return r;
}

int64_t ql_decimal_div(const NativeFrame* f, int64_t a, int64_t b) {
  bool by_zero = false;
  int64_t r = interp::Interpreter::DecimalDiv(a, b, &by_zero);
  if (by_zero) f->rt->CountWarning(WarningText(int32_t(Warning::DivisionByZero)));
  return r;
}

void ql_warn(const NativeFrame* f, int32_t warning) { f->rt->CountWarning(WarningText(warning)); }

void ql_effect(const NativeFrame* f, int32_t stmt, const Value* value, const Value* data, uint64_t count) {
  // One buffer per thread, reused: effects allocate nothing on the hot path.
  // Effect may re-enter generated code (a reward unlocking a mission runs
  // nothing, but a future effect might), so the buffer is swapped out first.
  thread_local std::vector<Value> spare;
  std::vector<Value> buffer;
  buffer.swap(spare);
  buffer.assign(data, data + count);
  f->rt->Effect(*f->stmts[stmt], *value, buffer);
  buffer.swap(spare);
}

void ql_add_metric(const NativeFrame* f, int32_t metric, const Value* argument) {
  f->rt->AddToMetric(metric, *argument);
}

void ql_metrics_done(const NativeFrame* f) { f->rt->MetricsDone(); }
int32_t ql_enter_rule(const NativeFrame* f, int32_t rule) { return f->rt->EnterRule(rule) ? 1 : 0; }
void ql_leave_rule(const NativeFrame* f) { f->rt->LeaveRule(); }

}  // extern "C"

const RuntimeSymbol* RuntimeSymbols(size_t* count) {
#define QUESTLINE_JIT_SYMBOL(name) {#name, reinterpret_cast<void*>(&name)},
  static const RuntimeSymbol kSymbols[] = {QUESTLINE_JIT_RUNTIME_CALLS(QUESTLINE_JIT_SYMBOL)};
#undef QUESTLINE_JIT_SYMBOL
  *count = sizeof(kSymbols) / sizeof(kSymbols[0]);
  return kSymbols;
}

}  // namespace questline::jit
