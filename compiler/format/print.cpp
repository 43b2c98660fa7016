// The printer: one pass over the tokens, deciding before each one whether it
// continues the line (and with how many spaces) or starts a new one (at which
// indent, after a blank line or not). The rules, in order, are those of
// docs/tooling.md ("quest fmt").
#include "compiler/format/print.h"

namespace questline::format {

namespace {

constexpr int kIndent = 2;               // per open brace
constexpr int kContinuationIndent = 4;   // a line the source broke inside an item

struct Break {
  bool new_line = false;
  bool blank_line = false;   // with new_line: one empty line first
  int indent = 0;            // with new_line
  int spaces = 0;            // without: spaces before the token
};

bool Separates(const syntax::LayoutToken& t) {
  return t.kind == syntax::TokenKind::Code && (t.text == "{" || t.text == "," || t.text == ";" || t.text == ":");
}

class Printer {
 public:
  std::string Run(const std::vector<syntax::LayoutToken>& tokens) {
    for (const syntax::LayoutToken& t : tokens) {
      if (previous_ == nullptr) {
        Emit(t, Break{});
        continue;
      }
      Emit(t, t.kind == syntax::TokenKind::Code ? BeforeCode(t) : BeforeComment(t));
    }
    if (!out_.empty()) out_ += '\n';
    return std::move(out_);
  }

 private:
  int Depth() const { return static_cast<int>(open_.size()); }
  bool InMultilineBlock() const { return open_.empty() || open_.back(); }
  bool AfterLineComment() const { return previous_->kind == syntax::TokenKind::LineComment; }
  bool AfterOpenBrace() const { return last_code_ != nullptr && last_code_->opens && previous_ == last_code_; }

  Break NewLine(int indent, bool blank) const {
    Break b;
    b.new_line = true;
    b.indent = indent;
    b.blank_line = blank || pending_blank_;
    return b;
  }

  Break SameLine(int spaces) const {
    Break b;
    b.spaces = spaces;
    return b;
  }

  // A comment keeps its place: on a line of its own (indented with the items
  // around it, one blank line before it at most) or after code on its line.
  Break BeforeComment(const syntax::LayoutToken& t) const {
    if (t.newlines_before > 0 || AfterLineComment())
      return NewLine(Depth() * kIndent, t.newlines_before > 1 && !AfterOpenBrace());
    return SameLine(1);
  }

  Break BeforeCode(const syntax::LayoutToken& t) const {
    if (t.closes) {
      if (t.multiline) return NewLine((Depth() - 1) * kIndent, false);
      return SameLine(last_code_ && last_code_->opens && previous_ == last_code_ ? 0 : 1);
    }
    const bool blank = t.newlines_before > 1 && !AfterOpenBrace();
    if (AfterLineComment()) return NewLine(Depth() * kIndent + (t.item ? 0 : kContinuationIndent), blank);
    if (AfterOpenBrace() && last_code_->multiline) return NewLine(Depth() * kIndent, false);
    if (t.join) return SameLine(t.space_before == syntax::Space::None || Glued() ? 0 : 1);
    if (t.item && InMultilineBlock()) return NewLine(Depth() * kIndent, blank);
    if (t.newlines_before > 0) return NewLine(Depth() * kIndent + kContinuationIndent, false);
    if (Glued() || t.space_before == syntax::Space::None) return SameLine(0);
    // Items sharing a line are set apart by two spaces: `{ at 0  on reach { … } }`.
    const bool after_separator = last_code_ != nullptr && previous_ == last_code_ && Separates(*last_code_);
    return SameLine((t.item || t.inline_item) && !after_separator ? 2 : 1);
  }

  bool Glued() const { return previous_->kind == syntax::TokenKind::Code && previous_->glue_after; }

  void Emit(const syntax::LayoutToken& t, const Break& b) {
    if (t.closes && !open_.empty()) open_.pop_back();
    if (previous_ != nullptr) {
      if (b.new_line) {
        out_ += b.blank_line ? "\n\n" : "\n";
        out_.append(static_cast<size_t>(b.indent > 0 ? b.indent : 0), ' ');
        pending_blank_ = false;
      } else {
        out_.append(static_cast<size_t>(b.spaces), ' ');
      }
    }
    out_ += t.text;
    previous_ = &t;
    if (t.kind != syntax::TokenKind::Code) return;
    last_code_ = &t;
    if (t.opens) open_.push_back(t.multiline);
    // A declaration whose braces span lines is followed by a blank line.
    if (t.closes && t.multiline && open_.empty()) pending_blank_ = true;
  }

  std::string out_;
  std::vector<bool> open_;          // the open braces, innermost last: multi-line or not
  const syntax::LayoutToken* previous_ = nullptr; // the token or comment printed last
  const syntax::LayoutToken* last_code_ = nullptr;
  bool pending_blank_ = false;
};

}  // namespace

std::string Print(const std::vector<syntax::LayoutToken>& tokens) { return Printer().Run(tokens); }

}  // namespace questline::format
