#include "compiler/jit/digest.h"

#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringRef.h>
#include <llvm/Support/SHA256.h>

namespace questline::jit {

std::string Sha256Hex(const std::vector<std::string_view>& parts) {
  llvm::SHA256 sha;
  for (std::string_view part : parts) {
    uint8_t length[8];
    for (int i = 0; i < 8; ++i) length[i] = uint8_t(uint64_t(part.size()) >> (8 * i));
    sha.update(llvm::ArrayRef<uint8_t>(length, 8));
    sha.update(llvm::StringRef(part.data(), part.size()));
  }
  llvm::StringRef digest = sha.final();
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : digest) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace questline::jit
