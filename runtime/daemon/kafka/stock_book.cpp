#include "runtime/daemon/kafka/stock_book.h"

#include <simdjson.h>

#include "core/byte_io.h"
#include "runtime/engine/json_text.h"
#include "runtime/engine/mechanics/minigames.h"
#include "runtime/io/keyed_line.h"

namespace questline::daemon::kafka {
namespace {

constexpr std::string_view kKey = "stock_claim";
constexpr std::string_view kMagic = "QLSB";
constexpr uint64_t kVersion = 1;
constexpr size_t kMaxRecordBytes = 64 * 1024;   // names and ids: far below
constexpr const char* kKinds[] = {"take", "peek", "draw"};

std::string ClaimName(std::string_view stock, std::string_view user, std::string_view event) {
  std::string name(stock);
  name += '\0';
  name += user;
  name += '\0';
  name += event;
  return name;
}

}  // namespace

StockBook::StockBook(const ir::Program& program, int32_t inputs, int64_t dedupe_window_ms)
    : random_(program.settings.seed), inputs_(inputs), window_ms_(dedupe_window_ms) {
  for (const ir::Item& item : program.items)
    if (item.stock >= 0) stocks_["item:" + item.name].left = {item.stock};
  for (const ir::Minigame& game : program.games) {
    Stock stock;
    stock.game = &game;
    bool finite = false;
    for (const ir::GamePrize& prize : game.prizes) {
      stock.left.push_back(prize.stock);
      finite |= prize.stock >= 0;
    }
    if (finite) stocks_["minigame:" + game.name] = std::move(stock);
  }
  for (const ir::Competition& c : program.competitions)
    if (c.tournament && c.max_players > 0) stocks_["tournament:" + c.name].seats = c.max_players;
}

bool StockBook::IsClaim(std::string_view record) { return io::OpensWithKey(record, kKey); }

std::string StockBook::EncodeClaim(const engine::StockClaim& claim, int32_t partition) {
  std::string out = "{\"stock_claim\":{\"partition\":" + std::to_string(partition) + ",\"stock\":";
  engine::AppendJsonString(out, claim.stock);
  out += ",\"window\":" + std::to_string(claim.window) + ",\"kind\":\"";
  out += kKinds[size_t(claim.kind)];
  out += "\",\"user\":";
  engine::AppendJsonString(out, claim.user);
  out += ",\"event\":";
  engine::AppendJsonString(out, claim.event);
  out += ",\"at\":" + std::to_string(claim.at) + "}}";
  return out;
}

bool StockBook::Apply(std::string_view record, PlacedAnswer* out, std::string* error) {
  simdjson::dom::parser parser;
  simdjson::dom::object o;
  if (!io::ParseKeyedObject(parser, record, kKey, "a claim", kMaxRecordBytes, &o, error)) return false;
  int64_t partition = -1, at = 0, window = 0;
  std::string_view name, kind, user, event;
  if (o.size() != 7 || o["partition"].get(partition) || o["window"].get(window) ||
      o["stock"].get(name) || o["kind"].get(kind) || o["user"].get(user) || o["event"].get(event) ||
      o["at"].get(at) || partition < 0 || partition >= inputs_ || user.empty() || event.empty()) {
    *error = "not a claim {\"stock_claim\":{partition, stock, window, kind, user, event, at}} from one of the " +
             std::to_string(inputs_) + " input partitions";
    return false;
  }
  int k = -1;
  for (int i = 0; i < 3; ++i)
    if (kind == kKinds[i]) k = i;
  auto stock = stocks_.find(std::string(name));
  if (stock == stocks_.end() || k < 0 || (k == int(engine::StockClaim::Kind::Draw)) != (stock->second.game != nullptr)) {
    *error = "a claim of " + std::string(kind) + " on " + std::string(name) +
             ", which is not a finite stock of this program that can be claimed so";
    return false;
  }
  out->partition = int32_t(partition);
  engine::StockAnswer& answer = out->answer;
  answer = engine::StockAnswer();
  answer.stock = std::string(name);
  answer.user = std::string(user);
  answer.event = std::string(event);
  Forget(at);
  std::string claim = ClaimName(name, user, event);
  if (auto seen = answered_.find(claim); seen != answered_.end()) {   // asked again: the same answer
    answer.granted = seen->second.granted;
    answer.prize = seen->second.prize;
    return true;
  }
  Stock& s = stock->second;
  std::vector<int64_t>& left = s.left;
  if (s.seats >= 0) {   // a window's seats: counted from none taken
    auto taken = s.taken.find(window);
    answer.granted = taken == s.taken.end() || taken->second < s.seats;
    if (answer.granted && k == int(engine::StockClaim::Kind::Take)) ++s.taken[window];
  } else switch (engine::StockClaim::Kind(k)) {
    case engine::StockClaim::Kind::Take:
      answer.granted = left[0] != 0;
      if (left[0] > 0) --left[0];
      break;
    case engine::StockClaim::Kind::Peek:
      answer.granted = left[0] != 0;
      break;
    case engine::StockClaim::Kind::Draw: {
      const int prize = engine::mechanics::DrawPrize(*stock->second.game, left, random_, user, event);
      answer.granted = prize >= 0;
      if (prize >= 0) {
        answer.prize = stock->second.game->prizes[size_t(prize)].name;
        if (left[size_t(prize)] > 0) --left[size_t(prize)];
      }
      break;
    }
  }
  answered_[claim] = Answered{at, answer.granted, answer.prize};
  order_.emplace_back(at, std::move(claim));
  return true;
}

// Claims leave the duplicate window in the order they came; `newest_` never
// goes back, so a claim produced late is still recognised as long as the
// ones around it are.
void StockBook::Forget(int64_t now) {
  newest_ = std::max(newest_, now);
  const int64_t oldest = newest_ < INT64_MIN + window_ms_ ? INT64_MIN : newest_ - window_ms_;
  while (!order_.empty() && order_.front().first < oldest) {
    answered_.erase(order_.front().second);
    order_.pop_front();
  }
  // A window that ended that long ago takes no more registrations.
  for (auto& [name, stock] : stocks_)
    while (!stock.taken.empty() && stock.taken.begin()->first < oldest) stock.taken.erase(stock.taken.begin());
}

std::vector<int64_t> StockBook::Left(const std::string& stock, int64_t window) const {
  auto it = stocks_.find(stock);
  if (it == stocks_.end()) return {};
  if (it->second.seats < 0) return it->second.left;
  auto taken = it->second.taken.find(window);
  return {it->second.seats - (taken == it->second.taken.end() ? 0 : taken->second)};
}

std::string StockBook::Save() const {
  core::ByteWriter w;
  w.Raw(kMagic);
  w.Unsigned(kVersion);
  w.Unsigned(stocks_.size());
  for (const auto& [name, stock] : stocks_) {
    w.Bytes(name);
    w.Unsigned(stock.left.size());
    for (int64_t left : stock.left) w.Signed(left);
    w.Unsigned(stock.taken.size());
    for (const auto& [window, taken] : stock.taken) {
      w.Signed(window);
      w.Signed(taken);
    }
  }
  w.Signed(newest_);
  w.Unsigned(order_.size());
  for (const auto& [at, claim] : order_) {
    const Answered& a = answered_.at(claim);
    w.Bytes(claim);
    w.Signed(at);
    w.Unsigned(a.granted);
    w.Bytes(a.prize);
  }
  return w.Take();
}

bool StockBook::Load(std::string_view bytes, std::string* error) {
  core::ByteReader r(bytes);
  if (r.Raw(kMagic.size()) != kMagic || r.Unsigned() != kVersion) {
    *error = "not a stock book of this version";
    return false;
  }
  std::map<std::string, Stock> stocks = stocks_;
  if (r.Count() != stocks.size()) r.Fail();
  for (auto& [name, stock] : stocks) {
    if (r.Bytes() != name || r.Count() != stock.left.size()) {
      r.Fail();
      break;
    }
    for (int64_t& left : stock.left) left = r.Signed();
    stock.taken.clear();
    for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
      const int64_t window = r.Signed(), taken = r.Signed();
      if (taken < 0 || taken > stock.seats) r.Fail();
      stock.taken[window] = taken;
    }
  }
  const int64_t newest = r.Signed();
  std::map<std::string, Answered> answered;
  std::deque<std::pair<int64_t, std::string>> order;
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    std::string claim = r.Bytes();
    Answered a;
    a.at = r.Signed();
    a.granted = r.Unsigned() != 0;
    a.prize = r.Bytes();
    order.emplace_back(a.at, claim);
    answered[std::move(claim)] = std::move(a);
  }
  if (!r.ok() || !r.AtEnd()) {
    *error = "a damaged stock book, or another program's stock";
    return false;
  }
  stocks_ = std::move(stocks);
  answered_ = std::move(answered);
  order_ = std::move(order);
  newest_ = newest;
  return true;
}

}  // namespace questline::daemon::kafka
