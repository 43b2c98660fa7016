// quest test PATH…: runs scenario files (*.test.yaml) — a package, a clock
// start, events, and expectations on actions and state. Format: docs/scenarios.md.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <simdjson.h>
#include <sstream>

#include "compiler/diag/render.h"
#include "compiler/driver/backend_choice.h"
#include "compiler/driver/command.h"
#include "compiler/driver/coverage.h"
#include "compiler/driver/pipeline.h"
#include "compiler/driver/scenario.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/lower.h"
#include "runtime/engine/engine.h"
#include "runtime/engine/json_text.h"
#include "runtime/io/action_writer.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"

namespace questline::driver {
namespace {

namespace fs = std::filesystem;

int LineOf(const YAML::Node& node) { return node.Mark().line + 1; }

std::string ActionField(const engine::Action& a, const std::string& key) {
  if (key == "action") return a.action;
  if (key == "user") return a.user;
  if (key == "source") return a.source;
  if (key == "event") return a.event;
  if (key == "seq") return std::to_string(a.seq);
  std::string out;
  if (key == "ts") {
    engine::AppendTime(out, a.ts);
    return out.substr(1, out.size() - 2);
  }
  for (const auto& [name, v] : a.fields) {
    if (name != key) continue;
    switch (v.kind) {
      case engine::ActionValue::Kind::Int: return std::to_string(v.i);
      case engine::ActionValue::Kind::Decimal: engine::AppendDecimal(out, v.i); return out;
      case engine::ActionValue::Kind::Bool: return v.i ? "true" : "false";
      case engine::ActionValue::Kind::Time: engine::AppendTime(out, v.i); return out.substr(1, out.size() - 2);
      case engine::ActionValue::Kind::Null: return "null";
      default: return v.s;
    }
  }
  return "\x01missing";
}

// `times: N` in a `contains` entry is how many actions must match, not a
// field to compare (the scenario parser accepts it nowhere else).
bool IsTimes(const YAML::Node& key) { return key.Scalar() == "times"; }

bool Matches(const engine::Action& a, const YAML::Node& want) {
  for (const auto& kv : want)
    if (!IsTimes(kv.first) && ActionField(a, kv.first.Scalar()) != kv.second.Scalar()) return false;
  return true;
}

std::string Describe(const YAML::Node& want) {
  std::string out = "{";
  for (const auto& kv : want)
    if (!IsTimes(kv.first)) out += (out.size() > 1 ? ", " : "") + kv.first.Scalar() + ": " + kv.second.Scalar();
  return out + "}";
}

// `a` as the fields `keys` name, in Describe's form, so that an actual action
// lines up with the expectation it is compared with.
std::string Project(const engine::Action& a, const std::vector<std::string>& keys) {
  std::string out = "{";
  for (const std::string& key : keys) {
    std::string value = ActionField(a, key);
    if (value == "\x01missing") value = "(none)";
    out += (out.size() > 1 ? ", " : "") + key + ": " + value;
  }
  return out + "}";
}

// The keys of `wants` in order of first use, and whether every want names an
// action kind (then only actions of those kinds are relevant to the diff).
std::vector<std::string> KeysOf(const std::vector<YAML::Node>& wants, std::set<std::string>* kinds) {
  std::vector<std::string> keys;
  bool all_kinds = true;
  for (const YAML::Node& want : wants) {
    for (const auto& kv : want)
      if (!IsTimes(kv.first) && std::find(keys.begin(), keys.end(), kv.first.Scalar()) == keys.end())
        keys.push_back(kv.first.Scalar());
    if (want["action"]) kinds->insert(want["action"].Scalar());
    else all_kinds = false;
  }
  if (!all_kinds) kinds->clear();   // empty: every action is relevant
  return keys;
}

bool Relevant(const engine::Action& a, const std::set<std::string>& kinds) {
  return kinds.empty() || kinds.count(a.action) > 0;
}

// A failed expectation prints a diff below its FILE:LINE message: `-` what
// the scenario expected, `+` what the engine produced (only the actions of the
// kinds compared, as the fields compared), ` ` what matched. A long diff is
// cut: the first lines are the ones that explain the failure.
class Diff {
 public:
  Diff(std::string expected, std::string actual) : expected_(std::move(expected)), actual_(std::move(actual)) {}
  void Same(const std::string& line) { lines_.push_back("  " + line); }
  void Expected(const std::string& line) { lines_.push_back("- " + line); }
  void Actual(const std::string& line) { lines_.push_back("+ " + line); }

