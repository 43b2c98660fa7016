// NDJSON ingestion: every rejection reason, exact decimals, timestamps, and
// that one bad line never stops the lines after it.
#include <catch2/catch.hpp>

#include <sstream>

#include "runtime/io/event_reader.h"

using namespace questline;

namespace {

engine::EventSchema Schema() {
  using engine::ValueKind;
  auto base = [] {
    return std::vector<engine::FieldSchema>{
        {"id", ValueKind::String, {}, {}}, {"user", ValueKind::String, {}, {}}, {"ts", ValueKind::Time, {}, {}}};
  };
  engine::EventType deposit{"deposit", base(), false};
  deposit.fields.push_back({"amount", ValueKind::Decimal, {}, engine::Value::Decimal(0)});
  deposit.fields.push_back({"method", ValueKind::String, {}, engine::Value::String(0)});
  deposit.fields.push_back({"first", ValueKind::Bool, {}, engine::Value::Bool(false)});
  engine::EventType bet{"bet", base(), false};
  bet.fields.push_back({"game_type", ValueKind::String, {"slots", "table"}, engine::Value::String(0)});
  bet.fields.push_back({"spins", ValueKind::Int, {}, engine::Value::Int(0)});
  return {{deposit, bet}};
}

struct Fixture {
  engine::EventSchema schema = Schema();
  engine::StringPool strings;
  io::EventReader reader{schema, strings};
  engine::Event event;
  std::string reason;
  bool Parse(const std::string& line) { return reader.ParseLine(line, 1, &event, &reason); }
};

}  // namespace

TEST_CASE("a well-formed event is typed by the schema", "[io]") {
  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e1","type":"deposit","user":"u42","ts":"2026-12-01T10:00:00Z","amount":12.5,"method":"card","extra":{"ignored":[1,2]}})"));
  CHECK(f.event.type == 0);
  CHECK(f.strings.Get(f.event.Id()) == "e1");
  CHECK(f.strings.Get(f.event.User()) == "u42");
  CHECK(f.event.Ts() == 1'796'119'200'000);
  CHECK(f.event.fields[3].i == 12'500'000);
  CHECK(f.strings.Get(uint32_t(f.event.fields[4].i)) == "card");
  // `first` is missing: its default, and counted.
  CHECK(f.event.fields[5].i == 0);
  CHECK(f.reader.Stats().missing_fields == 1);
}

TEST_CASE("decimals are exact, never through a double", "[io]") {
  int64_t v;
  REQUIRE(io::ParseDecimal("0.1", &v));
  CHECK(v == 100'000);
  REQUIRE(io::ParseDecimal("-19.999999", &v));
  CHECK(v == -19'999'999);
  REQUIRE(io::ParseDecimal("1.5e2", &v));
  CHECK(v == 150'000'000);
  REQUIRE(io::ParseDecimal("12345678901.25", &v));
  CHECK(v == 12'345'678'901'250'000);
  CHECK_FALSE(io::ParseDecimal("0.1234567", &v));
  CHECK_FALSE(io::ParseDecimal("1e30", &v));
  Fixture f;
  REQUIRE(f.Parse(R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":0.3})"));
  CHECK(f.event.fields[3].i == 300'000);
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
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"amount":0.1234567})", "field 'amount' is not an exact decimal"},
      {R"({"id":"e","type":"deposit","user":"u","ts":0,"first":"yes"})", "field 'first' must be a boolean"},
      {R"({"id":"e","type":"bet","user":"u","ts":0,"spins":2.5})", "field 'spins' must be a whole number"},
      {R"({"id":"e","type":"bet","user":"u","ts":0,"game_type":"slost"})", "field 'game_type' is 'slost', not one of"},
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
  engine::EventSchema schema = Schema();
  engine::StringPool strings;
  io::EventReader reader(schema, strings, io::ReaderLimits{1024});
  std::string big = R"({"id":"big","type":"deposit","user":"u","ts":0,"method":")" + std::string(1 << 20, 'x') + "\"}";
  std::stringstream in;
  in << R"({"id":"e1","type":"deposit","user":"u","ts":0,"amount":1})" << "\n"
     << big << "\n"
     << "not json\n\n"
     << R"({"id":"e2","type":"bet","user":"u","ts":"2026-12-01T10:00:00Z","game_type":"table"})" << "\r\n";
  std::vector<engine::Event> events;
  std::vector<io::Rejection> rejections;
  reader.ReadAll(in, &events, &rejections);
  REQUIRE(events.size() == 2);
  CHECK(strings.Get(events[1].Id()) == "e2");
  CHECK(events[1].line == 5);
  REQUIRE(rejections.size() == 2);
  CHECK(rejections[0].line == 2);
  CHECK(rejections[0].reason.find("the limit is 1024") != std::string::npos);
  CHECK(rejections[1].line == 3);
  CHECK(reader.Stats().lines == 4);
  CHECK(reader.Stats().accepted == 2);
  CHECK(reader.Stats().rejected == 2);
}

// Issue 14 §5: a byte-order mark, keys written with escapes, error columns.
TEST_CASE("a UTF-8 byte-order mark before the first line is skipped", "[io]") {
  engine::EventSchema schema = Schema();
  engine::StringPool strings;
  io::EventReader reader(schema, strings);
  std::stringstream in;
  in << "\xEF\xBB\xBF" << R"({"id":"e1","type":"deposit","user":"u","ts":0,"amount":1})" << "\n"
     << R"({"id":"e2","type":"deposit","user":"u","ts":0,"amount":2})" << "\n";
  std::vector<engine::Event> events;
  std::vector<io::Rejection> rejections;
  reader.ReadAll(in, &events, &rejections);
  CHECK(rejections.empty());
  REQUIRE(events.size() == 2);
  CHECK(strings.Get(events[0].Id()) == "e1");
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
    CHECK(f.event.fields[3].i == (std::string(amount) == "7" ? 7'000'000 : 1'500'000));
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
