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
constexpr uint64_t kVersion = 2;   // 2: claims aged by the lowest clock, stocks by name
constexpr size_t kMaxRecordBytes = 64 * 1024;   // names and ids: far below
constexpr const char* kKinds[] = {"take", "peek", "draw"};

// Length-prefixed, so that no two claims share a name whatever their bytes.
std::string ClaimName(int kind, std::string_view stock, std::string_view user, std::string_view event) {
  std::string name = std::to_string(kind);
  for (std::string_view part : {stock, user, event}) {
    name += ':' + std::to_string(part.size()) + ':';
    name += part;
  }
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
  // (As the engine asks: any competition with registration and max_players,
  // named as tournament_register names it.)
  for (const ir::Competition& c : program.competitions)
    if (c.max_players > 0) stocks_["tournament:" + c.name].seats = c.max_players;
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

bool StockBook::Apply(std::string_view record, int64_t horizon, PlacedAnswer* out, std::string* error) {
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
  out->partition = int32_t(partition);
  engine::StockAnswer& answer = out->answer;
  answer = engine::StockAnswer();
  answer.stock = std::string(name);
  answer.user = std::string(user);
  answer.event = std::string(event);
  auto stock = stocks_.find(std::string(name));
  if (stock == stocks_.end() || k < 0 || (k == int(engine::StockClaim::Kind::Draw)) != (stock->second.game != nullptr)) {
    // Refused, not ignored: the claiming partition waits for an answer.
    *error = "a claim of " + std::string(kind) + " on " + std::string(name) +
             ", which is not a finite stock of this program that can be claimed so: refused";
    return true;
  }
  Forget(horizon);
  std::string claim = ClaimName(k, name, user, event);
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
  answered_[claim] = Answered{horizon, answer.granted, answer.prize};
  order_.emplace_back(horizon, std::move(claim));
  return true;
}

// What every partition's clock has passed by more than the duplicate window:
// no partition can ask it again, nor register for a window that ended then.
// By the lowest clock, so no one partition's clock (an event far in the
// future, a forged `at`) can make the book forget what another still needs.
//
// A claim is remembered from the horizon when it came (before every
// partition has reported: the first horizon known), so `order_` is in that
// order and forgets from its front.
void StockBook::Forget(int64_t horizon) {
  if (horizon == INT64_MIN) return;   // not every partition has said where it is
  if (first_horizon_ == INT64_MIN) first_horizon_ = horizon;
  const int64_t oldest = horizon < INT64_MIN + window_ms_ ? INT64_MIN : horizon - window_ms_;
  auto came = [&](int64_t at) { return at == INT64_MIN ? first_horizon_ : at; };
  while (!order_.empty() && came(order_.front().first) < oldest) {
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
  w.Signed(first_horizon_);
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
  // By name: a stock the program still has, of the same shape, keeps what
  // was left; one it added starts full; one it removed is dropped. (A
  // changed package must not make the owner replay its topic from where
  // retention left it, which would count stock sold before as unsold.)
  std::map<std::string, Stock> stocks = stocks_;
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    const std::string name = r.Bytes();
    std::vector<int64_t> left(r.Count());
    for (int64_t& l : left) l = r.Signed();
    std::map<int64_t, int64_t> taken;
    for (uint64_t m = r.Count(); m > 0 && r.ok(); --m) {
      const int64_t window = r.Signed(), count = r.Signed();
      if (count < 0) r.Fail();
      taken[window] = count;
    }
    auto it = stocks.find(name);
    if (it == stocks.end() || it->second.left.size() != left.size() || (it->second.seats < 0) != taken.empty())
      continue;
    it->second.left = std::move(left);
    it->second.taken = std::move(taken);
  }
  const int64_t first_horizon = r.Signed();
  std::map<std::string, Answered> answered;
  std::deque<std::pair<int64_t, std::string>> order;
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    std::string claim = r.Bytes();
    Answered a;
    a.came = r.Signed();
    a.granted = r.Unsigned() != 0;
    a.prize = r.Bytes();
    order.emplace_back(a.came, claim);
    answered[std::move(claim)] = std::move(a);
  }
  if (!r.ok() || !r.AtEnd()) {
    *error = "a damaged stock book";
    return false;
  }
  stocks_ = std::move(stocks);
  answered_ = std::move(answered);
  order_ = std::move(order);
  first_horizon_ = first_horizon;
  return true;
}

}  // namespace questline::daemon::kafka
