// Contextual bandits (bandits.h, docs/bandits.md). The arithmetic is plain
// double precision in a fixed order, so both backends and every replay get
// the same bits; the draws come from the keyed random source.
#include "runtime/engine/mechanics/bandits.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "core/bandit_policies.h"
#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"

namespace questline::engine::mechanics {

namespace {

using core::kBanditStringBuckets;

// Thompson sampling's scale of the posterior (rewards are 0 or 1), and how
// many posterior draws estimate the probability of each arm for the log.
constexpr double kThompsonScale = 0.5;
constexpr size_t kThompsonDraws = 32;
// Bounds a snapshot is checked against (sema allows 8 features of 8 buckets and 16 arms).
constexpr uint64_t kMaxDimensions = 1 + 8 * kBanditStringBuckets;
constexpr uint64_t kMaxArms = 16;

uint64_t Fnv1a(std::string_view s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ull;
  return h;
}

uint64_t Bits(double v) {
  uint64_t u;
  std::memcpy(&u, &v, sizeof u);
  return u;
}

double FromBits(uint64_t u) {
  double v;
  std::memcpy(&v, &u, sizeof v);
  return v;
}

// Six decimals, trailing zeros dropped: 0.53125, 1, 0.
void AppendProbability(std::string& out, double p) {
  char buf[32];
  std::string text(buf, size_t(std::snprintf(buf, sizeof buf, "%.6f", p)));
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  out += text;
}

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

// A⁻¹x for a d × d row-major A⁻¹.
std::vector<double> Times(const std::vector<double>& a_inv, const std::vector<double>& x) {
  const size_t d = x.size();
  std::vector<double> out(d, 0.0);
  for (size_t i = 0; i < d; ++i)
    for (size_t j = 0; j < d; ++j) out[i] += a_inv[i * d + j] * x[j];
  return out;
}

void PutDoubles(core::ByteWriter& w, const std::vector<double>& v) {
  w.Unsigned(v.size());
  for (double x : v) w.Fixed64(Bits(x));
}

bool GetDoubles(core::ByteReader& r, std::vector<double>& v, uint64_t expected) {
  const uint64_t n = r.Count();
  if (n != expected) return false;
  v.resize(n);
  for (double& x : v) x = FromBits(r.Fixed64());
  return r.ok();
}

}  // namespace

Bandits::Bandits(Kernel& k) : Mechanic(k) {}

// The models are global: the owner partition's (world.h).
Bandits::Model& Bandits::ModelFor(int32_t flow, int32_t op, size_t d) {
  Model& model = k_.Global().m.bandits.models_[{flow, op}];
  if (model.arms.empty()) {
    model.d = d;
    model.arms.resize(k_.p.flows[size_t(flow)].ops[size_t(op)].arms.size());
    for (Arm& arm : model.arms) {
      arm.a_inv.assign(d * d, 0.0);
      for (size_t i = 0; i < d; ++i) arm.a_inv[i * d + i] = 1.0;   // A = I: the ridge's prior
      arm.b.assign(d, 0.0);
    }
  }
  return model;
}

// A bias, then each feature: a number as it is, a bool as 0 or 1, a string
// one-hot in kBanditStringBuckets by a hash of its text; none is all zeros.
std::vector<double> Bandits::Encode(const ir::FlowOp& step, core::Frame& frame, std::string* context_json) {
  std::vector<double> x{1.0};
  *context_json = "[";
  for (size_t i = 0; i < step.context.size(); ++i) {
    const ir::ExprRef e = step.context[i];
    const Value v = k_.backend.Eval(e, frame, k_);
    if (i > 0) *context_json += ",";
    AppendValue(*context_json, v, k_.strings);
    if (k_.p.At(e).type == ValueKind::String) {
      const size_t first = x.size();
      x.resize(first + kBanditStringBuckets, 0.0);
      if (!v.none) x[first + core::BanditBucket(k_.strings.Get(uint32_t(v.i)))] = 1.0;
      continue;
    }
    double value = 0;
    if (!v.none) value = v.kind == ValueKind::Decimal ? double(v.i) / double(kDecimalScale) : double(v.i);
    x.push_back(value);
  }
  *context_json += "]";
  return x;
}

// One keyed draw per decision seeds a SplitMix64 stream for the rest: the
// draws stay unpredictable without the package's seed and identical on
// replay, and a Thompson decision's 384 uniforms cost nanoseconds, not 384
// SipHash evaluations.
Bandits::Stream::Stream(uint64_t seed) : state_(seed) {}

double Bandits::Stream::Uniform() {
  uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  z ^= z >> 31;
  return double(z >> 11) * 0x1.0p-53;
}

double Bandits::Stream::Normal() {
  // Box–Muller gives two normals from two uniforms (1 - u keeps the
  // logarithm finite): the second is kept for the next call.
  if (has_spare_) {
    has_spare_ = false;
    return spare_;
  }
  const double u1 = 1.0 - Uniform(), u2 = Uniform();
  const double radius = std::sqrt(-2.0 * std::log(u1)), angle = 6.283185307179586 * u2;
  spare_ = radius * std::sin(angle);
  has_spare_ = true;
  return radius * std::cos(angle);
}

size_t Bandits::Decide(const ir::FlowOp& step, const Model& model, const std::vector<double>& x,
                       const std::string& salt, std::vector<double>* probabilities) {
  Stream draws(k_.random.Draw(k_.strings.Get(k_.user->user), k_.event_id, Fnv1a(salt)));
  const size_t arms = model.arms.size();
  std::vector<double> mean(arms), spread(arms);
  for (size_t a = 0; a < arms; ++a) {
    const Arm& arm = model.arms[a];
    const std::vector<double> a_inv_x = Times(arm.a_inv, x);
    mean[a] = Dot(Times(arm.a_inv, arm.b), x);   // θ·x with θ = A⁻¹b
    spread[a] = std::sqrt(std::max(0.0, Dot(x, a_inv_x)));   // √(xᵀA⁻¹x)
  }
  const double param = double(step.policy_param) / double(kDecimalScale);
  auto argmax = [&](const std::vector<double>& score) {
    return size_t(std::max_element(score.begin(), score.end()) - score.begin());   // ties: the first arm
  };
  auto draw = [&](const std::vector<double>& p) {
    const double u = draws.Uniform();
    double cumulative = 0;
    for (size_t a = 0; a < arms; ++a)
      if (u < (cumulative += p[a])) return a;
    return arms - 1;   // rounding left u above the sum
  };
  probabilities->assign(arms, 0.0);
  switch (core::BanditPolicy(step.policy)) {
    case core::BanditPolicy::EpsilonGreedy: {
      const size_t best = argmax(mean);
      for (size_t a = 0; a < arms; ++a) (*probabilities)[a] = param / double(arms) + (a == best ? 1.0 - param : 0.0);
      return draw(*probabilities);
    }
    case core::BanditPolicy::Softmax: {
      const double top = *std::max_element(mean.begin(), mean.end());
      double sum = 0;
      for (size_t a = 0; a < arms; ++a) sum += (*probabilities)[a] = std::exp((mean[a] - top) / param);
      for (double& p : *probabilities) p /= sum;
      return draw(*probabilities);
    }
    case core::BanditPolicy::LinUcb: {
      std::vector<double> bound(arms);
      for (size_t a = 0; a < arms; ++a) bound[a] = mean[a] + param * spread[a];
      const size_t best = argmax(bound);
      (*probabilities)[best] = 1.0;
      return best;
    }
    case core::BanditPolicy::Thompson: {
      // θ̃·x for θ̃ ~ N(θ, v²A⁻¹) is N(θ·x, v² xᵀA⁻¹x): one normal per arm
      // and draw. The arm is the winner of one of the draws, picked
      // uniformly, so the share of draws each arm wins is exactly the
      // probability it was chosen with.
      std::vector<size_t> wins(kThompsonDraws);
      std::vector<double> sample(arms);
      for (size_t j = 0; j < kThompsonDraws; ++j) {
        for (size_t a = 0; a < arms; ++a) sample[a] = mean[a] + kThompsonScale * spread[a] * draws.Normal();
        wins[j] = argmax(sample);
        (*probabilities)[wins[j]] += 1.0 / double(kThompsonDraws);
      }
      return wins[std::min(kThompsonDraws - 1, size_t(draws.Uniform() * double(kThompsonDraws)))];
    }
  }
  return 0;
}

size_t Bandits::Choose(int32_t flow, int32_t op, core::Frame& frame) {
  const ir::Flow& f = k_.p.flows[size_t(flow)];
  const ir::FlowOp& step = f.ops[size_t(op)];
  std::string context_json;
  std::vector<double> x = Encode(step, frame, &context_json);
  Model& model = ModelFor(flow, op, x.size());
  std::vector<double> probabilities;
  const size_t arm = Decide(step, model, x, "bandit:" + f.name + ":" + std::to_string(op), &probabilities);
  std::string all = "{";
  for (size_t a = 0; a < probabilities.size(); ++a) {
    if (a > 0) all += ",";
    AppendJsonString(all, step.arms[a]);
    all += ":";
    AppendProbability(all, probabilities[a]);
  }
  all += "}";
  std::string chosen;
  AppendProbability(chosen, probabilities[arm]);
  Action action = k_.MakeAction("flow:" + f.name, "bandit",
                                {{"flow", ActionValue::String(f.name)},
                                 {"arm", ActionValue::String(step.arms[arm])},
                                 {"probability", ActionValue::Raw(chosen)},
                                 {"probabilities", ActionValue::Raw(all)},
                                 {"context", ActionValue::Raw(context_json)},
                                 {"policy", ActionValue::String(core::kBanditPolicies[step.policy].spelling)}});
  Decision d;
  d.flow = flow;
  d.op = op;
  d.arm = int32_t(arm);
  d.deadline = SaturatingAdd(k_.now, step.duration);
  AppendHex64(d.id, action.key.hi);
  AppendHex64(d.id, action.key.lo);
  d.x = std::move(x);
  action.fields.insert(action.fields.begin() + 1, {"decision", ActionValue::String(d.id)});
  k_.Deliver(std::move(action));
  k_.Schedule(d.deadline, MechanicId::bandits, kWindow, flow, 0);
  k_.user->bandits.pending.push_back(std::move(d));
  return arm;
}

// The model learns the outcome (Sherman–Morrison keeps A⁻¹ current), and the
// outcome is logged for off-policy evaluation (`quest report bandit`).
void Bandits::Reward(const Decision& d, bool rewarded, const Event* e) {
  auto& models = k_.Global().m.bandits.models_;
  auto it = models.find({d.flow, d.op});
  if (it != models.end() && size_t(d.arm) < it->second.arms.size() && it->second.d == d.x.size()) {
    Arm& arm = it->second.arms[size_t(d.arm)];
    const size_t n = d.x.size();
    const std::vector<double> u = Times(arm.a_inv, d.x);
    const double denominator = 1.0 + Dot(d.x, u);
    for (size_t i = 0; i < n; ++i)
      for (size_t j = 0; j < n; ++j) arm.a_inv[i * n + j] -= u[i] * u[j] / denominator;
    if (rewarded)
      for (size_t i = 0; i < n; ++i) arm.b[i] += d.x[i];
    ++arm.pulls;
    arm.rewards += rewarded;
  }
  const ir::Flow& f = k_.p.flows[size_t(d.flow)];
  k_.Emit("flow:" + f.name, "bandit_reward",
          {{"flow", ActionValue::String(f.name)},
           {"decision", ActionValue::String(d.id)},
           {"arm", ActionValue::String(f.ops[size_t(d.op)].arms[size_t(d.arm)])},
           {"reward", ActionValue::Int(rewarded)},
           {"reward_event", e != nullptr ? ActionValue::String(e->id) : ActionValue{}}});
}

// `reward E [where C] within D`: an event of the player's strictly before
// the decision's time + D.
void Bandits::OnEvent(const Event& e) {
  auto& pending = k_.user->bandits.pending;
  for (size_t i = 0; i < pending.size();) {
    const Decision& d = pending[i];
    const ir::FlowOp& step = k_.p.flows[size_t(d.flow)].ops[size_t(d.op)];
    core::Frame frame{&e, nullptr, nullptr};
    if (step.event != e.type || k_.now >= d.deadline || !k_.backend.Test(step.cond, frame, k_)) {
      ++i;
      continue;
    }
    const Decision done = std::move(pending[i]);
    pending.erase(pending.begin() + std::ptrdiff_t(i));
    Reward(done, true, &e);
  }
}

bool Bandits::OnTimer(const Timer&) {
  auto& pending = k_.user->bandits.pending;
  bool any = false;
  for (size_t i = 0; i < pending.size();) {
    if (pending[i].deadline > k_.now) {
      ++i;
      continue;
    }
    const Decision done = std::move(pending[i]);
    pending.erase(pending.begin() + std::ptrdiff_t(i));
    Reward(done, false, nullptr);
    any = true;
  }
  return any;
}

void Bandits::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  w.Unsigned(u.bandits.pending.size());
  for (const Decision& d : u.bandits.pending) {
    w.Unsigned(uint64_t(d.flow));
    w.Unsigned(uint64_t(d.op));
    w.Unsigned(uint64_t(d.arm));
    w.Signed(d.deadline);
    w.Bytes(d.id);
    PutDoubles(w, d.x);
  }
}

