// Effects of statements, each wrapped by the package's policies (LANGUAGE.md
// §10): a blocked action is emitted as `blocked` with the policy's name; a
// message in quiet hours is held and released when they end.
#include <algorithm>

#include "core/channels.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/json_text.h"

namespace questline::engine {
namespace {

const char* const* kChannels = kChannelNames;

}  // namespace

const ir::Policy* Engine::BlockingPolicy(ir::PolicyTarget target) {
  core::Frame frame{event_, nullptr, nullptr};
  for (const ir::Policy& policy : p_.policies)
    for (const ir::PolicyBlock& b : policy.blocks)
      if (b.target == target && backend_.Test(b.when, frame, *this)) return &policy;
  return nullptr;
}

bool Engine::PolicyBlocks(ir::PolicyTarget target, const char* action,
                          std::vector<std::pair<std::string, ActionValue>> blocked) {
  const ir::Policy* policy = BlockingPolicy(target);
  if (policy == nullptr) return false;
  blocked.insert(blocked.begin(),
                 {{"policy", ActionValue::String(policy->name)},
                  {"reason", ActionValue::String(target == ir::PolicyTarget::Rewards ? "rewards_blocked"
                                                                                       : "messages_blocked")},
                  {"blocked", ActionValue::String(action)}});
  Emit(*source_, "blocked", std::move(blocked));
  return true;
}

bool Engine::MessageCapReached(const std::vector<std::pair<std::string, ActionValue>>& what) {
  size_t cap_index = 0;
  for (const ir::Policy& policy : p_.policies)
    for (const auto& [count, period] : policy.message_caps) {
      auto& [key, sent] = user_->message_counts[cap_index++];
      const int64_t now_key = calendar_.PeriodKey(static_cast<CalendarPeriod>(period), now_);
      if (key != now_key) {
        key = now_key;
        sent = 0;
      }
      if (sent >= count) {
        std::vector<std::pair<std::string, ActionValue>> fields = {
            {"policy", ActionValue::String(policy.name)}, {"reason", ActionValue::String("message_cap")},
            {"blocked", ActionValue::String("send")}};
        fields.insert(fields.end(), what.begin(), what.end());
        Emit(*source_, "blocked", std::move(fields));
        return true;
      }
    }
  return false;
}

// After MessageCapReached, so every counter holds the current period.
void Engine::CountMessage() {
  for (auto& counter : user_->message_counts) ++counter.second;
}

// Overlapping quiet hours of several policies release a message only when
// all of them allow it: each round ends the quiet periods covering t, until
// none does (bounded: quiet hours covering the whole day hold a message for
// at most that many periods).
int64_t Engine::QuietUntil(int32_t channel, int64_t t) const {
  int64_t until = INT64_MIN;
  for (int round = 0; round < 16; ++round) {
    int64_t end = INT64_MIN;
    const int minute = calendar_.LocalMinute(t);
    for (const ir::Policy& policy : p_.policies)
      for (const ir::QuietHours& q : policy.quiet_hours) {
        if (q.channels != 0 && !(q.channels & (1u << uint32_t(channel)))) continue;
        const bool wraps = q.to_minute < q.from_minute;
        const bool quiet = wraps ? (minute >= q.from_minute || minute < q.to_minute)
                                 : (minute >= q.from_minute && minute < q.to_minute);
        if (!quiet) continue;
        const int64_t day = calendar_.LocalDay(t) + (wraps && minute >= q.from_minute ? 1 : 0);
        end = std::max(end, calendar_.LocalToInstant(day, q.to_minute));
      }
    if (end == INT64_MIN || end <= t) return until;
    until = t = end;
  }
  return until;
}

// A held message's release: the policies are asked again (a player who
// withdrew consent gets nothing), and the caps count it on its delivery day.
void Engine::ReleaseMessage(uint64_t id) {
  auto it = std::find_if(user_->held.begin(), user_->held.end(), [&](const HeldMessage& m) { return m.id == id; });
  if (it == user_->held.end()) return;
  HeldMessage m = std::move(*it);
  user_->held.erase(it);
  const std::string* saved = source_;
  source_ = &m.send.source;
  const std::vector<std::pair<std::string, ActionValue>> what = {
      {"channel", ActionValue::String(kChannels[m.channel])}, {"template", ActionValue::String(m.template_name)}};
  if (!PolicyBlocks(ir::PolicyTarget::Messages, "send", what) && !MessageCapReached(what)) {
    CountMessage();
    m.send.ts = now_;
    Deliver(std::move(m.send));
  }
  source_ = saved;
}

// profile_update and registration: every profile field the event carries
// (same name and kind; an absent one reads as none and is left alone). A
// registration also dates the player: registered_at is its time.
void Engine::ApplyProfileUpdate(const Event& e) {
  const EventType& et = p_.schema.types[size_t(e.type)];
  for (size_t f = 3; f < et.fields.size(); ++f) {
    if (e.fields[f].none) continue;
    for (size_t i = 0; i < p_.profile_names.size(); ++i)
      if (p_.profile_names[i] == et.fields[f].name && p_.profile_kinds[i] == et.fields[f].kind)
        user_->profile[i] = e.fields[f];
  }
  if (e.type == registration_ && registered_at_ >= 0) user_->profile[size_t(registered_at_)] = Value::Time(e.Ts());
}

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

void Engine::Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data) {
  auto text = [&](const Value& v) { return v.none ? std::string() : strings_.Get(uint32_t(v.i)); };
  switch (s.kind) {
    case ir::StmtKind::Award: {
      int64_t amount = value.none ? 0 : value.i;
      RuleCounters* c = counters_;
      if (rule_ && rule_->cap && rule_->cap->currency == s.target && c) {
        int64_t key = calendar_.PeriodKey(static_cast<CalendarPeriod>(rule_->cap->period), now_);
        if (key != c->cap_key) {
          c->cap_key = key;
          c->capped = 0;
        }
        amount = std::min(amount, rule_->cap->amount - c->capped);   // cut to what is left
      }
      if (amount <= 0 ||
          PolicyBlocks(ir::PolicyTarget::Rewards, "award",
                       {{"currency", ActionValue::String(p_.currencies[size_t(s.target)])},
                        {"amount", ActionValue::Int(amount)}}))
        return;
      int64_t& balance = user_->balances[size_t(s.target)];
      // Balances saturate at int64 max: the action reports what was credited,
      // not what was asked, and the cut is counted so that a run shows it.
      const int64_t credited = SaturatingAdd(balance, amount) - balance;
      if (credited < amount) {
        CountWarning("award_saturated");
        amount = credited;
        if (amount <= 0) return;
      }
      if (c && rule_ && rule_->cap && rule_->cap->currency == s.target) c->capped = SaturatingAdd(c->capped, amount);
      balance += amount;
      if (s.target == 0) {
        user_->points_ever = SaturatingAdd(user_->points_ever, amount);
        ScorePoints(amount);
      }
      Emit(*source_, "award", {{"currency", ActionValue::String(p_.currencies[size_t(s.target)])},
                              {"amount", ActionValue::Int(amount)}, {"balance", ActionValue::Int(balance)}});
      return;
    }
    case ir::StmtKind::Deduct: {
      int64_t& balance = user_->balances[size_t(s.target)];
      int64_t amount = std::min(value.none ? 0 : value.i, balance);
      if (amount <= 0) return;
      balance -= amount;
      Emit(*source_, "deduct", {{"currency", ActionValue::String(p_.currencies[size_t(s.target)])},
                               {"amount", ActionValue::Int(amount)}, {"balance", ActionValue::Int(balance)}});
      return;
    }
    case ir::StmtKind::GrantBonus:
      if (PolicyBlocks(ir::PolicyTarget::Rewards, "bonus", {{"bonus", ActionValue::String(text(value))}})) return;
      Emit(*source_, "bonus", {{"bonus", ActionValue::String(text(value))}});
      return;
    case ir::StmtKind::Send: {
      std::vector<std::pair<std::string, ActionValue>> what = {
          {"channel", ActionValue::String(kChannels[s.target])}, {"template", ActionValue::String(text(value))}};
      if (PolicyBlocks(ir::PolicyTarget::Messages, "send", what)) return;
      // Held messages count against the caps of the day they are delivered.
      const int64_t release_at = QuietUntil(s.target, now_);
      if (release_at == INT64_MIN && MessageCapReached(what)) return;
      std::string object = "{";
      for (size_t i = 0; i < s.data.size(); ++i) {
        if (i) object += ",";
        AppendJsonString(object, s.data[i].key);
        object += ":";
        ActionValue v = ToActionValue(data[i], strings_);
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
      Action send = MakeAction(*source_, "send",
                               {{"channel", ActionValue::String(kChannels[s.target])},
                                {"template", ActionValue::String(text(value))}, {"data", ActionValue::Raw(object)}});
      if (release_at == INT64_MIN) {
        Deliver(std::move(send));
        CountMessage();
        return;
      }
      // Held by quiet hours: made now (its key is this step's), delivered later.
      HeldMessage held{++held_seq_, release_at, s.target, text(value), std::move(send)};
      Schedule(release_at, TimerKind::ReleaseMessage, user_->user, -1, held.id);
      user_->held.push_back(std::move(held));
      return;
    }
    case ir::StmtKind::UnlockMission: UnlockMission(s.target, false); return;
    case ir::StmtKind::GiveMission: UnlockMission(s.target, true); return;
    case ir::StmtKind::GiveAttempts:
    case ir::StmtKind::GiveTickets: {
      bool attempts = s.kind == ir::StmtKind::GiveAttempts;
      if (value.none || value.i <= 0) return;
      if (!attempts && raffle_drawn_[size_t(s.target)]) {   // worthless: the draw is over
        CountWarning("tickets_after_draw");
        return;
      }
      const std::string& target_name = attempts ? p_.minigames[size_t(s.target)] : p_.raffles[size_t(s.target)];
      if (PolicyBlocks(ir::PolicyTarget::Rewards, attempts ? "attempts" : "tickets",
                       {{attempts ? "game" : "raffle", ActionValue::String(target_name)},
                        {"count", ActionValue::Int(value.i)}}))
        return;
      auto& list = attempts ? user_->attempts : user_->tickets;
      auto it = std::find_if(list.begin(), list.end(), [&](auto& e) { return e.first == s.target; });
      if (it == list.end()) it = list.insert(list.end(), {s.target, 0});
      it->second = SaturatingAdd(it->second, value.i);
      Emit(*source_, attempts ? "attempts" : "tickets",
           {{attempts ? "game" : "raffle",
             ActionValue::String(attempts ? p_.minigames[size_t(s.target)] : p_.raffles[size_t(s.target)])},
            {"count", ActionValue::Int(value.i)},
            {"total", ActionValue::Int(it->second)}});
      return;
    }
    case ir::StmtKind::Tag:
    case ir::StmtKind::Untag: {
      if (value.none) return;
      uint32_t tag = uint32_t(value.i);
      auto it = std::lower_bound(user_->tags.begin(), user_->tags.end(), tag);
      bool present = it != user_->tags.end() && *it == tag;
      if (s.kind == ir::StmtKind::Tag && !present) user_->tags.insert(it, tag);
      else if (s.kind == ir::StmtKind::Untag && present) user_->tags.erase(it);
      else return;
      Emit(*source_, "tag", {{"tag", ActionValue::String(strings_.Get(tag))},
                            {"op", ActionValue::String(s.kind == ir::StmtKind::Tag ? "add" : "remove")}});
      return;
    }
    default:
      return;
  }
}

}  // namespace questline::engine
