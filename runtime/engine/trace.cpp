#include "runtime/engine/trace.h"

namespace questline::engine {

const char* TraceSpanName(TraceSpan kind) {
  switch (kind) {
#define QUESTLINE_TRACE_SPAN(Kind, name) \
  case TraceSpan::Kind: return name;
#include "runtime/engine/trace_spans.def"
  }
  return "?";
}

}  // namespace questline::engine
