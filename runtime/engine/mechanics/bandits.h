// Contextual bandits (`choose by bandit`, LANGUAGE.md §9, docs/bandits.md):
// one model per decision point (a flow's Choose step), learned online from
// the rewards, picking an arm from the context features by its policy
// (core/bandit_policies.def). Each arm keeps a ridge regression of the
// reward on the features (A = I + Σ x xᵀ kept as its inverse, b = Σ r x).
// Every decision is logged with the probability of each arm; its reward is
// 1 when the reward event comes within the window, else 0 when the window
// ends. Draws come from the keyed random source: a replay decides the same.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "core/bandit_policies.h"
#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Bandits : public Mechanic {
 public:
  // A decision waiting for its reward.
  struct Decision {
    int32_t flow = -1, op = -1;
    int32_t arm = -1;
    int64_t deadline = 0;     // the reward counts strictly before it
    std::string id;           // the `bandit` action's key: rewards name it
    std::vector<double> x;    // the encoded features
  };
  struct Player {
    std::vector<Decision> pending;   // in decision order
  };
  explicit Bandits(Kernel& k);

  // The arm the flow's Choose step `op` picks for the step's player; logs
  // the decision and waits for its reward.
  size_t Choose(int32_t flow, int32_t op, core::Frame& frame);
  void OnEvent(const Event& e);      // rewards
  bool OnTimer(const Timer& t);      // windows ending: reward 0
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);
  void Save(core::ByteWriter& w) const;
  void Load(core::ByteReader& r);
  // A model and the pending decisions by flow, where the flow is the very same.
  void Migrate(const Bandits& old, const Migration& mg);
  void MigratePlayer(const Bandits& old, const UserState& from, UserState& to, const Migration& mg);
  bool MigrateTimer(Timer& t, const Migration& mg) const;

 private:
  enum TimerKind : uint8_t { kWindow };
  struct Arm {
    std::vector<double> a_inv;   // d × d, row-major
    std::vector<double> b;       // d
    uint64_t pulls = 0, rewards = 0;
  };
  struct Model {
    size_t d = 0;
    std::vector<Arm> arms;
  };
  Model& ModelFor(int32_t flow, int32_t op, size_t d);
  std::vector<double> Encode(const ir::FlowOp& step, core::Frame& frame, std::string* context_json);
  // Each arm's probability under the policy, and the arm drawn.
  size_t Decide(const ir::FlowOp& step, const Model& model, const std::vector<double>& x,
                const std::string& salt, std::vector<double>* probabilities);
  void Reward(const Decision& d, bool rewarded, const Event* e);
  // A decision's draws (bandits.cpp).
  class Stream {
   public:
    explicit Stream(uint64_t seed);
    double Uniform();   // [0, 1)
    double Normal();
   private:
    uint64_t state_;
    double spare_ = 0;
    bool has_spare_ = false;
  };

  std::map<std::pair<int32_t, int32_t>, Model> models_;   // by (flow, op), made at the first decision
};

}  // namespace questline::engine::mechanics
