// The object cache: what is stored loads back, a damaged entry is a miss, and
// the folder stays bounded.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "compiler/jit/object_cache.h"

namespace questline::jit {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path = fs::temp_directory_path() / ("questline-cache-test-" + std::to_string(::getpid()));
  TempDir() { fs::remove_all(path); }
  ~TempDir() { fs::remove_all(path); }
};

size_t Entries(const fs::path& dir) {
  size_t n = 0;
  for (const auto& e : fs::directory_iterator(dir)) n += e.path().extension() == ".qlo";
  return n;
}

TEST_CASE("a stored entry loads back; another key or a damaged file is a miss") {
  TempDir dir;
  ObjectCache cache(dir.path.string());
  std::string error;
  const std::vector<std::string> objects = {"first object", std::string("\0\1\2", 3)};
  REQUIRE(cache.Store("k1", objects, &error));
  std::vector<std::string> back;
  REQUIRE(cache.Load("k1", &back));
  CHECK(back == objects);
  CHECK_FALSE(cache.Load("k2", &back));
  // A file copied under another key's name is refused: the key is inside it.
  fs::copy_file(dir.path / "k1.qlo", dir.path / "k2.qlo");
  CHECK_FALSE(cache.Load("k2", &back));
  std::ofstream(dir.path / "k1.qlo", std::ios::binary | std::ios::app) << "x";
  CHECK_FALSE(cache.Load("k1", &back));
}

TEST_CASE("the cache keeps its newest 64 entries") {
  TempDir dir;
  ObjectCache cache(dir.path.string());
  std::string error;
  for (int i = 0; i < 70; ++i) REQUIRE(cache.Store("key" + std::to_string(i), {"object"}, &error));
  CHECK(Entries(dir.path) == 64);
  std::vector<std::string> back;
  CHECK(cache.Load("key69", &back));
  CHECK_FALSE(cache.Load("key0", &back));
}

TEST_CASE("an empty folder name disables the cache") {
  ObjectCache cache("");
  std::string error;
  CHECK(cache.Store("k", {"o"}, &error));
  std::vector<std::string> back;
  CHECK_FALSE(cache.Load("k", &back));
}

}  // namespace
}  // namespace questline::jit
