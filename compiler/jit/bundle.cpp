#include "compiler/jit/bundle.h"

#include "compiler/jit/compile.h"
#include "compiler/jit/sealed_file.h"
#include "compiler/jit/target.h"
#include "core/ir/program_codec.h"

namespace questline::jit {
namespace {

constexpr std::string_view kMagic = "QLBUNDLE\x01\r\n";

}  // namespace

std::string EncodeBundle(const ir::Program& program, const std::vector<std::string>& objects, int opt_level) {
  const Target& t = HostTarget();
  core::ByteWriter w;
  w.Bytes(JitVersion());
  w.Bytes(t.triple);
  w.Bytes(t.cpu);
  w.Bytes(t.features);
  w.Signed(opt_level);
  w.Bytes(ir::SerializeProgram(program));
  PutObjects(w, objects);
  return Seal(kMagic, w.Take());
}

bool DecodeBundle(const std::string& bytes, Bundle* bundle, std::string* error) {
  std::string_view body;
  if (bytes.substr(0, kMagic.size()) != kMagic) {
    *error = "not a Questline bundle (build one with `quest build PATH -o FILE.qlb`)";
    return false;
  }
  if (!Unseal(kMagic, bytes, &body)) {
    *error = "the bundle is damaged (its checksum does not match); build it again";
    return false;
  }
  core::ByteReader r(body);
  BundleHeader& h = bundle->header;
  h.version = r.Bytes();
  h.triple = r.Bytes();
  h.cpu = r.Bytes();
  h.features = r.Bytes();
  h.opt_level = int(r.Signed());
  if (!r.ok()) {
    *error = "the bundle's header is damaged; build it again";
    return false;
  }
  if (h.version != JitVersion()) {
    *error = "the bundle was built by Questline JIT " + h.version + ", this is " + JitVersion() +
             "; build it again with this quest";
    return false;
  }
  const Target& t = HostTarget();
  if (h.triple != t.triple || h.cpu != t.cpu || h.features != t.features) {
    *error = "the bundle holds code for " + h.triple + " (" + h.cpu + "), this machine is " + t.triple + " (" + t.cpu +
             (h.features != t.features ? ", other CPU features" : "") + "); build it on this machine";
    return false;
  }
  const std::string program_bytes = r.Bytes();
  if (!r.ok() || !ir::DeserializeProgram(program_bytes, &bundle->program) || !GetObjects(r, &bundle->objects) ||
      !r.AtEnd()) {
    *error = "the bundle's program or code is damaged; build it again";
    return false;
  }
  return true;
}

}  // namespace questline::jit
