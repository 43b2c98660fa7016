// The JIT never stops a package from running: what it cannot compile or link
// runs on the interpreter, with a warning, and gives the same answers.
#include <catch2/catch.hpp>

#include "compiler/jit/backend.h"
#include "compiler/jit/jit.h"
#include "tests/engine/scenario.h"

namespace questline::jit {
namespace {

using testing::LowerPackage;

const char* kPackage = R"(
rule big on bet where bet.amount >= 10 { award points floor(bet.amount) }
)";

const std::string kEvents = testing::Bet("b1", "u1", "2026-12-01T10:00:00Z", "25.5") +
                            testing::Bet("b2", "u1", "2026-12-01T10:01:00Z", "5") +
                            testing::Bet("b3", "u2", "2026-12-01T10:02:00Z", "100");

TEST_CASE("a program nested beyond the code generator's limit runs on the interpreter") {
  ir::Program program = LowerPackage(kPackage);
  // Wrap the rule's condition in 1,500 double negations: a valid program
  // (children before parents) deeper than the JIT's expression limit.
  ir::ExprRef cond = program.rules[0].where;
  for (int i = 0; i < 1500; ++i) {
    program.children.push_back(cond);
    ir::Node n;
    n.kind = ir::NodeKind::Not;
    n.type = core::ValueKind::Bool;
    n.first = uint32_t(program.children.size() - 1);
    n.count = 1;
    program.nodes.push_back(n);
    cond = ir::ExprRef(program.nodes.size() - 1);
  }
  program.rules[0].where = cond;
  ir::VerifyIr(program);

  CompileReport report;
  std::string warning;
  std::unique_ptr<core::Backend> backend = CompileOrInterpret(program, CompileOptions{}, &report, &warning);
  CHECK(dynamic_cast<interp::Interpreter*>(backend.get()) != nullptr);
  CHECK_THAT(warning, Catch::Contains("the JIT could not compile this package"));
  CHECK_THAT(warning, Catch::Contains("deeper than the JIT's limit"));
  CHECK_THAT(warning, Catch::Contains("running it on the interpreter"));

  interp::Interpreter reference(program);
  auto a = testing::RunOn(program, *backend, kEvents, "");
  auto b = testing::RunOn(program, reference, kEvents, "");
  CHECK(a.actions == b.actions);
  CHECK(a.Count({"\"action\":\"award\""}) == 2);
}

TEST_CASE("objects that do not link fall back to the interpreter") {
  const ir::Program program = LowerPackage(kPackage);
  std::string warning;
  std::unique_ptr<core::Backend> backend = LinkOrInterpret(program, {"\x7f" "ELF but not really"}, &warning);
  CHECK(dynamic_cast<interp::Interpreter*>(backend.get()) != nullptr);
  CHECK_THAT(warning, Catch::Contains("could not link"));
  CHECK(testing::RunOn(program, *backend, kEvents, "").Count({"\"action\":\"award\""}) == 2);
}

TEST_CASE("a compiled program is native, and compiles the same objects twice") {
  const ir::Program program = LowerPackage(kPackage);
  CompileReport report;
  std::string warning;
  std::unique_ptr<core::Backend> backend = CompileOrInterpret(program, CompileOptions{}, &report, &warning);
  CHECK(warning.empty());
  CHECK(dynamic_cast<NativeBackend*>(backend.get()) != nullptr);
  CHECK_FALSE(report.cache_hit);
  CHECK(report.modules >= 1);
  // Objects are a function of the program: the cache key may stand for them.
  std::vector<std::string> first, second;
  std::string error;
  REQUIRE(CompileProgram(program, CompileOptions{}, &first, &report, &error));
  REQUIRE(CompileProgram(program, CompileOptions{}, &second, &report, &error));
  CHECK(first == second);
}

}  // namespace
}  // namespace questline::jit