void Bandits::LoadPlayer(UserState& u, core::ByteReader& r) {
  auto& pending = u.bandits.pending;
  pending.clear();
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    Decision d;
    const uint64_t flow = r.Unsigned(), op = r.Unsigned(), arm = r.Unsigned();
    d.deadline = r.Signed();
    d.id = r.Bytes();
    const uint64_t dimensions = r.Count();
    if (flow >= k_.p.flows.size() || op >= k_.p.flows[flow].ops.size() || arm >= k_.p.flows[flow].ops[op].arms.size() ||
        dimensions == 0 || dimensions > kMaxDimensions) {
      r.Fail();
      return;
    }
    d.x.resize(dimensions);
    for (double& x : d.x) x = FromBits(r.Fixed64());
    d.flow = int32_t(flow), d.op = int32_t(op), d.arm = int32_t(arm);
    pending.push_back(std::move(d));
  }
}

void Bandits::Save(core::ByteWriter& w) const {
  w.Unsigned(models_.size());
  for (const auto& [at, model] : models_) {
    w.Unsigned(uint64_t(at.first));
    w.Unsigned(uint64_t(at.second));
    w.Unsigned(model.d);
    w.Unsigned(model.arms.size());
    for (const Arm& arm : model.arms) {
      PutDoubles(w, arm.a_inv);
      PutDoubles(w, arm.b);
      w.Unsigned(arm.pulls);
      w.Unsigned(arm.rewards);
    }
  }
}

