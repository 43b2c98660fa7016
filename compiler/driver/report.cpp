// quest report bandit ACTIONS [--flow F] [--format text|json|vw]
// quest report holdout ACTIONS --flow F --kpi METRIC --state STATE [--format text|json]
// Reports over a run's logged actions (docs/bandits.md): off-policy
// estimates of a bandit's policies, and a flow's holdout uplift.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include <simdjson.h>

#include "compiler/driver/command.h"
#include "runtime/report/bandit_ope.h"
#include "runtime/report/holdout.h"

namespace questline::driver {
namespace {

const char* kHelp =
    "usage: quest report bandit ACTIONS [--flow F] [--format text|json|vw]\n"
    "       quest report holdout ACTIONS --flow F --kpi METRIC --state STATE [--format text|json]\n"
    "\n"
    "bandit   joins each `bandit` decision of ACTIONS (NDJSON from quest run or questd)\n"
    "         with its `bandit_reward` and estimates, by IPS, SNIPS and doubly robust\n"
    "         with 95% intervals, the mean reward of the logged policy, uniform choice,\n"
    "         each arm always, and the greedy policy of a reward model fitted to the log.\n"
    "         --format vw: Vowpal Wabbit's contextual-bandit lines (arm:cost:probability).\n"
    "holdout  the players flow F entered against those it held out: players, the mean\n"
    "         of metric METRIC in STATE (quest run --state), the uplift and its 95%\n"
    "         interval.\n"
    "exit: 0 reported, 1 nothing to report (no such flow or no decisions), 2 usage\n"
    "      or unreadable input\n";

bool ReadLines(const std::string& path, std::vector<std::string>* lines, std::string* error) {
  std::ifstream in(path);
  if (!in) {
    *error = "cannot read " + path;
    return false;
  }
  for (std::string line; std::getline(in, line);)
    if (!line.empty()) lines->push_back(line);
  return true;
}

std::string Text(simdjson::dom::element e) {
  std::string_view s;
  return e.get(s) == simdjson::SUCCESS ? std::string(s) : std::string();
}

std::string Number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

// The decisions and outcomes of the actions file; false on a line that is
// not JSON (its number in `error`).
bool ReadBanditLog(const std::vector<std::string>& lines, const std::string& only_flow,
                   std::vector<report::LoggedDecision>* log, std::string* error) {
  simdjson::dom::parser parser;
  std::map<std::string, size_t> by_id;
  std::vector<std::pair<std::string, double>> outcomes;
  for (size_t n = 0; n < lines.size(); ++n) {
    simdjson::dom::element doc;
    if (parser.parse(lines[n]).get(doc) != simdjson::SUCCESS) {
      *error = "line " + std::to_string(n + 1) + ": not JSON";
      return false;
    }
    const std::string action = Text(doc["action"]);
    if (action != "bandit" && action != "bandit_reward") continue;
    const std::string flow = Text(doc["flow"]);
    if (!only_flow.empty() && flow != only_flow) continue;
    if (action == "bandit_reward") {
      int64_t reward = 0;
      if (doc["reward"].get(reward) != simdjson::SUCCESS) reward = 0;
      outcomes.emplace_back(Text(doc["decision"]), double(reward));
      continue;
    }
    report::LoggedDecision d;
    d.flow = flow;
    d.id = Text(doc["decision"]);
    const std::string arm = Text(doc["arm"]);
    simdjson::dom::object probabilities;
    if (doc["probabilities"].get(probabilities) == simdjson::SUCCESS)
      for (auto [name, p] : probabilities) {
        double v = 0;
        if (p.get(v) != simdjson::SUCCESS) v = 0;
        if (std::string(name) == arm) d.arm = d.arms.size();
        d.arms.emplace_back(name);
        d.probabilities.push_back(v);
      }
    simdjson::dom::array context;
    if (doc["context"].get(context) == simdjson::SUCCESS)
      for (simdjson::dom::element f : context) {
        report::Feature feature;
        double number = 0;
        bool flag = false;
        std::string_view text;
        if (f.get(text) == simdjson::SUCCESS) {
          feature.kind = report::Feature::Kind::String;
          feature.text = std::string(text);
        } else if (f.get(flag) == simdjson::SUCCESS) {
          feature.kind = report::Feature::Kind::Number;
          feature.number = flag ? 1.0 : 0.0;
        } else if (f.get(number) == simdjson::SUCCESS) {
          feature.kind = report::Feature::Kind::Number;
          feature.number = number;
        }
        d.context.push_back(std::move(feature));
      }
    by_id[d.id] = log->size();
    log->push_back(std::move(d));
  }
  for (const auto& [id, reward] : outcomes) {
    auto it = by_id.find(id);
    if (it == by_id.end()) continue;   // the decision is before the log's start
    (*log)[it->second].rewarded = true;
    (*log)[it->second].reward = reward;
  }
  return true;
}

std::string Interval(const report::Interval& i) {
  return Number(i.value) + " [" + Number(i.low) + ", " + Number(i.high) + "]";
}

std::string IntervalJson(const report::Interval& i) {
  return "{\"value\":" + Number(i.value) + ",\"low\":" + Number(i.low) + ",\"high\":" + Number(i.high) + "}";
}

// VW's cb label: ARM:COST:PROBABILITY, arms from 1; features after `|`.
std::string VwName(const std::string& text) {
  std::string out;
  for (char c : text) out += (c == ' ' || c == ':' || c == '|' || c == '\t') ? '_' : c;
  return out;
}

int ReportBandit(const std::vector<std::string>& lines, const std::string& flow, const std::string& format) {
  std::vector<report::LoggedDecision> log;
  std::string error;
  if (!ReadBanditLog(lines, flow, &log, &error)) {
    std::cerr << "quest report: " << error << "\n";
    return kExitUsage;
  }
  if (log.empty()) {
    std::cerr << "quest report: no bandit decisions" << (flow.empty() ? "" : " of flow '" + flow + "'") << "\n";
    return kExitFailure;
  }
  if (format == "vw") {
    for (const report::LoggedDecision& d : log) {
      if (!d.rewarded || d.arm >= d.probabilities.size()) continue;
      std::cout << d.arm + 1 << ":" << Number(d.reward > 0 ? -d.reward : 0.0) << ":" << Number(d.probabilities[d.arm]) << " |";
      for (size_t i = 0; i < d.context.size(); ++i) {
        const report::Feature& f = d.context[i];
        if (f.kind == report::Feature::Kind::String) std::cout << " c" << i << "=" << VwName(f.text);
        else if (f.kind == report::Feature::Kind::Number) std::cout << " c" << i << ":" << Number(f.number);
      }
      std::cout << "\n";
    }
    return kExitOk;
  }
  const std::vector<report::FlowReport> reports = report::EvaluateBandits(log);
  if (format == "json") {
    std::cout << "[";
    for (size_t r = 0; r < reports.size(); ++r) {
      const report::FlowReport& fr = reports[r];
      std::cout << (r ? "," : "") << "{\"flow\":\"" << fr.flow << "\",\"decisions\":" << fr.decisions
                << ",\"with_outcome\":" << fr.with_outcome << ",\"policies\":[";
      for (size_t p = 0; p < fr.policies.size(); ++p) {
        const report::PolicyEstimate& e = fr.policies[p];
        std::cout << (p ? "," : "") << "{\"policy\":\"" << e.policy << "\",\"ips\":" << IntervalJson(e.ips)
                  << ",\"snips\":" << IntervalJson(e.snips) << ",\"dr\":" << IntervalJson(e.dr) << "}";
      }
      std::cout << "]}";
    }
    std::cout << "]\n";
    return kExitOk;
  }
  for (const report::FlowReport& fr : reports) {
    std::cout << "flow " << fr.flow << ": " << fr.decisions << " decisions, " << fr.with_outcome
              << " with an outcome\n";
    std::cout << "  policy            IPS                          SNIPS                        DR\n";
    for (const report::PolicyEstimate& e : fr.policies) {
      std::string name = e.policy;
      name.resize(std::max<size_t>(name.size(), 16), ' ');
      std::cout << "  " << name << "  " << Interval(e.ips) << "  " << Interval(e.snips) << "  " << Interval(e.dr)
                << "\n";
    }
  }
  return kExitOk;
}

int ReportHoldout(const std::vector<std::string>& lines, const std::string& flow, const std::string& kpi,
                  const std::string& state_path, const std::string& format) {
  simdjson::dom::parser parser;
  std::set<std::string> treatment, control;
  for (size_t n = 0; n < lines.size(); ++n) {
    simdjson::dom::element doc;
    if (parser.parse(lines[n]).get(doc) != simdjson::SUCCESS) {
      std::cerr << "quest report: line " << n + 1 << ": not JSON\n";
      return kExitUsage;
    }
    if (Text(doc["action"]) != "flow" || Text(doc["flow"]) != flow) continue;
    bool held_out = false;
    if (doc["control"].get(held_out) == simdjson::SUCCESS && held_out) control.insert(Text(doc["user"]));
    else if (Text(doc["state"]) == "entered") treatment.insert(Text(doc["user"]));
  }
  if (treatment.empty() && control.empty()) {
    std::cerr << "quest report: flow '" << flow << "' entered or held out nobody in the actions\n";
    return kExitFailure;
  }
  std::string state_text;
  {
    std::ifstream in(state_path);
    if (!in) {
      std::cerr << "quest report: cannot read " << state_path << "\n";
      return kExitUsage;
    }
    std::stringstream buf;
    buf << in.rdbuf();
    state_text = buf.str();
  }
  simdjson::dom::parser state_parser;
  simdjson::dom::element state;
  simdjson::dom::array users;
  if (state_parser.parse(state_text).get(state) != simdjson::SUCCESS || state["users"].get(users) != simdjson::SUCCESS) {
    std::cerr << "quest report: " << state_path << " is not a state file of quest run --state\n";
    return kExitUsage;
  }
  std::vector<double> treated_values, control_values;
  bool kpi_seen = false;
  for (simdjson::dom::element u : users) {
    const std::string user = Text(u["user"]);
    const bool in_control = control.count(user) > 0, in_treatment = treatment.count(user) > 0;
    if (!in_control && !in_treatment) continue;
    simdjson::dom::element value;
    double v = 0;
    if (u["metrics"][kpi].get(value) == simdjson::SUCCESS) {
      kpi_seen = true;
      int64_t i = 0;
      if (value.get(v) != simdjson::SUCCESS && value.get(i) == simdjson::SUCCESS) v = double(i);
    }
    (in_control ? control_values : treated_values).push_back(v);   // none counts as 0
  }
  if (!kpi_seen) {
    std::cerr << "quest report: no player of the flow has a metric '" << kpi << "' in " << state_path << "\n";
    return kExitFailure;
  }
  const report::HoldoutReport r = report::CompareHoldout(treated_values, control_values);
  if (format == "json") {
    std::cout << "{\"flow\":\"" << flow << "\",\"kpi\":\"" << kpi << "\",\"treatment\":{\"players\":"
              << r.treatment.players << ",\"mean\":" << Number(r.treatment.mean) << "},\"control\":{\"players\":"
              << r.control.players << ",\"mean\":" << Number(r.control.mean) << "},\"uplift\":{\"value\":"
              << Number(r.uplift) << ",\"low\":" << Number(r.low) << ",\"high\":" << Number(r.high)
              << ",\"relative\":" << Number(r.relative) << "}}\n";
    return kExitOk;
  }
  std::cout << "flow " << flow << ", KPI " << kpi << "\n"
            << "  treatment  " << r.treatment.players << " players, mean " << Number(r.treatment.mean) << "\n"
            << "  control    " << r.control.players << " players, mean " << Number(r.control.mean) << "\n"
            << "  uplift     " << Number(r.uplift) << " [" << Number(r.low) << ", " << Number(r.high) << "] ("
            << Number(100 * r.relative) << "% of control)\n";
  return kExitOk;
}

}  // namespace

int ReportCommand(const Args& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    (args.empty() ? std::cerr : std::cout) << kHelp;
    return args.empty() ? kExitUsage : kExitOk;
  }
  const std::string kind = args[0];
  std::string actions, flow, kpi, state, format = "text";
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&](std::string* out) {
      if (i + 1 >= args.size()) return false;
      *out = args[++i];
      return true;
    };
    bool ok = true;
    if (a == "--flow") ok = value(&flow);
    else if (a == "--kpi") ok = value(&kpi);
    else if (a == "--state") ok = value(&state);
    else if (a == "--format") ok = value(&format);
    else if (!a.empty() && a[0] == '-') ok = false;
    else if (actions.empty()) actions = a;
    else ok = false;
    if (!ok) {
      std::cerr << "quest report: unexpected argument '" << a << "'\n" << kHelp;
      return kExitUsage;
    }
  }
  const bool bandit = kind == "bandit", holdout = kind == "holdout";
  if ((!bandit && !holdout) || actions.empty() || (holdout && (flow.empty() || kpi.empty() || state.empty())) ||
      !(format == "text" || format == "json" || (bandit && format == "vw"))) {
    std::cerr << kHelp;
    return kExitUsage;
  }
  std::vector<std::string> lines;
  std::string error;
  if (!ReadLines(actions, &lines, &error)) {
    std::cerr << "quest report: " << error << "\n";
    return kExitUsage;
  }
  return bandit ? ReportBandit(lines, flow, format) : ReportHoldout(lines, flow, kpi, state, format);
}

}  // namespace questline::driver
