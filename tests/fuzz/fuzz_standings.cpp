// libFuzzer target for what an owner and a partition read from Kafka
// (docs/scale-out.md, "Global mechanics"): repartition records — windows,
// raffle entrants and clocks (runtime/daemon/kafka/standings.h), stock
// claims (stock_book.h) — and the lines owners write back: competition and
// raffle results and stock answers (runtime/io/owner_lines.h). Any client
// with access writes these topics, so no parser may crash, loop or
// trust a size; the standings and the stock book must stay savable and load
// back to the same bytes, and never hold a negative stock. Each input line
// is given to every parser.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/daemon/kafka/standings.h"
#include "runtime/daemon/kafka/stock_book.h"
#include "runtime/io/owner_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace questline;
  static const ir::Program program = [] {
    ir::Program p;
    for (const char* name : {"race", "cup"}) {
      ir::Competition c;
      c.name = name;
      c.registration = name[0] == 'c';
      c.min_players = 2;
      c.min_score = 1;
      p.competitions.push_back(c);
    }
    ir::Item hat;
    hat.name = "hat";
    hat.stock = 2;
    p.items.push_back(hat);
    ir::Minigame wheel;
    wheel.name = "wheel";
    for (int64_t stock : {1, -1}) {
      ir::GamePrize prize;
      prize.name = stock < 0 ? "tin" : "gold";
      prize.weight = 1;
      prize.stock = stock;
      wheel.prizes.push_back(prize);
    }
    p.games.push_back(wheel);
    ir::Raffle xmas;
    xmas.name = "xmas";
    xmas.draw_at = 5000;
    xmas.max_prizes_per_user = 2;
    for (const char* name : {"gold", "tin"}) {
      ir::RafflePrize prize;
      prize.name = name;
      prize.count = name[0] == 'g' ? 2 : 5;
      prize.max_per_user = 1;
      xmas.prizes.push_back(prize);
    }
    p.raffle_table.push_back(xmas);
    p.raffles.push_back("xmas");
    return p;
  }();
  daemon::kafka::Standings standings(program, 3);
  daemon::kafka::StockBook book(program, 3, 1000);
  daemon::kafka::PlacedAnswer placed;
  engine::StockAnswer answer;
  std::vector<daemon::kafka::PlacedResult> results;
  std::string error;
  engine::CompetitionResult result;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    standings.Apply(line, &results, &error);
    if (book.Apply(line, standings.LowestClock(), &placed, &error) && (placed.partition < 0 || placed.partition >= 3)) __builtin_trap();
    engine::RaffleResult raffle;
    if (io::ParseRaffleResultLine(line, &raffle, &error)) {
      std::string again;
      io::AppendRaffleResultLine(again, raffle);
      engine::RaffleResult back;
      if (!io::ParseRaffleResultLine(again, &back, &error) || back.user != raffle.user || back.draw != raffle.draw)
        __builtin_trap();
    }
    if (io::ParseStockAnswerLine(line, &answer, &error)) {
      std::string again;
      io::AppendStockAnswerLine(again, answer);
      engine::StockAnswer back;
      if (!io::ParseStockAnswerLine(again, &back, &error) || back.event != answer.event) __builtin_trap();
    }
    if (io::ParseCompetitionResultLine(line, &result, &error)) {
      std::string again;
      io::AppendCompetitionResultLine(again, result);
      engine::CompetitionResult back;
      if (!io::ParseCompetitionResultLine(again, &back, &error) || back.user != result.user) __builtin_trap();
    }
  }
  for (const daemon::kafka::PlacedResult& r : results)
    if (r.partition < 0 || r.partition >= 3) __builtin_trap();
  const std::string saved = standings.Save();
  daemon::kafka::Standings loaded(program, 3);
  if (!loaded.Load(saved, &error) || loaded.Save() != saved) __builtin_trap();
  if (book.Left("item:hat")[0] < 0 || book.Left("minigame:wheel")[0] < 0) __builtin_trap();
  const std::string book_saved = book.Save();
  daemon::kafka::StockBook book_loaded(program, 3, 1000);
  if (!book_loaded.Load(book_saved, &error) || book_loaded.Save() != book_saved) __builtin_trap();
  return 0;
}
