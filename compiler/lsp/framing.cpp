#include "compiler/lsp/framing.h"

#include <cctype>
#include <istream>
#include <ostream>
#include <strings.h>

namespace questline::lsp {

namespace {

// One header line without its CRLF (a bare LF is accepted too). False at the
// end of input; an over-long line is consumed to its end and flagged.
bool ReadHeaderLine(std::istream& in, std::string* line, bool* too_long) {
  line->clear();
  *too_long = false;
  int c;
  while ((c = in.get()) != EOF) {
    if (c == '\n') {
      if (!line->empty() && line->back() == '\r') line->pop_back();
      return true;
    }
    if (line->size() < kMaxHeaderLine) line->push_back(char(c));
    else *too_long = true;
  }
  return false;
}

// The value of `Content-Length:`, or -1 when the line is another header or malformed.
long long ContentLength(const std::string& line) {
  static const char kName[] = "content-length:";
  if (line.size() < sizeof kName - 1 || strncasecmp(line.c_str(), kName, sizeof kName - 1) != 0) return -1;
  size_t i = sizeof kName - 1;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  if (i == line.size()) return -1;
  long long n = 0;
  for (; i < line.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(line[i]))) return line[i] == ' ' ? n : -1;
    n = n * 10 + (line[i] - '0');
    if (n > (1ll << 40)) return -1;
  }
  return n;
}

}  // namespace

ReadStatus ReadMessage(std::istream& in, std::string* body, std::string* error) {
  long long length = -1;
  bool malformed = false;
  std::string line;
  size_t lines = 0;
  bool too_long = false;
  for (;;) {
    if (!ReadHeaderLine(in, &line, &too_long)) return ReadStatus::End;
    if (line.empty()) {
      if (lines == 0) continue;   // stray blank lines between messages
      break;
    }
    ++lines;
    if (too_long || lines > kMaxHeaderLines) malformed = true;
    const long long n = ContentLength(line);
    if (n >= 0) length = n;
    else if (line.find(':') == std::string::npos) malformed = true;
  }
  if (length < 0 || malformed) {
    *error = "malformed header: no valid Content-Length";
    return ReadStatus::BadFrame;
  }
  if (size_t(length) > kMaxMessageBytes) {
    in.ignore(length);   // skip the body so the next frame still parses
    *error = "message of " + std::to_string(length) + " bytes is over the limit of " +
             std::to_string(kMaxMessageBytes);
    return in ? ReadStatus::BadFrame : ReadStatus::End;
  }
  body->assign(size_t(length), '\0');
  in.read(body->data(), length);
  if (in.gcount() != length) return ReadStatus::End;
  return ReadStatus::Message;
}

void WriteMessage(std::ostream& out, const std::string& body) {
  out << "Content-Length: " << body.size() << "\r\n\r\n" << body;
  out.flush();
}

}  // namespace questline::lsp
