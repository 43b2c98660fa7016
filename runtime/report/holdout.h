// A flow's holdout (docs/bandits.md, `quest report holdout`): the players it
// entered against those it held out, on one KPI — players, the mean, the
// uplift (treatment − control) with a 95% interval (Welch's standard error,
// normal approximation).
#pragma once

#include <cstddef>
#include <vector>

namespace questline::report {

struct GroupSummary {
  size_t players = 0;
  double mean = 0, stddev = 0;
};

struct HoldoutReport {
  GroupSummary treatment, control;
  double uplift = 0, low = 0, high = 0;   // treatment mean − control mean
  double relative = 0;                    // uplift ÷ control mean (0 when that is 0)
};

HoldoutReport CompareHoldout(const std::vector<double>& treatment, const std::vector<double>& control);

}  // namespace questline::report
