// The program codec (bundles, cache keys): a round trip is exact, and no
// input — truncated, flipped or random — crashes the reader or is accepted.
#include <catch2/catch.hpp>

#include <random>

#include "compiler/jit/program_codec.h"
#include "compiler/driver/pipeline.h"
#include "compiler/ir/lower.h"

namespace questline::jit {
namespace {

ir::Program Casino() {
  driver::FrontEnd fe;
  std::string error;
  REQUIRE(driver::LoadPackage({std::string(QUESTLINE_SOURCE_DIR) + "/examples/casino"}, &fe.sources, &error));
  driver::RunFrontEnd(fe);
  REQUIRE(fe.ok());
  return ir::LowerToIr(fe.package);
}

TEST_CASE("a program survives the codec byte for byte") {
  const ir::Program program = Casino();
  const std::string bytes = SerializeProgram(program);
  ir::Program back;
  REQUIRE(DeserializeProgram(bytes, &back));
  CHECK(SerializeProgram(back) == bytes);
  CHECK(back.rules.size() == program.rules.size());
  CHECK(back.missions.size() == program.missions.size());
  CHECK(back.flows.size() == program.flows.size());
  ir::VerifyIr(back);
}

TEST_CASE("a damaged encoding is refused, never trusted") {
  const std::string bytes = SerializeProgram(Casino());
  ir::Program out;
  for (size_t cut : {size_t(0), size_t(1), bytes.size() / 3, bytes.size() - 1})
    CHECK_FALSE(DeserializeProgram(bytes.substr(0, cut), &out));
  CHECK_FALSE(DeserializeProgram(bytes + "x", &out));
  // Random bytes and random flips: the reader must stop cleanly (the
  // sanitizer build runs this under ASan) and never accept noise.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 300; ++i) {
    std::string noise(size_t(rng() % 512), '\0');
    for (char& c : noise) c = char(rng());
    CHECK_FALSE(DeserializeProgram(noise, &out));
    std::string flipped = bytes;
    flipped[size_t(rng() % flipped.size())] ^= char(1 + rng() % 255);
    DeserializeProgram(flipped, &out);   // may decode to another valid encoding: bundles carry a checksum
  }
}

}  // namespace
}  // namespace questline::jit