  // A run of more than 12 lines of one sign keeps its first 8 and last 2
  // (the last are next to where matching stopped); the whole is cut at 60.
  void Print() const {
    constexpr size_t kMaxRun = 12, kHead = 8, kTail = 2, kMaxLines = 60;
    std::vector<std::string> shown;
    for (size_t i = 0; i < lines_.size();) {
      size_t end = i + 1;
      while (end < lines_.size() && lines_[end][0] == lines_[i][0]) ++end;
      if (end - i > kMaxRun) {
        shown.insert(shown.end(), lines_.begin() + i, lines_.begin() + i + kHead);
        shown.push_back(lines_[i].substr(0, 2) + "… " + std::to_string(end - i - kHead - kTail) + " more");
        shown.insert(shown.end(), lines_.begin() + end - kTail, lines_.begin() + end);
      } else {
        shown.insert(shown.end(), lines_.begin() + i, lines_.begin() + end);
      }
      i = end;
    }
    std::cout << "    --- expected (" << expected_ << ")\n    +++ actual (" << actual_ << ")\n";
    for (size_t i = 0; i < shown.size() && i < kMaxLines; ++i) std::cout << "    " << shown[i] << "\n";
    if (shown.size() > kMaxLines) std::cout << "    … " << shown.size() - kMaxLines << " more lines\n";
  }

