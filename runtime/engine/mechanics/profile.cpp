#include "runtime/engine/mechanics/profile.h"

#include <algorithm>

#include "runtime/engine/json_text.h"
#include "runtime/engine/kernel.h"
#include "runtime/engine/migration.h"
#include "runtime/engine/snapshot_io.h"

namespace questline::engine::mechanics {

Profile::Profile(Kernel& k) : Mechanic(k) {
  registration_ = k_.p.schema.Find("registration");
  for (size_t i = 0; i < k_.p.profile_names.size(); ++i)
    if (k_.p.profile_names[i] == "registered_at" && k_.p.profile_kinds[i] == ValueKind::Time) registered_at_ = int32_t(i);
  fields_ = k_.layout.Reserve<Value>(k_.p.profile_defaults.size());
}

Value Profile::Field(int32_t field) const { return fields_.In(k_.user->block)[field]; }

void Profile::NewPlayer(UserState& u) {
  for (size_t i = 0; i < k_.p.profile_defaults.size(); ++i) {
    Value v = k_.p.profile_defaults[i];
    if (v.kind == ValueKind::String && !v.none) v.i = k_.literal_ids[size_t(v.i)];
    fields_.In(u.block)[i] = v;
  }
}

// profile_update and registration: every profile field the event carries
// (same name and kind; an absent one reads as none and is left alone). A
// registration also dates the player: registered_at is its time.
bool Profile::OnRequest(const Event& e) {
  if (e.type != k_.p.profile_update && e.type != registration_) return true;
  const EventType& et = k_.p.schema.types[size_t(e.type)];
  for (size_t f = 3; f < et.fields.size(); ++f) {
    if (e.fields[f].none) continue;
    for (size_t i = 0; i < k_.p.profile_names.size(); ++i)
      if (k_.p.profile_names[i] == et.fields[f].name && k_.p.profile_kinds[i] == et.fields[f].kind)
        fields_.In(k_.user->block)[i] = e.fields[f];
  }
  if (e.type == registration_ && registered_at_ >= 0) fields_.In(k_.user->block)[registered_at_] = Value::Time(e.Ts());
  return true;
}

bool Profile::Effect(const ir::Stmt& s, Value value, const std::vector<Value>&) {
  if (s.kind != ir::StmtKind::Tag && s.kind != ir::StmtKind::Untag) return false;
  if (value.none) return true;
  std::vector<uint32_t>& tags = k_.user->profile.tags;
  const uint32_t tag = uint32_t(value.i);
  auto it = std::lower_bound(tags.begin(), tags.end(), tag);
  const bool present = it != tags.end() && *it == tag;
  if (s.kind == ir::StmtKind::Tag && !present) tags.insert(it, tag);
  else if (s.kind == ir::StmtKind::Untag && present) tags.erase(it);
  else return true;
  k_.Emit(*k_.source, "tag", {{"tag", ActionValue::String(k_.strings.Get(tag))},
                              {"op", ActionValue::String(s.kind == ir::StmtKind::Tag ? "add" : "remove")}});
  return true;
}

// Tags by text: the order of interned ids is first-seen, which depends on
// every other player's events (and on partitions, docs/engine.md).
void Profile::WriteState(const UserState& u, std::string& out) const {
  std::vector<const std::string*> tags;
  tags.reserve(u.profile.tags.size());
  for (uint32_t tag : u.profile.tags) tags.push_back(&k_.strings.Get(tag));
  std::sort(tags.begin(), tags.end(), [](const std::string* a, const std::string* b) { return *a < *b; });
  out += ",\"tags\":[";
  for (size_t t = 0; t < tags.size(); ++t) {
    if (t) out += ",";
    AppendJsonString(out, *tags[t]);
  }
  out += "]";
}

void Profile::SavePlayer(const UserState& u, core::ByteWriter& w) const {
  w.Unsigned(u.profile.tags.size());
  for (uint32_t tag : u.profile.tags) w.Unsigned(tag);
}

void Profile::LoadPlayer(UserState& u, core::ByteReader& r) {
  u.profile.tags.resize(r.Count());
  for (uint32_t& tag : u.profile.tags) {
    tag = uint32_t(r.Unsigned());
    if (tag >= k_.strings.Size()) r.Fail();
  }
}

void Profile::MigratePlayer(const Profile& old, const UserState& from, UserState& to, const Migration& mg) {
  CopySlots(mg.profile, old.fields_, from.block, fields_, to.block);
  to.profile.tags = from.profile.tags;
}

}  // namespace questline::engine::mechanics
