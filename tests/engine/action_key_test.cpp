// Idempotency keys (issue 11, item 12): a 128-bit keyed SipHash whose sibling
// keys share no more digits than chance, and no two of ten million collide.
#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "runtime/engine/random.h"
#include "tests/engine/scenario.h"

using questline::engine::Hash128;
using questline::engine::KeyedRandom;
using questline::engine::SipHash128;
using namespace questline::testing;

namespace {

std::string Hex(const Hash128& h) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (uint64_t word : {h.lo, h.hi})   // the reference's byte order: lo's bytes, then hi's
    for (int b = 0; b < 8; ++b) {
      const unsigned byte = unsigned(word >> (8 * b)) & 0xff;
      out += digits[byte >> 4];
      out += digits[byte & 15];
    }
  return out;
}

int SharedHexDigits(const Hash128& a, const Hash128& b) {
  int same = 0;
  for (int i = 0; i < 16; ++i) {
    same += ((a.lo >> (4 * i)) & 15) == ((b.lo >> (4 * i)) & 15);
    same += ((a.hi >> (4 * i)) & 15) == ((b.hi >> (4 * i)) & 15);
  }
  return same;
}

}  // namespace

TEST_CASE("SipHash-2-4-128 matches the reference vectors", "[engine][keys]") {
  // veorq/SipHash vectors.h: key 00..0f, message 00..len-1.
  const uint64_t k0 = 0x0706050403020100ull, k1 = 0x0f0e0d0c0b0a0908ull;
  unsigned char message[64];
  for (int i = 0; i < 64; ++i) message[i] = (unsigned char)i;
  CHECK(Hex(SipHash128(k0, k1, message, 0)) == "a3817f04ba25a8e66df67214c7550293");
  CHECK(Hex(SipHash128(k0, k1, message, 1)) == "da87c1d86b99af44347659119b22fc45");
  CHECK(Hex(SipHash128(k0, k1, message, 2)) == "8177228da4a45dc7fca38bdef60affe4");
  CHECK(Hex(SipHash128(k0, k1, message, 3)) == "9c70b60c5267a94e5f33b6b02985ed51");
}

TEST_CASE("ten million action keys are distinct and siblings share only chance digits", "[engine][keys]") {
  KeyedRandom keys("seed-1");
  std::vector<Hash128> all;
  all.reserve(10'000'000);
  int most_shared = 0;
  // 10,000 users x 1,000 actions of one step each: the siblings a bonus
  // system sees side by side.
  for (int u = 0; u < 10'000; ++u) {
    const std::string user = "u" + std::to_string(u);
    Hash128 previous;
    for (uint64_t ordinal = 0; ordinal < 1'000; ++ordinal) {
      Hash128 k = keys.ActionKey("rule:slot_points", user, "evt-42", ordinal);
      if (ordinal > 0 && u < 100) most_shared = std::max(most_shared, SharedHexDigits(previous, k));
      previous = k;
      all.push_back(k);
    }
  }
  std::sort(all.begin(), all.end());
  CHECK(std::adjacent_find(all.begin(), all.end()) == all.end());
  // 32 digits agree by chance 2 at a time on average; FNV-1a siblings shared 12 or more.
  CHECK(most_shared <= 11);
  // Another seed keys everything differently.
  KeyedRandom other("seed-2");
  CHECK(!(other.ActionKey("rule:slot_points", "u0", "evt-42", 0) == keys.ActionKey("rule:slot_points", "u0", "evt-42", 0)));
}

TEST_CASE("actions carry 32-hex-digit keys", "[engine][keys]") {
  auto r = RunScenario("rule r on deposit { award points 1  award points 2 }\npolicy rg { block rewards when profile.self_excluded }\n",
                       Event("deposit", "d1", "a", "2026-12-01T10:00:00Z", R"("amount":5)"));
  REQUIRE(r.actions.size() == 2);
  for (const std::string& line : r.actions) {
    const size_t at = line.find("\"key\":\"");
    REQUIRE(at != std::string::npos);
    const size_t end = line.find('"', at + 7);
    CHECK(end - (at + 7) == 32);
  }
}
