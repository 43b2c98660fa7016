// The formatting hook: `quest lsp` (compiler/driver/lsp.cpp) registers
// `quest fmt`'s formatter with Server::SetFormatter, and textDocument/formatting
// answers with one whole-document edit (none when the text cannot be formatted).
#pragma once

#include <functional>
#include <optional>
#include <string>

namespace questline::lsp {

// The formatted text of `text` (a file at `path`), or nullopt with `error`
// set when it cannot be formatted (say, it does not parse).
using Formatter = std::function<std::optional<std::string>(const std::string& path, const std::string& text,
                                                           std::string* error)>;

}  // namespace questline::lsp
