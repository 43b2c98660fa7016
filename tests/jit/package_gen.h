// A random, well-typed Questline package as a list of top-level declaration
// texts (so the minimiser can drop one and re-check), and the NDJSON events
// to run it on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tests/jit/rng.h"

namespace questline::jitdiff {

std::vector<std::string> GeneratePackage(Rng& rng);

// 20–200 events over users u1..u5, timestamps increasing over a few days,
// one JSON object per line (event_gen.cpp). `clock`: the latest timestamp.
std::vector<std::string> GenerateEvents(Rng& rng, int64_t* clock);

// Epoch milliseconds as RFC 3339 in UTC (event_gen.cpp).
std::string Rfc3339(int64_t ms);

}  // namespace questline::jitdiff
