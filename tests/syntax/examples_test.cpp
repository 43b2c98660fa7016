// Every example package and the prelude parse clean.
#include <catch2/catch.hpp>

#include <filesystem>

#include "compiler/driver/pipeline.h"

using namespace questline;

TEST_CASE("the examples parse without a finding", "[syntax][examples]") {
  namespace fs = std::filesystem;
  int packages = 0;
  for (auto& entry : fs::directory_iterator(fs::path(QUESTLINE_SOURCE_DIR) / "examples")) {
    if (!entry.is_directory()) continue;
    ++packages;
    driver::FrontEnd fe;
    std::string error;
    REQUIRE(driver::LoadPackage({entry.path().string()}, &fe.sources, &error));
    driver::RunFrontEnd(fe);
    INFO(entry.path().string());
    for (const auto& d : fe.sink.All()) INFO(d.message);
    CHECK(fe.sink.All().empty());
    CHECK(fe.modules.size() > 5);
  }
  CHECK(packages >= 2);
}
