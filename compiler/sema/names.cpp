// The package's one namespace: collecting declarations, duplicates, lookups
// and did-you-mean hints.
#include <algorithm>

#include "compiler/sema/checker.h"
#include "stdlib/prelude.h"

namespace questline::sema {

diag::Diagnostic& Checker::Report(diag::Kind kind, SourceRange range, std::string message) {
  return sink_.Report(kind, range, std::move(message));
}

std::string NearestName(const std::string& name, const std::vector<std::string>& candidates) {
  // Optimal string alignment distance with a cut-off: a third of the length.
  const size_t limit = std::max<size_t>(1, name.size() / 3);
  std::string best;
  size_t best_distance = limit + 1;
  for (const std::string& c : candidates) {
    if (c == name) continue;
    size_t n = name.size(), m = c.size();
    if ((n > m ? n - m : m - n) > limit) continue;
    std::vector<std::vector<size_t>> d(n + 1, std::vector<size_t>(m + 1));
    for (size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (size_t i = 1; i <= n; ++i)
      for (size_t j = 1; j <= m; ++j) {
        size_t cost = name[i - 1] == c[j - 1] ? 0 : 1;
        d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
        if (i > 1 && j > 1 && name[i - 1] == c[j - 2] && name[i - 2] == c[j - 1])
          d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    if (d[n][m] < best_distance || (d[n][m] == best_distance && c < best)) {
      best_distance = d[n][m];
      best = c;
    }
  }
  return best_distance <= limit ? best : std::string();
}

void Checker::ReportUnknown(diag::Kind kind, SourceRange range, const std::string& what,
                            const std::string& name, const std::vector<std::string>& candidates) {
  std::string near = NearestName(name, candidates);
  // The suggestion goes in the help line only: the message says what is
  // wrong, the help what to do, and saying it twice is noise.
  diag::Diagnostic& d = Report(kind, range, "unknown " + what + " '" + name + "'");
  if (!near.empty()) d.hints.push_back("did you mean '" + near + "'?");
}

const std::vector<std::string>& Checker::NamesOf(SymbolKind kind) const {
  if (names_cache_symbols_ != pkg.symbols.size()) {   // symbols are only ever added
    names_cache_.clear();
    names_cache_symbols_ = pkg.symbols.size();
  }
  auto [it, fresh] = names_cache_.try_emplace(kind);
  if (fresh) {
    for (const auto& [name, symbol] : pkg.symbols)
      if (symbol.kind == kind) it->second.push_back(name);
    std::sort(it->second.begin(), it->second.end());
  }
  return it->second;
}

namespace {

bool IsBuiltinName(const std::string& name) {
  static const char* kBuiltins[] = {"now", "points", "points_ever", "level", "profile",
                                    "int", "decimal", "string", "bool", "time", "duration"};
  return std::find(std::begin(kBuiltins), std::end(kBuiltins), name) != std::end(kBuiltins);
}

}  // namespace

bool Checker::Declare(const std::string& name, SymbolKind kind, int32_t id, SourceRange range) {
  if (IsBuiltinName(name)) {
    Report(diag::Kind::DuplicateDeclaration, range, "'" + name + "' is a built-in name")
        .hints.push_back("choose another name");
    return false;
  }
  auto [it, inserted] = pkg.symbols.emplace(name, Symbol{kind, id});
  if (inserted) {
    declared_at_[name] = range;
    return true;
  }
  // The first declaration is kept and the later one is not checked on its
  // own (CheckSchema folds a redeclared type's values or event's fields into
  // the kept one): one report per redeclaration, not one per use of it.
  const SourceRange first = declared_at_[name];
  const bool by_prelude = first.Valid() && sources_.File(first.file).path == stdlib::kPreludePath;
  diag::Diagnostic& d = Report(diag::Kind::DuplicateDeclaration, range,
                               "'" + name + "' is already declared" +
                                   (by_prelude ? " by the prelude" : ""));
  d.related.push_back({first, by_prelude ? "the prelude's declaration, which is kept"
                                         : "first declared here"});
  const Symbol& kept = it->second;
  if (by_prelude && kind == SymbolKind::Event && kept.kind == SymbolKind::Event)
    d.hints.push_back("add fields to the prelude's event with `extend event " + name +
                      " { … }`");
  else if (by_prelude)
    d.hints.push_back("the prelude's declarations are always in scope; give yours another name");
  else
    d.hints.push_back("a package has one namespace: every declaration needs its own name");
  return false;
}

int32_t Checker::Resolve(const ast::Ident& name, SymbolKind kind, diag::Kind unknown,
                         const char* what) {
  const Symbol* s = pkg.Find(name.name);
  if (s && s->kind == kind) {
    used[name.name] = what;
    return s->id;
  }
  ReportUnknown(unknown, name.range, what, name.name, NamesOf(kind));
  return -1;
}

// Every named declaration gets its table slot and symbol first, so any
// declaration can refer to any other regardless of order.
void Checker::CollectDeclarations() {
  pkg.currencies.push_back({"points", {}});
  pkg.symbols.emplace("points", Symbol{SymbolKind::Currency, 0});
  for (const ast::Module& m : modules_) {
    for (const ast::Decl& decl : m.decls) {
      std::visit(
          [&](const auto& d) {
            using T = std::decay_t<decltype(d)>;
            if constexpr (std::is_same_v<T, ast::TypeDecl>) {
              Declare(d.name.name, SymbolKind::Type, int32_t(pkg.unions.size()), d.name.range);
              pkg.unions.push_back({d.name.name, {}, d.range});
            } else if constexpr (std::is_same_v<T, ast::EventDecl>) {
              if (d.extends) return;
              Declare(d.name.name, SymbolKind::Event, int32_t(pkg.events.size()), d.name.range);
              Event e;
              e.name = d.name.name;
              e.range = d.range;
              pkg.events.push_back(std::move(e));
            } else if constexpr (std::is_same_v<T, ast::CurrencyDecl>) {
              Declare(d.name.name, SymbolKind::Currency, int32_t(pkg.currencies.size()), d.name.range);
              pkg.currencies.push_back({d.name.name, d.range});
            } else if constexpr (std::is_same_v<T, ast::ConstDecl>) {
              Declare(d.name.name, SymbolKind::Const, int32_t(pkg.consts.size()), d.name.range);
              pkg.consts.push_back({d.name.name, {}, {}, d.range});
            } else if constexpr (std::is_same_v<T, ast::FnDecl>) {
              Declare(d.name.name, SymbolKind::Fn, int32_t(pkg.fns.size()), d.name.range);
              Fn f;
              f.name = d.name.name;
              f.range = d.range;
              pkg.fns.push_back(std::move(f));
            } else if constexpr (std::is_same_v<T, ast::MetricDecl>) {
              Declare(d.name.name, SymbolKind::Metric, int32_t(pkg.metrics.size()), d.name.range);
              Metric metric;
              metric.name = d.name.name;
              metric.range = d.range;
              pkg.metrics.push_back(std::move(metric));
            } else if constexpr (std::is_same_v<T, ast::SegmentDecl>) {
              Declare(d.name.name, SymbolKind::Segment, int32_t(pkg.segments.size()), d.name.range);
              Segment s;
              s.name = d.name.name;
              s.range = d.range;
              pkg.segments.push_back(std::move(s));
            } else if constexpr (std::is_same_v<T, ast::RuleDecl>) {
              Declare(d.name.name, SymbolKind::Rule, int32_t(pkg.rules.size()), d.name.range);
              Rule r;
              r.name = d.name.name;
              r.range = d.range;
              pkg.rules.push_back(std::move(r));
            } else if constexpr (std::is_same_v<T, ast::LevelDecl>) {
              Declare(d.name.name, SymbolKind::Level, int32_t(pkg.levels.size()), d.name.range);
              Level l;
              l.name = d.name.name;
              l.range = d.range;
              pkg.levels.push_back(std::move(l));
            } else if constexpr (std::is_same_v<T, ast::BadgeDecl>) {
              Declare(d.name.name, SymbolKind::Badge, int32_t(pkg.badges.size()), d.name.range);
              pkg.badges.push_back({d.name.name, {}, {}, d.range});
            } else if constexpr (std::is_same_v<T, ast::MissionDecl>) {
              Declare(d.name.name, SymbolKind::Mission, int32_t(pkg.missions.size()), d.name.range);
              Mission mission;
              mission.name = d.name.name;
              mission.range = d.range;
              pkg.missions.push_back(std::move(mission));
            } else if constexpr (std::is_same_v<T, ast::CompetitionDecl>) {
              Declare(d.name.name, SymbolKind::Competition, int32_t(pkg.competitions.size()),
                      d.name.range);
              Competition c;
              c.kind = d.kind;
              c.name = d.name.name;
              c.range = d.range;
              pkg.competitions.push_back(std::move(c));
            } else if constexpr (std::is_same_v<T, ast::ItemDecl>) {
              Declare(d.name.name, SymbolKind::Item, int32_t(pkg.items.size()), d.name.range);
              Item item;
              item.name = d.name.name;
              item.range = d.range;
              pkg.items.push_back(std::move(item));
            } else if constexpr (std::is_same_v<T, ast::MinigameDecl>) {
              Declare(d.name.name, SymbolKind::Minigame, int32_t(pkg.minigames.size()), d.name.range);
              Minigame g;
              g.name = d.name.name;
              g.range = d.range;
              pkg.minigames.push_back(std::move(g));
            } else if constexpr (std::is_same_v<T, ast::RaffleDecl>) {
              Declare(d.name.name, SymbolKind::Raffle, int32_t(pkg.raffles.size()), d.name.range);
              Raffle r;
              r.name = d.name.name;
              r.range = d.range;
              pkg.raffles.push_back(std::move(r));
            } else if constexpr (std::is_same_v<T, ast::FlowDecl>) {
              Declare(d.name.name, SymbolKind::Flow, int32_t(pkg.flows.size()), d.name.range);
              Flow f;
              f.name = d.name.name;
              f.range = d.range;
              pkg.flows.push_back(std::move(f));
            } else if constexpr (std::is_same_v<T, ast::PolicyDecl>) {
              Declare(d.name.name, SymbolKind::Policy, int32_t(pkg.policies.size()), d.name.range);
              Policy p;
              p.name = d.name.name;
              p.range = d.range;
              pkg.policies.push_back(std::move(p));
            }
          },
          decl);
    }
  }
}

}  // namespace questline::sema
