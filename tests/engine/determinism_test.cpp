// Same package + same events = same actions and state, byte for byte.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/engine/scenario.h"

using namespace questline;

namespace {

std::string Replay(const std::string& package_dir, const std::string& events_path) {
  driver::FrontEnd fe;
  std::string error;
  REQUIRE(driver::LoadPackage({package_dir}, &fe.sources, &error));
  ir::Program program = testing::LowerLoaded(fe);
  interp::Interpreter backend(program);
  engine::StringPool strings;
  engine::Engine engine(program, backend, strings);
  io::EventReader reader(program.schema, strings);
  std::ifstream in(events_path);
  REQUIRE(in);
  std::ostringstream out;
  io::NdjsonActionSink sink(out);
  engine.SetSink(&sink);
  size_t rejections = 0;
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection&) { ++rejections; };
  REQUIRE(io::Replay(in, reader, engine, hooks));
  REQUIRE(rejections == 0);
  REQUIRE(engine.Stats().events > 1000);
  REQUIRE(sink.Flush());
  return out.str() + engine.StateJson();
}

}  // namespace

TEST_CASE("the casino example replays to identical bytes", "[engine][determinism]") {
  const std::string dir = std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino";
  std::string first = Replay(dir, dir + "/events.ndjson");
  std::string second = Replay(dir, dir + "/events.ndjson");
  CHECK(first.size() > 100'000);
  CHECK(first == second);
  // The self-excluded player's rewards after the exclusion are blocked.
  CHECK(first.find("\"user\":\"u001\",\"event\":") != std::string::npos);
  CHECK(first.find("\"reason\":\"rewards_blocked\"") != std::string::npos);
}
