// The framing shared by the object cache and bundles: a magic string, the
// body, and an FNV-1a checksum of everything before it. A file cut short by a
// crash, or damaged on disk, fails the seal and is treated as absent.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/jit/digest.h"
#include "core/byte_io.h"

namespace questline::jit {

inline std::string Seal(std::string_view magic, const std::string& body) {
  core::ByteWriter w;
  w.Raw(magic);
  w.Raw(body);
  w.Fixed64(Fnv1a64(w.Data()));
  return w.Take();
}

// The body, or false when the magic or the checksum does not match.
inline bool Unseal(std::string_view magic, std::string_view file, std::string_view* body) {
  if (file.size() < magic.size() + 8 || file.substr(0, magic.size()) != magic) return false;
  std::string_view sealed = file.substr(0, file.size() - 8);
  core::ByteReader tail(file.substr(file.size() - 8));
  if (tail.Fixed64() != Fnv1a64(sealed)) return false;
  *body = sealed.substr(magic.size());
  return true;
}

inline void PutObjects(core::ByteWriter& w, const std::vector<std::string>& objects) {
  w.Unsigned(objects.size());
  for (const std::string& o : objects) w.Bytes(o);
}

inline bool GetObjects(core::ByteReader& r, std::vector<std::string>* objects) {
  objects->clear();
  uint64_t n = r.Count();
  for (uint64_t i = 0; i < n && r.ok(); ++i) objects->push_back(r.Bytes());
  return r.ok();
}

// Whole-file reads and writes. Writes go to a temporary name first and are
// renamed into place, so a reader never sees half a file.
inline bool ReadWholeFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream s;
  s << in.rdbuf();
  *out = s.str();
  return bool(in) || in.eof();
}

bool WriteFileAtomically(const std::string& path, const std::string& bytes, std::string* error);

}  // namespace questline::jit
