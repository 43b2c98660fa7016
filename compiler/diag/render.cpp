// Text (compiler style, with a caret), JSON and SARIF 2.1.0 renderings.
#include "compiler/diag/render.h"

#include "stdlib/json_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

namespace questline::diag {
namespace {

constexpr int kTabWidth = 4;

Severity Effective(const Diagnostic& d, const RenderOptions& o) {
  return o.werror && d.severity == Severity::Warning ? Severity::Error : d.severity;
}

// The excerpt as displayed (tabs expanded, control bytes shown as `?`) and
// the display column of each byte, so carets line up under tabs too.
struct Excerpt {
  std::string text;
  std::vector<size_t> column;   // display column of byte i (0-based), plus one past the end
};

// Length of a well-formed UTF-8 sequence at `i`, or 0 (shown as `?`).
size_t Utf8Length(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

Excerpt Expand(std::string_view line) {
  Excerpt e;
  size_t width = 0;   // display columns so far: a character is one, whatever its bytes
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    e.column.push_back(width);
    if (static_cast<unsigned char>(c) >= 0x80) {
      // One display column per character; continuation bytes share it.
      size_t n = Utf8Length(line, i);
      ++width;
      if (n == 0) {
        e.text.push_back('?');
        continue;
      }
      e.text.append(line.substr(i, n));
      for (size_t k = 1; k < n; ++k) e.column.push_back(e.column.back());
      i += n - 1;
      continue;
    }
    if (c == '\t') {
      const size_t spaces = kTabWidth - width % kTabWidth;
      e.text.append(spaces, ' ');
      width += spaces;
    } else {
      e.text.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? '?' : c);
      ++width;
    }
  }
  e.column.push_back(width);
  return e;
}

void RenderExcerpt(const SourceRange& r, const SourceManager& sources, std::string& out) {
  if (!r.Valid()) return;
  std::string_view line = sources.Line(r.file, r.line);
  Excerpt e = Expand(line);
  std::string number = std::to_string(r.line);
  std::string gutter(std::max<size_t>(number.size(), 4), ' ');
  std::string padded = std::string(gutter.size() - number.size(), ' ') + number;
  size_t begin_byte = ByteOfColumn(line, r.col);   // columns count characters
  size_t end_byte = r.end_line == r.line ? ByteOfColumn(line, r.end_col) : line.size();
  size_t from = e.column[begin_byte];
  size_t to = std::max(e.column[std::max(begin_byte, end_byte)], from + 1);
  out += fmt::format("{} | {}\n", padded, e.text);
  out += fmt::format("{} | {}^{}\n", gutter, std::string(from, ' '), std::string(to - from - 1, '~'));
}

void RenderText(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                const RenderOptions& o, std::string& out) {
  for (const Diagnostic& d : diags) {
    const KindInfo& info = Info(d.kind);
    std::string where = d.range.file == kNoFile ? "quest" : sources.File(d.range.file).path;
    if (d.range.Valid()) where += fmt::format(":{}:{}", d.range.line, d.range.col);
    out += fmt::format("{}: {}[{}]: {}\n", where, SeverityName(Effective(d, o)), info.code, d.message);
    RenderExcerpt(d.range, sources, out);
    for (const std::string& hint : d.hints) out += fmt::format("      = help: {}\n", hint);
    for (const Related& rel : d.related) {
      std::string rwhere = rel.range.file == kNoFile ? "quest" : sources.File(rel.range.file).path;
      out += fmt::format("{}:{}:{}: note: {}\n", rwhere, rel.range.line, rel.range.col, rel.message);
      RenderExcerpt(rel.range, sources, out);
    }
  }
}

std::string JsonString(std::string_view s) {
  std::string out;
  stdlib::AppendJsonString(out, s);
  return out;
}

std::string PathOf(const Diagnostic& d, const SourceManager& sources) {
  return d.range.file == kNoFile ? std::string() : sources.File(d.range.file).path;
}

void RenderJson(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                const RenderOptions& o, std::string& out) {
  out += "[";
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags[i];
    std::string hints;
    for (size_t h = 0; h < d.hints.size(); ++h) hints += (h ? "," : "") + JsonString(d.hints[h]);
    out += fmt::format(
        "{}\n  {{\"file\":{},\"line\":{},\"column\":{},\"end_line\":{},\"end_column\":{},"
        "\"severity\":\"{}\",\"code\":\"{}\",\"message\":{},\"hints\":[{}]}}",
        i ? "," : "", JsonString(PathOf(d, sources)), d.range.line, d.range.col, d.range.end_line,
        d.range.end_col, SeverityName(Effective(d, o)), Info(d.kind).code, JsonString(d.message), hints);
  }
  out += diags.empty() ? "]\n" : "\n]\n";
}

const char* SarifLevel(Severity s) {
  return s == Severity::Error ? "error" : s == Severity::Warning ? "warning" : "note";
}

void RenderSarif(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                 const RenderOptions& o, std::string& out) {
  std::string rules;
  bool first = true;
  for (const KindInfo& k : AllKinds()) {
    rules += fmt::format(
        "{}\n          {{\"id\":\"{}\",\"name\":\"{}\",\"shortDescription\":{{\"text\":{}}},"
        "\"helpUri\":\"https://questline.dev/docs/diagnostics#{}\","
        "\"defaultConfiguration\":{{\"level\":\"{}\"}}}}",
        first ? "" : ",", k.code, k.name, JsonString(k.title), k.code, SarifLevel(k.severity));
    first = false;
  }
  std::string results;
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags[i];
    std::string message = d.message;
    for (const std::string& h : d.hints) message += "\nhelp: " + h;
    std::string location;
    if (d.range.Valid())
      location = fmt::format(
          ",\"locations\":[{{\"physicalLocation\":{{\"artifactLocation\":{{\"uri\":{}}},"
          "\"region\":{{\"startLine\":{},\"startColumn\":{},\"endLine\":{},\"endColumn\":{}}}}}}}]",
          JsonString(PathOf(d, sources)), d.range.line, d.range.col, d.range.end_line, d.range.end_col);
    results += fmt::format(
        "{}\n        {{\"ruleId\":\"{}\",\"ruleIndex\":{},\"level\":\"{}\",\"message\":{{\"text\":{}}}{}}}",
        i ? "," : "", Info(d.kind).code, static_cast<size_t>(d.kind), SarifLevel(Effective(d, o)),
        JsonString(message), location);
  }
  out += fmt::format(
      "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": {{"
      "\"name\":\"quest\",\"informationUri\":\"https://questline.dev\",\"version\":\"0.1.0\","
      "\"rules\":[{}\n      ]}}}},\n      \"results\": [{}\n      ]\n    }}\n  ]\n}}\n",
      rules, results);
}

}  // namespace

void Render(const std::vector<Diagnostic>& diags, const SourceManager& sources,
            const RenderOptions& options, std::ostream& out) {
  std::string text;
  switch (options.format) {
    case Format::Text: RenderText(diags, sources, options, text); break;
    case Format::Json: RenderJson(diags, sources, options, text); break;
    case Format::Sarif: RenderSarif(diags, sources, options, text); break;
  }
  out << text;
}

}  // namespace questline::diag
