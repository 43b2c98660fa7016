// Effects wrapped by the package's policies (LANGUAGE.md §10): a blocked
// action is emitted as `blocked` with the policy's name; a message in quiet
// hours is held and released when they end.
#include "runtime/engine/mechanics/policies.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"

namespace questline::engine::mechanics {
namespace {

const char* const* kChannels = kChannelNames;

static ActionValue ToActionValue(const Value& v, StringPool& strings) {
  if (v.none) return ActionValue{};
  switch (v.kind) {
    case ValueKind::Bool: return ActionValue::Bool(v.i != 0);
    case ValueKind::Decimal:
    case ValueKind::Percent: return ActionValue::Decimal(v.i);
    case ValueKind::String: return ActionValue::String(strings.Get(uint32_t(v.i)));
    case ValueKind::Time: return ActionValue::Time(v.i);
    default: return ActionValue::Int(v.i);
  }
}

}  // namespace

Policies::Policies(Kernel& k) : Mechanic(k) {
  size_t caps = 0;
  for (const ir::Policy& pol : k_.p.policies) caps += pol.message_caps.size();
  sent_ = k_.layout.Reserve<PeriodCount>(caps);
}

void Policies::NewPlayer(UserState& u) { std::fill_n(sent_.In(u.block), sent_.count, PeriodCount{}); }

bool Policies::OnTimer(const Timer& t) {
  Release(t.b);
  return true;
}

const ir::Policy* Policies::Blocking(ir::PolicyTarget target) {
  core::Frame frame{k_.event, nullptr, nullptr};
  for (const ir::Policy& policy : k_.p.policies)
    for (const ir::PolicyBlock& b : policy.blocks)
      if (b.target == target && k_.backend.Test(b.when, frame, k_)) return &policy;
  return nullptr;
}

bool Policies::Blocks(ir::PolicyTarget target, const char* action,
                          Fields blocked) {
  const ir::Policy* policy = Blocking(target);
  if (policy == nullptr) return false;
  blocked.insert(blocked.begin(),
                 {{"policy", ActionValue::String(policy->name)},
                  {"reason", ActionValue::String(target == ir::PolicyTarget::Rewards ? "rewards_blocked"
                                                                                       : "messages_blocked")},
                  {"blocked", ActionValue::String(action)}});
  k_.Emit(*k_.source, "blocked", std::move(blocked));
  return true;
}

bool Policies::CapReached(const Fields& what) {
  size_t cap_index = 0;
  for (const ir::Policy& policy : k_.p.policies)
    for (const auto& [count, period] : policy.message_caps) {
      auto& [key, sent] = sent_.In(k_.user->block)[cap_index++];
      const int64_t now_key = k_.calendar.PeriodKey(static_cast<CalendarPeriod>(period), k_.now);
      if (key != now_key) {
        key = now_key;
        sent = 0;
      }
      if (sent >= count) {
        Fields fields = {
            {"policy", ActionValue::String(policy.name)}, {"reason", ActionValue::String("message_cap")},
            {"blocked", ActionValue::String("send")}};
        fields.insert(fields.end(), what.begin(), what.end());
        k_.Emit(*k_.source, "blocked", std::move(fields));
        return true;
      }
    }
  return false;
}

// After MessageCapReached, so every counter holds the current period.
void Policies::CountMessage() {
  PeriodCount* sent = sent_.In(k_.user->block);
  for (size_t c = 0; c < sent_.count; ++c) ++sent[c].count;
}

// Overlapping quiet hours of several policies release a message only when
// all of them allow it: each round ends the quiet periods covering t, until
// none does (bounded: quiet hours covering the whole day hold a message for
// at most that many periods).
int64_t Policies::QuietUntil(int32_t channel, int64_t t) const {
  int64_t until = INT64_MIN;
  for (int round = 0; round < 16; ++round) {
    int64_t end = INT64_MIN;
    const int minute = k_.calendar.LocalMinute(t);
    for (const ir::Policy& policy : k_.p.policies)
      for (const ir::QuietHours& q : policy.quiet_hours) {
        if (q.channels != 0 && !(q.channels & (1u << uint32_t(channel)))) continue;
        const bool wraps = q.to_minute < q.from_minute;
        const bool quiet = wraps ? (minute >= q.from_minute || minute < q.to_minute)
                                 : (minute >= q.from_minute && minute < q.to_minute);
        if (!quiet) continue;
        const int64_t day = k_.calendar.LocalDay(t) + (wraps && minute >= q.from_minute ? 1 : 0);
        end = std::max(end, k_.calendar.LocalToInstant(day, q.to_minute));
      }
    if (end == INT64_MIN || end <= t) return until;
    until = t = end;
  }
  return until;
}

// A held message's release: the policies are asked again (a player who
// withdrew consent gets nothing), and the caps count it on its delivery day.
void Policies::Release(uint64_t id) {
  std::vector<HeldMessage>& held = k_.user->policies.held;
  auto it = std::find_if(held.begin(), held.end(), [&](const HeldMessage& m) { return m.id == id; });
  if (it == held.end()) return;
  HeldMessage m = std::move(*it);
  held.erase(it);
  const std::string* saved = k_.source;
  k_.source = &m.send.source;
  const Fields what = {
      {"channel", ActionValue::String(kChannels[m.channel])}, {"template", ActionValue::String(m.template_name)}};
  if (!Blocks(ir::PolicyTarget::Messages, "send", what) && !CapReached(what)) {
    CountMessage();
    m.send.ts = k_.now;
    k_.Deliver(std::move(m.send));
  }
  k_.source = saved;
}

bool Policies::Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data) {
  if (s.kind != ir::StmtKind::Send) return false;
  auto text = [&](const Value& v) { return v.none ? std::string() : k_.strings.Get(uint32_t(v.i)); };
  Fields what = {
      {"channel", ActionValue::String(kChannels[s.target])}, {"template", ActionValue::String(text(value))}};
  if (Blocks(ir::PolicyTarget::Messages, "send", what)) return true;
  // Held messages count against the caps of the day they are delivered.
  const int64_t release_at = QuietUntil(s.target, k_.now);
  if (release_at == INT64_MIN && CapReached(what)) return true;
  std::string object = "{";
  for (size_t i = 0; i < s.data.size(); ++i) {
    if (i) object += ",";
    AppendJsonString(object, s.data[i].key);
    object += ":";
    ActionValue v = ToActionValue(data[i], k_.strings);
    switch (v.kind) {
      case ActionValue::Kind::Null: object += "null"; break;
      case ActionValue::Kind::Bool: object += v.i ? "true" : "false"; break;
      case ActionValue::Kind::Decimal: AppendDecimal(object, v.i); break;
      case ActionValue::Kind::String: AppendJsonString(object, v.s); break;
      case ActionValue::Kind::Time: AppendTime(object, v.i); break;
      default: object += std::to_string(v.i); break;
    }
  }
  object += "}";
  Action send = k_.MakeAction(*k_.source, "send",
                           {{"channel", ActionValue::String(kChannels[s.target])},
                            {"template", ActionValue::String(text(value))}, {"data", ActionValue::Raw(object)}});
  if (release_at == INT64_MIN) {
    k_.Deliver(std::move(send));
    CountMessage();
    return true;
  }
  // Held by quiet hours: made now (its key is this step's), delivered later.
  HeldMessage held{++held_seq_, release_at, s.target, text(value), std::move(send)};
  k_.Schedule(release_at, MechanicId::policies, kRelease, -1, held.id);
  k_.user->policies.held.push_back(std::move(held));
  return true;
}

