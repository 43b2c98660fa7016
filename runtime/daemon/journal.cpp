#include "runtime/daemon/journal.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/byte_io.h"
#include "runtime/daemon/io_faults.h"
#include "runtime/daemon/log.h"
#include "runtime/engine/random.h"

namespace questline::daemon {
namespace {

// The checksum's key: fixed, it guards against torn and damaged records, not
// against an adversary who can write to data_dir.
constexpr uint64_t kK0 = 0x6a6f75726e616c31ULL, kK1 = 0x717565737464000aULL;
constexpr size_t kHeader = 12;
constexpr uint64_t kSegmentBytes = 64ULL << 20;   // a new segment past this size
constexpr uint64_t kMaxRecord = 1ULL << 31;

std::string SegmentPath(const std::string& dir, uint64_t first) {
  char name[64];
  std::snprintf(name, sizeof name, "/journal-%08llu.log", (unsigned long long)first);
  return dir + name;
}

// Files of `dir` named PREFIX<digits>SUFFIX, by their number.
std::vector<uint64_t> Numbered(const std::string& dir, const std::string& prefix, const std::string& suffix) {
  std::vector<uint64_t> out;
  DIR* d = ::opendir(dir.c_str());
  if (!d) return out;
  while (dirent* e = ::readdir(d)) {
    const std::string n = e->d_name;
    if (n.size() <= prefix.size() + suffix.size() || n.compare(0, prefix.size(), prefix) != 0 ||
        n.compare(n.size() - suffix.size(), suffix.size(), suffix) != 0)
      continue;
    const std::string digits = n.substr(prefix.size(), n.size() - prefix.size() - suffix.size());
    if (digits.empty() || digits.size() > 19 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) continue;
    out.push_back(std::stoull(digits));
  }
  ::closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

// `site`: the fault injection's name for these writes (io_faults.h).
bool WriteAll(const char* site, int fd, const char* data, size_t size) {
  while (size) {
    const ssize_t n = FaultyWrite(site, fd, data, size);
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) errno = ENOSPC;   // write() makes no progress only when there is no room
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

std::string Encode(const JournalRecord& r) {
  core::ByteWriter w;
  w.Unsigned(r.seq);
  w.Unsigned(uint64_t(r.kind));
  switch (r.kind) {
    case RecordKind::Events:
      w.Unsigned(r.lines.size());
      for (const std::string& line : r.lines) w.Bytes(line);
      // Trailing and optional, so journals written before it still decode.
      if (r.rejected) w.Unsigned(r.rejected);
      break;
    case RecordKind::ImportSegment: w.Bytes(r.name); w.Bytes(r.body); break;
    case RecordKind::ImportBalances: w.Bytes(r.body); break;
    case RecordKind::Advance: w.Signed(r.ms); break;
    case RecordKind::Reload: w.Unsigned(r.package); break;
  }
  const std::string& payload = w.Data();
  const uint64_t hash = engine::SipHash24(kK0, kK1, payload.data(), payload.size());
  std::string out;
  out.reserve(kHeader + payload.size());
  for (int i = 0; i < 4; ++i) out.push_back(char(uint32_t(payload.size()) >> (8 * i)));
  for (int i = 0; i < 8; ++i) out.push_back(char(hash >> (8 * i)));
  out += payload;
  return out;
}

bool Decode(std::string_view payload, JournalRecord* r) {
  core::ByteReader in(payload);
  r->seq = in.Unsigned();
  const uint64_t kind = in.Unsigned();
  r->lines.clear();
  switch (kind) {
    case uint64_t(RecordKind::Events): {
      const uint64_t n = in.Count();
      for (uint64_t i = 0; i < n && in.ok(); ++i) r->lines.push_back(in.Bytes());
      r->rejected = in.ok() && !in.AtEnd() ? in.Unsigned() : 0;
      break;
    }
    case uint64_t(RecordKind::ImportSegment): r->name = in.Bytes(); r->body = in.Bytes(); break;
    case uint64_t(RecordKind::ImportBalances): r->body = in.Bytes(); break;
    case uint64_t(RecordKind::Advance): r->ms = in.Signed(); break;
    case uint64_t(RecordKind::Reload): r->package = in.Unsigned(); break;
    default: return false;
  }
  r->kind = RecordKind(kind);
  return in.ok() && in.AtEnd();
}

uint64_t Le(const char* p, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= uint64_t(uint8_t(p[i])) << (8 * i);
  return v;
}

}  // namespace

bool SyncDir(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  const bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

bool ReadWholeFile(const std::string& path, std::string* out) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  out->clear();
  char buffer[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return false;
    }
    if (n == 0) break;
    out->append(buffer, size_t(n));
  }
  ::close(fd);
  return true;
}

bool CutFile(int fd, uint64_t length, bool sync, const std::string& site) {
  struct stat st;
  return FaultyFtruncate((site + ".truncate").c_str(), fd, off_t(length)) == 0 &&
         (!sync || FaultyFsync((site + ".fsync").c_str(), fd) == 0) && ::fstat(fd, &st) == 0 &&
         uint64_t(st.st_size) == length;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

bool Journal::Open(const std::string& dir, bool sync, std::string* error) {
  dir_ = dir;
  sync_ = sync;
  segments_ = Numbered(dir, "journal-", ".log");
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0) {
    *error = "cannot read data_dir '" + dir + "': " + std::strerror(errno);
    return false;
  }
  return true;
}

bool Journal::Replay(uint64_t after, const std::function<void(const JournalRecord&)>& apply, std::string* error) {
  uint64_t expected = segments_.empty() ? after + 1 : segments_.front();
  if (expected > after + 1) {
    *error = "the journal starts at record " + std::to_string(expected) + " but the state recovered ends at record " +
             std::to_string(after) + ": records are missing";
    return false;
  }
  JournalRecord record;
  std::string data;
  for (size_t s = 0; s < segments_.size(); ++s) {
    const std::string path = SegmentPath(dir_, segments_[s]);
    if (!ReadWholeFile(path, &data)) {
      *error = "cannot read " + path + ": " + std::strerror(errno);
      return false;
    }
    // A segment may begin past `expected` only where the state recovered
    // already covers the records between.
    if (segments_[s] > expected && segments_[s] <= after + 1) expected = segments_[s];
    bool bad = segments_[s] != expected;
    size_t pos = 0;
    while (!bad && pos < data.size()) {
      if (data.size() - pos < kHeader) { bad = true; break; }
      const uint64_t size = Le(data.data() + pos, 4), hash = Le(data.data() + pos + 4, 8);
      if (size > data.size() - pos - kHeader || size > kMaxRecord) { bad = true; break; }
      const std::string_view payload(data.data() + pos + kHeader, size_t(size));
      if (engine::SipHash24(kK0, kK1, payload.data(), payload.size()) != hash || !Decode(payload, &record) ||
          record.seq != expected) {
        bad = true;
        break;
      }
      if (record.seq > after) apply(record);
      last_seq_ = record.seq;
      ++expected;
      pos += kHeader + size_t(size);
    }
    if (!bad) continue;
    // A torn or damaged record: the journal ends before it.
    Log(LogLevel::Warn, "journal: " + path + ": a torn or damaged record at byte " + std::to_string(pos) +
                            "; the journal ends there (" + std::to_string(data.size() - pos) + " bytes cut)");
    if (pos == 0 && segments_[s] != expected) {
      ::unlink(path.c_str());
      segments_.resize(s);
    } else {
      if (::truncate(path.c_str(), off_t(pos)) != 0) {
        *error = "cannot truncate " + path + ": " + std::strerror(errno);
        return false;
      }
      segments_.resize(s + 1);
    }
    for (uint64_t later : Numbered(dir_, "journal-", ".log"))
      if (std::find(segments_.begin(), segments_.end(), later) == segments_.end()) {
        Log(LogLevel::Warn, "journal: removing " + SegmentPath(dir_, later) + ", which follows the damage");
        ::unlink(SegmentPath(dir_, later).c_str());
      }
    SyncDir(dir_);
    break;
  }
  if (last_seq_ < after) {   // the segments end before the snapshot's record
    last_seq_ = after;
    return OpenSegment(after + 1, error);
  }
  if (!segments_.empty()) {
    const std::string path = SegmentPath(dir_, segments_.back());
    fd_ = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd_ < 0) {
      *error = "cannot open " + path + ": " + std::strerror(errno);
      return false;
    }
    struct stat st;
    segment_bytes_ = synced_bytes_ = ::fstat(fd_, &st) == 0 ? uint64_t(st.st_size) : 0;
    synced_seq_ = last_seq_;
    return true;
  }
  return OpenSegment(last_seq_ + 1, error);
}

bool Journal::OpenSegment(uint64_t first, std::string* error) {
  // The segment in use stays until the new one's entry is durable: a journal
  // that cannot start a segment (a full disk) goes on in the old one.
  const std::string path = SegmentPath(dir_, first);
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create " + path + ": " + std::strerror(errno);
    return false;
  }
  if (sync_ && !SyncDir(dir_)) {
    *error = "cannot fsync " + dir_ + ": " + std::strerror(errno);
    ::close(fd);
    ::unlink(path.c_str());
    return false;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
  if (segments_.empty() || segments_.back() != first) segments_.push_back(first);
  segment_bytes_ = synced_bytes_ = 0;
  synced_seq_ = last_seq_;
  return true;
}

bool Journal::Append(JournalRecord& record, std::string* error) {
  return Write(record, error) && Sync(error);
}

bool Journal::NeedsRotate() const { return segment_bytes_ >= kSegmentBytes; }

bool Journal::Write(JournalRecord& record, std::string* error) {
  if (fd_ < 0) {
    *error = "the journal is not open";
    return false;
  }
  // No record is written while a cut failed with records unsynced: they are
  // given up (the group's Sync refuses), and so is this one.
  if (!group_error_.empty()) {
    *error = group_error_;
    return false;
  }
  // Nor after bytes not yet cut (CutTail).
  if (!tail_error_.empty() && !CutTail(error)) return false;
  // The caller syncs before a rotation (NeedsRotate): a new segment must
  // not begin while the old one has records that may yet be cut.
  if (NeedsRotate() && (!Sync(error) || !Rotate(error))) return false;
  record.seq = last_seq_ + 1;
  const std::string bytes = Encode(record);
  // On failure the record is cut off again: the input is refused (503), so
  // a restart must not replay it, and the next record must not follow a
  // torn one. The records before it, not yet synced, stay.
  if (!WriteAll("journal.write", fd_, bytes.data(), bytes.size())) return Refuse("write", error);
  segment_bytes_ += bytes.size();
  last_seq_ = record.seq;
  return true;
}

bool Journal::Sync(std::string* error) {
  if (!group_error_.empty()) {   // a failed cut gave the records since the last sync up (CutTail)
    *error = group_error_;
    group_error_.clear();
    return false;
  }
  if (synced_seq_ == last_seq_) return true;
  if (sync_ && FaultyFdatasync("journal.fsync", fd_) != 0) {
    // Never retried (CutTail): every record since the last good sync is
    // cut, and their inputs are refused.
    segment_bytes_ = synced_bytes_;
    last_seq_ = synced_seq_;
    return Refuse("fdatasync", error);
  }
  synced_seq_ = last_seq_;
  synced_bytes_ = segment_bytes_;
  return true;
}

bool Journal::Refuse(const char* call, std::string* error) {
  *error = std::string("journal: ") + call + ": " + std::strerror(errno);
  tail_error_ = *error;
  std::string cut_error;
  if (!CutTail(&cut_error)) *error += "; " + cut_error;
  return false;
}

bool Journal::CutTail(std::string* error) {
  // The record is refused (503), so a restart must not replay it and the
  // next record must not follow its torn bytes. After a failed fdatasync
  // Linux may have dropped the dirty pages and marks them clean, so a second
  // fdatasync would report success for bytes that never reached the disk:
  // the bytes past segment_bytes_ are cut, the cut is synced, and the length
  // is read back, before the journal takes another record.
  if (!CutFile(fd_, segment_bytes_, sync_, "journal")) {
    *error = "journal: cannot cut the undurable tail (after " + tail_error_ + "): " + std::strerror(errno) +
             "; inputs are refused until it is cut";
    if (synced_seq_ != last_seq_) {
      // The cut's fsync may have failed for the records written since the
      // last good sync as well: they are given up too (their group's Sync
      // refuses them), and the next cut goes back to the durable length.
      group_error_ = *error;
      segment_bytes_ = synced_bytes_;
      last_seq_ = synced_seq_;
    }
    return false;
  }
  if (!tail_error_.empty()) Log(LogLevel::Info, "journal: the tail after '" + tail_error_ + "' is cut");
  tail_error_.clear();
  return true;
}

bool Journal::Rotate(std::string* error) {
  // A new segment must not follow bytes not yet cut: replay would stop at
  // them and drop it.
  if (!tail_error_.empty() && !CutTail(error)) return false;
  if (segment_bytes_ == 0 && !segments_.empty() && segments_.back() == last_seq_ + 1) return true;
  return OpenSegment(last_seq_ + 1, error);
}

void Journal::DropCoveredBy(uint64_t seq) {
  // Segment i holds records [segments_[i], segments_[i+1]); the last one is open.
  size_t keep = 0;
  while (keep + 1 < segments_.size() && segments_[keep + 1] <= seq + 1) ++keep;
  for (size_t i = 0; i < keep; ++i) ::unlink(SegmentPath(dir_, segments_[i]).c_str());
  if (keep) {
    segments_.erase(segments_.begin(), segments_.begin() + long(keep));
    if (sync_) SyncDir(dir_);
  }
}

std::vector<uint64_t> ListSnapshots(const std::string& dir) {
  // A temporary file is a snapshot whose writing was cut short.
  for (uint64_t seq : Numbered(dir, "snapshot-", ".bin.tmp")) ::unlink((SnapshotPath(dir, seq) + ".tmp").c_str());
  std::vector<uint64_t> out = Numbered(dir, "snapshot-", ".bin");
  std::reverse(out.begin(), out.end());
  return out;
}

std::string SnapshotPath(const std::string& dir, uint64_t seq) {
  char name[64];
  std::snprintf(name, sizeof name, "/snapshot-%08llu.bin", (unsigned long long)seq);
  return dir + name;
}

bool WriteSnapshot(const std::string& dir, uint64_t seq, const std::string& bytes, bool sync, std::string* error) {
  return WriteFileDurably(dir, SnapshotPath(dir, seq), bytes, sync, "snapshot", error);
}

bool WriteFileDurably(const std::string& dir, const std::string& path, const std::string& bytes, bool sync,
                      const std::string& site, std::string* error) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    *error = "cannot create " + temp + ": " + std::strerror(errno);
    return false;
  }
  bool ok = WriteAll((site + ".write").c_str(), fd, bytes.data(), bytes.size()) &&
            (!sync || FaultyFsync((site + ".fsync").c_str(), fd) == 0);
  if (!ok) *error = "cannot write " + temp + ": " + std::strerror(errno);
  ::close(fd);
  if (ok && FaultyRename((site + ".rename").c_str(), temp.c_str(), path.c_str()) != 0) {
    *error = "cannot rename " + temp + ": " + std::strerror(errno);
    ok = false;
  }
  if (ok && sync && !SyncDir(dir)) {
    // Renamed but perhaps not durably: removed, so that the caller's "not
    // written" holds after a restart as well.
    *error = "cannot fsync " + dir + ": " + std::strerror(errno);
    ::unlink(path.c_str());
    ok = false;
  }
  if (!ok) ::unlink(temp.c_str());
  return ok;
}

}  // namespace questline::daemon
