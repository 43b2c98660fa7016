// quest run PATH…|--bundle FILE.qlb --events FILE [--actions OUT] [--state OUT]
//           [--until TIME] [--seed S] [--engine jit|interp]
//           [--import-segment NAME=FILE.csv]… [--import-balances FILE.csv]…
//           [--profile [--profile-format text|json] [--profile-out FILE]]
#include <cstdio>
#include <cctype>
#include <cstdlib>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>

#include "compiler/driver/command.h"
#include "compiler/driver/pipeline.h"
#include "compiler/driver/backend_choice.h"
#include "compiler/driver/file_identity.h"
#include "compiler/driver/load_program.h"
#include "compiler/driver/package_replay.h"
#include "compiler/driver/profiler.h"
#include "runtime/engine/engine.h"
#include "runtime/io/action_writer.h"
#include "runtime/io/csv_import.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"

namespace questline::driver {
namespace {

const char* kHelp =
    "usage: quest run PATH... --events FILE [--actions OUT] [--state OUT] [--until TIME]\n"
    "                 [--seed S] [--engine jit|interp] [--dedupe-window D] [--partitions N]\n"
    "                 [--owned-elsewhere]\n"
    "                 [--import-segment NAME=FILE.csv]... [--import-balances FILE.csv]...\n"
    "       quest run --bundle FILE.qlb --events FILE [same options]\n"
    "\n"
    "Replay NDJSON events (FILE, or - for stdin) through a package, offline.\n"
    "  --actions OUT  write actions as NDJSON to OUT (default, or -: stdout)\n"
    "  --state OUT    write every user's final state as JSON to OUT (-: stdout,\n"
    "                 with --actions FILE)\n"
    "  --until TIME   advance the clock to TIME (RFC 3339) after the last event,\n"
    "                 firing the timers due by then (time limits, quiet hours)\n"
    "  --seed S       the random source's key (mini-games, raffles, holdouts, splits);\n"
    "                 default: the package's settings.seed\n"
    "  --engine E     jit (default: native code, cached between runs; falls back to\n"
    "                 the interpreter with a warning if LLVM fails) or interp (the\n"
    "                 reference interpreter); both give the same bytes\n"
    "  --dedupe-window D\n"
    "                 an event whose id was seen within D of event time before it is a\n"
    "                 duplicate and is skipped (default 7d; units ms s m h d w)\n"
    "  --partitions N the players split over N partitions (1-256) by a hash of their\n"
    "                 id (docs/engine.md, \"Partitions\"): the same bytes as one\n"
    "  --owned-elsewhere\n"
    "                 replay one Kafka partition's log (docs/scale-out.md): competitions\n"
    "                 and stock are owned elsewhere; the log's {\"competition_result\":…}\n"
    "                 lines give each player's outcome and its {\"stock_answer\":…} lines\n"
    "                 each purchase's, play's or registration's stock; the events wait at\n"
    "                 a window's end for its results and at a claim for its answer\n"
    "  --bundle FILE  run a bundle from `quest build` instead of a package's sources\n"
    "  --import-segment NAME=FILE.csv\n"
    "                 the members of `imported` segment NAME: a header line, then one\n"
    "                 user id per line; the list replaces the segment's members\n"
    "  --import-balances FILE.csv\n"
    "                 balance operations: the header user,currency,operation,amount,\n"
    "                 operation add, deduct (at most the balance) or set\n"
    "                 Imports apply in the order given, before the first event; any\n"
    "                 bad row (reported with its line) stops the run before any event\n"
    "  --profile      time each rule, metric, mission and flow (docs/tooling.md): a\n"
    "                 table after the summary, the most time first\n"
    "  --profile-format F\n"
    "                 text (default) or json\n"
    "  --profile-out FILE\n"
    "                 write the profile to FILE (default: standard error)\n"
    "exit: 0 replayed, 1 compile errors, 2 usage or unreadable input\n";

// The actions to their NDJSON stream, tallying the points awarded per user
// for the summary.
class TallyingSink final : public engine::ActionSink {
 public:
  explicit TallyingSink(std::ostream& out) : writer_(out) {}
  void Write(engine::Action&& a) override {
    if (a.action == "award" && a.fields.size() > 1 && a.fields[0].second.s == "points")
      points_by_user[a.user] += a.fields[1].second.i;
    writer_.Write(std::move(a));
  }
  bool Flush() { return writer_.Flush(); }
  std::map<std::string, int64_t> points_by_user;

