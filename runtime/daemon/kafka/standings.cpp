#include "runtime/daemon/kafka/standings.h"

#include <algorithm>

#include <simdjson.h>

#include "core/byte_io.h"
#include "runtime/engine/json_text.h"
#include "runtime/engine/mechanics/raffles.h"

namespace questline::daemon::kafka {
namespace {

constexpr std::string_view kMagic = "QLST";
constexpr uint64_t kVersion = 1;
constexpr size_t kMaxRecordBytes = 8 << 20;   // kEntriesPerRecord entries of long ids: far below
constexpr int32_t kMaxPartitions = 1 << 16;

enum Flags : int64_t { kScored = 1, kRegistered = 2 };
constexpr std::string_view kRafflePrefix = "raffle:";

}  // namespace

int32_t RepartitionOf(std::string_view competition, int32_t partitions) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : competition) h = (h ^ c) * 1099511628211ull;
  return int32_t(h % uint64_t(std::max(partitions, 1)));
}

Standings::Standings(const ir::Program& program, int32_t inputs)
    : program_(program), random_(program.settings.seed), clocks_(size_t(std::clamp(inputs, 1, kMaxPartitions)), INT64_MIN) {}

std::vector<std::string> Standings::EncodeWindow(const engine::ClosedWindow& window, int32_t partition) {
  std::vector<std::string> records;
  size_t next = 0;
  do {   // one record at least: an empty window still says the partition closed it
    std::string out = "{\"partition\":" + std::to_string(partition) + ",\"competition\":";
    engine::AppendJsonString(out, window.competition);
    out += ",\"start\":" + std::to_string(window.window_start) + ",\"end\":" + std::to_string(window.window_end) +
           ",\"entries\":[";
    const size_t end = std::min(window.entries.size(), next + kEntriesPerRecord);
    for (size_t i = next; i < end; ++i) {
      const engine::ClosedWindow::Entry& e = window.entries[i];
      out += i == next ? "[" : ",[";
      engine::AppendJsonString(out, e.user);
      out += "," + std::to_string(e.score) + "," + std::to_string(e.reached_at) + "," +
             std::to_string((e.scored ? int64_t(kScored) : 0) | (e.registered ? int64_t(kRegistered) : 0)) + "]";
    }
    out += "]}";
    records.push_back(std::move(out));
    next = end;
  } while (next < window.entries.size());
  return records;
}

std::vector<std::string> Standings::EncodeRaffle(const engine::RaffleEntrants& entrants, int32_t partition) {
  std::vector<std::string> records;
  size_t next = 0;
  do {
    std::string out = "{\"partition\":" + std::to_string(partition) + ",\"raffle\":";
    engine::AppendJsonString(out, entrants.raffle);
    out += ",\"draw_at\":" + std::to_string(entrants.draw_at) + ",\"entrants\":[";
    const size_t end = std::min(entrants.tickets.size(), next + kEntriesPerRecord);
    for (size_t i = next; i < end; ++i) {
      out += i == next ? "[" : ",[";
      engine::AppendJsonString(out, entrants.tickets[i].first);
      out += "," + std::to_string(entrants.tickets[i].second) + "]";
    }
    out += "]}";
    records.push_back(std::move(out));
    next = end;
  } while (next < entrants.tickets.size());
  return records;
}

std::string Standings::EncodeClock(int32_t partition, int64_t clock) {
  return "{\"partition\":" + std::to_string(partition) + ",\"clock\":" + std::to_string(clock) + "}";
}

