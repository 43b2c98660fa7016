// Imports (INTERFACES.md §6, `quest run --import-segment/--import-balances`,
// the daemon's import endpoints): inputs like events, applied in the order
// they arrive, so a replay of the same imports and events gives the same
// bytes. An import changes state only: it emits no action and runs no rule or
// flow; the player's next event or timer reads the new state.
#include <algorithm>

#include "runtime/engine/engine.h"

namespace questline::engine {

int32_t Engine::SegmentIndex(const std::string& name) const {
  for (size_t s = 0; s < p_.segments.size(); ++s)
    if (p_.segments[s].name == name) return int32_t(s);
  return -1;
}

int32_t Engine::CurrencyIndex(const std::string& name) const {
  for (size_t c = 0; c < p_.currencies.size(); ++c)
    if (p_.currencies[c] == name) return int32_t(c);
  return -1;
}

// The list is the segment: listed players are members, every other player
// is not (a promo list replaced by this week's).
bool Engine::ImportSegment(int32_t segment, const std::vector<std::string>& users, std::string* error) {
  if (segment < 0 || size_t(segment) >= p_.segments.size()) {
    *error = "no such segment";
    return false;
  }
  if (!p_.segments[size_t(segment)].imported) {
    *error = "segment '" + p_.segments[size_t(segment)].name + "' is not `imported`: its condition decides its members";
    return false;
  }
  for (UserState& u : users_) {
    u.segments[size_t(segment)] = false;
    u.segments_stale = true;   // segments reading this one (MetricsDone)
  }
  for (const std::string& user : users) UserFor(strings_.Intern(user)).segments[size_t(segment)] = true;
  ++stats_.imports;
  return true;
}

// add and set as given; deduct takes at most the balance, like the
// language's `deduct` (a balance never goes negative). Balances only:
// points_ever (and so the level) counts points earned, not imported.
bool Engine::ImportBalance(const std::string& user, int32_t currency, BalanceOp op, int64_t amount,
                           std::string* error) {
  if (currency < 0 || size_t(currency) >= p_.currencies.size()) {
    *error = "no such currency";
    return false;
  }
  if (amount < 0) {
    *error = "the amount must not be negative";
    return false;
  }
  UserState& u = UserFor(strings_.Intern(user));
  u.segments_stale = true;   // segments reading the balance (MetricsDone)
  int64_t& balance = u.balances[size_t(currency)];
  switch (op) {
    case BalanceOp::Add: balance = SaturatingAdd(balance, amount); break;
    case BalanceOp::Deduct: balance -= std::min(amount, balance); break;
    case BalanceOp::Set: balance = amount; break;
  }
  ++stats_.imports;
  return true;
}

}  // namespace questline::engine
