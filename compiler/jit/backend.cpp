#include "compiler/jit/backend.h"

#include <unordered_map>

#include "compiler/interp/interp.h"
#include "compiler/jit/abi.h"
#include "compiler/jit/codegen.h"
#include "compiler/jit/native_code.h"
#include "compiler/jit/program_index.h"

namespace questline::jit {

struct NativeBackend::Impl {
  const ir::Program& program;
  interp::Interpreter fallback;
  ProgramIndex index;
  std::unique_ptr<NativeCode> code;
  std::vector<ExprFn> exprs;                                // by node; null: not an entry point
  std::unordered_map<const ir::Block*, BlockFn> blocks;
  std::vector<HandlerFn> handlers;                          // by event type; null: nothing to run

  Impl(const ir::Program& p) : program(p), fallback(p), index(IndexProgram(p)) {}

  NativeFrame FrameFor(const core::Frame& f, core::Runtime& rt) const {
    NativeFrame nf;
    if (f.event) {
      nf.fields = f.event->fields.data();
      nf.field_count = f.event->fields.size();
    }
    nf.locals = f.locals ? f.locals->data() : nullptr;
    nf.params = f.params;
    nf.rt = &rt;
    nf.stmts = index.stmts.data();
    return nf;
  }
};

NativeBackend::NativeBackend(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
NativeBackend::~NativeBackend() = default;

std::unique_ptr<NativeBackend> NativeBackend::Load(const ir::Program& program, const std::vector<std::string>& objects,
                                                   std::string* error) {
  auto impl = std::make_unique<Impl>(program);
  impl->code = NativeCode::Create(error);
  if (!impl->code) return nullptr;
  for (const std::string& object : objects)
    if (!impl->code->AddObject(object, error)) return nullptr;
  // Each object's table has a slot per entry point in ProgramIndex order, which
  // Load recomputes from the same program (exprs, then blocks, then one handler
  // per event type); the objects' tables together fill every slot.
  const ProgramIndex& index = impl->index;
  std::vector<void*> slots(index.EntryCount(), nullptr);
  for (size_t m = 0; m < objects.size(); ++m) {
    void* table_address = impl->code->Lookup(EntryTableName(m), error);
    if (!table_address) return nullptr;
    void* const* table = static_cast<void* const*>(table_address);
    for (size_t i = 0; i < slots.size(); ++i)
      if (table[i]) slots[i] = table[i];
  }
  size_t slot = 0;
  impl->exprs.assign(program.nodes.size(), nullptr);
  for (ir::ExprRef e : index.exprs) impl->exprs[size_t(e)] = reinterpret_cast<ExprFn>(slots[slot++]);
  for (const ir::Block* b : index.blocks) impl->blocks.emplace(b, reinterpret_cast<BlockFn>(slots[slot++]));
  for (size_t t = 0; t < index.handlers; ++t) impl->handlers.push_back(reinterpret_cast<HandlerFn>(slots[slot++]));
  return std::unique_ptr<NativeBackend>(new NativeBackend(std::move(impl)));
}

core::Value NativeBackend::Eval(ir::ExprRef e, core::Frame& frame, core::Runtime& rt) const {
  ExprFn fn = e >= 0 && size_t(e) < impl_->exprs.size() ? impl_->exprs[size_t(e)] : nullptr;
  if (!fn) return impl_->fallback.Eval(e, frame, rt);
  const NativeFrame nf = impl_->FrameFor(frame, rt);
  core::Value out;
  fn(&nf, &out);
  return out;
}

bool NativeBackend::Test(ir::ExprRef e, core::Frame& frame, core::Runtime& rt) const {
  if (e < 0) return true;
  const core::Value v = Eval(e, frame, rt);
  return !v.none && v.i != 0;
}

void NativeBackend::Run(const ir::Block& block, core::Frame& frame, core::Runtime& rt) const {
  if (block.empty()) return;
  auto it = impl_->blocks.find(&block);
  if (it == impl_->blocks.end()) return impl_->fallback.Run(block, frame, rt);
  const NativeFrame nf = impl_->FrameFor(frame, rt);
  it->second(&nf);
}

void NativeBackend::HandleEvent(const core::Event& event, core::Runtime& rt) const {
  const size_t type = size_t(event.type);
  HandlerFn fn = type < impl_->handlers.size() ? impl_->handlers[type] : nullptr;
  // Handlers read fields without bounds tests: an event that does not have
  // exactly its type's fields (the reader always gives it them) is the
  // interpreter's. An empty plan has no handler: the interpreter's runs
  // only MetricsDone.
  if (!fn || event.fields.size() != impl_->program.schema.types[type].fields.size())
    return impl_->fallback.HandleEvent(event, rt);
  core::Frame frame{&event, nullptr, nullptr};
  const NativeFrame nf = impl_->FrameFor(frame, rt);
  fn(&nf);
}

}  // namespace questline::jit
