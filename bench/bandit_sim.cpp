// bandit_sim: a simulated population for `choose by bandit` (issue 19,
// docs/bandits.md). Players from three countries register one a minute; a
// flow lets a bandit pick one of three offers from the country; a player
// deposits within the window with a probability known per (country, offer),
// and that deposit is the reward. The engine learns online, exactly as in
// production (the events go through the same reader and engine).
//
//   bandit_sim [DECISIONS] [POLICY]      reward rate over time vs oracle and uniform
//   bandit_sim --ope SEEDS [DECISIONS]   do the off-policy intervals cover the truth?
//   bandit_sim --cost [DECISIONS]        engine time per decision (bandit vs split)
//
// Prints figures; asserts nothing (bench/README.md records them).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/driver/backend_choice.h"
#include "compiler/driver/pipeline.h"
#include "compiler/ir/lower.h"
#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"
#include "runtime/report/bandit_ope.h"

using namespace questline;

namespace {

const char* kCountries[] = {"MT", "DE", "SE"};
const char* kArms[] = {"spins", "cashback", "points"};
// The chance a player deposits within the window after each offer, by
// country: each country has another best offer.
const double kRates[3][3] = {{0.10, 0.04, 0.06}, {0.03, 0.12, 0.05}, {0.05, 0.06, 0.11}};
constexpr int64_t kStart = 1'767'225'600'000;   // 2026-01-01
constexpr int64_t kMinute = 60'000;

std::string Package(const std::string& policy, bool bandit, const std::string& window = "30m") {
  std::string choose = bandit ? "  choose by bandit reward deposit within " + window +
                                    " context (profile.country) policy " + policy + " {\n"
                              : "  split {\n";
  std::string out = "flow offer {\n  on registration\n" + choose;
  for (int a = 0; a < 3; ++a)
    out += std::string("    ") + (bandit ? std::string("arm ") + kArms[a] : (a < 2 ? "33%:" : "34%:")) +
           " { grant bonus \"" + kArms[a] + "\" }\n";
  out += "  }\n}\npolicy rg { block rewards when profile.self_excluded  block messages when not profile.marketing_opt_in }\n";
  return out;
}

ir::Program Lower(const std::string& text, const std::string& seed) {
  driver::FrontEnd fe;
  driver::LoadPackageText("sim.quest", text, &fe.sources);
  driver::RunFrontEnd(fe);
  if (!fe.ok()) {
    std::fprintf(stderr, "bandit_sim: the package does not check\n");
    std::exit(2);
  }
  ir::Program p = ir::LowerToIr(fe.package);
  p.settings.seed = seed;
  return p;
}

class Collect final : public engine::ActionSink {
 public:
  void Write(engine::Action&& a) override { actions.push_back(std::move(a)); }
  std::vector<engine::Action> actions;
};

struct Sim {
  Sim(const ir::Program& program, uint64_t seed)
      : backend(driver::MakeBackend(program, driver::EngineKind::Jit, "bandit_sim", warnings)),
        engine(program, *backend, strings), reader(program.schema, strings), rng(seed) {
    engine.SetSink(&sink);
  }
  void Feed(const std::string& line) {
    core::Event e;
    std::string reason;
    if (!reader.ParseLine(line, ++line_no, &e, &reason)) {
      std::fprintf(stderr, "bandit_sim: %s: %s\n", reason.c_str(), line.c_str());
      std::exit(2);
    }
    engine.Process(e);
  }
  // Registers player n (country by the simulation's own draw), reads the
  // arm the engine chose from its `bandit` action, and plays the outcome.
  // Returns (country, arm).
  std::pair<int, int> Step(int n) {
    const int country = int(rng() % 3);
    const int64_t ts = kStart + int64_t(n) * kMinute;
    Feed("{\"type\":\"registration\",\"id\":\"r" + std::to_string(n) + "\",\"user\":\"p" + std::to_string(n) +
         "\",\"ts\":" + std::to_string(ts) + ",\"country\":\"" + kCountries[country] + "\"}");
    int arm = -1;
    for (const engine::Action& a : sink.actions)
      if (a.action == "bonus")
        for (int k = 0; k < 3; ++k)
          if (a.fields[0].second.s == kArms[k]) arm = k;
    if (keep_log)
      for (engine::Action& a : sink.actions)
        if (a.action == "bandit" || a.action == "bandit_reward") log.push_back(std::move(a));
    sink.actions.clear();
    if (deposits && std::bernoulli_distribution(kRates[country][arm])(rng))
      pending.push_back("{\"type\":\"deposit\",\"id\":\"d" + std::to_string(n) + "\",\"user\":\"p" + std::to_string(n) +
                        "\",\"ts\":" + std::to_string(ts + 10 * 1000) + ",\"amount\":20}");
    // The deposit comes 10 s later, before the next registration.
    for (const std::string& line : pending) Feed(line);
    pending.clear();
    if (keep_log)
      for (engine::Action& a : sink.actions)
        if (a.action == "bandit" || a.action == "bandit_reward") log.push_back(std::move(a));
    sink.actions.clear();
    return {country, arm};
  }
  std::ostringstream warnings;
  std::unique_ptr<core::Backend> backend;
  engine::StringPool strings;
  engine::Engine engine;
  io::EventReader reader;
  Collect sink;
  std::mt19937_64 rng;
  uint64_t line_no = 0;
  std::vector<std::string> pending;
  std::vector<engine::Action> log;   // the bandit's actions, for the OPE mode
  bool keep_log = true;
  bool deposits = true;   // false: nobody deposits (the decision alone, --cost)
};

double Oracle() {
  double v = 0;
  for (auto& row : kRates) v += std::max({row[0], row[1], row[2]}) / 3;
  return v;
}

double Uniform() {
  double v = 0;
  for (auto& row : kRates) v += (row[0] + row[1] + row[2]) / 9;
  return v;
}

int LearningCurve(int decisions, const std::string& policy) {
  const ir::Program program = Lower(Package(policy, true), "bandit-sim");
  Sim sim(program, 7);
  const int block = decisions / 10;
  double expected = 0, last = 0;
  int last_n = 0;
  std::printf("policy %s, %d decisions; oracle %.4f, uniform %.4f (expected reward per decision)\n",
              policy.c_str(), decisions, Oracle(), Uniform());
  std::printf("%10s %10s %8s\n", "decisions", "reward", "÷oracle");
  for (int n = 0; n < decisions; ++n) {
    const auto [country, arm] = sim.Step(n);
    expected += kRates[country][arm];
    if (n >= decisions - std::min(decisions, 10'000)) {
      last += kRates[country][arm];
      ++last_n;
    }
    if ((n + 1) % block == 0) {
      std::printf("%10d %10.4f %8.3f\n", n + 1, expected / block, expected / block / Oracle());
      expected = 0;
    }
  }
  std::printf("last %d decisions: %.4f = %.1f%% of the oracle (goal: at least 90%%)\n", last_n, last / last_n,
              100 * last / last_n / Oracle());
  return 0;
}

// Each seed: a run logged by epsilon_greedy(0.3); the IPS, SNIPS and DR
// intervals of uniform choice and of each fixed arm against their true values.
int OpeCoverage(int seeds, int decisions) {
  const char* estimators[] = {"IPS", "SNIPS", "DR"};
  int covered[3] = {0, 0, 0}, total = 0;
  for (int s = 0; s < seeds; ++s) {
    const ir::Program program = Lower(Package("epsilon_greedy(0.3)", true), "ope-" + std::to_string(s));
    Sim sim(program, 1000 + uint64_t(s));
    for (int n = 0; n < decisions; ++n) sim.Step(n);
    std::vector<report::LoggedDecision> log;
    std::map<std::string, size_t> by_id;
    for (const engine::Action& a : sim.log) {
      auto field = [&](const char* name) -> const engine::ActionValue& {
        for (const auto& [k, v] : a.fields)
          if (k == name) return v;
        static const engine::ActionValue none;
        return none;
      };
      if (a.action == "bandit") {
        report::LoggedDecision d;
        d.flow = "offer";
        d.id = field("decision").s;
        d.arms.assign(std::begin(kArms), std::end(kArms));
        for (int k = 0; k < 3; ++k)
          if (field("arm").s == kArms[k]) d.arm = size_t(k);
        // "probabilities":{"spins":0.1,…} in arm order.
        const std::string& all = field("probabilities").s;
        size_t at = 0;
        for (int k = 0; k < 3; ++k) {
          at = all.find(':', at) + 1;
          d.probabilities.push_back(std::strtod(all.c_str() + at, nullptr));
        }
        const std::string& context = field("context").s;   // ["MT"]
        report::Feature f;
        f.kind = report::Feature::Kind::String;
        f.text = context.substr(2, context.size() - 4);
        d.context.push_back(f);
        by_id[d.id] = log.size();
        log.push_back(std::move(d));
      } else if (auto it = by_id.find(field("decision").s); it != by_id.end()) {
        log[it->second].rewarded = true;
        log[it->second].reward = double(field("reward").i);
      }
    }
    const report::FlowReport r = report::EvaluateBandits(log).front();
    for (const report::PolicyEstimate& e : r.policies) {
      double truth = -1;
      if (e.policy == "uniform") truth = Uniform();
      for (int k = 0; k < 3; ++k)
        if (e.policy == std::string("arm:") + kArms[k]) truth = (kRates[0][k] + kRates[1][k] + kRates[2][k]) / 3;
      if (truth < 0) continue;
      ++total;
      const report::Interval* in[] = {&e.ips, &e.snips, &e.dr};
      for (int i = 0; i < 3; ++i) covered[i] += in[i]->low <= truth && truth <= in[i]->high;
    }
  }
  std::printf("%d seeds × %d decisions, logged by epsilon_greedy(0.3); %d intervals per estimator "
              "(uniform and each arm, per seed)\n", seeds, decisions, total);
  for (int i = 0; i < 3; ++i)
    std::printf("  %-6s covers the true value in %d of %d (%.1f%%; goal: at least 95 of 100 seeds)\n", estimators[i],
                covered[i], total, 100.0 * covered[i] / total);
  return 0;
}

// Two figures, each the difference against the same run with a 3-way split:
// the whole of what a bandit adds to a player (with deposits, a 30-minute
// window whose end is a timer step for those who do not deposit), and the
// decision alone (a 30-day window that does not end within the run, no
// deposits: feature encoding, the policy's draws, the `bandit` action and
// the window's timer being scheduled).
int Cost(int decisions) {
  for (int alone = 0; alone < 2; ++alone) {
    double seconds[2];
    for (int bandit = 0; bandit < 2; ++bandit) {
      const ir::Program program = Lower(Package("thompson", bandit != 0, alone ? "30d" : "30m"), "cost");
      Sim sim(program, 3);
      sim.keep_log = false;   // the same work for both: only the engine's differs
      sim.deposits = !alone;
      const auto start = std::chrono::steady_clock::now();
      for (int n = 0; n < decisions; ++n) sim.Step(n);
      seconds[bandit] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    std::printf("%s: %d registrations, with a split %.3f s, with a thompson bandit %.3f s: %.2f µs per decision "
                "more (goal: under 2 µs for the decision)\n",
                alone ? "the decision alone (encoding, 32 draws, the bandit action, the window's timer scheduled)"
                      : "all a bandit adds (the decision, its reward or the window's end, both actions)",
                decisions, seconds[0], seconds[1], (seconds[1] - seconds[0]) / decisions * 1e6);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--ope")
    return OpeCoverage(args.size() > 1 ? std::atoi(args[1].c_str()) : 100,
                       args.size() > 2 ? std::atoi(args[2].c_str()) : 5000);
  if (!args.empty() && args[0] == "--cost") return Cost(args.size() > 1 ? std::atoi(args[1].c_str()) : 50'000);
  return LearningCurve(args.size() > 0 ? std::atoi(args[0].c_str()) : 50'000, args.size() > 1 ? args[1] : "thompson");
}
