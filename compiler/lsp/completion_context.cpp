#include "compiler/lsp/completion_context.h"

#include <algorithm>
#include <cctype>
#include <map>

namespace questline::lsp {

namespace {

bool IsWordChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

}  // namespace

const std::vector<std::string>& DeclarationKeywords() {
  static const std::vector<std::string> kWords = {
      "type", "event", "extend", "profile", "currency", "settings", "const", "fn", "metric", "segment",
      "rule", "level", "badge", "mission", "leaderboard", "tournament", "item", "minigame", "raffle",
      "flow", "policy"};
  return kWords;
}

const std::vector<std::string>& StatementKeywords() {
  static const std::vector<std::string> kWords = {
      "award", "deduct", "grant bonus", "send", "unlock mission", "give mission", "give attempts",
      "give tickets", "tag", "untag", "let", "if", "else", "wait", "wait for", "split",
      "choose by bandit reward", "exit"};
  return kWords;
}

const std::vector<std::string>& ClauseKeywords(const std::string& decl) {
  static const std::vector<std::string> kCompetition = {"title", "score", "period", "audience", "window", "register",
                                                        "happy_hours", "min_score", "min_players", "max_players",
                                                        "prizes"};
  static const std::map<std::string, std::vector<std::string>> kClauses = {
      {"rule", {"cap", "limit"}},
      {"level", {"at", "on reach"}},
      {"badge", {"when", "on earn"}},
      {"mission", {"title", "audience", "unlock on", "unlock after mission", "unlock at level", "opt_in", "given",
                   "active", "recurring", "time_limit", "ordered", "task", "reward", "max_completions"}},
      {"leaderboard", kCompetition},
      {"tournament", kCompetition},
      {"item", {"title", "price", "audience", "limit", "stock", "on purchase"}},
      {"minigame", {"title", "kind", "cost", "audience", "limit", "prize"}},
      {"raffle", {"title", "audience", "draw at", "prize", "max_prizes_per_user"}},
      {"flow", {"on", "on enter", "on exit", "every", "audience", "holdout", "reenter after"}},
      {"policy", {"block rewards when", "block messages when", "cap messages", "quiet_hours"}},
      {"settings", {"timezone", "week_starts", "seed"}},
  };
  static const std::vector<std::string> kNone;
  auto it = kClauses.find(decl);
  return it == kClauses.end() ? kNone : it->second;
}

bool BodyTakesStatements(const std::string& decl) { return decl == "rule" || decl == "flow"; }

CompletionContext ContextAt(std::string_view text) {
  CompletionContext ctx;
  size_t end = text.size();
  size_t start = end;
  while (start > 0 && IsWordChar(text[start - 1])) --start;
  ctx.prefix = std::string(text.substr(start, end - start));
  if (start > 0 && text[start - 1] == '.') {
    size_t base = start - 1;
    while (base > 0 && IsWordChar(text[base - 1])) --base;
    ctx.member_of = std::string(text.substr(base, start - 1 - base));
  }
  size_t line_begin = text.rfind('\n', start == 0 ? 0 : start - 1);
  line_begin = line_begin == std::string_view::npos ? 0 : line_begin + 1;
  ctx.line_start = start >= line_begin &&
                   text.substr(line_begin, start - line_begin).find_first_not_of(" \t\r") == std::string_view::npos;

  // Braces and the declaration keyword that opened the outermost one. Linear
  // in the text; no recursion.
  std::string pending;   // the last declaration keyword seen at depth 0
  for (size_t i = 0; i < start;) {
    const char c = text[i];
    if (c == '/' && i + 1 < start && text[i + 1] == '/') {
      while (i < start && text[i] != '\n') ++i;
    } else if (c == '/' && i + 1 < start && text[i + 1] == '*') {
      const size_t close = text.find("*/", i + 2);
      i = close == std::string_view::npos ? start : close + 2;
    } else if (c == '"') {
      for (++i; i < start && text[i] != '"' && text[i] != '\n'; ++i)
        if (text[i] == '\\') ++i;
      ++i;
    } else if (c == '{') {
      if (ctx.depth++ == 0) ctx.decl = pending;
      ++i;
    } else if (c == '}') {
      if (ctx.depth > 0 && --ctx.depth == 0) ctx.decl.clear();
      ++i;
    } else if (IsWordChar(c)) {
      size_t j = i;
      while (j < start && IsWordChar(text[j])) ++j;
      if (ctx.depth == 0) {
        const std::string word(text.substr(i, j - i));
        const auto& decls = DeclarationKeywords();
        if (word != "extend" && std::find(decls.begin(), decls.end(), word) != decls.end()) pending = word;
      }
      i = j;
    } else {
      ++i;
    }
  }
  return ctx;
}

}  // namespace questline::lsp
