// Off-policy evaluation of a bandit's log (docs/bandits.md, `quest report
// bandit`): the decisions joined with their rewards, and for each target
// policy its value estimated by IPS, SNIPS and doubly robust, each with a
// 95% confidence interval. Plain data in, plain data out: reading the
// actions is the caller's.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace questline::report {

// A context feature as logged: a number (bools as 0/1), a string, or none.
struct Feature {
  enum class Kind { None, Number, String } kind = Kind::None;
  double number = 0;
  std::string text;
};

struct LoggedDecision {
  std::string flow, id;
  size_t arm = 0;                       // index into `arms`
  std::vector<std::string> arms;        // in declaration order (the logged probabilities' order)
  std::vector<double> probabilities;    // of each arm, under the logging policy
  std::vector<Feature> context;
  bool rewarded = false;                // an outcome is logged
  double reward = 0;
};

struct Interval {
  double value = 0, low = 0, high = 0;
};

struct PolicyEstimate {
  std::string policy;                   // logged, uniform, arm:NAME, greedy
  Interval ips, snips, dr;
};

struct FlowReport {
  std::string flow;
  std::vector<std::string> arms;
  size_t decisions = 0, with_outcome = 0;
  std::vector<PolicyEstimate> policies;
};

// By flow, in the order flows first appear; decisions without an outcome
// are counted, not used.
std::vector<FlowReport> EvaluateBandits(const std::vector<LoggedDecision>& log);

// The engine's feature vector for a logged context: a bias, numbers as they
// are, strings one-hot (core::BanditBucket). `string_feature[i]`: whether
// feature i is a string in this flow (a none gives all zeros either way).
std::vector<double> EncodeContext(const std::vector<Feature>& context, const std::vector<bool>& string_feature);

}  // namespace questline::report
