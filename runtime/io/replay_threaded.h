// io::Replay with a reader thread (replay.h, ReplayOptions): lines are read
// and parsed into a ring of reusable batches while the calling thread interns
// and runs the engine.
#pragma once

#include <istream>

#include "runtime/engine/engine.h"
#include "runtime/io/event_reader.h"
#include "runtime/io/replay.h"

namespace questline::io {

bool ReplayWithReaderThread(std::istream& in, EventReader& reader, engine::Engine& engine, const ReplayHooks& hooks);

}  // namespace questline::io
