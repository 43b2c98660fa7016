// Where a differing case is written: QUESTLINE_DIFF_OUT, or the build tree's
// tests/jit/failures. A reproducer is a folder `seed-N/` holding package.quest,
// events.ndjson and a README.md whose first line names the seed and the
// command that replays it on either backend.
#pragma once

#include <cstdint>
#include <string>

#include "tests/jit/minimise.h"

namespace questline::jitdiff {

std::string OutputRoot();

// Writes `c` into ROOT/seed-N[/sub] and returns that folder.
std::string SaveReproducer(uint64_t seed, const Case& c, const std::string& what, const std::string& sub = "");

// While armed, a crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) in either
// backend writes the current case, unminimised, to ROOT/seed-N-crash/ before
// the process dies: a crash is a difference too.
void ArmCrashGuard(uint64_t seed, const Case& c);
void DisarmCrashGuard();

}  // namespace questline::jitdiff
