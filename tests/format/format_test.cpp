// quest fmt's guarantees on every package in the repository (issue 18 §1):
// formatting keeps the meaning (the same IR bytes, or the same findings),
// is idempotent, and keeps every comment. Plus the style cases in cases/.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/driver/pipeline.h"
#include "compiler/format/format.h"
#include "compiler/ir/lower.h"
#include "core/ir/program_codec.h"

using namespace questline;
namespace fs = std::filesystem;

namespace {

const fs::path kRoot = QUESTLINE_SOURCE_DIR;

std::string ReadAll(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Every package the repository holds: the examples, each golden file or
// `*.pkg` folder, each engine and driver scenario file, the fuzz seeds.
std::vector<fs::path> Packages() {
  std::vector<fs::path> out;
  for (auto& e : fs::directory_iterator(kRoot / "examples"))
    if (e.is_directory()) out.push_back(e.path());
  for (const char* dir : {"tests/golden", "tests/engine/scenarios", "tests/driver/scenarios",
                          "tests/fuzz/corpus/frontend", "tests/format/cases"}) {
    for (auto& e : fs::recursive_directory_iterator(kRoot / dir)) {
      const std::string p = e.path().string();
      if (e.is_directory() && e.path().extension() == ".pkg") out.push_back(e.path());
      else if (e.path().extension() == ".quest" && p.find(".pkg/") == std::string::npos) out.push_back(e.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The comments of a text, in order: `//` to the line's end and `/* … */`,
// outside string literals. Independent of the lexer on purpose.
std::vector<std::string> Comments(const std::string& text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    if (text[i] == '"') {
      for (++i; i < text.size() && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (text.compare(i, 2, "//") == 0) {
      const size_t end = text.find_first_of("\r\n", i);
      out.push_back(text.substr(i, end == std::string::npos ? std::string::npos : end - i));
      i = end == std::string::npos ? text.size() : end;
    } else if (text.compare(i, 2, "/*") == 0) {
      const size_t end = text.find("*/", i + 2);
      out.push_back(text.substr(i, end == std::string::npos ? std::string::npos : end + 2 - i));
      i = end == std::string::npos ? text.size() : end + 2;
    } else {
      ++i;
    }
  }
  return out;
}

std::string Findings(const driver::FrontEnd& fe) {
  std::string out;
  for (const diag::Diagnostic& d : fe.sink.All()) out += std::string(diag::Info(d.kind).code) + " " + d.message + "\n";
  return out;
}

// The package compiled as a program (its IR bytes), or its findings without
// their positions (formatting moves them).
std::string Meaning(driver::FrontEnd& fe) {
  driver::RunFrontEnd(fe);
  if (!fe.ok()) return "errors:\n" + Findings(fe);
  return "ir:\n" + ir::SerializeProgram(ir::LowerToIr(fe.package));
}

struct FormattedText {
  bool ok;
  std::string text;
};

FormattedText FormatText(const std::string& name, const std::string& text) {
  diag::SourceManager sources;
  diag::DiagnosticSink sink;
  const diag::FileId id = sources.AddFile(name, text);
  const format::Formatted f = format::FormatFile(id, sources, sink);
  INFO(name << ": " << f.internal_error);
  CHECK(f.internal_error.empty());
  return {f.ok, f.text};
}

}  // namespace

TEST_CASE("formatting every package keeps its meaning, its comments, and is idempotent", "[format]") {
  size_t packages = 0, formatted_files = 0, refused_files = 0, compiled = 0;
  for (const fs::path& package : Packages()) {
    INFO(package.string());
    driver::FrontEnd before, after;
    std::string error;
    REQUIRE(driver::LoadPackage({package.string()}, &before.sources, &error));
    ++packages;
    bool all_formatted = true;
    for (size_t i = 0; i < before.sources.files.size(); ++i) {
      const diag::SourceFile& file = before.sources.manager.File(before.sources.files[i]);
      std::string text = file.text;
      if (i > 0) {   // the prelude stays as it is
        const FormattedText once = FormatText(file.path, file.text);
        if (!once.ok) {
          ++refused_files;
          all_formatted = false;
          break;
        }
        ++formatted_files;
        INFO(file.path);
        CHECK(Comments(once.text) == Comments(file.text));
        const FormattedText twice = FormatText(file.path, once.text);
        CHECK(twice.ok);
        CHECK(twice.text == once.text);
        text = once.text;
      }
      after.sources.files.push_back(after.sources.manager.AddFile(file.path, text));
    }
    if (!all_formatted) {
      // Refused only for what the parser reports: the package has errors.
      driver::RunFrontEnd(before);
      CHECK(before.sink.HasErrors());
      continue;
    }
    const std::string meaning = Meaning(before);
    if (meaning.rfind("ir:", 0) == 0) ++compiled;
    CHECK(Meaning(after) == meaning);
  }
  CHECK(packages > 250);
  CHECK(compiled > 100);
  CHECK(formatted_files > refused_files);
  WARN(packages << " packages, " << compiled << " compiled, " << formatted_files << " files formatted, "
                << refused_files << " refused for syntax errors");
}

// cases/NAME.quest formats to cases/NAME.quest.expected; with
// QUESTLINE_UPDATE_GOLDEN=1 the expectations are rewritten instead.
TEST_CASE("style cases format as expected", "[format][golden]") {
  const bool update = std::getenv("QUESTLINE_UPDATE_GOLDEN") != nullptr;
  size_t cases = 0;
  for (auto& e : fs::directory_iterator(kRoot / "tests/format/cases")) {
    if (e.path().extension() != ".quest") continue;
    ++cases;
    INFO(e.path().string());
    const FormattedText f = FormatText(e.path().string(), ReadAll(e.path()));
    REQUIRE(f.ok);
    const fs::path expected = e.path().string() + ".expected";
    if (update) {
      std::ofstream(expected, std::ios::binary) << f.text;
      continue;
    }
    CHECK(f.text == ReadAll(expected));
  }
  CHECK(cases >= 5);
}

TEST_CASE("a file with syntax errors is not formatted", "[format]") {
  diag::SourceManager sources;
  diag::DiagnosticSink sink;
  const diag::FileId id = sources.AddFile("bad.quest", "rule r on bet {\n  award points\n");
  const format::Formatted f = format::FormatFile(id, sources, sink);
  CHECK_FALSE(f.ok);
  CHECK(f.internal_error.empty());
  CHECK(sink.HasErrors());
}

TEST_CASE("an empty file or one of comments only", "[format]") {
  CHECK(FormatText("e.quest", "").text == "");
  CHECK(FormatText("c.quest", "  // only a note   \n\n\n/* and */\n").text == "// only a note   \n\n/* and */\n");
}
