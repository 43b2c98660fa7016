// The reader thread owns the stream and EventReader::Parse; the calling thread
// owns the string pool (EventReader::Intern), the engine and the hooks. They
// meet at a ring of kBatches batches, filled and consumed in turn, so events
// and rejections come out in input order, and strings are interned in the
// order one thread would intern them.
#include "runtime/io/replay_threaded.h"

#include <condition_variable>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace questline::io {
namespace {

constexpr size_t kBatches = 4;
constexpr size_t kLinesPerBatch = 512;   // a hand-off per 512 lines: the lock is never contended for long

struct Batch {
  std::vector<engine::Event> events;   // [0, size) are this batch's; all keep their capacity
  size_t size = 0;
  PendingStrings strings;
  std::vector<std::pair<size_t, Rejection>> rejections;   // each before events[first]
  bool last = false;
  std::exception_ptr error;            // the reader thread's, rethrown by the caller
};

class Ring {
 public:
  // The next batch to fill, or null once the consumer has stopped.
  Batch* NextToFill() {
    std::unique_lock<std::mutex> lock(mutex_);
    space_.wait(lock, [&] { return stopped_ || filled_ - consumed_ < kBatches; });
    return stopped_ ? nullptr : &batches_[filled_ % kBatches];
  }
  void Filled() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++filled_;
    }
    ready_.notify_one();
  }
  Batch& NextToConsume() {
    std::unique_lock<std::mutex> lock(mutex_);
    ready_.wait(lock, [&] { return consumed_ < filled_; });
    return batches_[consumed_ % kBatches];
  }
  void Consumed() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      ++consumed_;
    }
    space_.notify_one();
  }
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopped_ = true;
    }
    space_.notify_one();
  }

 private:
  Batch batches_[kBatches];
  std::mutex mutex_;
  std::condition_variable space_, ready_;
  size_t filled_ = 0, consumed_ = 0;
  bool stopped_ = false;
};

void ReadLines(std::istream& in, EventReader& reader, Ring& ring) {
  std::string line, reason;
  uint64_t line_no = 0;
  for (bool last = false; !last;) {
    Batch* batch = ring.NextToFill();
    if (!batch) return;
    batch->size = 0;
    batch->strings.Clear();
    batch->rejections.clear();
    try {
      while (batch->size + batch->rejections.size() < kLinesPerBatch) {
        if (!std::getline(in, line)) {
          last = true;
          break;
        }
        ++line_no;
        if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
        if (batch->events.size() == batch->size) batch->events.emplace_back();
        if (reader.Parse(line, line_no, &batch->events[batch->size], &batch->strings, uint32_t(batch->size), &reason))
          ++batch->size;
        else
          batch->rejections.push_back({batch->size, {line_no, reason}});
      }
    } catch (...) {
      batch->error = std::current_exception();
      last = true;
    }
    batch->last = last;
    ring.Filled();
  }
}

}  // namespace

bool ReplayWithReaderThread(std::istream& in, EventReader& reader, engine::Engine& engine, const ReplayHooks& hooks) {
  Ring ring;
  std::thread thread(ReadLines, std::ref(in), std::ref(reader), std::ref(ring));
  // However this returns (a hook said stop, the engine threw), the reader
  // thread is told to stop and joined first.
  struct Join {
    Ring& ring;
    std::thread& thread;
    ~Join() {
      ring.Stop();
      thread.join();
    }
  } join{ring, thread};

  auto keep_going = [&] { return !hooks.keep_going || hooks.keep_going(); };
  for (;;) {
    Batch& batch = ring.NextToConsume();
    size_t next_string = 0;
    auto rejection = batch.rejections.begin();
    for (size_t i = 0; i <= batch.size; ++i) {
      for (; rejection != batch.rejections.end() && rejection->first == i; ++rejection) {
        if (!keep_going()) return false;
        if (hooks.rejected) hooks.rejected(rejection->second);
      }
      if (i == batch.size) break;
      if (!keep_going()) return false;
      engine::Event& event = batch.events[i];
      reader.Intern(batch.strings, &next_string, uint32_t(i), &event);
      engine.Process(event);
    }
    if (batch.error) std::rethrow_exception(batch.error);
    const bool last = batch.last;
    ring.Consumed();
    if (last) break;
  }
  engine.Flush();   // partitions on threads: the last batch's actions
  return keep_going();
}

}  // namespace questline::io
