#include "runtime/engine/snapshot_io.h"

namespace questline::engine::snapshot {

void PutValue(ByteWriter& w, const Value& v) {
  w.Signed(v.i);
  w.Unsigned(uint64_t(v.kind) << 1 | uint64_t(v.none));
}

Value GetValue(ByteReader& r) {
  Value v;
  v.i = r.Signed();
  const uint64_t bits = r.Unsigned();
  v.kind = ValueKind(bits >> 1);
  v.none = bits & 1;
  return v;
}

void PutAgg(ByteWriter& w, const AggState& a) {
  w.Unsigned(a.buckets.size());
  for (const AggState::Bucket& b : a.buckets) {
    w.Signed(b.key);
    w.Signed(b.count);
    w.Signed(b.acc);
    w.Unsigned(b.has_acc);
  }
  w.Unsigned(a.top.size());
  for (const AggState::TopEntry& t : a.top) {
    w.Signed(t.key);
    w.Signed(t.value);
    w.Signed(t.count);
    w.Signed(t.last);
  }
  w.Unsigned(a.periods.size());
  for (int64_t p : a.periods) w.Signed(p);
}

void GetAgg(ByteReader& r, AggState& a) {
  a = AggState{};
  a.buckets.resize(r.Count());
  for (AggState::Bucket& b : a.buckets) {
    b.key = r.Signed();
    b.count = r.Signed();
    b.acc = r.Signed();
    b.has_acc = r.Unsigned() != 0;
  }
  a.top.resize(r.Count());
  for (AggState::TopEntry& t : a.top) {
    t.key = r.Signed();
    t.value = r.Signed();
    t.count = r.Signed();
    t.last = r.Signed();
  }
  a.periods.resize(r.Count());
  for (int64_t& p : a.periods) p = r.Signed();
}

void PutEvent(ByteWriter& w, const Event& e) {
  w.Signed(e.type);
  w.Bytes(e.id);
  w.Unsigned(e.fields.size());
  for (const Value& v : e.fields) PutValue(w, v);
  w.Unsigned(e.line);
}

void GetEvent(ByteReader& r, Event& e) {
  e.type = int32_t(r.Signed());
  e.id = r.Bytes();
  e.fields.resize(r.Count());
  for (Value& v : e.fields) v = GetValue(r);
  e.line = r.Unsigned();
}

void PutAction(ByteWriter& w, const Action& a) {
  w.Unsigned(a.seq);
  w.Signed(a.ts);
  w.Bytes(a.user);
  w.Bytes(a.event);
  w.Bytes(a.source);
  w.Bytes(a.action);
  w.Fixed64(a.key.lo);
  w.Fixed64(a.key.hi);
  w.Unsigned(a.fields.size());
  for (const auto& [name, v] : a.fields) {
    w.Bytes(name);
    w.Unsigned(uint64_t(v.kind));
    w.Signed(v.i);
    w.Bytes(v.s);
  }
}

void GetAction(ByteReader& r, Action& a) {
  a.seq = r.Unsigned();
  a.ts = r.Signed();
  a.user = r.Bytes();
  a.event = r.Bytes();
  a.source = r.Bytes();
  a.action = r.Bytes();
  a.key.lo = r.Fixed64();
  a.key.hi = r.Fixed64();
  a.fields.resize(r.Count());
  for (auto& [name, v] : a.fields) {
    name = r.Bytes();
    const uint64_t kind = r.Unsigned();
    v.kind = kind <= uint64_t(ActionValue::Kind::Raw) ? ActionValue::Kind(kind) : (r.Fail(), ActionValue::Kind::Null);
    v.i = r.Signed();
    v.s = r.Bytes();
  }
}

void PutCounts(ByteWriter& w, const std::vector<std::pair<int32_t, int64_t>>& list) {
  w.Unsigned(list.size());
  for (const auto& [index, count] : list) {
    w.Signed(index);
    w.Signed(count);
  }
}

void GetCounts(ByteReader& r, std::vector<std::pair<int32_t, int64_t>>& list) {
  list.resize(r.Count());
  for (auto& [index, count] : list) {
    index = int32_t(r.Signed());
    count = r.Signed();
  }
}

}  // namespace questline::engine::snapshot
