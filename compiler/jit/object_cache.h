// Compiled objects on disk, keyed by CacheKey (compile.h): a second start of
// the same package on the same machine links them without running LLVM's
// optimiser or code generator. Entries are immutable and self-checking; a
// damaged or foreign entry is a miss, and a cache that cannot be written is
// only slower. The folder keeps the 64 most recently written entries.
#pragma once

#include <string>
#include <vector>

namespace questline::jit {

class ObjectCache {
 public:
  // An empty `dir` disables the cache.
  explicit ObjectCache(std::string dir) : dir_(std::move(dir)) {}

  // False on a miss. An entry that is there but damaged (cut short, bit rot,
  // another key's file) is a miss too, and `corrupt` says so: recompiling
  // silently would hide a disk or cache-sharing problem from the operator.
  bool Load(const std::string& key, std::vector<std::string>* objects, std::string* corrupt = nullptr) const;
  // False (with `error`) when the entry could not be written.
  bool Store(const std::string& key, const std::vector<std::string>& objects, std::string* error) const;

  // $QUESTLINE_CACHE_DIR, else $XDG_CACHE_HOME/questline, else ~/.cache/questline;
  // empty when none can be found.
  static std::string DefaultDir();

 private:
  std::string PathFor(const std::string& key) const;
  std::string dir_;
};

}  // namespace questline::jit
