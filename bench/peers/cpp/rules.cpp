// The peer workload (bench/peers/gen.py) written by hand in C++: the practical
// limit for these rules. simdjson On-Demand parses each line; players are
// interned to dense indices while parsing; the rules are straight-line code.
// Usage: rules EVENTS.ndjson OUT.txt
// Writes one line per player, sorted by id: "user points mission_completions".
// Prints "parse_included_s S" (read + parse + rules, streaming) and
// "parse_excluded_s S" (rules alone over events parsed into memory first).
#include <simdjson.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;
double SecondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

enum Kind : uint8_t { kBet, kDeposit, kLogin, kOther };
enum Game : uint8_t { kSlots, kLive, kCrash, kOtherGame };

struct Event {
  int64_t ts;
  double amount;
  uint32_t user;
  Kind kind;
  Game game;
};

struct Player {
  int64_t points = 0;
  int64_t completions = 0;
  int64_t cap_day = -1, cap_used = 0;          // slot_capped: the day and what it awarded that day
  int64_t week = INT64_MIN;                    // weekly_two: the week of the progress below
  int64_t slot_bets = 0;
  double deposits = 0;
  bool done = false;                           // completed this week
};

constexpr int64_t kDay = 86'400'000;
// (game, minimum amount, divisor), as gen.py's BET_RULES
struct BetRule { Game game; double least; double div; };
constexpr BetRule kBetRules[] = {{kSlots, 1, 5},  {kSlots, 10, 4}, {kSlots, 25, 2}, {kLive, 1, 10},
                                 {kLive, 20, 5}, {kCrash, 1, 8},  {kCrash, 30, 3}, {kCrash, 45, 1}};
constexpr int64_t kCap = 60, kMissionSlots = 2, kMissionReward = 500;
constexpr double kMissionDeposits = 50;

// Monday-based week number in UTC: 1970-01-01 was a Thursday.
inline int64_t WeekOf(int64_t ts) {
  int64_t day = ts >= 0 ? ts / kDay : (ts - kDay + 1) / kDay;
  int64_t d = day + 3;
  return d >= 0 ? d / 7 : (d - 6) / 7;
}

struct Rules {
  std::vector<Player> players;

  void Apply(const Event& e) {
    if (e.user >= players.size()) players.resize(e.user + 1);
    Player& p = players[e.user];
    // weekly_two: a fresh instance each Monday 00:00 UTC; the instance starts
    // at the week's start and counts the events after it (see README)
    const int64_t week = WeekOf(e.ts);
    if (week != p.week) { p.week = week; p.slot_bets = 0; p.deposits = 0; p.done = false; }
    switch (e.kind) {
      case kBet: {
        for (const BetRule& r : kBetRules)
          if (e.game == r.game && e.amount >= r.least) {
            int64_t a = int64_t(std::floor(e.amount / r.div));
            if (a > 0) p.points += a;
          }
        if (e.game == kSlots) {
          const int64_t day = e.ts / kDay;
          if (day != p.cap_day) { p.cap_day = day; p.cap_used = 0; }
          int64_t a = std::min(int64_t(std::floor(e.amount)), kCap - p.cap_used);
          if (a > 0) { p.points += a; p.cap_used += a; }
          if (!p.done) ++p.slot_bets;
        }
        break;
      }
      case kDeposit:
        if (e.amount >= 50) {
          int64_t a = int64_t(std::floor(e.amount / 10));
          if (a > 0) p.points += a;
        }
        if (!p.done) p.deposits += e.amount;
        break;
      case kLogin: p.points += 1; break;
      default: break;
    }
    if (!p.done && p.slot_bets >= kMissionSlots && p.deposits >= kMissionDeposits) {
      p.done = true;
      ++p.completions;
      p.points += kMissionReward;
    }
  }
};

struct Parser {
  simdjson::ondemand::parser parser;
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<std::string> names;

  bool Parse(std::string_view line, Event* e) {
    simdjson::padded_string padded(line);
    auto doc = parser.iterate(padded);
    e->kind = kOther; e->game = kOtherGame; e->amount = 0; e->ts = 0; e->user = 0;
    for (auto field : doc.get_object()) {
      std::string_view key = field.unescaped_key().value();
      auto value = field.value();
      if (key == "type") {
        std::string_view t = value.get_string().value();
        e->kind = t == "bet" ? kBet : t == "deposit" ? kDeposit : t == "login" ? kLogin : kOther;
      } else if (key == "user") {
        std::string_view u = value.get_string().value();
        auto it = ids.find(std::string(u));
        if (it == ids.end()) {
          it = ids.emplace(std::string(u), uint32_t(names.size())).first;
          names.emplace_back(u);
        }
        e->user = it->second;
      } else if (key == "ts") {
        e->ts = value.get_int64().value();
      } else if (key == "amount") {
        e->amount = value.get_double().value();
      } else if (key == "game_type") {
        std::string_view g = value.get_string().value();
        e->game = g == "slots" ? kSlots : g == "live_casino" ? kLive : g == "crash" ? kCrash : kOtherGame;
      }
    }
    return true;
  }
};

std::vector<std::string> ReadLines(const char* path) {
  std::vector<std::string> lines;
  FILE* f = std::fopen(path, "rb");
  if (!f) { std::perror(path); std::exit(2); }
  char* buf = nullptr;
  size_t cap = 0;
  ssize_t n;
  while ((n = getline(&buf, &cap, f)) > 0) {
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) --n;
    if (n > 0) lines.emplace_back(buf, size_t(n));
  }
  std::free(buf);
  std::fclose(f);
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) { std::fprintf(stderr, "usage: rules EVENTS.ndjson OUT.txt\n"); return 2; }
  // 1. parse included: read, parse and apply each line in turn
  Rules streamed;
  size_t count = 0;
  {
    Parser parser;
    auto t = Clock::now();
    FILE* f = std::fopen(argv[1], "rb");
    if (!f) { std::perror(argv[1]); return 2; }
    char* buf = nullptr;
    size_t cap = 0;
    ssize_t n;
    Event e{};
    while ((n = getline(&buf, &cap, f)) > 0) {
      while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r')) --n;
      if (n == 0) continue;
      parser.Parse(std::string_view(buf, size_t(n)), &e);
      streamed.Apply(e);
      ++count;
    }
    std::free(buf);
    std::fclose(f);
    std::printf("parse_included_s %.6f\n", SecondsSince(t));
  }
  // 2. parse excluded: every line parsed into memory first, then the rules timed alone
  Parser parser;
  std::vector<std::string> lines = ReadLines(argv[1]);
  std::vector<Event> events(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) parser.Parse(lines[i], &events[i]);
  Rules rules;
  rules.players.reserve(parser.names.size());
  auto t = Clock::now();
  for (const Event& e : events) rules.Apply(e);
  std::printf("parse_excluded_s %.6f\n", SecondsSince(t));
  std::printf("events %zu\n", count);

  std::vector<uint32_t> order(parser.names.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return parser.names[a] < parser.names[b]; });
  FILE* out = std::fopen(argv[2], "w");
  for (uint32_t i : order) {
    const Player& p = rules.players[i];
    const Player& s = streamed.players[i];
    if (p.points != s.points || p.completions != s.completions) {
      std::fprintf(stderr, "streamed and pre-parsed runs differ for %s\n", parser.names[i].c_str());
      return 1;
    }
    std::fprintf(out, "%s %lld %lld\n", parser.names[i].c_str(), (long long)p.points, (long long)p.completions);
  }
  std::fclose(out);
  return 0;
}