 private:
  io::NdjsonActionSink writer_;
};

// A duration such as 7d or 90m: digits, then ms, s, m, h, d or w; at most
// 100 years, so that window arithmetic cannot overflow.
bool ParseDurationArg(const std::string& text, int64_t* ms) {
  size_t digits = 0;
  while (digits < text.size() && digits < 12 && std::isdigit(static_cast<unsigned char>(text[digits]))) ++digits;
  if (digits == 0) return false;
  const int64_t n = std::stoll(text.substr(0, digits));
  static const std::pair<const char*, int64_t> kUnits[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}, {"d", 86'400'000}, {"w", 604'800'000}};
  for (const auto& [unit, scale] : kUnits)
    if (text.compare(digits, std::string::npos, unit) == 0) {
      *ms = n * scale;
      return *ms > 0 && *ms <= 36'525LL * 86'400'000;
    }
  return false;
}

// --import-segment / --import-balances, in order, before any event. A bad
// row stops the run (exit 2) before any event: a partly imported promo list
// or wallet would quietly pay the wrong players. Every bad row is reported.
bool ApplyImports(const std::vector<std::pair<std::string, std::string>>& imports, engine::Engine& engine) {
  bool ok = true;
  for (const auto& [option, value] : imports) {
    std::string name, path = value, error;
    int32_t segment = -1;
    if (option == "--import-segment") {
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
        std::cerr << "quest run: --import-segment expects NAME=FILE.csv, got '" << value << "'\n";
        ok = false;
        continue;
      }
      name = value.substr(0, eq);
      path = value.substr(eq + 1);
      segment = engine.SegmentIndex(name);
      if (segment < 0) {
        std::cerr << "quest run: --import-segment: the package has no segment '" << name << "'\n";
        ok = false;
        continue;
      }
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      std::cerr << "quest run: cannot read '" << path << "'\n";
      ok = false;
      continue;
    }
    std::vector<io::Rejection> errors;
    auto report = [&] {
      for (const io::Rejection& r : errors) std::cerr << path << ":" << r.line << ": bad row: " << r.reason << "\n";
      ok &= errors.empty();
    };
    if (segment >= 0) {
      std::vector<std::string> users;
      io::ReadSegmentCsv(in, &users, &errors);
      report();
      if (errors.empty() && !engine.ImportSegment(segment, users, &error)) {
        std::cerr << "quest run: --import-segment " << name << ": " << error << "\n";
        ok = false;
      }
      continue;
    }
    std::vector<io::BalanceRow> rows;
    io::ReadBalancesCsv(in, &rows, &errors);
    for (const io::BalanceRow& row : rows)   // the package's currencies: all checked before any applies
      if (engine.CurrencyIndex(row.currency) < 0)
        errors.push_back({row.line, "unknown currency '" + row.currency + "'"});
    std::sort(errors.begin(), errors.end(), [](const io::Rejection& a, const io::Rejection& b) { return a.line < b.line; });
    report();
    if (!errors.empty()) continue;
    for (const io::BalanceRow& row : rows)
      if (!engine.ImportBalance(row.user, engine.CurrencyIndex(row.currency), row.op, row.amount, &error)) {
        std::cerr << path << ":" << row.line << ": bad row: " << error << "\n";
        ok = false;
      }
  }
  return ok;
}

