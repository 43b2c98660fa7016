// Every user's state as JSON (INTERFACES.md §5), users sorted by id, so the
// same run always writes the same bytes.
#include <algorithm>

#include "core/channels.h"
#include "runtime/engine/aggregates.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/json_text.h"

namespace questline::engine {

const char* MissionPhaseName(MissionPhase p);   // missions.cpp

namespace {

void AppendValue(std::string& out, const Value& v, const StringPool& strings) {
  if (v.none) {
    out += "null";
    return;
  }
  switch (v.kind) {
    case ValueKind::Bool: out += v.i ? "true" : "false"; break;
    case ValueKind::Decimal:
    case ValueKind::Percent: AppendDecimal(out, v.i); break;
    case ValueKind::String: AppendJsonString(out, strings.Get(uint32_t(v.i))); break;
    case ValueKind::Time: AppendTime(out, v.i); break;
    default: out += std::to_string(v.i); break;
  }
}

void AppendScore(std::string& out, const ir::Competition& c, int64_t score) {
  if (c.score && c.score->result == ValueKind::Decimal) AppendDecimal(out, score);
  else out += std::to_string(score);
}

}  // namespace

std::string Engine::StateJson() const {
  // Ranks in each competition's current window, computed once.
  std::vector<std::unordered_map<uint32_t, std::pair<int64_t, size_t>>> ranks(competitions_.size());
  for (size_t c = 0; c < competitions_.size(); ++c) {
    std::vector<const Entry*> ranked;
    for (const Entry& e : competitions_[c].entries)
      if (e.reached > 0 || e.registered) ranked.push_back(&e);
    std::stable_sort(ranked.begin(), ranked.end(), [](const Entry* a, const Entry* b) {
      if ((a->reached > 0) != (b->reached > 0)) return a->reached > 0;   // registered, not scored yet: last
      return a->score != b->score ? a->score > b->score : a->reached < b->reached;
    });
    for (size_t r = 0; r < ranked.size(); ++r)
      ranks[c][ranked[r]->user] = {ranked[r]->score, ranked[r]->reached > 0 ? r + 1 : 0};
  }
  std::vector<const UserState*> users;
  for (const UserState& u : users_) users.push_back(&u);
  std::sort(users.begin(), users.end(), [&](const UserState* a, const UserState* b) {
    return strings_.Get(a->user) < strings_.Get(b->user);
  });
  std::string out = "{\n  \"users\": [";
  for (size_t n = 0; n < users.size(); ++n) {
    const UserState& u = *users[n];
    out += n ? ",\n    {" : "\n    {";
    out += "\"user\":";
    AppendJsonString(out, strings_.Get(u.user));
    out += ",\"points\":" + std::to_string(u.balances[0]) + ",\"points_ever\":" + std::to_string(u.points_ever);
    out += ",\"balances\":{";
    for (size_t c = 1; c < u.balances.size(); ++c) {
      if (c > 1) out += ",";
      AppendJsonString(out, p_.currencies[c]);
      out += ":" + std::to_string(u.balances[c]);
    }
    out += "},\"level\":";
    if (u.level < 0) out += "null";
    else AppendJsonString(out, p_.levels[size_t(u.level)].name);
    out += ",\"badges\":[";
    bool first = true;
    for (size_t b = 0; b < u.badges.size(); ++b)
      if (u.badges[b]) {
        if (!first) out += ",";
        first = false;
        AppendJsonString(out, p_.badges[b].name);
      }
    out += "],\"segments\":[";
    first = true;
    for (size_t s = 0; s < u.segments.size(); ++s)
      if (u.segments[s]) {
        if (!first) out += ",";
        first = false;
        AppendJsonString(out, p_.segments[s].name);
      }
    out += "],\"metrics\":{";
    first = true;
    for (size_t m = 0; m < p_.metrics.size(); ++m) {
      if (p_.metrics[m].anonymous) continue;
      if (!first) out += ",";
      first = false;
      AppendJsonString(out, p_.metrics[m].name);
      out += ":";
      AppendValue(out, ReadMetric(u, int32_t(m), clock_), strings_);
    }
    out += "},\"missions\":{";
    first = true;
    for (const MissionPtr& held : u.missions) {
      const MissionState& ms = *held;
      const size_t m = size_t(ms.mission);
      if (ms.phase == MissionPhase::Hidden && ms.completions == 0) continue;
      if (!first) out += ",";
      first = false;
      AppendJsonString(out, p_.missions[m].name);
      out += ":{\"state\":\"" + std::string(MissionPhaseName(ms.phase)) + "\",\"completions\":" +
             std::to_string(ms.completions) + ",\"tasks\":{";
      for (size_t t = 0; t < p_.missions[m].tasks.size(); ++t) {
        const ir::Task& task = p_.missions[m].tasks[t];
        if (t) out += ",";
        AppendJsonString(out, task.name);
        Value v = TaskValue(task, ms, t, clock_);
        out += ":{\"value\":";
        AppendValue(out, v, strings_);
        // The threshold as last evaluated (dynamic ones read metrics), else its constant.
        Value limit = ms.Tasks()[t].Threshold();
        if (limit.none) {
          const ir::Node* threshold = &p_.At(task.threshold);
          int64_t scale = 1;
          if (threshold->kind == ir::NodeKind::Widen) {
            threshold = &p_.At(p_.Child(*threshold, 0));
            scale = kDecimalScale;
          }
          if (threshold->kind == ir::NodeKind::Const && !threshold->none)
            limit = Value{threshold->imm * scale, scale > 1 ? ValueKind::Decimal : threshold->type, false};
        }
        if (!limit.none) {
          out += ",\"threshold\":";
          AppendValue(out, limit, strings_);
          // Done is 100%; short of done, at most 99% (`> 2` at 2 is not there yet).
          int64_t percent = 0;
          if (ms.Tasks()[t].done) {
            percent = 100;
          } else if (!v.none && limit.i > 0) {
            __int128 x = v.i, y = limit.i;
            if (v.kind == ValueKind::Decimal && limit.kind != ValueKind::Decimal) y *= kDecimalScale;
            if (limit.kind == ValueKind::Decimal && v.kind != ValueKind::Decimal) x *= kDecimalScale;
            percent = int64_t(std::min<__int128>(99, std::max<__int128>(0, x * 100 / y)));
          }
          out += ",\"percent\":" + std::to_string(percent);
        }
        out += ",\"done\":" + std::string(ms.Tasks()[t].done ? "true" : "false") + "}";
      }
      out += "}}";
    }
    out += "},\"competitions\":{";
    first = true;
    for (size_t c = 0; c < competitions_.size(); ++c) {
      // The current window (score and rank so far), and the last finished one.
      const ir::Competition& comp = p_.competitions[c];
      auto now_it = ranks[c].find(u.user);
      auto last_it = competitions_[c].last.find(u.user);
      const bool current = now_it != ranks[c].end(), last = last_it != competitions_[c].last.end();
      if (!current && !last) continue;
      if (!first) out += ",";
      first = false;
      AppendJsonString(out, comp.name);
      out += ":{";
      if (current) {
        const Entry& e = competitions_[c].entries[competitions_[c].index.at(u.user)];
        if (comp.registration) out += std::string("\"registered\":") + (e.registered ? "true," : "false,");
        out += "\"score\":";
        if (now_it->second.second > 0) AppendScore(out, comp, now_it->second.first);
        else out += "null";
        out += ",\"rank\":";
        out += now_it->second.second > 0 ? std::to_string(now_it->second.second) : "null";
      }
      if (last) {
        out += current ? ",\"last\":{\"score\":" : "\"last\":{\"score\":";
        AppendScore(out, comp, last_it->second.score);
        out += ",\"rank\":";
        out += last_it->second.rank > 0 ? std::to_string(last_it->second.rank) : "null";
        out += "}";
      }
      out += "}";
    }
    out += "},\"purchases\":{";
    first = true;
    for (size_t i = 0; i < u.item_counts.size(); ++i) {
      // Against an item's limit, the purchases of its current period only.
      const auto& limit = p_.items[i].limit;
      if (u.item_counts[i].second == 0 ||
          (limit && u.item_counts[i].first != calendar_.PeriodKey(static_cast<CalendarPeriod>(limit->period), clock_)))
        continue;
      if (!first) out += ",";
      first = false;
      AppendJsonString(out, p_.items[i].name);
      out += ":" + std::to_string(u.item_counts[i].second);
    }
    out += "},\"attempts\":{";
    for (size_t a = 0; a < u.attempts.size(); ++a) {
      if (a) out += ",";
      AppendJsonString(out, p_.minigames[size_t(u.attempts[a].first)]);
      out += ":" + std::to_string(u.attempts[a].second);
    }
    out += "},\"tickets\":{";
    for (size_t t = 0; t < u.tickets.size(); ++t) {
      if (t) out += ",";
      AppendJsonString(out, p_.raffles[size_t(u.tickets[t].first)]);
      out += ":" + std::to_string(u.tickets[t].second);
    }
    out += "},\"flows\":[";
    first = true;
    for (size_t f = 0; f < u.flows.size(); ++f) {
      const FlowState& fs = u.flows[f];
      if (!fs.running) continue;
      if (!first) out += ",";
      first = false;
      out += "{\"flow\":";
      AppendJsonString(out, p_.flows[f].name);
      out += ",\"step\":" + std::to_string(fs.pc);
      if (p_.flows[f].ops[size_t(fs.pc)].kind == ir::FlowOpKind::Wait ||
          p_.flows[f].ops[size_t(fs.pc)].kind == ir::FlowOpKind::WaitFor) {
        out += ",\"waiting_until\":";
        AppendTime(out, fs.deadline);
      }
      out += "}";
    }
    out += "],\"held\":[";
    for (size_t h = 0; h < u.held.size(); ++h) {   // messages quiet hours still hold
      out += h ? ",{\"channel\":" : "{\"channel\":";
      AppendJsonString(out, kChannelNames[u.held[h].channel]);
      out += ",\"template\":";
      AppendJsonString(out, u.held[h].template_name);
      out += ",\"release_at\":";
      AppendTime(out, u.held[h].release_at);
      out += "}";
    }
    out += "],\"tags\":[";
    for (size_t t = 0; t < u.tags.size(); ++t) {
      if (t) out += ",";
      AppendJsonString(out, strings_.Get(u.tags[t]));
    }
    out += "]}";
  }
  out += users.empty() ? "]\n}\n" : "\n  ]\n}\n";
  return out;
}

}  // namespace questline::engine
