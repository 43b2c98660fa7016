// Text (compiler style, with a caret), JSON and SARIF 2.1.0 renderings.
#include "compiler/diag/render.h"

#include "stdlib/json_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>
#include <unordered_map>

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

// Length of a well-formed UTF-8 sequence at `i`, or 0. Strict as in RFC 3629
// (no overlong forms, surrogates or code points above U+10FFFF), so that what
// passes here is what a strict decoder such as Python's accepts.
size_t Utf8Length(std::string_view s, size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  unsigned char lo = 0x80, hi = 0xBF;   // the range of the second byte
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  }
  if (n == 0 || i + n > s.size()) return 0;
  const unsigned char second = static_cast<unsigned char>(s[i + 1]);
  if (second < lo || second > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

// `s` with each byte that does not start a well-formed UTF-8 sequence replaced
// by U+FFFD. File names are bytes (a name with 0xFF is legal on Linux) and
// messages may quote source text; JSON and SARIF must be UTF-8 whatever they hold.
std::string ValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const size_t n = Utf8Length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
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

void RenderOne(const Diagnostic& d, const SourceManager& sources, const RenderOptions& o, std::string& out) {
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

std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

// At most `max_per_file` findings of a file are shown (in source order); a
// line after its last one says how many more there were. Thousands of errors
// from one mistake (a renamed event) bury the first, which is the one to fix.
void RenderText(const std::vector<Diagnostic>& diags, const SourceManager& sources,
                const RenderOptions& o, std::string& out) {
  struct PerFile {
    size_t shown = 0, hidden_errors = 0, hidden_warnings = 0, last = 0;
  };
  std::unordered_map<FileId, PerFile> files;
  for (size_t i = 0; i < diags.size(); ++i) files[diags[i].range.file].last = i;
  for (size_t i = 0; i < diags.size(); ++i) {
    const Diagnostic& d = diags[i];
    PerFile& file = files[d.range.file];
    if (o.max_per_file == 0 || file.shown < o.max_per_file) {
      ++file.shown;
      RenderOne(d, sources, o, out);
    } else if (Effective(d, o) == Severity::Error) {
      ++file.hidden_errors;
    } else {
      ++file.hidden_warnings;
    }
    if (i != file.last || file.hidden_errors + file.hidden_warnings == 0) continue;
    std::string hidden = file.hidden_errors ? Plural(file.hidden_errors, "more error", "more errors") : "";
    if (file.hidden_warnings)
      hidden += (hidden.empty() ? "" : " and ") + Plural(file.hidden_warnings, "more warning", "more warnings");
    out += fmt::format("{}: {} not shown (the first {} findings of a file are; --max-per-file 0 shows all)\n",
                       d.range.file == kNoFile ? "quest" : sources.File(d.range.file).path, hidden,
                       o.max_per_file);
  }
}

std::string JsonString(std::string_view s) {
  std::string out;
  stdlib::AppendJsonString(out, ValidUtf8(s));
  return out;
}

// A path as an RFC 3986 URI: every byte but the unreserved characters and `/`
// is percent-encoded, so a space, `#` or `%` in a name stays part of the path
// and a byte that is not UTF-8 (0xFF) becomes %FF, which names the file
// exactly. Absolute paths become file:// URIs; relative ones stay relative
// references (resolved against the folder quest ran in).
std::string FileUri(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
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
          JsonString(FileUri(PathOf(d, sources))), d.range.line, d.range.col, d.range.end_line, d.range.end_col);
    results += fmt::format(
        "{}\n        {{\"ruleId\":\"{}\",\"ruleIndex\":{},\"level\":\"{}\",\"message\":{{\"text\":{}}}{}}}",
        i ? "," : "", Info(d.kind).code, static_cast<size_t>(d.kind), SarifLevel(Effective(d, o)),
        JsonString(message), location);
  }
  out += fmt::format(
      "{{\n  \"$schema\": \"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json\",\n"
      "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {{\n      \"tool\": {{\"driver\": {{"
      "\"name\":\"quest\",\"informationUri\":\"https://questline.dev\",\"version\":\"0.1.0\","
      "\"rules\":[{}\n      ]}}}},\n"
      // Columns count code points (diag/source.h); without this a reader
      // would take them for the default, UTF-16 code units.
      "      \"columnKind\": \"unicodeCodePoints\",\n"
      "      \"results\": [{}\n      ]\n    }}\n  ]\n}}\n",
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
