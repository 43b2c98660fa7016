// Random NDJSON events for the generated schema: bets, deposits, logins,
// profile updates and opt-ins from users u1..u5, timestamps increasing over a
// few days (with ties and the odd late event), and field values chosen so
// that conditions are sometimes true and sometimes false: zero divisors,
// products that overflow, extreme decimals, missing and null fields.
#include <algorithm>
#include <cstdio>
#include <string>

#include "tests/jit/package_gen.h"
#include "tests/jit/schema_model.h"

namespace questline::jitdiff {
// Days-to-civil, proleptic Gregorian.
std::string Rfc3339(int64_t ms) {
  int64_t days = ms / 86'400'000, rem = ms % 86'400'000;
  if (rem < 0) { rem += 86'400'000; --days; }
  days += 719'468;
  const int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
  const int64_t doe = days - era * 146'097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  const int64_t y = yoe + era * 400 + (m <= 2);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld", (long long)y, (long long)m, (long long)d,
                (long long)(rem / 3'600'000), (long long)(rem / 60'000 % 60), (long long)(rem / 1000 % 60));
  std::string out = buf;
  if (rem % 1000 != 0) {
    std::snprintf(buf, sizeof buf, ".%03lld", (long long)(rem % 1000));
    out += buf;
  }
  return out + "Z";
}

namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string Value(Rng& rng, const FieldDef& f, int64_t clock) {
  const std::string& n = f.name;
  switch (f.ty) {
    case Ty::Bool: return rng.Chance(50) ? "true" : "false";
    case Ty::Int:
      if (n == "div" || n == "parts") return rng.Chance(40) ? "0" : rng.Chance(85) ? std::to_string(rng.Range(1, 4)) : "-2";
      if (n == "big" && rng.Chance(50))
        return rng.Pick({"3037000500", "4611686018427387904", "9223372036854775807", "-9223372036854775807",
                         "1000000000000"});
      if (rng.Chance(8)) return rng.Pick({"-3", "1000000", "3037000500"});
      return std::to_string(rng.Range(0, n == "count" ? 10 : 5));
    case Ty::Dec:
      if (n == "mult" || n == "ratio")
        return rng.Pick({"0", "0.5", "1.25", "2", "-1.5", "9000000000.5", "0.000001", "1"});
      if (rng.Chance(6)) return rng.Pick({"90000000000", "123.456789", "-20", "0.000001"});
      return rng.Pick({"0", "0.1", "1", "5", "10", "10.5", "20", "25", "50", "120", "1000"});
    case Ty::Str:
      if (n == "game") return Quote(rng.Pick({"book_of_dead", "starburst", "Book", "roulette"}));
      if (n == "provider") return Quote(rng.Pick({"netent", "pragmatic", "evo"}));
      if (n == "currency") return Quote(rng.Pick({"EUR", "GBP"}));
      if (n == "method") return Quote(rng.Pick({"card", "btc", "BTC"}));
      if (n == "ip_country") return Quote(rng.Pick({"GB", "MT", "DE"}));
      return Quote(rng.Pick({"Book", "book", "BOOK_of", "", "x y", "Slots", "b"}));
    case Ty::Time:
      if (rng.Chance(20)) return std::to_string(rng.Chance(50) ? 0 : clock);   // epoch milliseconds
      {
        const int64_t days = rng.Range(-3, 3);
        return Quote(Rfc3339(clock + days * 86'400'000 + rng.Range(0, 3'600'000)));
      }
    case Ty::Dur:
      return rng.Pick({"0", "60000", "3600000", "259200000", "9000000000000000000"});
    case Ty::Pct: return rng.Pick({"0", "5", "12.5", "50", "100"});
    default: return Quote(rng.Pick(UnionMembers(f.ty)));
  }
}

}  // namespace

std::vector<std::string> GenerateEvents(Rng& rng, int64_t* last) {
  std::vector<std::string> lines;
  const int n = int(rng.Range(20, 200));
  int64_t clock = 1'796'083'200'000;   // 2026-12-01T00:00:00Z
  for (int i = 0; i < n; ++i) {
    const int gap = int(rng.Below(100));
    int64_t ts = clock;
    if (gap < 60) ts += rng.Range(1, 120) * 60'000;
    else if (gap < 85) ts += rng.Range(2, 12) * 3'600'000;
    else if (gap < 95) ts += rng.Range(0, 999);                // ties and milliseconds
    else ts -= rng.Range(1, 60) * 60'000;                      // a late event
    clock = std::max(clock, ts);
    const char* user = rng.Chance(30) ? "u1" : rng.Pick({"u1", "u2", "u3", "u4", "u5"});
    const std::string id = rng.Chance(2) && i > 0 ? "e" + std::to_string(i - 1) : "e" + std::to_string(i);
    const int kind = int(rng.Below(100));
    static const char* kRequests[] = {"mission_opt_in", "store_purchase", "minigame_play", "tournament_register"};
    std::string type = kind < 62 ? "bet" : kind < 76 ? "deposit" : kind < 85 ? "login" : kind < 91 ? "profile_update"
                                                                                         : kRequests[kind % 4];
    std::string line = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"user\":\"" + user + "\",\"ts\":\"" + Rfc3339(ts) + "\"";
    if (const EventDef* ev = FindEvent(type)) {
      for (const FieldDef& f : ev->fields) {
        if (rng.Chance(4)) continue;                                   // missing: the zero value
        if (rng.Chance(1)) { line += ",\"" + f.name + "\":null"; continue; }
        line += ",\"" + f.name + "\":" + Value(rng, f, clock);
      }
    } else if (type == "profile_update") {
      int r = int(rng.Below(100));
      if (r < 30) line += std::string(",\"vip\":") + (rng.Chance(70) ? "true" : "false");
      else if (r < 40) line += ",\"self_excluded\":true";
      else if (r < 60) line += ",\"country\":" + Quote(rng.Pick({"GB", "MT", "DE"}));
      else if (r < 85) line += std::string(",\"marketing_opt_in\":") + (rng.Chance(80) ? "true" : "false");
      else line += ",\"registered_at\":\"2026-11-01T00:00:00Z\"";
    } else if (type == "mission_opt_in") {
      line += ",\"mission\":" + Quote(rng.Pick({"ms0", "ms1"}));
    } else if (type == "store_purchase") {
      line += ",\"item\":" + Quote(rng.Pick({"it0", "it1"}));
    } else if (type == "minigame_play") {
      line += ",\"game\":\"mg0\"";
    } else {
      line += ",\"tournament\":" + Quote(rng.Pick({"cp0", "cp1"}));
    }
    lines.push_back(line + "}");
  }
  *last = clock;
  return lines;
}

}  // namespace questline::jitdiff