 private:
  std::string expected_, actual_;
  std::vector<std::string> lines_;
};

std::string KindsText(const std::set<std::string>& kinds) {
  if (kinds.empty()) return "every action";
  std::string out;
  for (const std::string& k : kinds) out += (out.empty() ? "" : ", ") + k;
  return out + " actions";
}

// "u1.points == 160", "u1.missions.m.state == completed", "u1.badges contains loyal".
// On failure `why` says what went wrong and `actual` holds the claim as the
// state would make it true ("u1.points == 150"), or is empty when the path
// has no value to show.
bool CheckState(const std::string& state_json, const std::string& claim, std::string* why,
                std::string* actual) {
  std::istringstream words(claim);
  std::string path, op, expected;
  words >> path >> op;
  std::getline(words, expected);
  expected.erase(0, expected.find_first_not_of(' '));
  size_t dot = path.find('.');
  if (dot == std::string::npos || (op != "==" && op != "!=" && op != "contains")) {
    *why = "cannot read the claim (USER.PATH == VALUE)";
    return false;
  }
  simdjson::dom::parser parser;
  simdjson::dom::element root = parser.parse(state_json);
  simdjson::dom::element user;
  bool found = false;
  for (simdjson::dom::element u : root["users"].get_array()) {
    std::string_view id;
    if (!u["user"].get_string().get(id) && id == path.substr(0, dot)) {
      user = u;
      found = true;
    }
  }
  if (!found) {
    *why = "no user '" + path.substr(0, dot) + "' in the state";
    return false;
  }
  simdjson::dom::element at = user;
  std::string rest = path.substr(dot + 1);
  std::stringstream parts(rest);
  for (std::string part; std::getline(parts, part, '.');) {
    if (at[part].get(at)) {
      // A claim on a path that does not exist is a mistake (a misspelling
      // would make `!=` pass vacuously), whatever the operator.
      *why = "no '" + part + "' in " + path + ": the state has no such path";
      return false;
    }
  }
  auto text = [](simdjson::dom::element e) {
    std::string_view s;
    if (!e.get_string().get(s)) return std::string(s);
    return simdjson::minify(e);
  };
  if (op == "contains") {
    simdjson::dom::array arr;
    if (at.get_array().get(arr)) {
      *why = path + " is not a list";
      return false;
    }
    for (simdjson::dom::element e : arr)
      if (text(e) == expected) return true;
    *why = path + " is " + simdjson::minify(at);
    *actual = path + " == " + simdjson::minify(at);
    return false;
  }
  bool equal = text(at) == expected;
  if (equal != (op == "==")) {
    *why = path + " is " + text(at);
    *actual = path + " == " + text(at);
  }
  return equal == (op == "==");
}

// The scenario's expectations against one engine's actions and state: the
// number of failures, each reported with the scenario's file and line.
int CheckExpectations(const fs::path& file, const YAML::Node& doc, const std::vector<engine::Action>& actions,
                      const std::string& state) {
  int failures = 0;
  const YAML::Node expect = doc["expect"];
  auto show_actions = [&] {
    std::cout << "  actions were:\n";
    for (size_t i = 0; i < actions.size() && i < 40; ++i) {
      std::string json;
      io::AppendActionJson(json, actions[i]);
      std::cout << "    " << json;
    }
  };
  // A state-only scenario has no `actions`: indexing a missing node throws in
  // yaml-cpp, so every list is looked up through this.
  const YAML::Node expect_actions = expect["actions"] ? expect["actions"] : YAML::Node(YAML::NodeType::Map);
  auto action_list = [&](const char* key) {
    return expect_actions[key] ? expect_actions[key] : YAML::Node(YAML::NodeType::Sequence);
  };
  for (const YAML::Node& want : action_list("contains")) {
    size_t matched = 0;
    for (const engine::Action& a : actions) matched += Matches(a, want);
    // Without `times`, at least one; with it, exactly that many.
    const size_t times = want["times"] ? want["times"].as<size_t>() : 0;
    if (times ? matched != times : matched == 0) {
      if (times)
        std::cout << file.string() << ":" << LineOf(want) << ": expected " << times
                  << (times == 1 ? " action " : " actions ") << Describe(want) << ", " << matched << " matched\n";
      else
        std::cout << file.string() << ":" << LineOf(want) << ": expected an action " << Describe(want)
                  << ", none matched\n";
      std::set<std::string> kinds;
      const std::vector<std::string> keys = KeysOf({want}, &kinds);
      Diff diff(times ? "this many actions" : "this action", KindsText(kinds) + ", as the fields compared");
      diff.Expected(Describe(want) + (times ? " (times: " + std::to_string(times) + ")" : ""));
      size_t shown = 0;
      for (const engine::Action& a : actions)
        if (Relevant(a, kinds)) {
          diff.Actual(Project(a, keys));
          ++shown;
        }
      if (shown == 0) diff.Actual(kinds.empty() ? "(no action at all)" : "(no " + KindsText(kinds) + ")");
      diff.Print();
      ++failures;
    }
  }
  for (const YAML::Node& want : action_list("not_contains")) {
    bool reported = false;
    Diff diff("no such action", "the actions that match, in full");
    for (const engine::Action& a : actions)
      if (Matches(a, want)) {
        if (!reported)
          std::cout << file.string() << ":" << LineOf(want) << ": did not expect an action " << Describe(want)
                    << "\n";
        reported = true;
        std::string json;
        io::AppendActionJson(json, a);
        if (!json.empty() && json.back() == '\n') json.pop_back();
        diff.Actual(json);
      }
    if (reported) {
      diff.Print();
      ++failures;
    }
  }
  if (expect_actions["sequence"]) {
    const YAML::Node seq = action_list("sequence");
    std::vector<YAML::Node> wants(seq.begin(), seq.end());
    std::set<std::string> kinds;
    const std::vector<std::string> keys = KeysOf(wants, &kinds);
    // The greedy walk decides the expectation (an in-order match, other
    // actions may come between); it is also the diff's alignment: a relevant
    // action that does not match the next expected one is `+`, and the
    // expected actions left over are `-` just after the last one that matched.
    Diff diff("the sequence", KindsText(kinds) + ", as the fields compared");
    size_t next = 0;
    std::vector<std::string> after_last_match;
    for (const engine::Action& a : actions) {
      if (next < wants.size() && Matches(a, wants[next])) {
        for (const std::string& line : after_last_match) diff.Actual(line);
        after_last_match.clear();
        diff.Same(Describe(wants[next++]));
      } else if (Relevant(a, kinds)) {
        after_last_match.push_back(Project(a, keys));
      }
    }
    if (next < wants.size()) {
      std::cout << file.string() << ":" << LineOf(wants[next]) << ": the sequence stops matching at "
                << Describe(wants[next]) << "\n";
      for (size_t i = next; i < wants.size(); ++i) diff.Expected(Describe(wants[i]));
      for (const std::string& line : after_last_match) diff.Actual(line);
      diff.Print();
      ++failures;
    }
  }
  if (failures && !actions.empty()) show_actions();
  for (const YAML::Node& claim : expect["state"] ? expect["state"] : YAML::Node(YAML::NodeType::Sequence)) {
    std::string why, actual;
    if (!CheckState(state, claim.as<std::string>(), &why, &actual)) {
      std::cout << file.string() << ":" << LineOf(claim) << ": state: " << claim.as<std::string>() << " — but "
                << why << "\n";
      if (!actual.empty()) {
        Diff diff("the claim", "the state");
        diff.Expected(claim.as<std::string>());
        diff.Actual(actual);
        diff.Print();
      }
      ++failures;
    }
  }
  return failures;
}

// One engine's run of a scenario: its actions and its final state.
struct ScenarioRun {
  std::vector<engine::Action> actions;
  std::string state;
  int rejected = 0;   // events the reader refused (each reported)
};

ScenarioRun RunScenarioOn(const fs::path& file, const Scenario& scenario, const ir::Program& program,
                          EngineKind engine_kind, size_t partitions, engine::Tracer* tracer) {
  ScenarioRun run;
  std::unique_ptr<core::Backend> backend = MakeBackend(program, engine_kind, file.string(), std::cout);
  engine::StringPool strings;
  engine::EngineOptions options;
  options.tracer = tracer;
  options.partitions = partitions;
  engine::Engine engine(program, *backend, strings, options);
  io::EventReader reader(program.schema, strings);
  // The scenario's events as the NDJSON `quest run` would read: one line each
  // (the scenario parser writes no newline inside one), so line N is event N.
  std::string ndjson;
  for (const std::string& line : scenario.events) ndjson += line + "\n";
  std::istringstream in(ndjson);
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection& r) {
    std::cout << file.string() << ": event " << r.line << " rejected: " << r.reason << "\n";
    ++run.rejected;
  };
  io::Replay(in, reader, engine, hooks);
  if (scenario.until) engine.AdvanceTo(*scenario.until);
  run.actions = engine.DrainActions();
  run.state = engine.StateJson();
  return run;
}

// `--engine both`, `--partitions N`: two runs must agree to the byte, actions and state.
struct NamedRun {
  std::string name;   // "interp", "jit", "3 partitions"
  const ScenarioRun* run;
};

int CompareRuns(const fs::path& file, const NamedRun& a, const NamedRun& b) {
  const ScenarioRun& interp_run = *a.run;
  const ScenarioRun& jit_run = *b.run;
  std::vector<std::string> lines[2];
  const ScenarioRun* runs[2] = {&interp_run, &jit_run};
  const size_t width = std::max(a.name.size(), b.name.size()) + 1;
  const std::string label_a = a.name + ":" + std::string(width - a.name.size(), ' ');
  const std::string label_b = b.name + ":" + std::string(width - b.name.size(), ' ');
  for (int i = 0; i < 2; ++i)
    for (const engine::Action& a : runs[i]->actions) io::AppendActionJson(lines[i].emplace_back(), a);
  for (size_t i = 0; i < std::max(lines[0].size(), lines[1].size()); ++i) {
    const std::string none = "(no action)\n";
    const std::string& x = i < lines[0].size() ? lines[0][i] : none;
    const std::string& y = i < lines[1].size() ? lines[1][i] : none;
    if (x == y) continue;
    std::cout << file.string() << ": the runs disagree at action " << i + 1 << "\n  " << label_a << x << "  "
              << label_b << y;
    return 1;
  }
  if (interp_run.state != jit_run.state) {
    size_t at = 0;
    while (at < interp_run.state.size() && at < jit_run.state.size() && interp_run.state[at] == jit_run.state[at]) ++at;
    const size_t from = at < 60 ? 0 : at - 60;
    std::cout << file.string() << ": the runs disagree on the state at byte " << at << "\n  " << label_a << "…"
              << interp_run.state.substr(from, 120) << "\n  " << label_b << "…" << jit_run.state.substr(from, 120) << "\n";
    return 1;
  }
  return 0;
}

// With `coverage`, the scenario's first run is added to it.
int RunScenarioFile(const fs::path& file, EngineKind engine_kind, bool both, size_t partitions, CoverageReport* coverage) {
  std::string text;
  {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw YAML::BadFile(file.string());
    std::ostringstream s;
    s << in.rdbuf();
    text = s.str();
  }
  Scenario scenario;
  int problems = 0;
  if (!ParseScenario(text, file.string(), &scenario, std::cout, &problems)) {
    if (problems)
      std::cout << "FAIL " << file.string() << " (" << problems << (problems == 1 ? " error" : " errors")
                << " in the scenario)\n";
    return 1;
  }
  fs::path dir = file.parent_path();
  if (dir.empty()) dir = ".";   // a bare file name: its folder is the current one
  std::string package = !scenario.package.empty() ? (dir / scenario.package).string() : dir.string();
  FrontEnd fe;
  std::string error;
  if (!LoadPackage({package}, &fe.sources, &error)) {
    std::cout << file.string() << ": " << error << "\n";
    return 1;
  }
  RunFrontEnd(fe);
  if (!fe.ok()) {
    diag::Render(fe.sink.All(), fe.sources.manager, {}, std::cout);
    return 1;
  }
  ir::SourceMap source_map;
  ir::Program program = ir::LowerToIr(fe.package, coverage ? &source_map : nullptr);
  std::optional<CoverageTracer> tracer;
  if (coverage) tracer.emplace(program);
  // The runs: the engine (or both), then the first on N partitions.
  struct Setting { EngineKind kind; size_t partitions; std::string name; };
  std::vector<Setting> settings;
  if (both) settings = {{EngineKind::Interp, 1, "interp"}, {EngineKind::Jit, 1, "jit"}};
  else settings = {{engine_kind, 1, engine_kind == EngineKind::Jit ? "jit" : "interp"}};
  if (partitions > 1) settings.push_back({settings[0].kind, partitions, std::to_string(partitions) + " partitions"});
  std::vector<ScenarioRun> runs;
  runs.reserve(settings.size());
  int failures = 0;
  for (const Setting& s : settings) {
    runs.push_back(RunScenarioOn(file, scenario, program, s.kind, s.partitions, tracer && runs.empty() ? &*tracer : nullptr));
    const int f = runs.back().rejected + CheckExpectations(file, scenario.doc, runs.back().actions, runs.back().state);
    if (settings.size() > 1 && f) std::cout << "  (the failures above are the " << s.name << " run's)\n";
    failures += f;
  }
  for (size_t n = 1; n < runs.size(); ++n)
    failures += CompareRuns(file, {settings[0].name, &runs[0]}, {settings[n].name, &runs[n]});
  if (tracer) {
    tracer->Flush();
    coverage->Add(*tracer, source_map, fe.sources.manager);
  }
  const std::vector<engine::Action>& actions = runs.back().actions;
  std::cout << (failures ? "FAIL " : "ok   ") << file.string() << " (" << actions.size() << " actions)\n";
  return failures ? 1 : 0;
}

// The coverage report to `path` (empty: standard output).
bool WriteCoverage(const CoverageReport& report, const std::string& format, const std::string& path) {
  std::ofstream file;
  if (!path.empty()) file.open(path, std::ios::binary);
  std::ostream& out = path.empty() ? std::cout : file;
  if (format == "lcov") report.PrintLcov(out);
  else report.PrintText(out);
  out.flush();
  if (!out) std::cerr << "quest test: cannot write the coverage report to '" << path << "'\n";
  return bool(out);
}

const char* kHelp =
    "usage: quest test PATH... [--engine jit|interp|both] [--partitions N]\n"
    "                  [--coverage [--format text|lcov] [--coverage-out FILE]]\n"
    "\n"
    "Run scenario files (*.test.yaml; folders recurse): events through a package,\n"
    "then expectations on its actions and state. Format: docs/scenarios.md.\n"
    "  --engine E  jit (default) or interp, as for quest run; both: each scenario on\n"
    "              both, whose actions and state must also agree to the byte\n"
    "  --partitions N\n"
    "              each scenario also with its players split over N partitions\n"
    "              (2-256), whose actions and state must agree to the byte with one\n"
    "  --coverage  then report what no scenario exercised: rules never fired, rule\n"
    "              conditions never true or never false, tasks and flow steps never\n"
    "              reached, with the percent covered per file (docs/tooling.md)\n"
    "  --format F  the coverage report: text (default) or lcov\n"
    "  --coverage-out FILE\n"
    "              write it to FILE (default: standard output, after the results)\n"
    "exit: 0 all pass, 1 a failure or an invalid scenario (file:line), 2 usage or unreadable input\n";

}  // namespace

