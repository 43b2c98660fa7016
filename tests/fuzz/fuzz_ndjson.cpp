// libFuzzer target for NDJSON ingestion (runtime/io/event_reader): arbitrary
// bytes as an event feed, typed by a schema with a field of every kind, as
// `quest run --events` reads it. Also the number and time readers alone.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/diagnostics.h"
#include "compiler/ir/lower.h"
#include "compiler/sema/check.h"
#include "compiler/syntax/parse.h"
#include "runtime/io/event_reader.h"
#include "stdlib/prelude.h"

namespace {

using namespace questline;

// Every value kind, a union, and the prelude's events and profile (whose
// profile_update fields are optional). Lowered once: the schema is fixed.
constexpr const char* kPackage = R"(
type Tier = "bronze" | "silver" | "gold"
event fuzz_kinds { n: int, d: decimal, s: string, b: bool, t: time, w: duration, p: percent, tier: Tier }
)";

const core::EventSchema& Schema() {
  static const ir::Program program = [] {
    diag::SourceManager sources;
    diag::DiagnosticSink sink;
    std::vector<ast::Module> modules;
    modules.push_back(syntax::Parse(sources.AddFile(stdlib::kPreludePath, std::string(stdlib::PreludeText())),
                                    sources, sink));
    modules.push_back(syntax::Parse(sources.AddFile("fuzz.quest", kPackage), sources, sink));
    sema::Package package = sema::Check(modules, sources, sink);
    if (sink.HasErrors()) diag::InternalError("fuzz_ndjson", "the fuzz schema does not check");
    return ir::LowerToIr(package);
  }();
  return program.schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  engine::StringPool strings;
  io::EventReader reader(Schema(), strings);
  std::istringstream in(text);
  std::vector<core::Event> events;
  std::vector<io::Rejection> rejections;
  reader.ReadAll(in, &events, &rejections);
  // The scalar readers on their own: the first line as a number and a time.
  const std::string_view first = std::string_view(text).substr(0, text.find('\n'));
  int64_t out;
  io::ReadDecimal(first, &out);
  io::ParseTimestamp(first, &out);
  return 0;
}
