// Random statements for rule bodies, on-blocks, rewards and flows: awards
// (int and decimal amounts, the latter floored with W0501), deductions,
// bonuses, sends with data of every type, tags, lets, if / else if / else,
// and mission grants. Each statement is one line, or a few for an `if`, so
// the minimiser can drop lines one at a time.
#include "tests/jit/expr_gen.h"

namespace questline::jitdiff {

std::string ExprGen::Block(Scope s, int n, int depth, const std::string& indent) {
  std::string out;
  for (int i = 0; i < n; ++i) out += Statement(s, depth, indent);
  return out;
}

std::string ExprGen::Statement(Scope& s, int depth, const std::string& indent) {
  auto amount = [&] {
    int r = int(rng_.Below(100));
    if (r < 15) return std::to_string(rng_.Range(1, 30));
    if (r < 70) return Gen(Ty::Int, s, 2);
    return Gen(Ty::Dec, s, 2);
  };
  int r = int(rng_.Below(100));
  if (r < 22) return indent + "award points " + amount() + "\n";
  if (r < 28) return indent + "award gems " + amount() + "\n";
  if (r < 32) {
    const char* currency = rng_.Chance(50) ? "gems" : "points";
    return indent + "deduct " + currency + " " + amount() + "\n";
  }
  if (r < 38) {
    if (rng_.Chance(70)) return indent + "grant bonus \"fs_" + std::to_string(rng_.Range(1, 9)) + "\"\n";
    return indent + "grant bonus " + Gen(Ty::Str, s, 2) + "\n";
  }
  if (r < 52) {
    const char* channel = rng_.Pick({"inbox", "popup", "push", "email", "sms", "webhook"});
    std::string out = indent + "send " + channel + " \"tmpl_" + std::to_string(rng_.Range(1, 5)) + "\"";
    const int fields = int(rng_.Range(0, 4));
    if (fields > 0 || rng_.Chance(20)) {
      out += " {";
      for (int i = 0; i < fields; ++i) {
        const Ty t = AnyType();
        out += (i ? ", k" : " k") + std::to_string(i) + ": " + Gen(t, s, 2);
      }
      out += " }";
    }
    return out + "\n";
  }
  if (r < 58) {
    const char* verb = rng_.Chance(65) ? "tag" : "untag";
    if (rng_.Chance(60)) return indent + verb + " \"t_" + std::to_string(rng_.Range(1, 4)) + "\"\n";
    return indent + verb + " " + Gen(Ty::Str, s, 2) + "\n";
  }
  if (r < 74 && s.lets) {
    Ty t = AnyType();
    if (IsUnion(t)) t = Ty::Str;
    const std::string name = "v" + std::to_string(m_.next_local++);
    const std::string value = Gen(t, s, 3);
    s.vars.push_back({name, t});
    return indent + "let " + name + " = " + value + "\n";
  }
  if (r < 90 && depth > 0) {
    // One draw per statement: operands of `+` are unsequenced.
    const std::string inner = indent + "  ";
    std::string out = indent + "if " + Cond(s, 3) + " {\n";
    out += Block(s, int(rng_.Range(1, 3)), depth - 1, inner);
    if (rng_.Chance(25)) {
      out += indent + "} else if " + Cond(s, 2) + " {\n";
      out += Block(s, int(rng_.Range(1, 2)), depth - 1, inner);
    }
    if (rng_.Chance(50)) {
      out += indent + "} else {\n";
      out += Block(s, int(rng_.Range(1, 2)), depth - 1, inner);
    }
    return out + indent + "}\n";
  }
  if ((r < 92 && !m_.games.empty()) || (r < 94 && !m_.raffles.empty())) {
    const bool game = r < 92 && !m_.games.empty();
    const std::string target = game ? "give attempts " + rng_.Pick(m_.games) : "give tickets " + rng_.Pick(m_.raffles);
    return indent + target + " " + amount() + "\n";
  }
  if (r < 97 && !m_.missions.empty()) {
    const char* verb = rng_.Chance(50) ? "give mission " : "unlock mission ";
    return indent + verb + rng_.Pick(m_.missions) + "\n";
  }
  return indent + "award points " + amount() + "\n";
}

}  // namespace questline::jitdiff
