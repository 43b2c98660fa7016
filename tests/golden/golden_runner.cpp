// Golden test runner.
//   golden_runner [--update] PATH        compare findings with inline CHECK lines
//   golden_runner --render FILE EXPECTED compare the text rendering byte for byte
//   golden_runner --coverage DOCS DIR    every code documented and golden-tested
// A `fail_*` file (or `fail_*.pkg` folder) must report an error; any other must not.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "compiler/diag/render.h"
#include "compiler/driver/pipeline.h"
#include "tests/golden/expectations.h"

namespace fs = std::filesystem;
using namespace questline;

namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<std::string> QuestFiles(const fs::path& path) {
  std::vector<std::string> files;
  if (fs::is_directory(path)) {
    for (auto& entry : fs::recursive_directory_iterator(path))
      if (entry.path().extension() == ".quest") files.push_back(entry.path().string());
  } else {
    files.push_back(path.string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string Describe(const golden::Expectation& e) {
  return fs::path(e.file).filename().string() + ":" + std::to_string(e.line) + ": " + e.severity +
         "[" + e.code + "] " + e.message_prefix;
}

int RunGolden(const std::string& path, bool update) {
  driver::FrontEnd fe;
  std::string error;
  if (!driver::LoadPackage({path}, &fe.sources, &error)) {
    std::cerr << error << "\n";
    return 2;
  }
  driver::RunFrontEnd(fe);
  std::vector<golden::Expectation> actual;
  for (const diag::Diagnostic& d : fe.sink.All()) {
    if (d.range.file == diag::kNoFile || d.range.file == 0) {
      std::cerr << "finding outside the test package: " << d.message << "\n";
      return 1;
    }
    actual.push_back({fe.sources.manager.File(d.range.file).path, d.range.line,
                      diag::SeverityName(d.severity), diag::Info(d.kind).code, d.message});
  }
  std::vector<golden::Expectation> expected;
  for (const std::string& file : QuestFiles(path)) {
    auto e = golden::ReadExpectations(file, ReadAll(file));
    expected.insert(expected.end(), e.begin(), e.end());
  }

  if (update) {
    for (const std::string& file : QuestFiles(path)) {
      std::vector<golden::Expectation> mine;
      for (const auto& a : actual)
        if (a.file == file) mine.push_back(a);
      std::string rewritten = golden::RewriteExpectations(ReadAll(file), mine);
      std::ofstream(file, std::ios::binary) << rewritten;
    }
    std::cout << "updated " << path << "\n";
    return 0;
  }

  int failures = 0;
  std::vector<bool> used(actual.size(), false);
  for (const auto& e : expected) {
    bool found = false;
    for (size_t i = 0; i < actual.size() && !found; ++i) {
      const auto& a = actual[i];
      if (!used[i] && a.file == e.file && a.line == e.line && a.code == e.code &&
          a.severity == e.severity && a.message_prefix.rfind(e.message_prefix, 0) == 0) {
        used[i] = found = true;
      }
    }
    if (!found) {
      std::cout << "- expected, not reported: " << Describe(e) << "\n";
      ++failures;
    }
  }
  for (size_t i = 0; i < actual.size(); ++i) {
    if (!used[i]) {
      std::cout << "+ reported, not expected: " << Describe(actual[i]) << "\n";
      ++failures;
    }
  }
  bool must_fail = fs::path(path).filename().string().rfind("fail_", 0) == 0;
  if (must_fail != fe.sink.HasErrors()) {
    std::cout << path << (must_fail ? ": a fail_ test must report an error\n"
                                    : ": only fail_ tests may report errors\n");
    ++failures;
  }
  if (failures) {
    std::cout << "\nfull output:\n";
    diag::Render(fe.sink.All(), fe.sources.manager, {}, std::cout);
  }
  return failures ? 1 : 0;
}

int RunRender(const std::string& file, const std::string& expected_path) {
  driver::FrontEnd fe;
  std::string error;
  if (!driver::LoadPackage({file}, &fe.sources, &error)) {
    std::cerr << error << "\n";
    return 2;
  }
  driver::RunFrontEnd(fe);
  std::ostringstream out;
  diag::Render(fe.sink.All(), fe.sources.manager, {}, out);
  std::string expected = ReadAll(expected_path);
  if (out.str() == expected) return 0;
  std::cout << "rendering differs from " << expected_path << "\n--- expected\n"
            << expected << "--- actual\n" << out.str();
  return 1;
}

// Carbon-style coverage: a code without docs or without a golden test fails.
int RunCoverage(const std::string& docs_path, const std::string& golden_dir) {
  std::string docs = ReadAll(docs_path);
  std::set<std::string> golden_codes;
  for (auto& entry : fs::recursive_directory_iterator(golden_dir)) {
    if (entry.path().extension() != ".quest") continue;
    for (const auto& e : golden::ReadExpectations(entry.path().string(), ReadAll(entry.path().string())))
      golden_codes.insert(e.code);
  }
  std::set<std::string> registry;
  int failures = 0;
  for (const diag::KindInfo& k : diag::AllKinds()) {
    registry.insert(k.code);
    if (docs.find("## " + std::string(k.code)) == std::string::npos) {
      std::cout << k.code << " (" << k.name << ") has no entry in " << docs_path << "\n";
      ++failures;
    }
    // A golden file cannot be 8 MiB: Q0113 is covered by tests/syntax/bad_input_test.cpp.
    if (!golden_codes.count(k.code) && std::string(k.code) != "Q0113") {
      std::cout << k.code << " (" << k.name << ") has no golden test under " << golden_dir << "\n";
      ++failures;
    }
  }
  std::istringstream in(docs);
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("## ", 0) != 0 || line.size() < 8) continue;
    std::string code = line.substr(3, 5);
    if ((code[0] == 'Q' || code[0] == 'W') && !registry.count(code)) {
      std::cout << code << " is documented but not in diagnostics.def\n";
      ++failures;
    }
  }
  return failures ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() == 3 && args[0] == "--render") return RunRender(args[1], args[2]);
  if (args.size() == 3 && args[0] == "--coverage") return RunCoverage(args[1], args[2]);
  bool update = !args.empty() && args[0] == "--update";
  if (update) args.erase(args.begin());
  if (args.empty()) {
    std::cerr << "usage: golden_runner [--update] PATH... | --render FILE EXPECTED | --coverage DOCS DIR\n";
    return 2;
  }
  int status = 0;
  for (const std::string& path : args) status |= RunGolden(path, update);
  return status;
}
