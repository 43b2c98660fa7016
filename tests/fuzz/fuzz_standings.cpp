// libFuzzer target for what a competition owner and a partition read from
// Kafka (docs/scale-out.md, "Global mechanics"): repartition records
// (runtime/daemon/kafka/standings.h) and competition result lines
// (runtime/io/competition_result.h). Any client with access writes these
// topics, so neither parser may crash, loop or trust a size; the standings
// must stay savable and load back to the same bytes. Each input line is
// given to both.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/daemon/kafka/standings.h"
#include "runtime/io/competition_result.h"

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
    return p;
  }();
  daemon::kafka::Standings standings(program, 3);
  std::vector<daemon::kafka::PlacedResult> results;
  std::string error;
  engine::CompetitionResult result;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  while (!input.empty()) {
    const size_t end = input.find('\n');
    const std::string_view line = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    standings.Apply(line, &results, &error);
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
  return 0;
}
