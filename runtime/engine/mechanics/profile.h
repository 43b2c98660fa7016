// The player's profile: fields the product sends (profile_update,
// registration) and tags blocks add or remove.
#pragma once

#include "runtime/engine/mechanic.h"

namespace questline::engine::mechanics {

class Profile : public Mechanic {
 public:
  struct Player {
    std::vector<uint32_t> tags;   // interned, sorted
  };
  explicit Profile(Kernel& k);

  void NewPlayer(UserState& u);
  bool OnRequest(const Event& e);   // profile_update and registration: never rejected
  bool Effect(const ir::Stmt& s, Value value, const std::vector<Value>& data);   // tag, untag
  void WriteState(const UserState& u, std::string& out) const;
  void SavePlayer(const UserState& u, core::ByteWriter& w) const;
  void LoadPlayer(UserState& u, core::ByteReader& r);

  Value Field(int32_t field) const;   // the step's player's

  // Fields by name and kind; tags as they are.
  void MigratePlayer(const Profile& old, const UserState& from, UserState& to, const Migration& mg);
 private:
  Slots<Value> fields_;
  int32_t registration_ = -1;    // the registration event type, or -1
  int32_t registered_at_ = -1;   // the profile's registered_at, or -1
};

}  // namespace questline::engine::mechanics
