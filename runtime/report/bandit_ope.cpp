// Off-policy estimators (bandit_ope.h). For decision i with logged arm a_i,
// logged probability p_i, reward r_i and context x_i, a target policy π
// gives the weight w_i = π(a_i|x_i) / p_i:
//   IPS    mean(w_i r_i)
//   SNIPS  Σ w_i r_i / Σ w_i
//   DR     mean(Σ_a π(a|x_i) r̂(x_i,a) + w_i (r_i − r̂(x_i,a_i)))
// where r̂ is a per-arm ridge regression of the reward on the features,
// fitted to the whole log. Intervals: the normal approximation of the mean
// of the per-decision terms (SNIPS by the delta method), ±1.96 standard errors.
#include "runtime/report/bandit_ope.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

#include "core/bandit_policies.h"

namespace questline::report {
namespace {

Interval MeanInterval(const std::vector<double>& terms) {
  Interval out;
  if (terms.empty()) return out;
  const double n = double(terms.size());
  double sum = 0;
  for (double t : terms) sum += t;
  out.value = sum / n;
  double squares = 0;
  for (double t : terms) squares += (t - out.value) * (t - out.value);
  const double se = terms.size() > 1 ? std::sqrt(squares / (n - 1) / n) : 0.0;
  out.low = out.value - 1.96 * se;
  out.high = out.value + 1.96 * se;
  return out;
}

// Solves A θ = b for a symmetric positive definite A (Gaussian elimination
// with partial pivoting; A = I + Σ x xᵀ is well conditioned).
std::vector<double> Solve(std::vector<double> a, std::vector<double> b) {
  const size_t d = b.size();
  for (size_t col = 0; col < d; ++col) {
    size_t pivot = col;
    for (size_t r = col + 1; r < d; ++r)
      if (std::fabs(a[r * d + col]) > std::fabs(a[pivot * d + col])) pivot = r;
    if (pivot != col) {
      for (size_t c = 0; c < d; ++c) std::swap(a[col * d + c], a[pivot * d + c]);
      std::swap(b[col], b[pivot]);
    }
    const double diagonal = a[col * d + col];
    if (diagonal == 0) continue;
    for (size_t r = col + 1; r < d; ++r) {
      const double f = a[r * d + col] / diagonal;
      for (size_t c = col; c < d; ++c) a[r * d + c] -= f * a[col * d + c];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(d, 0.0);
  for (size_t r = d; r-- > 0;) {
    double s = b[r];
    for (size_t c = r + 1; c < d; ++c) s -= a[r * d + c] * x[c];
    x[r] = a[r * d + r] != 0 ? s / a[r * d + r] : 0.0;
  }
  return x;
}

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) s += a[i] * b[i];
  return s;
}

FlowReport Evaluate(const std::string& flow, const std::vector<const LoggedDecision*>& all) {
  FlowReport report;
  report.flow = flow;
  report.arms = all.front()->arms;
  report.decisions = all.size();
  const size_t k = report.arms.size();
  // Which features are strings: as logged anywhere in the flow.
  size_t features = 0;
  for (const LoggedDecision* d : all) features = std::max(features, d->context.size());
  std::vector<bool> string_feature(features, false);
  for (const LoggedDecision* d : all)
    for (size_t i = 0; i < d->context.size(); ++i)
      if (d->context[i].kind == Feature::Kind::String) string_feature[i] = true;
  std::vector<const LoggedDecision*> used;
  std::vector<std::vector<double>> xs;
  for (const LoggedDecision* d : all) {
    if (!d->rewarded || d->arm >= k || d->probabilities.size() != k || d->probabilities[d->arm] <= 0) continue;
    used.push_back(d);
    xs.push_back(EncodeContext(d->context, string_feature));
  }
  report.with_outcome = used.size();
  if (used.empty()) return report;
  const size_t dims = xs.front().size();
  // The reward model: per arm, ridge regression on the log.
  std::vector<std::vector<double>> theta(k);
  for (size_t a = 0; a < k; ++a) {
    std::vector<double> gram(dims * dims, 0.0), b(dims, 0.0);
    for (size_t i = 0; i < dims; ++i) gram[i * dims + i] = 1.0;
    for (size_t n = 0; n < used.size(); ++n) {
      if (used[n]->arm != a) continue;
      for (size_t i = 0; i < dims; ++i) {
        b[i] += used[n]->reward * xs[n][i];
        for (size_t j = 0; j < dims; ++j) gram[i * dims + j] += xs[n][i] * xs[n][j];
      }
    }
    theta[a] = Solve(gram, b);
  }
  auto predicted = [&](size_t n, size_t a) { return Dot(theta[a], xs[n]); };
  // Target policies as π(a | decision n).
  struct Target {
    std::string name;
    std::function<double(size_t n, size_t a)> pi;
  };
  std::vector<Target> targets;
  targets.push_back({"logged", [&](size_t n, size_t a) { return used[n]->probabilities[a]; }});
  targets.push_back({"uniform", [&](size_t, size_t) { return 1.0 / double(k); }});
  for (size_t arm = 0; arm < k; ++arm)
    targets.push_back({"arm:" + report.arms[arm], [arm](size_t, size_t a) { return a == arm ? 1.0 : 0.0; }});
  targets.push_back({"greedy", [&](size_t n, size_t a) {
                       size_t best = 0;
                       for (size_t b = 1; b < k; ++b)
                         if (predicted(n, b) > predicted(n, best)) best = b;
                       return a == best ? 1.0 : 0.0;
                     }});
  for (const Target& t : targets) {
    PolicyEstimate e;
    e.policy = t.name;
    std::vector<double> ips, dr, weights;
    for (size_t n = 0; n < used.size(); ++n) {
      const LoggedDecision& d = *used[n];
      const double w = t.pi(n, d.arm) / d.probabilities[d.arm];
      weights.push_back(w);
      ips.push_back(w * d.reward);
      double model = 0;
      for (size_t a = 0; a < k; ++a) model += t.pi(n, a) * predicted(n, a);
      dr.push_back(model + w * (d.reward - predicted(n, d.arm)));
    }
    e.ips = MeanInterval(ips);
    e.dr = MeanInterval(dr);
    double weight_sum = 0;
    for (double w : weights) weight_sum += w;
    if (weight_sum > 0) {
      const double mean_weight = weight_sum / double(weights.size());
      double value = 0;
      for (double v : ips) value += v;
      value /= weight_sum;
      std::vector<double> influence;
      for (size_t n = 0; n < used.size(); ++n) influence.push_back(weights[n] * (used[n]->reward - value) / mean_weight);
      const Interval spread = MeanInterval(influence);
      const double half = (spread.high - spread.low) / 2;
      e.snips = {value, value - half, value + half};
    }
    report.policies.push_back(std::move(e));
  }
  return report;
}

}  // namespace

std::vector<double> EncodeContext(const std::vector<Feature>& context, const std::vector<bool>& string_feature) {
  std::vector<double> x{1.0};
  for (size_t i = 0; i < string_feature.size(); ++i) {
    const Feature none;
    const Feature& f = i < context.size() ? context[i] : none;
    if (string_feature[i]) {
      const size_t first = x.size();
      x.resize(first + core::kBanditStringBuckets, 0.0);
      if (f.kind == Feature::Kind::String) x[first + core::BanditBucket(f.text)] = 1.0;
    } else {
      x.push_back(f.kind == Feature::Kind::Number ? f.number : 0.0);
    }
  }
  return x;
}

std::vector<FlowReport> EvaluateBandits(const std::vector<LoggedDecision>& log) {
  std::vector<std::string> order;
  std::map<std::string, std::vector<const LoggedDecision*>> by_flow;
  for (const LoggedDecision& d : log) {
    auto& list = by_flow[d.flow];
    if (list.empty()) order.push_back(d.flow);
    list.push_back(&d);
  }
  std::vector<FlowReport> out;
  for (const std::string& flow : order) out.push_back(Evaluate(flow, by_flow[flow]));
  return out;
}

}  // namespace questline::report