// The profile to `path` (empty: standard error), after the run's summary.
int WriteProfile(const Profiler& profiler, const std::string& format, const std::string& path, int64_t replay_ns,
                 uint64_t events) {
  std::ofstream file;
  if (!path.empty()) {
    file.open(path, std::ios::binary);
    if (!file) {
      std::cerr << "quest run: cannot write '" << path << "'\n";
      return kExitUsage;
    }
  }
  std::ostream& out = path.empty() ? std::cerr : file;
  if (format == "json") profiler.PrintJson(out, replay_ns, events);
  else profiler.PrintText(out, replay_ns, events);
  out.flush();
  if (!out) {
    std::cerr << "quest run: cannot write the profile to '" << path << "'\n";
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

int RunCommand(const Args& args) {
  std::vector<std::string> paths;
  std::string events_path, actions_path, state_path, until_text, seed, engine_name = "jit", bundle_path;
  std::string dedupe_text, profile_format = "text", profile_path, partitions_text;
  bool seed_given = false, profile = false, owned_elsewhere = false;
  std::vector<std::pair<std::string, std::string>> imports;   // (option, value), in order
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    bool ok = true;
    if (a == "--help" || a == "-h") {
      std::cout << kHelp;
      return kExitOk;
    } else if (a == "--events") ok = value(&events_path);
    else if (a == "--actions") ok = value(&actions_path);
    else if (a == "--state") ok = value(&state_path);
    else if (a == "--until") ok = value(&until_text);
    else if (a == "--seed") ok = seed_given = value(&seed);
    else if (a == "--engine") ok = value(&engine_name);
    else if (a == "--bundle") ok = value(&bundle_path);
    else if (a == "--dedupe-window") ok = value(&dedupe_text);
    else if (a == "--partitions") ok = value(&partitions_text);
    else if (a == "--owned-elsewhere") owned_elsewhere = true;
    else if (a == "--profile") profile = true;
    else if (a == "--profile-format") ok = profile = value(&profile_format);
    else if (a == "--profile-out") ok = profile = value(&profile_path);
    else if (a == "--import-segment" || a == "--import-balances") {
      std::string v;
      if ((ok = value(&v))) imports.push_back({a, v});
    }
    else if (!a.empty() && a[0] == '-' && a != "-") {
      std::cerr << "quest run: unknown option '" << a << "'\n" << kHelp;
      return kExitUsage;
    } else paths.push_back(a);
    if (!ok) {
      std::cerr << "quest run: " << a << " needs a value\n";
      return kExitUsage;
    }
  }
  if (paths.size() == 1 && bundle_path.empty() && IsBundlePath(paths[0]))
    bundle_path = paths[0], paths.clear();   // a bundle given as the package
  // `-` is standard output, as `--events -` is standard input (never a file named `-`).
  if (actions_path == "-") actions_path.clear();
  const bool state_to_stdout = state_path == "-";
  if (state_to_stdout && actions_path.empty()) {
    std::cerr << "quest run: --state - needs --actions FILE: the actions already go to standard output\n";
    return kExitUsage;
  }
  if (state_to_stdout) state_path.clear();
  if (paths.empty() == bundle_path.empty() || events_path.empty()) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  {
    // Outputs are opened (and truncated) before the events are read: an output
    // that is an input, or two outputs that are one file, would lose data.
    std::vector<NamedFile> inputs, outputs;
    if (events_path != "-") inputs.push_back({"--events", events_path});
    if (!bundle_path.empty()) inputs.push_back({"--bundle", bundle_path});
    for (const std::string& p : paths) inputs.push_back({"package path", p});
    if (!actions_path.empty()) outputs.push_back({"--actions", actions_path});
    if (!state_path.empty()) outputs.push_back({"--state", state_path});
    if (!profile_path.empty()) outputs.push_back({"--profile-out", profile_path});
    std::string error;
    if (!CheckDistinctFiles(inputs, outputs, &error)) {
      std::cerr << "quest run: " << error << "\n";
      return kExitUsage;
    }
    struct stat st;
    if (events_path != "-" && ::stat(events_path.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) {
      std::cerr << "quest run: --events '" << events_path << "' is a folder; it takes one NDJSON file or -\n";
      return kExitUsage;
    }
  }
  EngineKind engine_kind;
  if (!ParseEngine(engine_name, &engine_kind)) {
    std::cerr << "quest run: unknown engine '" << engine_name << "'; use --engine jit or --engine interp\n";
    return kExitUsage;
  }
  int64_t until;
  if (!ParseUntil(until_text, "quest run", &until)) return kExitUsage;
  if (profile_format != "text" && profile_format != "json") {
    std::cerr << "quest run: unknown profile format '" << profile_format << "'; use text or json\n";
    return kExitUsage;
  }

  engine::EngineOptions options;
  if (!dedupe_text.empty() && !ParseDurationArg(dedupe_text, &options.dedupe_window_ms)) {
    std::cerr << "quest run: --dedupe-window expects a duration such as 7d or 36h (at most 100 years)\n";
    return kExitUsage;
  }

  if (!partitions_text.empty()) {
    char* end = nullptr;
    const long n = std::strtol(partitions_text.c_str(), &end, 10);
    if (end == partitions_text.c_str() || *end != '\0' || n < 1 || n > 256) {
      std::cerr << "quest run: --partitions takes a number from 1 to 256\n";
      return kExitUsage;
    }
    options.partitions = size_t(n);
  }
  if (owned_elsewhere && options.partitions > 1) {
    std::cerr << "quest run: --owned-elsewhere replays one partition's log: it takes no --partitions\n";
    return kExitUsage;
  }
  options.owned_elsewhere = owned_elsewhere;

  LoadedProgram loaded;
  int exit_code = kExitOk;
  if (!LoadProgram(paths, bundle_path, engine_kind, seed_given ? std::optional<std::string>(seed) : std::nullopt,
                   "quest run", std::cerr, &loaded, &exit_code))
    return exit_code;
  const ir::Program& program = *loaded.program;
  std::unique_ptr<Profiler> profiler;
  if (profile) options.tracer = (profiler = std::make_unique<Profiler>(program)).get();
  engine::StringPool strings;
  engine::Engine engine(program, *loaded.backend, strings, options);

  if (!ApplyImports(imports, engine)) return kExitUsage;

  std::ifstream file;
  std::istream* in = &std::cin;
  if (events_path != "-") {
    file.open(events_path, std::ios::binary);
    if (!file) {
      std::cerr << "quest run: cannot read '" << events_path << "'\n";
      return kExitUsage;
    }
    in = &file;
  }
  std::ofstream actions_file;
  std::ostream* actions_out = &std::cout;
  if (!actions_path.empty()) {
    actions_file.open(actions_path, std::ios::binary);
    if (!actions_file) {
      std::cerr << "quest run: cannot write '" << actions_path << "'\n";
      return kExitUsage;
    }
    actions_out = &actions_file;
  }

  io::EventReader reader(program.schema, strings);
  TallyingSink sink(*actions_out);
  engine.SetSink(&sink);
  // A write error (a full disk, /dev/full) must not end in exit 0.
  auto write_failed = [&] {
    std::cerr << "quest run: cannot write the actions to '" << (actions_path.empty() ? "stdout" : actions_path)
              << "'\n";
    return kExitUsage;
  };
  uint64_t rejected = 0;
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection& r) {
    ++rejected;
    std::cerr << events_path << ":" << r.line << ": rejected: " << r.reason << "\n";
  };
  hooks.keep_going = [&] { return bool(*actions_out); };
  const auto replay_start = std::chrono::steady_clock::now();
  io::ReplayOptions replay_options;
  replay_options.owned_elsewhere = owned_elsewhere;
  if (!io::Replay(*in, reader, engine, hooks, replay_options)) return write_failed();
  if (until != INT64_MIN) engine.AdvanceTo(until);
  const int64_t replay_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - replay_start).count();
  if (!sink.Flush()) return write_failed();
  if (actions_file.is_open()) actions_file.close();
  if (actions_path.empty() ? !FlushStdout(std::cout) : actions_file.fail()) return write_failed();
  if (state_to_stdout) {
    std::cout << engine.StateJson();
    if (!FlushStdout(std::cout)) return write_failed();
  }
  if (!state_path.empty()) {
    std::ofstream state(state_path, std::ios::binary);
    state << engine.StateJson();
    state.close();
    if (state.fail()) {
      std::cerr << "quest run: cannot write '" << state_path << "'\n";
      return kExitUsage;
    }
  }

  const engine::EngineStats& s = engine.Stats();
  std::cerr << "events: " << s.events << " processed, " << rejected << " rejected, " << s.duplicates
            << " duplicate, " << s.late << " late; timers fired: " << s.timers << "\n";
  if (s.imports) std::cerr << "imports: " << s.imports << " applied before the events\n";
  if (reader.Stats().missing_fields)
    std::cerr << "warning: " << reader.Stats().missing_fields
              << " declared fields were missing and took their type's zero value\n";
  for (const auto& [what, n] : reader.Stats().warnings) std::cerr << "warning: " << n << " x " << what << "\n";
  for (const auto& [what, n] : s.warnings) std::cerr << "warning: " << n << " x " << what << "\n";
  std::cerr << "actions:";
  for (const auto& [kind, n] : s.actions) std::cerr << " " << kind << "=" << n;
  std::cerr << "\n";
  std::vector<std::pair<int64_t, std::string>> top;
  for (const auto& [user, pts] : sink.points_by_user) top.push_back({-pts, user});
  std::sort(top.begin(), top.end());
  std::cerr << "top users by points awarded:";
  for (size_t i = 0; i < top.size() && i < 5; ++i) std::cerr << " " << top[i].second << "=" << -top[i].first;
  std::cerr << "\n";
  if (s.runtime_errors) std::cerr << "runtime errors (fixpoint bound): " << s.runtime_errors << "\n";
  if (profiler) return WriteProfile(*profiler, profile_format, profile_path, replay_ns, s.events);
  return kExitOk;
}

}  // namespace questline::driver
