// Little binary encoding shared by the program codec, bundles and the object
// cache: zigzag LEB128 integers, length-prefixed bytes. The reader never trusts
// its input: every length is checked against what is left, and a failure
// sticks (ok() turns false and every later read yields zero).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace questline::core {

class ByteWriter {
 public:
  void Unsigned(uint64_t v) {
    do {
      uint8_t byte = v & 0x7f;
      v >>= 7;
      out_.push_back(char(byte | (v ? 0x80 : 0)));
    } while (v);
  }
  void Signed(int64_t v) { Unsigned((uint64_t(v) << 1) ^ uint64_t(v >> 63)); }
  void Bytes(std::string_view s) {
    Unsigned(s.size());
    out_.append(s);
  }
  void Raw(std::string_view s) { out_.append(s); }
  void Fixed64(uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(char(v >> (8 * i)));
  }
  const std::string& Data() const { return out_; }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}

  uint64_t Unsigned() {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Fail();
      uint8_t byte = uint8_t(in_[pos_++]);
      v |= uint64_t(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return v;
    }
    return Fail();   // more than ten bytes: not ours
  }
  int64_t Signed() {
    uint64_t u = Unsigned();
    return int64_t((u >> 1) ^ (~(u & 1) + 1));
  }
  std::string Bytes() {
    uint64_t n = Unsigned();
    if (n > Remaining()) return Fail(), std::string();
    std::string s(in_.substr(pos_, size_t(n)));
    pos_ += size_t(n);
    return s;
  }
  std::string_view Raw(size_t n) {
    if (n > Remaining()) return Fail(), std::string_view();
    std::string_view s = in_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  uint64_t Fixed64() {
    std::string_view s = Raw(8);
    uint64_t v = 0;
    for (size_t i = 0; i < s.size(); ++i) v |= uint64_t(uint8_t(s[i])) << (8 * i);
    return v;
  }
  // A count of items each at least one byte long: a corrupt count cannot make
  // the caller reserve more than the input could hold.
  uint64_t Count() {
    uint64_t n = Unsigned();
    return n > Remaining() ? Fail() : n;
  }
  uint64_t Fail() {
    ok_ = false;
    pos_ = in_.size();
    return 0;
  }
  size_t Remaining() const { return in_.size() - pos_; }
  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == in_.size(); }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace questline::core
