#include "compiler/jit/object_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include "compiler/jit/sealed_file.h"

namespace questline::jit {
namespace {

constexpr std::string_view kMagic = "QLOBJ\x01\r\n";
constexpr size_t kMaxEntries = 64;   // packages × versions a machine keeps compiled

// Keeps the folder from growing without bound as packages change: the least
// recently written entries beyond kMaxEntries go. Best effort, like the cache.
void Evict(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  for (const fs::directory_entry& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".qlo") entries.emplace_back(e.last_write_time(ec), e.path());
  if (entries.size() <= kMaxEntries) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + kMaxEntries < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

}  // namespace

bool WriteFileAtomically(const std::string& path, const std::string& bytes, std::string* error) {
  // The process id keeps two writers of the same entry from sharing a temporary.
  const std::string tmp = path + ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), std::streamsize(bytes.size()));
    out.close();
    if (!out) {
      *error = "cannot write '" + tmp + "'";
      std::filesystem::remove(tmp);
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    *error = "cannot rename '" + tmp + "' to '" + path + "': " + ec.message();
    std::filesystem::remove(tmp, ec);
    return false;
  }
  return true;
}

std::string ObjectCache::DefaultDir() {
  if (const char* dir = std::getenv("QUESTLINE_CACHE_DIR")) return dir;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/questline";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/questline";
  return {};
}

std::string ObjectCache::PathFor(const std::string& key) const { return dir_ + "/" + key + ".qlo"; }

bool ObjectCache::Load(const std::string& key, std::vector<std::string>* objects, std::string* corrupt) const {
  if (dir_.empty()) return false;
  std::string file;
  std::string_view body;
  const std::string path = PathFor(key);
  if (!ReadWholeFile(path, &file)) return false;   // absent: an ordinary miss
  auto damaged = [&](const char* why) {
    if (corrupt) *corrupt = "object cache entry '" + path + "' is corrupt (" + why + "); recompiling";
    objects->clear();
    return false;
  };
  if (!Unseal(kMagic, file, &body)) return damaged("its checksum does not match");
  core::ByteReader r(body);
  // The key inside guards against a file copied under another name.
  if (r.Bytes() != key) return damaged("it holds another key");
  if (!GetObjects(r, objects) || !r.AtEnd()) return damaged("its objects are malformed");
  return true;
}

bool ObjectCache::Store(const std::string& key, const std::vector<std::string>& objects, std::string* error) const {
  if (dir_.empty()) return true;
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) {
    *error = "cannot create the cache folder '" + dir_ + "': " + ec.message();
    return false;
  }
  core::ByteWriter w;
  w.Bytes(key);
  PutObjects(w, objects);
  if (!WriteFileAtomically(PathFor(key), Seal(kMagic, w.Take()), error)) return false;
  Evict(dir_);
  return true;
}

}  // namespace questline::jit
