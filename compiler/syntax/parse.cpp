// Parse: bytes → ast::Module. The order matters: size bound, UTF-8, lexing and
// lexical errors, the nesting bound, then the parser (fast SLL first, full LL
// with error reporting only when SLL fails), then the AST builder.
#include "compiler/syntax/parse.h"

#include <algorithm>
#include <cstdio>

#include "QuestlineLexer.h"
#include "QuestlineParser.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/builder.h"
#include "compiler/syntax/error_listener.h"
#include "compiler/syntax/keywords.h"
#include "compiler/syntax/nesting.h"
#include "compiler/syntax/utf8.h"

namespace questline::syntax {
namespace {

using L = questline_antlr::QuestlineLexer;

struct LexResult {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;   // what the parser will see
  bool unterminated_comment = false;
  bool any_declaration_token = false;
};

// Reports lexical errors and drops or repairs their tokens, so that each gets
// exactly one diagnostic and the parser carries on as if it were well formed.
LexResult Lex(antlr4::CommonTokenStream& stream, Builder& b, const ParseLimits& limits) {
  LexResult out;
  size_t reported = 0;
  auto report = [&](diag::Kind kind, antlr4::Token* t, std::string message, std::string hint) {
    if (reported++ < limits.max_errors_per_file) b.Error(kind, b.Range(t), std::move(message), std::move(hint));
  };
  size_t last_bad_stop = SIZE_MAX;
  for (antlr4::Token* t : stream.getTokens()) {
    switch (t->getType()) {
      case L::BAD_CHAR: {
        // A run of stray characters is one finding.
        bool continues_run = last_bad_stop != SIZE_MAX && last_bad_stop + 1 == t->getStartIndex();
        last_bad_stop = t->getStopIndex();
        if (!continues_run) {
          std::string text = t->getText();
          unsigned char c = text.empty() ? 0 : static_cast<unsigned char>(text[0]);
          char hex[8];
          std::snprintf(hex, sizeof hex, "0x%02x", c);
          std::string shown = c >= 0x20 && c < 0x7f ? "`" + text + "`" : std::string("byte ") + hex;
          report(diag::Kind::UnexpectedChar, t, "unexpected character " + shown,
                 "Questline source uses ASCII outside strings and comments");
        }
        continue;
      }
      case L::UNTERMINATED_STRING: {
        report(diag::Kind::UnterminatedString, t, "unterminated string literal",
               "close the string with `\"` on the same line");
        auto repaired = std::make_unique<antlr4::CommonToken>(t);
        repaired->setType(L::STRING);
        repaired->setText(t->getText() + "\"");
        out.tokens.push_back(std::move(repaired));
        continue;
      }
      case L::UNTERMINATED_COMMENT:
        report(diag::Kind::UnterminatedComment, t, "unterminated block comment",
               "close the comment with `*/`");
        out.unterminated_comment = true;
        continue;
      default:
        break;
    }
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL && t->getType() != antlr4::Token::EOF)
      out.any_declaration_token = true;
    out.tokens.push_back(std::make_unique<antlr4::CommonToken>(t));
  }
  return out;
}

// Declarations are parsed one by one: a line-initial declaration keyword
// followed by its name (`rule slot_points`, `extend event`, `settings {`) starts
// a new chunk. A mistake — even an unclosed brace — then cannot swallow the
// declarations after it, and recovery never has to guess where one ends. The
// name may be any word but an operator: contextual keywords are names
// (`rule earn`), and a reserved one (`metric rule`) is that chunk's own error.
bool StartsDeclaration(const std::vector<std::unique_ptr<antlr4::Token>>& tokens, size_t i,
                       size_t previous_line) {
  static const size_t kStarts[] = {L::TYPE, L::EVENT, L::EXTEND, L::PROFILE, L::CURRENCY,
                                   L::SETTINGS, L::CONST, L::FN, L::METRIC, L::SEGMENT,
                                   L::RULE, L::LEVEL, L::BADGE, L::MISSION, L::LEADERBOARD,
                                   L::TOURNAMENT, L::ITEM, L::MINIGAME, L::RAFFLE, L::FLOW,
                                   L::POLICY};
  antlr4::Token* t = tokens[i].get();
  if (t->getLine() == previous_line) return false;
  if (std::find(std::begin(kStarts), std::end(kStarts), t->getType()) == std::end(kStarts))
    return false;
  size_t next = i + 1;
  while (next < tokens.size() && tokens[next]->getChannel() != antlr4::Token::DEFAULT_CHANNEL) ++next;
  if (next >= tokens.size()) return false;
  size_t follower = tokens[next]->getType();
  return follower == L::IDENT || IsContextualKeyword(follower) ||
         (IsReservedKeyword(follower) && follower != L::AND && follower != L::OR &&
          follower != L::NOT) ||
         tokens[next]->getText() == "{";
}

struct Chunk {
  std::vector<std::unique_ptr<antlr4::Token>> tokens;   // ends with its own EOF
  std::string next_declaration;                          // "`rule` on line 12", or ""
};

std::vector<Chunk> SplitDeclarations(std::vector<std::unique_ptr<antlr4::Token>> tokens) {
  std::vector<Chunk> chunks(1);
  size_t previous_line = 0;
  for (size_t i = 0; i < tokens.size(); ++i) {
    antlr4::Token* t = tokens[i].get();
    if (t->getType() == antlr4::Token::EOF) continue;
    if (t->getChannel() == antlr4::Token::DEFAULT_CHANNEL) {
      if (StartsDeclaration(tokens, i, previous_line) && !chunks.back().tokens.empty()) {
        chunks.back().next_declaration =
            "`" + t->getText() + "` on line " + std::to_string(t->getLine());
        chunks.emplace_back();
      }
      previous_line = t->getLine();
    }
    chunks.back().tokens.push_back(std::move(tokens[i]));
  }
  // Each chunk's EOF sits where the next chunk (or the file) begins.
  for (size_t c = 0; c < chunks.size(); ++c) {
    antlr4::Token* anchor = c + 1 < chunks.size() ? chunks[c + 1].tokens.front().get()
                                                  : tokens.back().get();
    auto eof = std::make_unique<antlr4::CommonToken>(antlr4::Token::EOF, "<EOF>");
    eof->setStartIndex(anchor->getStartIndex());
    eof->setStopIndex(anchor->getStartIndex() - 1);
    eof->setLine(anchor->getLine());
    eof->setCharPositionInLine(anchor->getCharPositionInLine());
    chunks[c].tokens.push_back(std::move(eof));
  }
  return chunks;
}

// Two-stage parsing: SLL is much faster and almost always enough; only a
// declaration that fails it is parsed again with full LL and error reporting.
void ParseChunk(Chunk& chunk, Builder& builder, ast::Module& module, ErrorBudget& budget,
                bool eof_reported) {
  antlr4::ListTokenSource source(std::move(chunk.tokens));
  antlr4::CommonTokenStream tokens(&source);
  tokens.fill();
  questline_antlr::QuestlineParser parser(&tokens);
  parser.removeErrorListeners();
  parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
      antlr4::atn::PredictionMode::SLL);
  parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
  P::ModuleContext* tree = nullptr;
  try {
    tree = parser.module();
  } catch (const antlr4::ParseCancellationException&) {
    tree = nullptr;
  }
  ErrorListener listener(builder, budget, eof_reported && chunk.next_declaration.empty(),
                         chunk.next_declaration);
  if (tree == nullptr) {
    tokens.seek(0);
    parser.reset();
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.getInterpreter<antlr4::atn::ParserATNSimulator>()->setPredictionMode(
        antlr4::atn::PredictionMode::LL);
    parser.addErrorListener(&listener);
    tree = parser.module();
  }
  builder.BuildDecls(tree, module);
}

}  // namespace

