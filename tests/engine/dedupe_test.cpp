// Duplicate event ids (issue 15 §2): recognised within a bounded window of
// event time, and never interned, so that neither the id set nor the string
// pool grows with traffic for ever.
#include <catch2/catch.hpp>

#include "runtime/engine/recent_ids.h"
#include "tests/engine/scenario.h"

using namespace questline::testing;
using questline::engine::RecentIds;

namespace {

const char* kPackage = "rule r on login { award points 1 }\npolicy rg { block rewards when profile.self_excluded }\n";

}  // namespace

TEST_CASE("a redelivered event is skipped within the window and counted again after it", "[engine][dedupe]") {
  auto r = RunScenario(kPackage, Event("login", "l1", "u", "2026-12-01T10:00:00Z") +
                                     Event("login", "l1", "u", "2026-12-07T10:00:00Z") +   // 6 days later: a duplicate
                                     Event("login", "l2", "u", "2026-12-09T10:00:00Z") +
                                     Event("login", "l1", "u", "2026-12-09T11:00:00Z"));   // 8 days: forgotten
  CHECK(r.stats.duplicates == 1);
  CHECK(r.Count({"\"action\":\"award\"", "\"event\":\"l1\""}) == 2);
  CHECK(r.Count({"\"action\":\"award\"", "\"event\":\"l2\""}) == 1);
}

TEST_CASE("event ids do not grow the string pool", "[engine][dedupe]") {
  std::string one = Event("login", "x0", "u", "2026-12-01T10:00:00Z"), many;
  for (int i = 0; i < 200; ++i) many += Event("login", "x" + std::to_string(i), "u", "2026-12-01T10:00:00Z");
  auto a = RunScenario(kPackage, one);
  auto b = RunScenario(kPackage, many);
  CHECK(b.Count({"\"action\":\"award\""}) == 200);
  CHECK(b.strings == a.strings);
}

TEST_CASE("a package that reads an event's id still sees it", "[engine][dedupe]") {
  auto r = RunScenario(std::string("rule r on login where login.id == \"vip-1\" { award points 5 }\n") +
                           "policy rg { block rewards when profile.self_excluded }\n",
                       Event("login", "vip-1", "u", "2026-12-01T10:00:00Z") +
                           Event("login", "vip-2", "u", "2026-12-01T10:01:00Z"));
  CHECK(r.Count({"\"action\":\"award\""}) == 1);
  CHECK(r.Count({"\"event\":\"vip-1\"", "\"amount\":5"}) == 1);
}

TEST_CASE("the id window holds only the ids of its span", "[engine][dedupe]") {
  RecentIds ids(3'600'000, 1, 2);   // one hour
  for (int i = 0; i < 100'000; ++i) REQUIRE_FALSE(ids.SeenOrAdd("id-" + std::to_string(i), int64_t(i) * 1000));
  // 100,000 seconds of ids, one a second: only the last hour's (3,601) are kept.
  CHECK(ids.Size() == 3'601);
  CHECK(ids.SeenOrAdd("id-99999", 99'999'000));
  CHECK_FALSE(ids.SeenOrAdd("id-0", 99'999'000));
}

TEST_CASE("the id set forgets and finds ids in any order of arrival", "[engine][dedupe]") {
  // A small window over many ids exercises deletion inside probe runs and growth.
  RecentIds ids(10, 7, 9);
  for (int i = 0; i < 20'000; ++i) {
    const int64_t now = i / 3;   // three ids a millisecond
    REQUIRE_FALSE(ids.SeenOrAdd("k" + std::to_string(i), now));
    if (i >= 30) REQUIRE(ids.SeenOrAdd("k" + std::to_string(i - 30), now));   // still in the window
  }
  CHECK(ids.Size() <= 36);
}
