// The Kafka changelog's records (runtime/daemon/kafka/changelog.h) without a
// broker: a checkpoint and a progress record encode and decode back; what
// compaction or retention may leave (a chunk gone, a chunk of another
// generation, a damaged header or progress record) is refused or set aside,
// never restored half.
#include <catch2/catch.hpp>

#include <map>
#include <string>

#include "runtime/daemon/kafka/changelog.h"

using namespace questline::daemon::kafka;

namespace {

// A partition as compaction leaves it: the last value of each key.
std::map<std::string, std::string> Compacted(const Checkpoint& checkpoint, const Progress& progress) {
  std::map<std::string, std::string> latest;
  for (auto& [key, value] : EncodeCheckpoint(checkpoint)) latest[key] = value;
  latest["progress"] = EncodeProgress(progress);
  return latest;
}

Checkpoint Sample(uint64_t generation, size_t size) {
  Checkpoint c;
  c.generation = generation;
  c.offset = 12345;
  for (size_t i = 0; i < size; ++i) c.snapshot += char(i * 7 + generation);
  return c;
}

}  // namespace

TEST_CASE("a checkpoint over several chunks and a progress record decode back") {
  const Checkpoint checkpoint = Sample(4, 2 * kChunkBytes + 77);
  const auto records = EncodeCheckpoint(checkpoint);
  REQUIRE(records.size() == 4);   // three chunks, then the header
  CHECK(records.back().first == "checkpoint");
  ChangelogState state;
  std::string error;
  REQUIRE(DecodeChangelog(Compacted(checkpoint, {0xabcdefULL, 9, 12345, -1797202800000}), &state, &error));
  REQUIRE(state.has_checkpoint);
  CHECK(state.checkpoint.generation == 4);
  CHECK(state.checkpoint.offset == 12345);
  CHECK(state.checkpoint.snapshot == checkpoint.snapshot);
  REQUIRE(state.has_progress);
  CHECK(state.progress.epoch == 0xabcdefULL);
  CHECK(state.progress.sequence == 9);
  CHECK(state.progress.next_offset == 12345);
  CHECK(state.progress.clock == -1797202800000);
  CHECK(TransactionId(0xabcdefULL, 9) == "0000000000abcdef-9");
}

TEST_CASE("an empty changelog has neither") {
  ChangelogState state;
  std::string error;
  REQUIRE(DecodeChangelog({}, &state, &error));
  CHECK_FALSE(state.has_checkpoint);
  CHECK_FALSE(state.has_progress);
}

TEST_CASE("a checkpoint missing a chunk, or with a chunk of another generation, is not used") {
  const Checkpoint newer = Sample(5, 2 * kChunkBytes + 1);
  auto latest = Compacted(newer, {1, 1, 12345});
  ChangelogState state;
  std::string error;

  auto gone = latest;
  gone.erase("chunk/1");   // retention took it
  REQUIRE(DecodeChangelog(gone, &state, &error));
  CHECK_FALSE(state.has_checkpoint);
  CHECK(state.has_progress);

  // A compacted topic after an aborted checkpoint's chunk 0 replaced the committed one.
  auto mixed = latest;
  mixed["chunk/0"] = EncodeCheckpoint(Sample(6, 2 * kChunkBytes + 1))[0].second;
  REQUIRE(DecodeChangelog(mixed, &state, &error));
  CHECK_FALSE(state.has_checkpoint);
}

TEST_CASE("a damaged header or progress record is refused, with a reason") {
  const Checkpoint checkpoint = Sample(2, 100);
  ChangelogState state;
  std::string error;

  auto latest = Compacted(checkpoint, {1, 1, 5});
  latest["progress"] = "{\"version\":1,\"txn\":\"zz\",\"next_offset\":5}";
  CHECK_FALSE(DecodeChangelog(latest, &state, &error));
  CHECK(error.find("progress") != std::string::npos);

  latest = Compacted(checkpoint, {1, 1, 5});
  latest["checkpoint"] = latest["checkpoint"].substr(0, 7);   // cut short
  CHECK_FALSE(DecodeChangelog(latest, &state, &error));
  CHECK(error.find("header") != std::string::npos);

  // A header claiming a size its chunks do not have.
  latest = Compacted(checkpoint, {1, 1, 5});
  latest["chunk/0"] += "extra bytes";
  CHECK_FALSE(DecodeChangelog(latest, &state, &error));
  CHECK(error.find("size") != std::string::npos);

  latest = Compacted(checkpoint, {1, 1, 5});
  latest["checkpoint"][0] = 'X';
  CHECK_FALSE(DecodeChangelog(latest, &state, &error));
}
