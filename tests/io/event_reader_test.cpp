// NDJSON ingestion: every rejection reason, exact decimals, timestamps, and
// that one bad line never stops the lines after it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <new>
#include <sstream>

#include "runtime/io/event_reader.h"

using namespace questline;

namespace {

core::EventSchema Schema() {
  using core::ValueKind;
  auto base = [] {
    return std::vector<core::FieldSchema>{
        {"id", ValueKind::String, {}, {}}, {"user", ValueKind::String, {}, {}}, {"ts", ValueKind::Time, {}, {}}};
  };
  core::EventType deposit{"deposit", base(), false};
  deposit.fields.push_back({"amount", ValueKind::Decimal, {}, core::Value::Decimal(0)});
  deposit.fields.push_back({"method", ValueKind::String, {}, core::Value::String(0)});
  deposit.fields.push_back({"first", ValueKind::Bool, {}, core::Value::Bool(false)});
  core::EventType bet{"bet", base(), false};
  bet.fields.push_back({"game_type", ValueKind::String, {"slots", "table"}, core::Value::String(0)});
  bet.fields.push_back({"spins", ValueKind::Int, {}, core::Value::Int(0)});
  return {{deposit, bet}};
}

struct Fixture {
  core::EventSchema schema = Schema();
  engine::StringPool strings;
  io::EventReader reader{schema, strings};
  core::Event event;
  std::string reason;
  bool Parse(const std::string& line) { return reader.ParseLine(line, 1, &event, &reason); }
};

}  // namespace

TEST_CASE("a well-formed event is typed by the schema", "[io]") {
  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e1","type":"deposit","user":"u42","ts":"2026-12-01T10:00:00Z","amount":12.5,"method":"card","extra":{"ignored":[1,2]}})"));
  CHECK(f.event.type == 0);
  CHECK(f.event.id == "e1");
  CHECK(f.strings.Get(f.event.User()) == "u42");
  CHECK(f.event.Ts() == 1'796'119'200'000);
  CHECK(f.event.fields[3].i == 1'250'000'000);
  CHECK(f.strings.Get(uint32_t(f.event.fields[4].i)) == "card");
  // `first` is missing: its default, and counted.
  CHECK(f.event.fields[5].i == 0);
  CHECK(f.reader.Stats().missing_fields == 1);
}

TEST_CASE("decimals are exact, never through a double", "[io]") {
  int64_t v;
  REQUIRE(io::ParseDecimal("0.1", &v));
  CHECK(v == 10'000'000);
  REQUIRE(io::ParseDecimal("-19.99999999", &v));
  CHECK(v == -1'999'999'999);
  REQUIRE(io::ParseDecimal("1.5e2", &v));
  CHECK(v == 15'000'000'000);
  REQUIRE(io::ParseDecimal("12345678901.25", &v));
  CHECK(v == 1'234'567'890'125'000'000);
  REQUIRE(io::ParseDecimal("0.00012345", &v));   // 8 digits: a crypto amount, exact
  CHECK(v == 12'345);
  REQUIRE(io::ParseDecimal("-92233720368.54775807", &v));
  CHECK(v == -INT64_MAX);
  CHECK(io::ReadDecimal("92233720368.54775808", &v) == io::DecimalStatus::OutOfRange);
  CHECK_FALSE(io::ParseDecimal("1e30", &v));
  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":0.3})"));
  CHECK(f.event.fields[3].i == 30'000'000);
}

TEST_CASE("timestamps: RFC 3339 with offsets and fractions, or epoch ms", "[io]") {
  int64_t ms;
  REQUIRE(io::ParseTimestamp("2026-12-01T11:00:00+01:00", &ms));
  CHECK(ms == 1'796'119'200'000);
  REQUIRE(io::ParseTimestamp("2026-12-01T10:00:00.5Z", &ms));
  CHECK(ms == 1'796'119'200'500);
  CHECK_FALSE(io::ParseTimestamp("2026-02-30T10:00:00Z", &ms));
  CHECK_FALSE(io::ParseTimestamp("2026-12-01 10:00", &ms));
  CHECK_FALSE(io::ParseTimestamp("2026-12-01T10:00:00", &ms));
  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e","type":"bet","user":"u","ts":1796119200000,"game_type":"slots","spins":3})"));
  CHECK(f.event.Ts() == 1'796'119'200'000);
}

