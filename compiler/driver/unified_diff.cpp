// Myers' O((N+M)D) shortest edit script on lines, then hunks with context.
#include "compiler/driver/unified_diff.h"

#include <string_view>
#include <vector>

namespace questline::driver {

namespace {

constexpr int kContext = 3;
// Past this many edits the trace (D vectors of N+M entries) grows too large;
// the rest of the texts is then shown as one replacement, still a valid diff.
constexpr int kMaxEdits = 2000;

enum class Op { Equal, Delete, Insert };

// Lines with their terminator: a last line without one differs from the same
// line with one, and is marked as such when printed.
std::vector<std::string_view> Lines(const std::string& text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    lines.emplace_back(text.data() + start, end - start);
    start = end;
  }
  return lines;
}

std::vector<Op> EditScript(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  const int n = static_cast<int>(a.size()), m = static_cast<int>(b.size());
  const int offset = n + m + 1;
  std::vector<int> v(2 * offset + 1, 0);
  std::vector<std::vector<int>> trace;
  int found_d = -1;
  for (int d = 0; d <= n + m && d <= kMaxEdits && found_d < 0; ++d) {
    trace.push_back(v);
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                              : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && a[x] == b[y]) ++x, ++y;
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found_d = d;
        break;
      }
    }
  }
  std::vector<Op> ops;
  if (found_d < 0) {   // too different: common prefix and suffix, the middle replaced
    int prefix = 0, suffix = 0;
    while (prefix < n && prefix < m && a[prefix] == b[prefix]) ++prefix;
    while (suffix < n - prefix && suffix < m - prefix && a[n - 1 - suffix] == b[m - 1 - suffix]) ++suffix;
    ops.assign(prefix, Op::Equal);
    ops.insert(ops.end(), n - prefix - suffix, Op::Delete);
    ops.insert(ops.end(), m - prefix - suffix, Op::Insert);
    ops.insert(ops.end(), suffix, Op::Equal);
    return ops;
  }
  // Back through the trace, from (n, m) to (0, 0).
  int x = n, y = m;
  for (int d = found_d; d > 0; --d) {
    const std::vector<int>& pv = trace[d];
    const int k = x - y;
    const bool down = k == -d || (k != d && pv[offset + k - 1] < pv[offset + k + 1]);
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = pv[offset + prev_k], prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) ops.push_back(Op::Equal), --x, --y;
    ops.push_back(down ? Op::Insert : Op::Delete);
    x = prev_x;
    y = prev_y;
  }
  while (x > 0 && y > 0) ops.push_back(Op::Equal), --x, --y;
  return std::vector<Op>(ops.rbegin(), ops.rend());
}

void AppendLine(std::string& out, char mark, std::string_view line) {
  out += mark;
  out.append(line.data(), line.size());
  if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
}

// `@@ -start,count +start,count @@`, with the conventions for empty ranges.
std::string HunkHeader(int a_start, int a_count, int b_start, int b_count) {
  auto range = [](int start, int count) {
    return std::to_string(count == 0 ? start : start + 1) + (count == 1 ? "" : "," + std::to_string(count));
  };
  return "@@ -" + range(a_start, a_count) + " +" + range(b_start, b_count) + " @@\n";
}

}  // namespace

std::string UnifiedDiff(const std::string& label, const std::string& before, const std::string& after) {
  if (before == after) return {};
  const std::vector<std::string_view> a = Lines(before), b = Lines(after);
  const std::vector<Op> ops = EditScript(a, b);
  std::string out = "--- a/" + label + "\n+++ b/" + label + "\n";
  // Positions in a and b before each op.
  std::vector<int> ai(ops.size() + 1), bi(ops.size() + 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    ai[i + 1] = ai[i] + (ops[i] != Op::Insert);
    bi[i + 1] = bi[i] + (ops[i] != Op::Delete);
  }
  size_t i = 0;
  while (i < ops.size()) {
    if (ops[i] == Op::Equal) {
      ++i;
      continue;
    }
    // A hunk: from kContext equal lines before the change to kContext after
    // the last change that is no more than 2 * kContext equal lines from the next.
    size_t begin = i;
    for (int c = 0; c < kContext && begin > 0 && ops[begin - 1] == Op::Equal; ++c) --begin;
    size_t end = i;
    while (end < ops.size()) {
      if (ops[end] != Op::Equal) {
        ++end;
        continue;
      }
      size_t run = end;
      while (run < ops.size() && ops[run] == Op::Equal) ++run;
      if (run < ops.size() && run - end <= 2 * kContext) {
        end = run;
        continue;
      }
      end = std::min(run, end + kContext);
      break;
    }
    out += HunkHeader(ai[begin], ai[end] - ai[begin], bi[begin], bi[end] - bi[begin]);
    for (size_t j = begin; j < end; ++j) {
      if (ops[j] == Op::Equal) AppendLine(out, ' ', a[ai[j]]);
      else if (ops[j] == Op::Delete) AppendLine(out, '-', a[ai[j]]);
      else AppendLine(out, '+', b[bi[j]]);
    }
    i = end;
  }
  return out;
}

}  // namespace questline::driver