ast::Module Parse(diag::FileId file, const diag::SourceManager& sources,
                  diag::DiagnosticSink& sink, const ParseLimits& limits) {
  const diag::SourceFile& source = sources.File(file);
  ast::Module empty;
  empty.file = file;
  empty.path = source.path;
  if (source.text.size() > limits.max_file_bytes) {
    diag::SourceRange at{file, 1, 1, 1, 1};
    sink.Report(diag::Kind::FileTooLarge, at,
                "file is " + std::to_string(source.text.size() >> 10) + " KiB; the limit is " +
                    std::to_string(limits.max_file_bytes >> 10) + " KiB")
        .hints.push_back("split the package into several files");
    return empty;
  }

  CleanText clean = ValidateUtf8(source.text);
  Builder builder(file, sources, clean.cp_to_byte, sink);
  for (size_t i = 0; i < clean.bad_offsets.size() && i < limits.max_errors_per_file; ++i)
    builder.Error(diag::Kind::InvalidUtf8, builder.ByteRange(clean.bad_offsets[i], clean.bad_offsets[i] + 1),
                  "invalid UTF-8 byte sequence", "save the file as UTF-8");
  for (size_t i = 0; i < clean.nul_offsets.size() && i < limits.max_errors_per_file; ++i)
    builder.Error(diag::Kind::NulByte, builder.ByteRange(clean.nul_offsets[i], clean.nul_offsets[i] + 1),
                  "NUL byte in the source", "remove it; in a string, a NUL cannot be written");

  antlr4::ANTLRInputStream input(clean.text);
  L lexer(&input);
  lexer.removeErrorListeners();
  antlr4::CommonTokenStream raw(&lexer);
  raw.fill();
  LexResult lexed = Lex(raw, builder, limits);
  if (!lexed.any_declaration_token) {
    if (sink.All().empty() || lexed.unterminated_comment == false)
      sink.Report(diag::Kind::EmptyFile, diag::SourceRange{file, 1, 1, 1, 1},
                  "file declares nothing");
    return empty;
  }

  std::vector<antlr4::Token*> view;
  for (auto& t : lexed.tokens) view.push_back(t.get());
  TooDeepKind too_deep = TooDeepKind::Nesting;
  if (antlr4::Token* deep = FindTooDeep(view, limits.max_nesting, limits.max_chain, &too_deep)) {
    if (too_deep == TooDeepKind::Nesting)
      builder.Error(diag::Kind::NestingTooDeep, builder.Range(deep),
                    "nesting deeper than " + std::to_string(limits.max_nesting) + " levels",
                    "split the expression with `let` or a `fn`");
    else
      builder.Error(diag::Kind::NestingTooDeep, builder.Range(deep),
                    "a chain of operators, accessors or `else if` longer than " +
                        std::to_string(limits.max_chain) + " links",
                    "split it with `let`, a `fn`, or separate rules");
    return empty;
  }

  ast::Module module = std::move(empty);
  ErrorBudget budget{limits.max_errors_per_file};
  for (Chunk& chunk : SplitDeclarations(std::move(lexed.tokens)))
    ParseChunk(chunk, builder, module, budget, lexed.unterminated_comment);
  return module;
}

}  // namespace questline::syntax
