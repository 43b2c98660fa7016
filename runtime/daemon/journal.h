// questd's journal and snapshots in data_dir (docs/durability.md).
//
// Every input the engine is given — the lines of an event batch that were
// handed to it, an import (kind, name, CSV body), a wall-clock advance, a
// reload (the package's hash; the package is in data_dir/packages/) — is a
// record, appended (and with `sync`, fdatasync'ed) BEFORE the engine sees it.
// A record on disk is
//   u32 payload length (LE) | u64 SipHash-2-4 of the payload (LE) | payload
// and the payload (core/byte_io.h) is: seq, kind, then the kind's fields.
// Records are numbered 1, 2, 3… with no gap; a segment file
// `journal-NNNNNNNN.log` is named by the seq of its first record.
// Snapshots are `snapshot-SEQ.bin`: Engine::Snapshot() after record SEQ.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace questline::daemon {

enum class RecordKind : uint64_t { Events = 1, ImportSegment = 2, ImportBalances = 3, Advance = 4, Reload = 5 };

struct JournalRecord {
  uint64_t seq = 0;
  RecordKind kind = RecordKind::Events;
  std::vector<std::string> lines;   // Events: the raw lines handed to the engine, in order
  uint64_t rejected = 0;            // Events: the request's lines refused before the engine (counters only)
  std::string name;                 // ImportSegment: the segment
  std::string body;                 // imports: the CSV
  int64_t ms = 0;                   // Advance: the engine's clock moves to this
  uint64_t package = 0;             // Reload: Engine::ProgramHash of the program from here on
};

class Journal {
 public:
  ~Journal();
  // Lists the segments of `dir`. `sync`: fdatasync each append (fsync: group).
  bool Open(const std::string& dir, bool sync, std::string* error);
  // Calls `apply` for every record with seq > `after`, in order. Stops at the
  // first torn or bad record: its segment is truncated there and any later
  // segment removed (their records would follow a gap). False with `error`
  // when the records after `after` are not all there (a gap before the
  // first), or on an I/O error. Afterwards the journal is ready to append.
  bool Replay(uint64_t after, const std::function<void(const JournalRecord&)>& apply, std::string* error);
  // Gives `record` the next seq, writes it and (sync) waits for the disk:
  // Write and Sync at once, with nothing else unsynced.
  bool Append(JournalRecord& record, std::string* error);
  // Group commit: Write gives `record` the next seq and writes it without
  // waiting; Sync then makes every record written so far durable with one
  // fdatasync. A failed Write cuts its own record off; a failed Sync cuts
  // every record written since the last good Sync (none of them may be
  // applied or acknowledged). Either is false with `error` ("journal:
  // fdatasync: Input/output error") and the seqs cut are not used. A cut is
  // the truncation, its fsync and the length read back (CutTail); if it
  // fails, every Write first retries it and refuses until it succeeds, and
  // if records were unsynced when it failed, they are given up as well: the
  // next Sync refuses them (docs/durability.md, Faults). A failed fdatasync
  // is never retried.
  bool Write(JournalRecord& record, std::string* error);
  bool Sync(std::string* error);
  // Write would start a new segment first; that needs nothing unsynced.
  bool NeedsRotate() const;
  uint64_t LastSeq() const { return last_seq_; }
  // Starts a new segment for the next record (after a snapshot).
  bool Rotate(std::string* error);
  // Removes the segments every record of which has seq <= `seq`.
  void DropCoveredBy(uint64_t seq);

 private:
  bool OpenSegment(uint64_t first, std::string* error);
  // A failed Write or Sync (errno): the bytes past segment_bytes_ are cut
  // (CutTail); false with `error`.
  bool Refuse(const char* call, std::string* error);
  // Truncates the segment to segment_bytes_, syncs that, and checks it.
  bool CutTail(std::string* error);
  std::string dir_;
  bool sync_ = true;
  std::vector<uint64_t> segments_;   // first seqs, ascending
  uint64_t last_seq_ = 0;
  uint64_t segment_bytes_ = 0;                   // the records' bytes written (the last synced_bytes_ durable)
  uint64_t synced_seq_ = 0, synced_bytes_ = 0;   // the durable end of the open segment
  std::string tail_error_;    // set: bytes past segment_bytes_ may be on disk, not yet cut
  std::string group_error_;   // set: a failed cut gave up the records since the last sync; the next Sync refuses
  int fd_ = -1;
};

// Snapshot files of `dir`, newest (highest seq) first.
std::vector<uint64_t> ListSnapshots(const std::string& dir);
std::string SnapshotPath(const std::string& dir, uint64_t seq);
// Temporary file, (sync) fsync, rename, (sync) fsync of the folder.
bool WriteSnapshot(const std::string& dir, uint64_t seq, const std::string& bytes, bool sync, std::string* error);
// The same for any file `path` of the folder `dir`; `site` names its calls
// for the fault injection ("snapshot", "package": io_faults.h). On a failure
// nothing is left behind: neither the temporary file nor `path`.
bool WriteFileDurably(const std::string& dir, const std::string& path, const std::string& bytes, bool sync,
                      const std::string& site, std::string* error);
bool ReadWholeFile(const std::string& path, std::string* out);
// Cuts the file `fd` back to `length` after a failed write or fsync: the
// truncation, (sync) an fsync of it, and the length read back. `site` names
// the calls for the fault injection ("journal", "sink": io_faults.h).
bool CutFile(int fd, uint64_t length, bool sync, const std::string& site);
// fsync of a folder, after a file in it was made, renamed or removed.
bool SyncDir(const std::string& dir);

}  // namespace questline::daemon
