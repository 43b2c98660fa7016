#include "compiler/driver/package_replay.h"

#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/driver/command.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"
#include "stdlib/civil_time.h"

namespace questline::driver {

bool ReadEventsText(const std::string& path, const std::string& who, std::string* text) {
  std::ostringstream s;
  if (path == "-") {
    s << std::cin.rdbuf();
  } else {
    struct stat st;
    std::ifstream in;
    if (::stat(path.c_str(), &st) == 0 && !S_ISDIR(st.st_mode)) in.open(path, std::ios::binary);
    if (!in.is_open()) {
      std::cerr << who << ": cannot read '" << path << "' (--events takes one NDJSON file or -)\n";
      return false;
    }
    s << in.rdbuf();   // an empty file is no events (the stream's failbit says nothing more)
  }
  *text = s.str();
  return true;
}

PackageReplay ReplayProgram(const ir::Program& program, const core::Backend& backend, const std::string& events,
                            const std::string& events_name, int64_t until, engine::EngineOptions options) {
  PackageReplay out;
  engine::StringPool strings;
  engine::Engine engine(program, backend, strings, options);
  io::EventReader reader(program.schema, strings);
  std::istringstream in(events);
  io::ReplayHooks hooks;
  hooks.rejected = [&](const io::Rejection& r) {
    ++out.rejected;
    std::cerr << events_name << ":" << r.line << ": rejected: " << r.reason << "\n";
  };
  io::Replay(in, reader, engine, hooks);
  if (until != INT64_MIN) engine.AdvanceTo(until);
  out.actions = engine.DrainActions();
  out.events = engine.Stats().events;
  return out;
}

bool LoadPackagePath(const std::string& package, EngineKind kind, const std::string& who, LoadedProgram* out,
                     int* exit_code) {
  const bool bundle = IsBundlePath(package);
  return LoadProgram(bundle ? std::vector<std::string>{} : std::vector<std::string>{package}, bundle ? package : "",
                     kind, std::nullopt, who, std::cerr, out, exit_code);
}

bool ParseUntil(const std::string& text, const std::string& who, int64_t* until) {
  *until = INT64_MIN;
  if (text.empty()) return true;
  if (!io::ParseTimestamp(text, until)) {
    std::cerr << who << ": --until expects an RFC 3339 time such as 2026-12-08T00:00:00Z\n";
    return false;
  }
  if (!stdlib::InstantInRange(*until)) {
    std::cerr << who << ": --until is out of range (years 0000-9999)\n";
    return false;
  }
  return true;
}

}  // namespace questline::driver