int TestCommand(const Args& args) {
  std::vector<fs::path> files;
  EngineKind engine_kind = EngineKind::Jit;
  bool both = false;   // each scenario on both engines, which must also agree to the byte
  size_t partitions = 1;   // > 1: each scenario on that many partitions too, which must agree with one
  bool unreadable = false, coverage = false;
  std::string format = "text", coverage_path;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return kExitOk;
    }
    if (a == "--coverage") {
      coverage = true;
      continue;
    }
    if (a == "--format" || a == "--coverage-out") {
      if (i + 1 >= args.size()) {
        std::cerr << "quest test: " << a << " needs a value\n";
        return kExitUsage;
      }
      (a == "--format" ? format : coverage_path) = args[++i];
      coverage = true;
      continue;
    }
    if (a == "--partitions") {
      char* end = nullptr;
      const long n = i + 1 < args.size() ? std::strtol(args[i + 1].c_str(), &end, 10) : 0;
      if (i + 1 >= args.size() || end == args[i + 1].c_str() || *end != '\0' || n < 2 || n > 256) {
        std::cerr << "quest test: --partitions takes a number from 2 to 256\n";
        return kExitUsage;
      }
      partitions = size_t(n);
      ++i;
      continue;
    }
    if (a == "--engine") {
      both = i + 1 < args.size() && args[i + 1] == "both";
      if (i + 1 >= args.size() || (!both && !ParseEngine(args[i + 1], &engine_kind))) {
        std::cerr << "quest test: --engine takes jit, interp or both\n";
        return kExitUsage;
      }
      ++i;
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(a, ec)) {
      // An explicit stack, not recursion: a folder that cannot be read is
      // reported (exit 2) and the others still run.
      std::vector<fs::path> folders = {a};
      while (!folders.empty()) {
        fs::path folder = folders.back();
        folders.pop_back();
        fs::directory_iterator it(folder, ec), end;
        for (; !ec && it != end; it.increment(ec)) {
          std::error_code type_ec;
          const std::string name = it->path().string();
          if (it->is_directory(type_ec) && !it->is_symlink(type_ec)) folders.push_back(it->path());
          else if (name.size() > 10 && name.compare(name.size() - 10, 10, ".test.yaml") == 0) files.push_back(it->path());
        }
        if (ec) {
          std::cerr << "quest test: cannot read '" << folder.string() << "': " << ec.message() << "\n";
          unreadable = true;
        }
      }
    } else if (fs::exists(a, ec)) {
      files.push_back(a);
    } else {
      std::cerr << "quest test: cannot read '" << a << "'\n";
      return kExitUsage;
    }
  }
  if (files.empty()) {
    if (!unreadable) std::cerr << kHelp;
    return kExitUsage;
  }
  if (format != "text" && format != "lcov") {
    std::cerr << "quest test: unknown coverage format '" << format << "'; use text or lcov\n";
    return kExitUsage;
  }
  std::optional<CoverageReport> report;
  if (coverage) report.emplace();
  std::sort(files.begin(), files.end());
  int failed = 0;
  for (const fs::path& f : files) {
    try {
      failed += RunScenarioFile(f, engine_kind, both, partitions, report ? &*report : nullptr);
    } catch (const YAML::BadFile&) {
      std::cerr << "quest test: cannot read '" << f.string() << "'\n";
      unreadable = true;
      ++failed;
    } catch (const YAML::Exception& e) {   // its message holds the line and column
      std::cout << "FAIL " << f.string() << ":" << e.mark.line + 1 << ": " << e.msg << "\n";
      ++failed;
    } catch (const std::exception& e) {
      std::cout << "FAIL " << f.string() << ": " << e.what() << "\n";
      ++failed;
    }
  }
  std::cout << files.size() - size_t(failed) << " of " << files.size() << " scenarios passed\n";
  if (report && !WriteCoverage(*report, format, coverage_path)) return kExitUsage;
  return unreadable ? kExitUsage : failed ? kExitFailure : kExitOk;
}

}  // namespace questline::driver
