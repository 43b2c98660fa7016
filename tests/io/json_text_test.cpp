// Times and keys in actions and state: exact around the epoch, and still printable
// (never undefined) at the int64 bounds a saturated time can reach.
#include <catch2/catch.hpp>

#include <cstdint>

#include "runtime/engine/json_text.h"

namespace {

std::string Time(int64_t ms) {
  std::string out;
  questline::engine::AppendTime(out, ms);
  return out;
}

}  // namespace

TEST_CASE("times print as RFC 3339 in UTC, milliseconds only when present") {
  CHECK(Time(0) == "\"1970-01-01T00:00:00Z\"");
  CHECK(Time(-1) == "\"1969-12-31T23:59:59.999Z\"");
  CHECK(Time(1796083200000) == "\"2026-12-01T00:00:00Z\"");
  CHECK(Time(1796083200123) == "\"2026-12-01T00:00:00.123Z\"");
}

TEST_CASE("times at the int64 bounds print without overflow") {
  CHECK(Time(INT64_MAX).rfind("\"292278994-08-17T07:12:55.807Z\"", 0) == 0);
  CHECK(Time(INT64_MIN).rfind("\"-292275055-05-16T16:47:04.192Z\"", 0) == 0);
}

TEST_CASE("idempotency keys are sixteen lower-case hex digits, zero-padded") {
  auto Hex64 = [](uint64_t v) {
    std::string out;
    questline::engine::AppendHex64(out, v);
    return out;
  };
  CHECK(Hex64(0) == "0000000000000000");
  CHECK(Hex64(0xabc) == "0000000000000abc");
  CHECK(Hex64(0xfedcba9876543210ull) == "fedcba9876543210");
  CHECK(Hex64(UINT64_MAX) == "ffffffffffffffff");
}
