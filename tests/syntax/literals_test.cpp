#include <catch2/catch.hpp>

#include "compiler/syntax/literals.h"

using namespace questline::syntax;

TEST_CASE("integers and decimals decode exactly", "[literals]") {
  int64_t v;
  std::string why;
  REQUIRE(DecodeInt("1_000", &v, &why));
  CHECK(v == 1000);
  REQUIRE(DecodeDecimal("12.50", &v, &why));
  CHECK(v == 1'250'000'000);
  REQUIRE(DecodeDecimal("0.00000001", &v, &why));
  CHECK(v == 1);
  REQUIRE(DecodeDecimal("0.00012345", &v, &why));   // crypto amounts are exact
  CHECK(v == 12'345);
  CHECK_FALSE(DecodeDecimal("1.123456789", &v, &why));
  CHECK_FALSE(DecodeDecimal("92233720369", &v, &why));   // beyond ±92 233 720 368.54775807
  CHECK_FALSE(DecodeInt("99999999999999999999", &v, &why));
}

TEST_CASE("durations, percentages and times of day", "[literals]") {
  int64_t v;
  std::string why;
  REQUIRE(DecodeDuration("30s", &v, &why));
  CHECK(v == 30'000);
  REQUIRE(DecodeDuration("15m", &v, &why));
  CHECK(v == 900'000);
  REQUIRE(DecodeDuration("12h", &v, &why));
  CHECK(v == 43'200'000);
  REQUIRE(DecodeDuration("7d", &v, &why));
  CHECK(v == 604'800'000);
  REQUIRE(DecodeDuration("2w", &v, &why));
  CHECK(v == 1'209'600'000);
  REQUIRE(DecodeDuration("500ms", &v, &why));
  CHECK(v == 500);
  REQUIRE(DecodePercent("12.5%", &v, &why));
  CHECK(v == 1'250'000'000);
  REQUIRE(DecodeTimeOfDay("22:30", &v, &why));
  CHECK(v == 22 * 60 + 30);
  REQUIRE(DecodeTimeOfDay("24:00", &v, &why));
  CHECK_FALSE(DecodeTimeOfDay("24:01", &v, &why));
  CHECK_FALSE(DecodeTimeOfDay("10:60", &v, &why));
}

TEST_CASE("instants are UTC epoch milliseconds with offsets applied", "[literals]") {
  int64_t v;
  std::string why;
  REQUIRE(DecodeInstant("1970-01-01T00:00Z", &v, &why));
  CHECK(v == 0);
  REQUIRE(DecodeInstant("2026-12-05T00:00Z", &v, &why));
  CHECK(v == 1'796'428'800'000);
  REQUIRE(DecodeInstant("2026-12-05T01:00:00+01:00", &v, &why));
  CHECK(v == 1'796'428'800'000);
  REQUIRE(DecodeInstant("2026-12-04T19:00:00.250-05:00", &v, &why));
  CHECK(v == 1'796'428'800'250);
  REQUIRE(DecodeInstant("2024-02-29T00:00Z", &v, &why));
  CHECK_FALSE(DecodeInstant("2026-02-29T00:00Z", &v, &why));
  CHECK_FALSE(DecodeInstant("2026-13-01T00:00Z", &v, &why));
}

TEST_CASE("string escapes", "[literals]") {
  std::string out, why;
  size_t at = 0;
  REQUIRE(DecodeString(R"("a\"b\\c\nd\te")", &out, &why, &at));
  CHECK(out == "a\"b\\c\nd\te");
  REQUIRE(DecodeString(R"("\u{1F3B0} jackpot")", &out, &why, &at));
  CHECK(out == "\xF0\x9F\x8E\xB0 jackpot");
  CHECK_FALSE(DecodeString(R"("bad \q")", &out, &why, &at));
  CHECK(at == 5);
  CHECK_FALSE(DecodeString(R"("\u{D800}")", &out, &why, &at));
  CHECK(WeekdayIndex("mon") == 0);
  CHECK(WeekdayIndex("sun") == 6);
  CHECK(WeekdayIndex("monday") == -1);
}