TEST_CASE("instants outside the years 0000-9999 are rejected (issue 14 §3)", "[io]") {
  Fixture f;
  auto bet = [](const std::string& ts) {
    return R"({"id":"e","type":"bet","user":"u","ts":)" + ts + R"(,"game_type":"slots","spins":3})";
  };
  // The bounds themselves are accepted, written either way.
  REQUIRE(f.Parse(bet("\"9999-12-31T23:59:59.999Z\"")));
  CHECK(f.event.Ts() == 253'402'300'799'999);
  REQUIRE(f.Parse(bet("253402300799999")));
  REQUIRE(f.Parse(bet("\"0000-01-01T00:00:00Z\"")));
  CHECK(f.event.Ts() == -62'167'219'200'000);
  // One millisecond past them, an offset that leaves year 0000, int64's ends.
  for (const char* ts : {"253402300800000", "-62167219200001", "\"0000-01-01T00:00:00+01:00\"",
                         "-9223372036854775808", "9223372036854775807"}) {
    INFO(ts);
    CHECK_FALSE(f.Parse(bet(ts)));
    CHECK(f.reason == "ts out of range (years 0000-9999)");
  }
}

TEST_CASE("every rejection names its reason", "[io]") {
  struct Case { const char* line; const char* reason; };
  const Case cases[] = {
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1)", "not valid JSON"},
      {R"([1,2,3])", "not a JSON object but an array"},
      {R"({"type":"deposit","user":"u","ts":0})", "missing required field 'id'"},
      {R"({"id":"e","type":"withdrawl","user":"u","ts":0})", "unknown event type 'withdrawl'"},
      {R"({"id":"e","type":"deposit","user":7,"ts":0})", "field 'user' must be a string"},
      {R"({"id":"e","type":"deposit","user":"u"})", "missing required field 'ts'"},
      {R"({"id":"e","type":"deposit","user":"u","ts":"yesterday"})", "bad timestamp 'yesterday'"},
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":"12"})", "field 'amount' must be a number"},
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1e30})", "field 'amount' is out of range: decimals hold at most"},
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":-99999999999999999999})", "field 'amount' is out of range"},
      {R"({"id":"e","type":"bet","user":"u","ts":0,"spins":18446744073709551615})", "field 'spins' is out of range"},
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"first":"yes"})", "field 'first' must be a boolean"},
      {R"({"id":"e","type":"bet","user":"u","ts":0,"spins":2.5})", "field 'spins' must be a whole number"},
      {"\x01\xff\xfe garbage", "not valid JSON"},
  };
  for (const Case& c : cases) {
    Fixture f;
    INFO(c.line);
    REQUIRE_FALSE(f.Parse(c.line));
    CHECK(f.reason.rfind(c.reason, 0) == 0);
  }
}

TEST_CASE("oversize lines are rejected; bad lines never stop the stream", "[io]") {
  core::EventSchema schema = Schema();
  engine::StringPool strings;
  io::EventReader reader(schema, strings, io::ReaderLimits{1024});
  std::string big = R"({"id":"big","type":"deposit","user":"u","ts":0,"method":")" + std::string(1 << 20, 'x') + "\"}";
  std::stringstream in;
  in << R"({"id":"e1","type":"deposit","user":"u","ts":0,"amount":1})" << "\n"
     << big << "\n"
     << "not json\n\n"
     << R"({"id":"e2","type":"bet","user":"u","ts":"2026-12-01T10:00:00Z","game_type":"table"})" << "\r\n";
  std::vector<core::Event> events;
  std::vector<io::Rejection> rejections;
  reader.ReadAll(in, &events, &rejections);
  REQUIRE(events.size() == 2);
  CHECK(events[1].id == "e2");
  CHECK(events[1].line == 5);
  REQUIRE(rejections.size() == 2);
  CHECK(rejections[0].line == 2);
  CHECK(rejections[0].reason.find("the limit is 1024") != std::string::npos);
  CHECK(rejections[1].line == 3);
  CHECK(reader.Stats().lines == 4);
  CHECK(reader.Stats().accepted == 2);
  CHECK(reader.Stats().rejected == 2);
}

