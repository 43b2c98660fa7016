#include "runtime/report/holdout.h"

#include <cmath>

namespace questline::report {
namespace {

GroupSummary Summarise(const std::vector<double>& values) {
  GroupSummary g;
  g.players = values.size();
  if (values.empty()) return g;
  double sum = 0;
  for (double v : values) sum += v;
  g.mean = sum / double(values.size());
  double squares = 0;
  for (double v : values) squares += (v - g.mean) * (v - g.mean);
  g.stddev = values.size() > 1 ? std::sqrt(squares / double(values.size() - 1)) : 0.0;
  return g;
}

}  // namespace

HoldoutReport CompareHoldout(const std::vector<double>& treatment, const std::vector<double>& control) {
  HoldoutReport r;
  r.treatment = Summarise(treatment);
  r.control = Summarise(control);
  r.uplift = r.treatment.mean - r.control.mean;
  double variance = 0;
  if (r.treatment.players > 0) variance += r.treatment.stddev * r.treatment.stddev / double(r.treatment.players);
  if (r.control.players > 0) variance += r.control.stddev * r.control.stddev / double(r.control.players);
  const double se = std::sqrt(variance);
  r.low = r.uplift - 1.96 * se;
  r.high = r.uplift + 1.96 * se;
  r.relative = r.control.mean != 0 ? r.uplift / r.control.mean : 0.0;
  return r;
}

}  // namespace questline::report
