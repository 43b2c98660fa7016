// The contract between generated code and C++: the one frame every native
// function receives, and the C functions it calls (abi.cpp). Generated code
// refers to program data by index only (metric 3, statement 17), never by
// address, so an object file is valid in any process that loads the same
// program: that is what makes the object cache and bundles possible.
#pragma once

#include <cstddef>
#include <cstdint>

#include "core/backend.h"
#include "core/ir/program.h"
#include "core/value.h"

namespace questline::jit {

using core::Value;

// Generated code reads and writes Values as { i64, i8, i8 } (codegen.h mirrors this).
static_assert(sizeof(Value) == 16 && offsetof(Value, i) == 0 && offsetof(Value, kind) == 8 &&
                  offsetof(Value, none) == 9 && sizeof(core::ValueKind) == 1 && sizeof(bool) == 1,
              "the native Value layout changed: update ValueType in codegen_module.cpp");

struct NativeFrame {
  const Value* fields = nullptr;        // the current event's fields, or null
  uint64_t field_count = 0;
  Value* locals = nullptr;              // let-slots of the running block, or null
  const Value* params = nullptr;        // arguments of the running fn
  core::Runtime* rt = nullptr;
  const ir::Stmt* const* stmts = nullptr;   // every statement, by statement id (program_index.h)
};

// Field order is part of the ABI: codegen addresses them by position.
enum class FrameField : unsigned { Fields, FieldCount, Locals, Params, Runtime, Stmts };
static_assert(offsetof(NativeFrame, stmts) == 5 * sizeof(void*), "NativeFrame layout");

// Entry points the generated code exports.
using ExprFn = void (*)(const NativeFrame*, Value* out);
using BlockFn = void (*)(const NativeFrame*);
using HandlerFn = void (*)(const NativeFrame*);

// Warnings generated code counts, by code (the text the interpreter uses).
enum class Warning : int32_t { Overflow = 0, DivisionByZero = 1 };

// The runtime calls, with their C names. One table so that linking (native_code.cpp)
// and declaring (codegen_module.cpp) cannot disagree on the set.
#define QUESTLINE_JIT_RUNTIME_CALLS(X)                                            \
  X(ql_metric)       X(ql_segment)    X(ql_profile)      X(ql_balance)            \
  X(ql_points_ever)  X(ql_level)      X(ql_now)          X(ql_hour)               \
  X(ql_weekday)      X(ql_string_id)  X(ql_change_case)  X(ql_string_test)        \
  X(ql_decimal_mul)  X(ql_decimal_div) X(ql_warn)        X(ql_effect)             \
  X(ql_add_metric)   X(ql_metrics_done) X(ql_enter_rule) X(ql_leave_rule)

extern "C" {
void ql_metric(const NativeFrame* f, int32_t metric, Value* out);
int32_t ql_segment(const NativeFrame* f, int32_t segment);
void ql_profile(const NativeFrame* f, int32_t field, Value* out);
int64_t ql_balance(const NativeFrame* f, int32_t currency);
int64_t ql_points_ever(const NativeFrame* f);
void ql_level(const NativeFrame* f, Value* out);
int64_t ql_now(const NativeFrame* f);
int64_t ql_hour(const NativeFrame* f, int64_t t);
int64_t ql_weekday(const NativeFrame* f, int64_t t);
int64_t ql_string_id(const NativeFrame* f, int64_t literal);
int64_t ql_change_case(const NativeFrame* f, int64_t id, int32_t upper);
int32_t ql_string_test(const NativeFrame* f, int64_t haystack, int64_t needle, int32_t starts_with);
int64_t ql_decimal_mul(const NativeFrame* f, int64_t a, int64_t b);
int64_t ql_decimal_div(const NativeFrame* f, int64_t a, int64_t b);
void ql_warn(const NativeFrame* f, int32_t warning);
void ql_effect(const NativeFrame* f, int32_t stmt, const Value* value, const Value* data, uint64_t count);
void ql_add_metric(const NativeFrame* f, int32_t metric, const Value* argument);
void ql_metrics_done(const NativeFrame* f);
int32_t ql_enter_rule(const NativeFrame* f, int32_t rule);
void ql_leave_rule(const NativeFrame* f);
}

// Name → address of every runtime call, for the linker.
struct RuntimeSymbol { const char* name; void* address; };
const RuntimeSymbol* RuntimeSymbols(size_t* count);

}  // namespace questline::jit
