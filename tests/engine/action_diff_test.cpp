// quest diff's matching (compiler/driver/action_diff.h, issue 18 §2): an
// action more early in a step leaves the step's other actions matched, a
// running balance is no change, and the economy's totals add up.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/driver/action_diff.h"

using questline::driver::ChangeKind;
using questline::driver::DiffActions;
using questline::engine::Action;
using questline::engine::ActionValue;

namespace {

Action Award(const std::string& user, const std::string& event, const std::string& source, int64_t amount,
             int64_t balance) {
  Action a;
  a.user = user;
  a.event = event;
  a.source = source;
  a.action = "award";
  a.fields = {{"currency", ActionValue::String("points")}, {"amount", ActionValue::Int(amount)},
              {"balance", ActionValue::Int(balance)}};
  return a;
}

Action Bonus(const std::string& user, const std::string& event, const std::string& source) {
  Action a;
  a.user = user;
  a.event = event;
  a.source = source;
  a.action = "bonus";
  a.fields = {{"bonus", ActionValue::String("fs")}};
  return a;
}

}  // namespace

TEST_CASE("an added action early in a step leaves the others matched") {
  const std::vector<Action> before = {Award("u", "e1", "rule:b", 5, 5), Award("u", "e2", "rule:b", 5, 10)};
  const std::vector<Action> after = {Bonus("u", "e1", "rule:a"), Award("u", "e1", "rule:b", 5, 5),
                                     Award("u", "e2", "rule:b", 5, 10)};
  const auto d = DiffActions(before, after);
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == ChangeKind::Added);
  CHECK(d.changes[0].new_action->source == "rule:a");
  CHECK(d.unchanged == 2);
  CHECK(d.new_total.bonuses - d.old_total.bonuses == 1);
}

TEST_CASE("a changed amount is one change; the balances after it are none") {
  const std::vector<Action> before = {Award("u", "e1", "rule:a", 5, 5), Award("u", "e2", "rule:b", 1, 6)};
  const std::vector<Action> after = {Award("u", "e1", "rule:a", 7, 7), Award("u", "e2", "rule:b", 1, 8)};
  const auto d = DiffActions(before, after);
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == ChangeKind::Changed);
  CHECK(d.by_source.at("rule:a").changed == 1);
  CHECK(d.by_source.at("rule:a").delta.awarded.at("points") == 2);
  CHECK(d.new_total.awarded.at("points") - d.old_total.awarded.at("points") == 2);
  CHECK(d.by_user.at("u").delta.awarded.at("points") == 2);
}

TEST_CASE("the same kind twice in a step matches by its ordinal") {
  const std::vector<Action> before = {Award("u", "e1", "rule:a", 1, 1), Award("u", "e1", "rule:a", 2, 3)};
  const std::vector<Action> after = {Award("u", "e1", "rule:a", 1, 1)};
  const auto d = DiffActions(before, after);
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].kind == ChangeKind::Removed);
  CHECK(d.changes[0].ordinal == 1);
  CHECK(d.by_source.at("rule:a").delta.awarded.at("points") == -2);
}
