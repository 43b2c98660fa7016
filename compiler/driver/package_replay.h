// A package run over a whole events file, kept in memory: what the commands
// that compare or look inside runs (diff, explain, run --profile's tests)
// share with `quest run`, without its output files. Events are read once
// and replayed through as many engines as the command needs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/driver/backend_choice.h"
#include "compiler/driver/load_program.h"
#include "runtime/engine/action.h"
#include "runtime/engine/engine.h"

namespace questline::driver {

struct PackageReplay {
  std::vector<engine::Action> actions;   // in production order
  uint64_t events = 0, rejected = 0;
};

// The NDJSON text of `path` (- : standard input); false with the reason on
// standard error, prefixed with `who`.
bool ReadEventsText(const std::string& path, const std::string& who, std::string* text);

// `events` through a fresh engine of `program` run by `backend`, then the
// clock to `until` (INT64_MIN: not moved). Rejected lines are reported on
// standard error as `quest run` reports them, named `events_name`.
PackageReplay ReplayProgram(const ir::Program& program, const core::Backend& backend, const std::string& events,
                            const std::string& events_name, int64_t until, engine::EngineOptions options = {});

// `package` (a folder, a .quest file or a .qlb bundle) loaded for `kind`:
// false with `exit_code` set as LoadProgram sets it.
bool LoadPackagePath(const std::string& package, EngineKind kind, const std::string& who, LoadedProgram* out,
                     int* exit_code);

// The --until option's text to an instant (empty: INT64_MIN); false with a
// message on standard error.
bool ParseUntil(const std::string& text, const std::string& who, int64_t* until);

}  // namespace questline::driver