void Bandits::Load(core::ByteReader& r) {
  models_.clear();
  for (uint64_t n = r.Count(); n > 0 && r.ok(); --n) {
    const uint64_t flow = r.Unsigned(), op = r.Unsigned(), d = r.Unsigned(), arms = r.Unsigned();
    if (flow >= k_.p.flows.size() || op >= k_.p.flows[flow].ops.size() || d == 0 || d > kMaxDimensions ||
        arms != k_.p.flows[flow].ops[op].arms.size() || arms > kMaxArms) {
      r.Fail();
      return;
    }
    Model& model = models_[{int32_t(flow), int32_t(op)}];
    model.d = d;
    model.arms.resize(arms);
    for (Arm& arm : model.arms) {
      if (!GetDoubles(r, arm.a_inv, d * d) || !GetDoubles(r, arm.b, d)) {
        r.Fail();
        return;
      }
      arm.pulls = r.Unsigned();
      arm.rewards = r.Unsigned();
    }
  }
}

void Bandits::Migrate(const Bandits& old, const Migration& mg) {
  for (const auto& [at, model] : old.models_)
    if (const int32_t f = mg.flows.New(at.first); f >= 0) models_[{f, at.second}] = model;
}

void Bandits::MigratePlayer(const Bandits&, const UserState& from, UserState& to, const Migration& mg) {
  to.bandits.pending.clear();
  for (const Decision& d : from.bandits.pending)
    if (const int32_t f = mg.flows.New(d.flow); f >= 0) {
      to.bandits.pending.push_back(d);
      to.bandits.pending.back().flow = f;
    }
}

bool Bandits::MigrateTimer(Timer& t, const Migration& mg) const {
  t.a = mg.flows.New(t.a);
  return t.a >= 0;
}

}  // namespace questline::engine::mechanics
