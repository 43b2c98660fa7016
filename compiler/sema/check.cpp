#include "compiler/sema/check.h"

namespace questline::sema {

Package Check(const std::vector<ast::Module>& modules, const diag::SourceManager& sources,
              diag::DiagnosticSink& sink, const CheckOptions& options) {
  return Package{};
}

}  // namespace questline::sema
