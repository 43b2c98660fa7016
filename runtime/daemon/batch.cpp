#include "runtime/daemon/batch.h"

#include <algorithm>

namespace questline::daemon {
namespace {

bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && Blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && Blank(s.back())) s.remove_suffix(1);
  return s;
}

void Add(std::string_view text, uint64_t line, size_t max_event_bytes, Batch* batch) {
  if (text.size() > max_event_bytes) batch->rejected.push_back({line, TooLong(text.size(), max_event_bytes)});
  else batch->lines.push_back({line, text});
}

// The array's elements by their top-level commas: strings (with escapes) and
// nesting are skipped over, nothing else of JSON is judged here; each
// element is judged by the event reader like an NDJSON line.
bool SplitArray(std::string_view body, size_t max_event_bytes, Batch* batch, std::string* error) {
  size_t pos = body.find('[') + 1;
  uint64_t element = 0;
  if (Trim(body.substr(pos)) == "]") return true;   // an empty array
  for (;;) {
    const size_t start = pos;
    int depth = 0;
    bool in_string = false;
    for (; pos < body.size(); ++pos) {
      const char c = body[pos];
      if (in_string) {
        if (c == '\\') ++pos;
        else if (c == '"') in_string = false;
      } else if (c == '"') {
        in_string = true;
      } else if (c == '{' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ']') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' && depth == 0) {
        break;
      }
    }
    if (pos >= body.size()) {
      *error = "the JSON array is not closed";
      return false;
    }
    ++element;
    const std::string_view text = Trim(body.substr(start, pos - start));
    if (text.empty()) {
      *error = "element " + std::to_string(element) + " of the JSON array is empty";
      return false;
    }
    Add(text, element, max_event_bytes, batch);
    if (body[pos] == ',') {
      ++pos;
      continue;
    }
    if (body[pos] != ']') {
      *error = "unbalanced '}' in the JSON array";
      return false;
    }
    if (!Trim(body.substr(pos + 1)).empty()) {
      *error = "text after the end of the JSON array";
      return false;
    }
    return true;
  }
}

}  // namespace

std::string TooLong(size_t bytes, size_t max_event_bytes) {
  return "line too long: " + std::to_string(bytes) + " bytes (max_event_bytes " + std::to_string(max_event_bytes) +
         ")";
}

void SplitNdjson(std::string_view body, uint64_t first_line, size_t max_event_bytes, Batch* batch) {
  uint64_t line = first_line;
  while (!body.empty()) {
    const size_t nl = body.find('\n');
    std::string_view text = body.substr(0, nl);
    body.remove_prefix(nl == std::string_view::npos ? body.size() : nl + 1);
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    if (!Trim(text).empty()) Add(text, line, max_event_bytes, batch);
    ++line;
  }
}

bool SplitEvents(std::string_view body, size_t max_event_bytes, Batch* batch, std::string* error) {
  const std::string_view trimmed = Trim(body);
  if (!trimmed.empty() && trimmed.front() == '[') return SplitArray(trimmed, max_event_bytes, batch, error);
  SplitNdjson(body, 1, max_event_bytes, batch);
  return true;
}

void SortByLine(std::vector<io::Rejection>* rejected) {
  std::stable_sort(rejected->begin(), rejected->end(),
                   [](const io::Rejection& a, const io::Rejection& b) { return a.line < b.line; });
}

}  // namespace questline::daemon
