// The pieces of engine state a snapshot writes and reads back (Engine::Snapshot,
// docs/engine.md): values, aggregates, events, actions. Reading never trusts
// its input: a count is bounded by what is left (ByteReader::Count), and a
// failure sticks in the reader, which the kernel checks at the end.
#pragma once

#include "core/byte_io.h"
#include "runtime/engine/action.h"
#include "runtime/engine/core_names.h"
#include "runtime/engine/state.h"

namespace questline::engine::snapshot {

using core::ByteReader;
using core::ByteWriter;

void PutValue(ByteWriter& w, const Value& v);
Value GetValue(ByteReader& r);
void PutAgg(ByteWriter& w, const AggState& a);
void GetAgg(ByteReader& r, AggState& a);
void PutEvent(ByteWriter& w, const Event& e);
void GetEvent(ByteReader& r, Event& e);
void PutAction(ByteWriter& w, const Action& a);
void GetAction(ByteReader& r, Action& a);
// (index, count) lists of attempts and tickets.
void PutCounts(ByteWriter& w, const std::vector<std::pair<int32_t, int64_t>>& list);
void GetCounts(ByteReader& r, std::vector<std::pair<int32_t, int64_t>>& list);

}  // namespace questline::engine::snapshot
