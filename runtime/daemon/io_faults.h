// Fault injection for questd's file I/O (docs/durability.md, "Faults").
//
// The journal, the snapshots, the file sink and the package store make their
// write, fsync/fdatasync, ftruncate and rename calls through these wrappers,
// each call named by a site: "journal.write", "journal.fsync",
// "journal.truncate", "snapshot.write", "snapshot.fsync", "snapshot.rename",
// "sink.write", "sink.fsync", "sink.truncate", "package.write",
// "package.fsync", "package.rename". Only the environment variable
// QUESTD_FAULTS arms them, e.g.
//   QUESTD_FAULTS="journal.fsync:3:EIO,sink.write:5-7:ENOSPC,snapshot.rename:2+:EIO"
// fails the 3rd journal fsync with EIO, the 5th to 7th file sink writes with
// ENOSPC, and every snapshot rename from the 2nd on with EIO. An environment
// variable and not a configuration key, so that a production configuration
// cannot carry a test switch; unset, a wrapper costs one branch.
#pragma once

#include <string>
#include <sys/types.h>

namespace questline::daemon {

// Reads QUESTD_FAULTS (once; the wrappers read it too) and logs what it arms.
// False with `error` for a value that does not parse: questd exits 2 rather
// than run a fault test that injects nothing.
bool ArmIoFaults(std::string* error);

// Each counts one call at `site`; a call QUESTD_FAULTS names fails with its
// errno and -1 instead of being made. A failed write first writes half of
// its bytes, as a disk filling up mid-record does (a short write, then
// ENOSPC), so the caller has a torn tail to deal with.
ssize_t FaultyWrite(const char* site, int fd, const void* data, size_t size);
int FaultyFsync(const char* site, int fd);
int FaultyFdatasync(const char* site, int fd);
int FaultyFtruncate(const char* site, int fd, off_t size);
int FaultyRename(const char* site, const char* from, const char* to);

}  // namespace questline::daemon