void Policies::WriteState(const UserState& u, std::string& out) const {
  out += ",\"held\":[";
  for (size_t h = 0; h < u.policies.held.size(); ++h) {   // messages quiet hours still hold
    out += h ? ",{\"channel\":" : "{\"channel\":";
    AppendJsonString(out, kChannelNames[u.policies.held[h].channel]);
    out += ",\"template\":";
    AppendJsonString(out, u.policies.held[h].template_name);
    out += ",\"release_at\":";
    AppendTime(out, u.policies.held[h].release_at);
    out += "}";
  }
  out += "]";
}

void Policies::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  w.Unsigned(u.policies.held.size());
  for (const HeldMessage& m : u.policies.held) {
    w.Unsigned(m.id);
    w.Signed(m.release_at);
    w.Signed(m.channel);
    w.Bytes(m.template_name);
    snapshot::PutAction(w, m.send);
  }
}

void Policies::LoadPlayer(UserState& u, core::ByteReader& r) {
  u.policies.held.resize(r.Count());
  for (HeldMessage& m : u.policies.held) {
    m.id = r.Unsigned();
    m.release_at = r.Signed();
    m.channel = int32_t(r.Signed());
    if (m.channel < 0 || m.channel >= int32_t(kChannelCount)) r.Fail();
    m.template_name = r.Bytes();
    snapshot::GetAction(r, m.send);
  }
}

void Policies::Save(core::ByteWriter& w) const { w.Unsigned(held_seq_); }
void Policies::Load(core::ByteReader& r) { held_seq_ = r.Unsigned(); }

void Policies::MigratePlayer(const Policies& old, const UserState& from, UserState& to, const Migration& mg) {
  // Each policy's caps are consecutive in sent_, in package order.
  std::vector<size_t> first_cap;
  for (size_t i = 0, at = 0; i < k_.p.policies.size(); at += k_.p.policies[i++].message_caps.size())
    first_cap.push_back(at);
  for (size_t i = 0, at = 0; i < mg.from.policies.size(); at += mg.from.policies[i++].message_caps.size()) {
    const int32_t n = mg.policies.New(int32_t(i));
    if (n < 0) continue;
    for (size_t c = 0; c < mg.from.policies[i].message_caps.size(); ++c)
      sent_.In(to.block)[first_cap[size_t(n)] + c] = old.sent_.In(from.block)[at + c];
  }
  to.policies.held = from.policies.held;
}

}  // namespace questline::engine::mechanics