TEST_CASE("more fractional digits than a decimal holds round half-even, and are counted", "[io]") {
  // Written against the scale, so that the cases hold whatever digits it keeps.
  const int64_t scale = core::kDecimalScale;
  int64_t digits = 0;
  for (int64_t s = scale; s > 1; s /= 10) ++digits;
  auto tiny = [&](const std::string& tail) { return "0." + std::string(size_t(digits - 1), '0') + tail; };
  int64_t v;
  CHECK(io::ReadDecimal(tiny("25"), &v) == io::DecimalStatus::Rounded);   // 2.5 units: to the even 2
  CHECK(v == 2);
  CHECK(io::ReadDecimal(tiny("35"), &v) == io::DecimalStatus::Rounded);   // 3.5 units: to the even 4
  CHECK(v == 4);
  CHECK(io::ReadDecimal(tiny("251"), &v) == io::DecimalStatus::Rounded);  // above the half
  CHECK(v == 3);
  CHECK(io::ReadDecimal("-" + tiny("35"), &v) == io::DecimalStatus::Rounded);
  CHECK(v == -4);
  CHECK(io::ReadDecimal(tiny("2000"), &v) == io::DecimalStatus::Exact);   // trailing zeros lose nothing
  CHECK(v == 2);
  CHECK(io::ReadDecimal("1e-40", &v) == io::DecimalStatus::Rounded);
  CHECK(v == 0);
  CHECK(io::ReadDecimal("0e999999999", &v) == io::DecimalStatus::Exact);
  CHECK(v == 0);
  CHECK(io::ReadDecimal("1e999999999", &v) == io::DecimalStatus::OutOfRange);
  CHECK(io::ReadDecimal("1e30", &v) == io::DecimalStatus::OutOfRange);
  CHECK(io::ReadDecimal("12a", &v) == io::DecimalStatus::Malformed);
  CHECK(io::ReadDecimal("0.00012345", &v) != io::DecimalStatus::Malformed);
  CHECK(io::DecimalRange().find("out of range: decimals hold at most") == 0);

  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":)" + tiny("25") + "}"));
  CHECK(f.event.fields[3].i == 2);
  REQUIRE(f.Parse(R"({"id":"e2","type":"deposit","user":"u","ts":0,"amount":)" + tiny("15") + "}"));
  CHECK(f.reader.Stats().warnings.at("decimal_rounded:deposit.amount") == 2);
}

TEST_CASE("a union value the schema does not declare is accepted and counted per field and value", "[io]") {
  core::EventSchema schema = Schema();
  engine::StringPool strings;
  io::ReaderLimits limits;
  limits.max_unknown_values_per_field = 2;
  io::EventReader reader(schema, strings, limits);
  core::Event event;
  std::string reason;
  int n = 0;
  for (const char* type : {"crash_x", "crash_x", "mines", "plinko", "dice"}) {
    std::string line = std::string(R"({"id":"e)") + std::to_string(n++) + R"(","type":"bet","user":"u","ts":0,"game_type":")" +
                       type + "\"}";
    INFO(line);
    REQUIRE(reader.ParseLine(line, 1, &event, &reason));
    CHECK(strings.Get(uint32_t(event.fields[3].i)) == type);
  }
  const auto& w = reader.Stats().warnings;
  CHECK(w.at("unknown_union_value:bet.game_type=crash_x") == 2);
  CHECK(w.at("unknown_union_value:bet.game_type=mines") == 1);
  CHECK(w.at("unknown_union_value:bet.game_type=(other)") == 2);   // past the limit of distinct values
  CHECK(w.size() == 3);
}

TEST_CASE("an optional field's absence counts no warning", "[io]") {
  core::EventSchema schema = Schema();
  schema.types[0].fields[5].optional = true;   // deposit.first
  engine::StringPool strings;
  io::EventReader reader(schema, strings);
  core::Event event;
  std::string reason;
  REQUIRE(reader.ParseLine(R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1,"method":"card"})", 1, &event, &reason));
  CHECK(event.fields[5].i == 0);
  CHECK(reader.Stats().missing_fields == 0);
}

// Issue 14 §5: a byte-order mark, keys written with escapes, error columns.
TEST_CASE("a UTF-8 byte-order mark before the first line is skipped", "[io]") {
  core::EventSchema schema = Schema();
  engine::StringPool strings;
  io::EventReader reader(schema, strings);
  std::stringstream in;
  in << "\xEF\xBB\xBF" << R"({"id":"e1","type":"deposit","user":"u","ts":0,"amount":1})" << "\n"
     << R"({"id":"e2","type":"deposit","user":"u","ts":0,"amount":2})" << "\n";
  std::vector<core::Event> events;
  std::vector<io::Rejection> rejections;
  reader.ReadAll(in, &events, &rejections);
  CHECK(rejections.empty());
  REQUIRE(events.size() == 2);
  CHECK(events[0].id == "e1");
  // Only before the first line: later, it is not JSON.
  Fixture f;
  CHECK_FALSE(f.reader.ParseLine("\xEF\xBB\xBF{\"id\":\"e\",\"type\":\"deposit\",\"user\":\"u\",\"ts\":0}", 2, &f.event,
                                 &f.reason));
}

