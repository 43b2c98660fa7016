// The printer: one pass over the tokens, deciding before each one whether it
// continues the line (and with how many spaces) or starts a new one (at which
// indent, after a blank line or not). The rules, in order, are those of
// docs/tooling.md ("quest fmt").
#include "compiler/format/print.h"

#include <algorithm>
#include <utility>

namespace questline::format {

namespace {

constexpr int kIndent = 2;               // per open brace
constexpr int kContinuationIndent = 4;   // a line the source broke inside an item

// A line that holds one whole item of a multi-line block (or a whole one-line
// declaration): its first word, its depth, and where its head ends — the
// keyword, the name and a title string (`task wager "Wager 100"`, `metric
// spent`, `level gold`). Runs of such lines with the same first word are
// aligned after their heads; runs of lines ending in a comment, at it.
struct LineInfo {
  std::string keyword;          // empty: not an item line
  int depth = 0;
  int tokens = 0;               // code tokens on the line
  size_t after_head = 0;        // in out_: where the token after the head starts (0: none)
  bool whole = true;            // no block of the item continues on the next line
  size_t comment = 0;           // in out_: where a trailing line comment starts (0: none)
  size_t start = 0;             // in out_: where the line starts
  size_t head_pad = 0, comment_pad = 0;   // spaces Align inserts
};

struct Break {
  bool new_line = false;
  bool blank_line = false;   // with new_line: one empty line first
  int indent = 0;            // with new_line
  int spaces = 0;            // without: spaces before the token
};

// The items whose second word is a name being declared, so that a run of
// them reads as a table: `metric spent   = …`, `level gold     { … }`,
// `prize fs10    weight 10`, `task wager "Wager 100" { … }`.
bool AlignsAfterHead(const std::string& keyword) {
  for (const char* k : {"metric", "segment", "type", "level", "badge", "prize", "task"})
    if (keyword == k) return true;
  return false;
}

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
    return Align();
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
        // A line that continues an item: the item above is not one line.
        if (t.kind == syntax::TokenKind::Code && !t.item && !t.closes) lines_.back().whole = false;
        if (b.blank_line) lines_.emplace_back();   // a blank line ends every run
        out_ += b.blank_line ? "\n\n" : "\n";
        lines_.emplace_back();
        lines_.back().start = out_.size();
        out_.append(static_cast<size_t>(b.indent > 0 ? b.indent : 0), ' ');
        pending_blank_ = false;
      } else {
        out_.append(static_cast<size_t>(b.spaces), ' ');
      }
    } else {
      lines_.emplace_back();
    }
    Record(t, b);
    out_ += t.text;
    previous_ = &t;
    if (t.kind != syntax::TokenKind::Code) return;
    last_code_ = &t;
    if (t.opens) open_.push_back(t.multiline);
    // A declaration whose braces span lines is followed by a blank line.
    if (t.closes && t.multiline && open_.empty()) pending_blank_ = true;
  }

  // Notes what the line being printed is, before `t` is appended to out_.
  void Record(const syntax::LayoutToken& t, const Break& b) {
    LineInfo& line = lines_.back();
    if (t.kind == syntax::TokenKind::LineComment) {
      if (line.tokens > 0 && !b.new_line && previous_ != nullptr) {
        line.comment = out_.size();
      }
      return;
    }
    if (t.kind != syntax::TokenKind::Code) return;
    ++line.tokens;
    if (line.tokens == 1) {
      if (t.item && InMultilineBlock() && AlignsAfterHead(t.text)) {
        line.keyword = t.text;
        line.depth = Depth();
      }
    } else if (line.tokens == 2 || (line.tokens == 3 && t.text[0] == '"')) {
      // the name, and a task's title: still the head
    } else if (line.after_head == 0) {
      line.after_head = out_.size();
      if (b.new_line || b.spaces == 0) line.keyword.clear();   // `fn f(`: nothing to pad
    }
    if (t.opens && t.multiline) line.whole = false;
    if (t.closes && t.multiline) line.keyword.clear();
  }

  bool Aligned(const LineInfo& l) const { return !l.keyword.empty() && l.whole && l.after_head != 0; }

  // Pads the heads of each run of like item lines, then the trailing comments
  // of each run of commented lines, to one column.
  std::string Align() {
    for (size_t i = 0; i < lines_.size();) {
      size_t j = i, widest = 0;
      while (j < lines_.size() && Aligned(lines_[j]) && lines_[j].keyword == lines_[i].keyword &&
             lines_[j].depth == lines_[i].depth) {
        widest = std::max(widest, lines_[j].after_head - lines_[j].start);
        ++j;
      }
      if (j - i >= 2)
        for (size_t k = i; k < j; ++k) lines_[k].head_pad = widest - (lines_[k].after_head - lines_[k].start);
      i = std::max(j, i + 1);
    }
    for (size_t i = 0; i < lines_.size();) {
      size_t j = i, widest = 0;
      while (j < lines_.size() && lines_[j].comment != 0) {
        widest = std::max(widest, lines_[j].comment - lines_[j].start + lines_[j].head_pad);
        ++j;
      }
      if (j - i >= 2)
        for (size_t k = i; k < j; ++k)
          lines_[k].comment_pad = widest - (lines_[k].comment - lines_[k].start + lines_[k].head_pad);
      i = std::max(j, i + 1);
    }
    std::string aligned;
    aligned.reserve(out_.size() + out_.size() / 8);
    size_t copied = 0;
    for (const LineInfo& l : lines_) {
      for (auto [at, width] : {std::pair{l.after_head, l.head_pad}, std::pair{l.comment, l.comment_pad}}) {
        if (width == 0) continue;
        aligned.append(out_, copied, at - copied);
        aligned.append(width, ' ');
        copied = at;
      }
    }
    aligned.append(out_, copied, std::string::npos);
    return aligned;
  }

  std::string out_;
  std::vector<LineInfo> lines_;     // one per printed line, plus one per blank line
  std::vector<bool> open_;          // the open braces, innermost last: multi-line or not
  const syntax::LayoutToken* previous_ = nullptr; // the token or comment printed last
  const syntax::LayoutToken* last_code_ = nullptr;
  bool pending_blank_ = false;
};

}  // namespace

std::string Print(const std::vector<syntax::LayoutToken>& tokens) { return Printer().Run(tokens); }

}  // namespace questline::format
