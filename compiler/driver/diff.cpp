// quest diff OLD NEW --events FILE [--until T] [--format text|json]
//           [--fail-on-change] [--engine jit|interp]
// The same events through two versions of a package: what the change does to
// each rule, mission, flow and player, and to the economy (action_diff.h).
#include <iostream>
#include <string>
#include <tuple>

#include "compiler/driver/action_diff.h"
#include "compiler/driver/command.h"
#include "compiler/driver/file_identity.h"
#include "compiler/driver/options.h"
#include "compiler/driver/package_replay.h"
#include "runtime/engine/json_text.h"
#include "runtime/io/action_writer.h"

namespace questline::driver {
namespace {

const char* kHelp =
    "usage: quest diff OLD NEW --events FILE [--until TIME] [--format text|json]\n"
    "                  [--fail-on-change] [--engine jit|interp]\n"
    "\n"
    "Replay the same NDJSON events (FILE, or - for stdin) through two versions of a\n"
    "package (each a folder, a .quest file or a .qlb bundle) and report the actions\n"
    "added, removed and changed, per source (rule, mission, flow …) and per player,\n"
    "with the economic impact: points and other currencies awarded, bonuses granted,\n"
    "messages sent, missions completed. Actions match by (user, event, source,\n"
    "action, ordinal among those); `balance` fields are not compared. docs/tooling.md.\n"
    "  --until TIME      advance both clocks to TIME after the last event\n"
    "  --format F        text (default) or json\n"
    "  --fail-on-change  exit 1 when anything differs\n"
    "  --engine E        jit (default) or interp, as for quest run\n"
    "exit: 0 compared (or nothing differs with --fail-on-change), 1 a difference with\n"
    "      --fail-on-change or compile errors, 2 usage or unreadable input\n";

const char* kChangeNames[] = {"added", "removed", "changed"};

std::string Signed(int64_t n) { return (n > 0 ? "+" : "") + std::to_string(n); }

std::string FieldsJson(const engine::Action& a) {
  std::string out = "{";
  for (const auto& [name, v] : a.fields) {
    if (out.size() > 1) out += ",";
    engine::AppendJsonString(out, name);
    out += ":";
    io::AppendActionValue(out, v);
  }
  return out + "}";
}

std::string ValueText(const engine::Action& a, const std::string& field) {
  std::string out;
  for (const auto& [name, v] : a.fields)
    if (name == field) io::AppendActionValue(out, v);
  return out.empty() ? "(none)" : out;
}

// One row per measure of the economy: (label, old, new).
std::vector<std::tuple<std::string, int64_t, int64_t>> ImpactRows(const Impact& before, const Impact& after) {
  std::vector<std::tuple<std::string, int64_t, int64_t>> rows;
  for (auto which : {&Impact::awarded, &Impact::deducted}) {
    std::map<std::string, std::pair<int64_t, int64_t>> by_currency;
    for (const auto& [c, n] : before.*which) by_currency[c].first = n;
    for (const auto& [c, n] : after.*which) by_currency[c].second = n;
    for (const auto& [c, n] : by_currency)
      rows.emplace_back(c + (which == &Impact::awarded ? " awarded" : " deducted"), n.first, n.second);
  }
  rows.emplace_back("bonuses granted", before.bonuses, after.bonuses);
  rows.emplace_back("messages sent", before.messages, after.messages);
  rows.emplace_back("missions completed", before.completions, after.completions);
  return rows;
}

// "points +150, bonuses -1": a group's delta, in words.
std::string DeltaText(const Impact& d) {
  std::string out;
  auto add = [&](const std::string& what, int64_t n) {
    if (!n) return;
    out += (out.empty() ? "" : ", ") + what + " " + Signed(n);
  };
  for (const auto& [c, n] : d.awarded) add(c, n);
  for (const auto& [c, n] : d.deducted) add(c + " deducted", n);
  add("bonuses", d.bonuses);
  add("messages", d.messages);
  add("completions", d.completions);
  return out;
}

std::string ChangeLine(const ActionChange& c) {
  const engine::Action& a = c.new_action ? *c.new_action : *c.old_action;
  std::string out = std::string(c.kind == ChangeKind::Added ? "+ " : c.kind == ChangeKind::Removed ? "- " : "~ ") +
                    a.user + " " + a.event + " " + a.source + " " + a.action;
  if (c.kind != ChangeKind::Changed) return out + " " + FieldsJson(a);
  for (const std::string& f : ChangedFields(*c.old_action, *c.new_action))
    out += " " + f + " " + ValueText(*c.old_action, f) + " -> " + ValueText(*c.new_action, f);
  return out;
}

constexpr size_t kTextChanges = 50;   // the text report's list; json lists every change

void PrintText(const ActionDiff& d, const std::string& old_path, const std::string& new_path, uint64_t events) {
  std::cout << "quest diff: " << old_path << " -> " << new_path << " over " << events << " events\n";
  int64_t counts[3] = {0, 0, 0};
  for (const ActionChange& c : d.changes) ++counts[int(c.kind)];
  std::cout << counts[0] << " added, " << counts[1] << " removed, " << counts[2] << " changed, " << d.unchanged
            << " unchanged\n\neconomic impact:\n";
  for (const auto& [label, before, after] : ImpactRows(d.old_total, d.new_total))
    std::cout << "  " << label << ": " << before << " -> " << after << " (" << Signed(after - before) << ")\n";
  for (const auto& [title, groups] : {std::pair{"by source", &d.by_source}, std::pair{"by player", &d.by_user}}) {
    std::cout << "\n" << title << ":\n";
    bool any = false;
    for (const auto& [name, g] : *groups) {
      if (!g.added && !g.removed && !g.changed) continue;
      any = true;
      std::cout << "  " << name << ": " << g.added << " added, " << g.removed << " removed, " << g.changed
                << " changed";
      const std::string delta = DeltaText(g.delta);
      std::cout << (delta.empty() ? "" : "; " + delta) << "\n";
    }
    if (!any) std::cout << "  (no change)\n";
  }
  if (d.changes.empty()) return;
  std::cout << "\nchanges:\n";
  for (size_t i = 0; i < d.changes.size() && i < kTextChanges; ++i) std::cout << "  " << ChangeLine(d.changes[i]) << "\n";
  if (d.changes.size() > kTextChanges)
    std::cout << "  … and " << d.changes.size() - kTextChanges << " more (--format json lists every change)\n";
}

void AppendGroups(std::string& out, const char* name, const char* key, const std::map<std::string, GroupDelta>& groups) {
  out += ",\"";
  out += name;
  out += "\":[";
  bool first = true;
  for (const auto& [id, g] : groups) {
    if (!g.added && !g.removed && !g.changed) continue;
    out += first ? "" : ",";
    first = false;
    out += "{\"";
    out += key;
    out += "\":";
    engine::AppendJsonString(out, id);
    out += ",\"added\":" + std::to_string(g.added) + ",\"removed\":" + std::to_string(g.removed) +
           ",\"changed\":" + std::to_string(g.changed) + ",\"awarded\":{";
    bool first_currency = true;
    for (const auto& [c, n] : g.delta.awarded) {
      out += first_currency ? "" : ",";
      first_currency = false;
      engine::AppendJsonString(out, c);
      out += ":" + std::to_string(n);
    }
    out += "},\"bonuses\":" + std::to_string(g.delta.bonuses) + ",\"messages\":" + std::to_string(g.delta.messages) +
           ",\"completions\":" + std::to_string(g.delta.completions) + "}";
  }
  out += "]";
}

void PrintJson(const ActionDiff& d, const std::string& old_path, const std::string& new_path, uint64_t events) {
  std::string out = "{\"old\":";
  engine::AppendJsonString(out, old_path);
  out += ",\"new\":";
  engine::AppendJsonString(out, new_path);
  int64_t counts[3] = {0, 0, 0};
  for (const ActionChange& c : d.changes) ++counts[int(c.kind)];
  out += ",\"events\":" + std::to_string(events) + ",\"added\":" + std::to_string(counts[0]) +
         ",\"removed\":" + std::to_string(counts[1]) + ",\"changed\":" + std::to_string(counts[2]) +
         ",\"unchanged\":" + std::to_string(d.unchanged) + ",\"impact\":[";
  bool first = true;
  for (const auto& [label, before, after] : ImpactRows(d.old_total, d.new_total)) {
    out += first ? "" : ",";
    first = false;
    out += "{\"measure\":";
    engine::AppendJsonString(out, label);
    out += ",\"old\":" + std::to_string(before) + ",\"new\":" + std::to_string(after) +
           ",\"delta\":" + std::to_string(after - before) + "}";
  }
  out += "]";
  AppendGroups(out, "by_source", "source", d.by_source);
  AppendGroups(out, "by_player", "user", d.by_user);
  out += ",\"changes\":[";
  for (size_t i = 0; i < d.changes.size(); ++i) {
    const ActionChange& c = d.changes[i];
    const engine::Action& a = c.new_action ? *c.new_action : *c.old_action;
    out += i ? ",\n" : "\n";
    out += "{\"change\":\"";
    out += kChangeNames[int(c.kind)];
    out += "\"";
    for (const auto& [name, text] : {std::pair{"user", &a.user}, std::pair{"event", &a.event},
                                     std::pair{"source", &a.source}, std::pair{"action", &a.action}}) {
      out += ",\"";
      out += name;
      out += "\":";
      engine::AppendJsonString(out, *text);
    }
    out += ",\"ordinal\":" + std::to_string(c.ordinal);
    if (c.old_action) out += ",\"old\":" + FieldsJson(*c.old_action);
    if (c.new_action) out += ",\"new\":" + FieldsJson(*c.new_action);
    out += "}";
  }
  out += "]}\n";
  std::cout << out;
}

}  // namespace

int DiffCommand(const Args& args) {
  std::vector<std::string> packages;
  std::string events_path, until_text, format = "text", engine_name = "jit";
  bool fail_on_change = false;
  int exit_code = kExitOk;
  if (!ParseOptions(args,
                    {{"--events", &events_path}, {"--until", &until_text}, {"--format", &format},
                     {"--engine", &engine_name}, {"--fail-on-change", nullptr, &fail_on_change}},
                    "quest diff", kHelp, &packages, &exit_code))
    return exit_code;
  if (packages.size() != 2 || events_path.empty()) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  if (format != "text" && format != "json") {
    std::cerr << "quest diff: unknown format '" << format << "'; use text or json\n";
    return kExitUsage;
  }
  EngineKind kind;
  if (!ParseEngine(engine_name, &kind)) {
    std::cerr << "quest diff: unknown engine '" << engine_name << "'; use --engine jit or --engine interp\n";
    return kExitUsage;
  }
  int64_t until;
  std::string events;
  if (!ParseUntil(until_text, "quest diff", &until) || !ReadEventsText(events_path, "quest diff", &events))
    return kExitUsage;
  PackageReplay runs[2];
  for (int i = 0; i < 2; ++i) {
    LoadedProgram loaded;
    if (!LoadPackagePath(packages[size_t(i)], kind, "quest diff", &loaded, &exit_code)) return exit_code;
    runs[i] = ReplayProgram(*loaded.program, *loaded.backend, events, events_path, until);
  }
  const ActionDiff d = DiffActions(runs[0].actions, runs[1].actions);
  if (format == "json") PrintJson(d, packages[0], packages[1], runs[1].events);
  else PrintText(d, packages[0], packages[1], runs[1].events);
  if (!FlushStdout(std::cout)) return kExitUsage;
  return fail_on_change && d.Differs() ? kExitFailure : kExitOk;
}

}  // namespace questline::driver