TEST_CASE("a key written with escapes is the same key", "[io]") {
  for (const char* amount : {"7", "1.5", "\"x\""}) {
    Fixture f;
    const std::string line = std::string(R"({"id":"e","type":"deposit","user":"u","ts":0,"am\u006funt":)") + amount + "}";
    INFO(line);
    if (std::string(amount) == "\"x\"") {
      REQUIRE_FALSE(f.Parse(line));
      CHECK(f.reason.rfind("field 'amount' must be a number", 0) == 0);
      continue;
    }
    REQUIRE(f.Parse(line));
    CHECK(f.event.fields[3].i == (std::string(amount) == "7" ? 7 * core::kDecimalScale : 3 * core::kDecimalScale / 2));
  }
}

TEST_CASE("a JSON syntax error names its byte column", "[io]") {
  struct Case { const char* line; const char* column; };
  const Case cases[] = {
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1)", "at byte column 56"},
      {R"({"id":"e",,"type":"deposit"})", "at byte column 11"},
      {R"({"id":"e","amount":01})", "at byte column 21"},
      {R"({"id":"e","x":[1,2,]})", "at byte column 20"},
      {R"({"id":"e","x":tru})", "at byte column 15"},
      {R"({"id":"e"} x)", "at byte column 12"},
      {"{\"id\":\"\xff\"}", "at byte column 8"},
  };
  for (const Case& c : cases) {
    Fixture f;
    INFO(c.line);
    REQUIRE_FALSE(f.Parse(c.line));
    CHECK(f.reason.rfind("not valid JSON", 0) == 0);
    CHECK(f.reason.find(c.column) != std::string::npos);
  }
}

// Issue 15 §3: On-Demand reads lazily; the reader must still see every byte.
TEST_CASE("a malformed value under a field nobody reads rejects the line, as the DOM does", "[io]") {
  const std::string head = R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1,)";
  for (const char* tail : {R"("x":[1,{"a":tru}]})", R"("x":{"a":[1,2,]}})", R"("x":"\q"})", R"("x":[nul]})",
                           R"("x":01})", R"("x":1e400})", R"("x":{"a":1,}})", R"("x":[1]} x)", R"("x":[1]}})"}) {
    Fixture f;
    INFO(head + tail);
    REQUIRE_FALSE(f.Parse(head + tail));
    CHECK(f.reason.rfind("not valid JSON: ", 0) == 0);
  }
}

TEST_CASE("numbers On-Demand reads differently from the DOM are read as the DOM reads them", "[io]") {
  Fixture f;
  // An integer beyond 64 bits in a field nobody reads: accepted.
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"x":123456789012345678901234,"amount":2})"));
  CHECK(f.event.fields[3].i == 2 * core::kDecimalScale);
  // A float of more than 19 digits (simdjson 3.0.1's get_number() reads 0).
  REQUIRE_FALSE(f.Parse(R"({"id":"e","type":"bet","user":"u","ts":0,"spins":123456789012345678901234.0})"));
  CHECK(f.reason.rfind("field 'spins' is out of range", 0) == 0);
  // An exponent of many digits: the DOM reads the number, the decimal its text.
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1e-000312345678901234567890123})"));
  CHECK(f.event.fields[3].i == 0);
  CHECK(f.reader.Stats().warnings.at("decimal_rounded:deposit.amount") == 1);
  // Deeper than On-Demand's own checks go: the DOM's verdict.
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"x":)" + deep + R"(,"amount":3})"));
  CHECK(f.event.fields[3].i == 3 * core::kDecimalScale);
}

TEST_CASE("a duplicate key: the first one counts", "[io]") {
  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":1,"amount":"x","id":"f"})"));
  CHECK(f.event.id == "e");
  CHECK(f.event.fields[3].i == core::kDecimalScale);
}

namespace {
size_t allocations = 0;
}  // namespace
void* operator new(size_t n) {
  ++allocations;
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }

TEST_CASE("a line costs no allocation in the steady state", "[io]") {
  Fixture f;
  const std::string lines[] = {
      R"({"id":"e1","type":"deposit","user":"u1","ts":"2026-12-01T10:00:00Z","amount":12.5,"method":"card","first":true})",
      R"({"id":"e2","type":"bet","user":"u2","ts":1796119200000,"game_type":"slots","spins":3,"extra":{"a":[1,"x",null]}})",
      R"({"id":"e3","type":"bet","user":"u1","ts":1796119200000,"game_type":"crash","spins":4})",
  };
  for (const std::string& line : lines) REQUIRE(f.Parse(line));   // warm: buffers grow, strings interned once
  const size_t before = allocations;
  for (int round = 0; round < 100; ++round)
    for (const std::string& line : lines) REQUIRE(f.Parse(line));
  CHECK(allocations - before == 0);
}
