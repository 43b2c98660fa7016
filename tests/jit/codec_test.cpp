// The program codec (bundles, cache keys): a round trip is exact, and no
// input — truncated, flipped or random — crashes the reader or is accepted.
#include <catch2/catch.hpp>

#include <random>

#include "compiler/driver/pipeline.h"
#include "compiler/ir/lower.h"
#include "core/ir/check.h"
#include "core/ir/program_codec.h"

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

// Issue 14 §9: a program that decodes but does not hold together (a bundle
// sealed again after an edit) is refused by ir::CheckIr with a reason,
// before the engine indexes anything with it.
TEST_CASE("CheckIr refuses inconsistent programs that decode") {
  const ir::Program good = Casino();
  std::string error;
  REQUIRE(ir::CheckIr(good, &error));
  auto refused = [&](auto&& edit, const char* why) {
    ir::Program p = good;
    edit(p);
    std::string reason;
    CHECK_FALSE(ir::CheckIr(p, &reason));
    CHECK_THAT(reason, Catch::Contains(why));
    // and so after a round trip through the codec, as a bundle carries it
    ir::Program back;
    REQUIRE(DeserializeProgram(SerializeProgram(p), &back));
    CHECK_FALSE(ir::CheckIr(back, &reason));
  };
  refused([](ir::Program& p) { p.rules[0].event = int32_t(p.schema.types.size()); }, "has no event");
  refused([](ir::Program& p) { p.plans.pop_back(); }, "one plan per event type");
  refused([](ir::Program& p) { p.currencies.clear(); }, "");
  refused([](ir::Program& p) { p.rules[0].body.push_back({ir::StmtKind::Award, 99}); }, "statement target");
  refused([](ir::Program& p) { p.rules[0].local_count = 1 << 30; }, "bounds");
  refused([](ir::Program& p) {
    // a fn whose body calls itself: the interpreter would recurse forever
    ir::Node call;
    call.kind = ir::NodeKind::Call;
    call.a = int32_t(p.fns.size());
    p.nodes.push_back(call);
    p.fns.push_back({"loop", 0, ir::ExprRef(p.nodes.size() - 1)});
  }, "calls itself");
  refused([](ir::Program& p) {
    ir::Node param;
    param.kind = ir::NodeKind::Param;
    param.a = 0;
    p.nodes.push_back(param);
    p.segments[0].condition = ir::ExprRef(p.nodes.size() - 1);
  }, "parameter outside a fn");
  refused([](ir::Program& p) {
    ir::Node add;
    add.kind = ir::NodeKind::Add;   // two operands, none given
    p.nodes.push_back(add);
  }, "wrong number of operands");
  refused([](ir::Program& p) {
    REQUIRE(!p.flows.empty());
    ir::FlowOp jump;
    jump.kind = ir::FlowOpKind::Jump;
    jump.target = 0;
    p.flows[0].ops.insert(p.flows[0].ops.begin() + 1, jump);
  }, "jump target");
}

}  // namespace
}  // namespace questline::jit