bool Standings::Apply(std::string_view record, std::vector<PlacedResult>* out, std::string* error) {
  if (record.size() > kMaxRecordBytes) {
    *error = "a record of " + std::to_string(record.size()) + " bytes, over " + std::to_string(kMaxRecordBytes);
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (auto e = parser.parse(simdjson::padded_string(record)).get(o)) {
    *error = std::string("not a JSON object: ") + simdjson::error_message(e);
    return false;
  }
  int64_t partition = -1;
  if (o["partition"].get(partition) || partition < 0 || partition >= int64_t(clocks_.size())) {
    *error = "no \"partition\" of the " + std::to_string(clocks_.size()) + " input partitions";
    return false;
  }
  int64_t clock = 0;
  if (!o["clock"].get(clock)) {
    if (o.size() != 2) {
      *error = "a clock record with other fields";
      return false;
    }
    int64_t& known = clocks_[size_t(partition)];
    known = std::max(known, clock);   // a transaction produced again says the same or less
    Resolve(out);
    return true;
  }
  std::string_view raffle;
  if (!o["raffle"].get(raffle)) {
    int64_t draw_at = 0;
    simdjson::dom::array entrants;
    if (o["draw_at"].get(draw_at) || o["entrants"].get(entrants) || o.size() != 4) {
      *error = "a raffle record is partition, raffle, draw_at, entrants";
      return false;
    }
    std::vector<std::pair<std::string, int64_t>> parsed;
    for (simdjson::dom::element item : entrants) {
      simdjson::dom::array a;
      std::string_view user;
      int64_t tickets = 0;
      if (item.get(a) || a.size() != 2 || a.at(0).get(user) || a.at(1).get(tickets) || tickets <= 0) {
        *error = "raffle " + std::string(raffle) + " entrant " + std::to_string(parsed.size()) +
                 ": not [user, tickets > 0]";
        return false;
      }
      parsed.emplace_back(std::string(user), tickets);
    }
    if (draw_at <= clocks_[size_t(partition)]) return true;   // drawn already (see below)
    Window& draw = windows_[{draw_at, std::string(kRafflePrefix) + std::string(raffle)}];
    draw.senders.insert(int32_t(partition));
    for (auto& [user, tickets] : parsed) draw.entries[user] = Entry{tickets, 0, int32_t(partition), true, false};
    return true;
  }
  std::string_view competition;
  int64_t start = 0, end = 0;
  simdjson::dom::array entries;
  if (o["competition"].get(competition) || o["start"].get(start) || o["end"].get(end) || o["entries"].get(entries) ||
      o.size() != 5) {
    *error = "neither a clock record nor a window record (partition, competition, start, end, entries)";
    return false;
  }
  // Checked whole before anything changes.
  std::vector<std::pair<std::string, Entry>> parsed;
  for (simdjson::dom::element item : entries) {
    simdjson::dom::array a;
    std::string_view user;
    int64_t score = 0, reached_at = 0, flags = 0;
    if (item.get(a) || a.size() != 4 || a.at(0).get(user) || a.at(1).get(score) || a.at(2).get(reached_at) ||
        a.at(3).get(flags) || flags < 0 || flags > (kScored | kRegistered)) {
      *error = "window " + std::string(competition) + " entry " + std::to_string(parsed.size()) +
               ": not [user, score, reached_at, flags]";
      return false;
    }
    parsed.push_back({std::string(user), Entry{score, reached_at, int32_t(partition), (flags & kScored) != 0,
                                               (flags & kRegistered) != 0}});
  }
  if (end <= clocks_[size_t(partition)]) {
    // The partition's clock passed this end before: only a transaction
    // produced again sends it so late, and the window was ranked already.
    return true;
  }
  Window& window = windows_[{end, std::string(competition)}];
  window.start = start;
  window.senders.insert(int32_t(partition));
  for (auto& [user, entry] : parsed) window.entries[user] = entry;
  return true;
}

// Every window and draw whose instant every partition's clock has passed,
// by instant, then draws (their timers were scheduled first) before
// windows, each in the program's order: one engine's order of paying them.
void Standings::Resolve(std::vector<PlacedResult>* out) {
  const int64_t low = *std::min_element(clocks_.begin(), clocks_.end());
  auto order = [&](const std::string& name) {
    if (name.compare(0, kRafflePrefix.size(), kRafflePrefix) == 0) {
      for (size_t i = 0; i < program_.raffle_table.size(); ++i)
        if (program_.raffle_table[i].name == name.substr(kRafflePrefix.size())) return std::make_pair(0, int64_t(i));
      return std::make_pair(0, int64_t(-1));
    }
    for (size_t i = 0; i < program_.competitions.size(); ++i)
      if (program_.competitions[i].name == name) return std::make_pair(1, int64_t(i));
    return std::make_pair(1, int64_t(-1));
  };
  while (!windows_.empty() && windows_.begin()->first.first <= low) {
    const int64_t end = windows_.begin()->first.first;
    std::vector<std::map<WindowKey, Window>::iterator> due;
    for (auto it = windows_.begin(); it != windows_.end() && it->first.first == end; ++it) due.push_back(it);
    std::stable_sort(due.begin(), due.end(),
                     [&](const auto& a, const auto& b) { return order(a->first.second) < order(b->first.second); });
    for (auto it : due) {
      done_.clear();
      if (it->first.second.compare(0, kRafflePrefix.size(), kRafflePrefix) == 0) Draw(it->first, it->second, out);
      else Rank(it->first, it->second, out);
      out->insert(out->end(), done_.begin(), done_.end());
      windows_.erase(it);
      ++ranked_;
    }
  }
}

// As one engine's draw (mechanics/raffles.cpp, DrawRaffle): the entrants in
// user id order, at the draw timer's event id; each win to its winner's
// partition, numbered in draw order.
void Standings::Draw(const WindowKey& key, const Window& window, std::vector<PlacedResult>* out) {
  const std::string name = key.second.substr(kRafflePrefix.size());
  for (int32_t partition : window.senders) {
    PlacedResult done{partition, {}, {}, true};
    done.raffle.raffle = name;
    done.raffle.draw_at = key.first;
    done.raffle.done = true;
    done_.push_back(std::move(done));
  }
  const ir::Raffle* raffle = nullptr;
  for (const ir::Raffle& r : program_.raffle_table)
    if (r.name == name) raffle = &r;
  if (raffle == nullptr) return;   // removed by a reload since: nothing to draw
  std::vector<const std::pair<const std::string, Entry>*> entrants;
  std::vector<int64_t> tickets;
  for (const auto& item : window.entries) {   // a map: in user id order
    entrants.push_back(&item);
    tickets.push_back(item.second.score);
  }
  const std::vector<engine::mechanics::RaffleWin> wins =
      engine::mechanics::DrawRaffle(*raffle, std::move(tickets), random_, "timer:" + std::to_string(key.first));
  for (size_t n = 0; n < wins.size(); ++n) {
    const auto& [user, entry] = *entrants[wins[n].entrant];
    PlacedResult win{entry.partition, {}, {}, true};
    win.raffle = engine::RaffleResult{name, user, raffle->prizes[wins[n].prize].name, key.first, int64_t(n), false};
    out->push_back(std::move(win));
  }
}

// As one engine's close (mechanics/competitions.cpp): min_players counts the
// registered (with registration) or the scored; the scored are ranked by
// score, ties to who reached it first (by the instant; across partitions
// the engine's step order is not known, so then by user id); min_score
// leaves the rest unranked.
void Standings::Rank(const WindowKey& key, const Window& window, std::vector<PlacedResult>* out) {
  for (int32_t partition : window.senders) {   // after the results, whatever becomes of them
    engine::CompetitionResult done{key.second, "", key.first, 0, 0, false, true};
    done_.push_back({partition, std::move(done)});
  }
  const ir::Competition* comp = nullptr;
  for (const ir::Competition& c : program_.competitions)
    if (c.name == key.second) comp = &c;
  if (comp == nullptr) return;   // removed by a reload since: nothing to pay
  auto result = [&](const std::string& user, const Entry& e, int64_t rank) {
    out->push_back({e.partition, engine::CompetitionResult{key.second, user, key.first, rank, e.score, e.registered}});
  };
  std::vector<const std::pair<const std::string, Entry>*> players;
  int64_t registered = 0;
  for (const auto& item : window.entries) {
    registered += item.second.registered;
    if (item.second.scored && (!comp->registration || item.second.registered)) players.push_back(&item);
  }
  const bool cancelled = comp->min_players > 0 && (comp->registration ? registered : int64_t(players.size())) <
                                                      comp->min_players;
  if (cancelled) {
    for (const auto& [user, e] : window.entries)
      if (comp->registration ? e.registered : (e.scored)) result(user, e, engine::CompetitionResult::kCancelled);
    return;
  }
  std::sort(players.begin(), players.end(), [](const auto* a, const auto* b) {
    if (a->second.score != b->second.score) return a->second.score > b->second.score;
    if (a->second.reached_at != b->second.reached_at) return a->second.reached_at < b->second.reached_at;
    return a->first < b->first;
  });
  int64_t rank = 0;
  for (const auto* p : players)
    result(p->first, p->second, p->second.score >= comp->min_score ? ++rank : engine::CompetitionResult::kUnranked);
}

std::string Standings::Save() const {
  core::ByteWriter w;
  w.Raw(kMagic);
  w.Unsigned(kVersion);
  w.Unsigned(clocks_.size());
  for (int64_t c : clocks_) w.Signed(c);
  w.Unsigned(windows_.size());
  for (const auto& [key, window] : windows_) {
    w.Signed(key.first);
    w.Bytes(key.second);
    w.Signed(window.start);
    w.Unsigned(window.senders.size());
    for (int32_t p : window.senders) w.Unsigned(uint64_t(p));
    w.Unsigned(window.entries.size());
    for (const auto& [user, e] : window.entries) {
      w.Bytes(user);
      w.Signed(e.score);
      w.Signed(e.reached_at);
      w.Unsigned(uint64_t(e.partition));
      w.Unsigned(uint64_t(e.scored) | uint64_t(e.registered) << 1);
    }
  }
  return w.Take();
}

bool Standings::Load(std::string_view bytes, std::string* error) {
  core::ByteReader r(bytes);
  if (r.Raw(kMagic.size()) != kMagic || r.Unsigned() != kVersion) {
    *error = "not the standings of this version";
    return false;
  }
  if (r.Unsigned() != clocks_.size()) {
    *error = "standings of another number of input partitions";
    return false;
  }
  std::vector<int64_t> clocks(clocks_.size());
  for (int64_t& c : clocks) c = r.Signed();
  std::map<WindowKey, Window> windows;
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    WindowKey key;
    key.first = r.Signed();
    key.second = r.Bytes();
    Window& window = windows[key];
    window.start = r.Signed();
    for (uint64_t m = r.Count(); m > 0 && r.ok(); --m) {
      const uint64_t p = r.Unsigned();
      if (p >= clocks_.size()) r.Fail();
      window.senders.insert(int32_t(p));
    }
    for (uint64_t m = r.Count(); m > 0 && r.ok(); --m) {
      std::string user = r.Bytes();
      Entry e;
      e.score = r.Signed();
      e.reached_at = r.Signed();
      const uint64_t partition = r.Unsigned();
      const uint64_t flags = r.Unsigned();
      if (partition >= clocks_.size() || flags > 3) r.Fail();
      e.partition = int32_t(partition);
      e.scored = flags & 1;
      e.registered = flags & 2;
      window.entries[std::move(user)] = e;
    }
  }
  if (!r.ok() || !r.AtEnd()) {
    *error = "damaged standings";
    return false;
  }
  clocks_ = std::move(clocks);
  windows_ = std::move(windows);
  return true;
}

}  // namespace questline::daemon::kafka
