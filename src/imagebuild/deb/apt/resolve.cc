// The resolver: apt's choices for a fresh install, without apt's problem solver. Candidates are the
// newest version of each name (apt's default pinning; an older version is never picked to satisfy
// a constraint). Dependencies without alternatives are followed first, breadth-first; "|" groups
// wait until those are done, so that a package something else needs anyway satisfies them
// ("prefer already-selected"); otherwise the first satisfiable alternative wins, as apt does.
#include <algorithm>
#include <deque>
#include <map>
#include <unordered_map>

#include "imagebuild/deb/apt/apt.h"
#include "imagebuild/deb/apt/relation.h"

namespace distill::imagebuild::apt {

namespace {

int PriorityRank(std::string_view priority) {
  if (priority == "required") return 0;
  if (priority == "important") return 1;
  if (priority == "standard") return 2;
  if (priority == "optional") return 3;
  return 4;
}

struct Node {
  const PackageInfo* pkg;
  int parent = -1;  // index of the package whose dependency pulled it in
  std::string via;  // "Depends: libc6 (>= 2.36)"
};

struct Pending {
  int parent;
  std::string field;
  Clause clause;
};

class Resolver {
 public:
  Resolver(const Index& index, std::string arch) : index_(index), arch_(std::move(arch)) {}

  Status Request(const std::string& spec) {
    DISTILL_TRY(const PackageInfo* p, Lookup(spec));
    Select(p, -1, "");
    return {};
  }

  Status Run(bool with_dependencies) {
    if (!with_dependencies) return {};
    while (!work_.empty() || !deferred_.empty()) {
      while (!work_.empty()) {
        int i = work_.front();
        work_.pop_front();
        DISTILL_TRY_VOID(Expand(i));
      }
      if (deferred_.empty()) break;
      Pending p = std::move(deferred_.front());
      deferred_.pop_front();
      DISTILL_TRY_VOID(Satisfy(p.parent, p.field, p.clause));
    }
    return {};
  }

  Status CheckConflicts() const {
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const PackageInfo& p = *nodes_[i].pkg;
      for (auto [field, value] :
           {std::pair<std::string_view, const std::string*>{"Conflicts", &p.conflicts},
            {"Breaks", &p.breaks}}) {
        if (value->empty()) continue;
        auto clauses = ParseRelations(*value, arch_);
        if (!clauses.ok())
          return std::move(clauses).error().wrap(
              fmt::format("{} {}: {}", p.ref.name, p.ref.version, field));
        for (const auto& c : *clauses)
          for (const auto& r : c.alternatives)
            for (int other : Matching(r))
              if (nodes_[other].pkg != &p)
                return Errorf("{} {} {}: {}, but {} {} is in the set ({})", p.ref.name,
                              p.ref.version, field, r.ToString(), nodes_[other].pkg->ref.name,
                              nodes_[other].pkg->ref.version, Reason(other));
      }
    }
    return {};
  }

  std::vector<Resolved> Result() const {
    std::vector<Resolved> out;
    for (size_t i = 0; i < nodes_.size(); ++i)
      out.push_back({*nodes_[i].pkg, Reason(static_cast<int>(i))});
    std::sort(out.begin(), out.end(), [](const Resolved& a, const Resolved& b) {
      return std::tie(a.pkg.ref.name, a.pkg.ref.arch) < std::tie(b.pkg.ref.name, b.pkg.ref.arch);
    });
    return out;
  }

 private:
  // "name", "name=version", "name:arch".
  distill::Result<const PackageInfo*> Lookup(const std::string& spec) {
    std::string name = spec, version, arch;
    if (size_t eq = name.find('='); eq != std::string::npos) {
      version = name.substr(eq + 1);
      name.resize(eq);
    }
    if (size_t colon = name.find(':'); colon != std::string::npos) {
      arch = name.substr(colon + 1);
      name.resize(colon);
    }
    auto versions = index_.Versions(name);
    if (versions.empty()) {
      auto providers = index_.Providers(name);
      if (providers.size() == 1 && version.empty()) return providers.front();
      if (!providers.empty()) {
        std::string names;
        for (const auto* p : providers) names += (names.empty() ? "" : ", ") + p->ref.name;
        return Errorf("'{}' is a virtual package provided by: {}; request one of them", name,
                      names);
      }
      auto close = index_.CloseMatches(name);
      std::string hint;
      for (const auto& c : close) hint += (hint.empty() ? "" : ", ") + c;
      return Errorf("unknown package '{}'{}", name, hint.empty() ? "" : "; did you mean: " + hint);
    }
    for (const auto* p : versions)
      if ((version.empty() || p->ref.version == version) && (arch.empty() || p->ref.arch == arch))
        return p;
    std::string have;
    for (const auto* p : versions)
      have += (have.empty() ? "" : ", ") + p->ref.version + " " + p->ref.arch;
    return Errorf("package '{}': no version {}{} (the index has {})", name,
                  version.empty() ? "" : version, arch.empty() ? "" : " for " + arch, have);
  }

  void Select(const PackageInfo* package, int parent, std::string via) {
    if (by_name_.count(package->ref.name)) return;
    int i = static_cast<int>(nodes_.size());
    nodes_.push_back({package, parent, std::move(via)});
    by_name_[package->ref.name] = i;
    if (!package->provides.empty()) {
      auto rels = ParseRelations(package->provides, arch_);
      if (rels.ok())
        for (const auto& c : *rels)
          for (const auto& r : c.alternatives)
            provided_[r.name].push_back({i, r.op == Op::kEq ? r.version : ""});
    }
    work_.push_back(i);
  }

  Status Expand(int i) {
    const PackageInfo& p = *nodes_[i].pkg;
    for (auto [field, value] :
         {std::pair<std::string_view, const std::string*>{"Pre-Depends", &p.pre_depends},
          {"Depends", &p.depends}}) {
      if (value->empty()) continue;
      auto clauses = ParseRelations(*value, arch_);
      if (!clauses.ok())
        return std::move(clauses).error().wrap(
            fmt::format("{} {}: {}", p.ref.name, p.ref.version, field));
      for (auto& c : *clauses) {
        if (c.alternatives.size() == 1)
          DISTILL_TRY_VOID(Satisfy(i, std::string(field), c));
        else
          deferred_.push_back({i, std::string(field), std::move(c)});
      }
    }
    return {};
  }

  bool ArchMatches(const Relation& relation, const PackageInfo& package) const {
    const std::string& a = package.ref.arch;
    if (relation.arch_qualifier.empty() || relation.arch_qualifier == "native")
      return a == arch_ || a == "all";
    if (relation.arch_qualifier == "any") return package.multi_arch == "allowed";
    return a == relation.arch_qualifier;
  }

  bool Matches(const Relation& relation, const PackageInfo& package) const {
    return ArchMatches(relation, package) &&
           Satisfies(package.ref.version, relation.op, relation.version);
  }

  // Selected packages that satisfy relation: by name, or by a Provides (versioned if relation is).
  std::vector<int> Matching(const Relation& relation) const {
    std::vector<int> out;
    if (auto it = by_name_.find(relation.name);
        it != by_name_.end() && Matches(relation, *nodes_[it->second].pkg))
      out.push_back(it->second);
    if (auto it = provided_.find(relation.name); it != provided_.end())
      for (const auto& [i, version] : it->second)
        if (relation.op == Op::kAny ||
            (!version.empty() && Satisfies(version, relation.op, relation.version)))
          out.push_back(i);
    return out;
  }

  // The package apt would pick for one alternative, or null.
  const PackageInfo* Choose(const Relation& relation) const {
    if (const PackageInfo* cand = index_.Find(relation.name); cand && Matches(relation, *cand))
      return cand;
    const PackageInfo* best = nullptr;
    for (const PackageInfo* p : index_.Providers(relation.name)) {
      if (relation.op != Op::kAny && !ProvidesVersion(*p, relation)) continue;
      if (!best || std::make_pair(PriorityRank(p->priority), p->ref.name) <
                       std::make_pair(PriorityRank(best->priority), best->ref.name))
        best = p;
    }
    return best;
  }

  bool ProvidesVersion(const PackageInfo& package, const Relation& relation) const {
    auto rels = ParseRelations(package.provides, arch_);
    if (!rels.ok()) return false;
    for (const auto& c : *rels)
      for (const auto& pr : c.alternatives)
        if (pr.name == relation.name && pr.op == Op::kEq &&
            Satisfies(pr.version, relation.op, relation.version))
          return true;
    return false;
  }

  Status Satisfy(int parent, const std::string& field, const Clause& clause) {
    for (const auto& r : clause.alternatives)
      if (!Matching(r).empty()) return {};
    for (const auto& r : clause.alternatives)
      if (const PackageInfo* p = Choose(r)) {
        Select(p, parent, field + ": " + clause.text);
        return {};
      }
    std::string why;
    for (const auto& r : clause.alternatives) {
      const PackageInfo* cand = index_.Find(r.name);
      if (!cand)
        why += fmt::format("{}{} is not in the index", why.empty() ? "" : "; ", r.name);
      else
        why += fmt::format("{}{} {} ({}) does not satisfy {}", why.empty() ? "" : "; ",
                           cand->ref.name, cand->ref.version, cand->ref.arch, r.ToString());
    }
    return Errorf("unsatisfiable dependency: {} → {}: {} ({})", Path(parent), field, clause.text,
                  why);
  }

  // "python3 → python3.11"
  std::string Path(int i) const {
    std::vector<std::string> names;
    for (; i >= 0; i = nodes_[i].parent) names.push_back(nodes_[i].pkg->ref.name);
    std::string s;
    for (auto it = names.rbegin(); it != names.rend(); ++it) s += (s.empty() ? "" : " → ") + *it;
    return s;
  }

  std::string Reason(int i) const {
    if (nodes_[i].parent < 0) return "requested";
    return Path(nodes_[i].parent) + " → " + nodes_[i].via;
  }

  const Index& index_;
  std::string arch_;
  std::vector<Node> nodes_;
  std::unordered_map<std::string, int> by_name_;
  std::unordered_map<std::string, std::vector<std::pair<int, std::string>>>
      provided_;  // → (node, version)
  std::deque<int> work_;
  std::deque<Pending> deferred_;
};

// The architecture of the index: the first package that is not "all".
std::string NativeArch(const Index& index) {
  for (const auto& p : index.packages)
    if (p.ref.arch != "all") return p.ref.arch;
  return "amd64";
}

}  // namespace

Result<std::vector<Resolved>> Resolve(const Index& index, const std::vector<std::string>& requested,
                                      const ResolveOptions& opt) {
  if (requested.empty()) return Errorf("no packages requested");
  Resolver r(index, NativeArch(index));
  for (const auto& spec : requested) DISTILL_TRY_VOID(r.Request(spec));
  DISTILL_TRY_VOID(r.Run(opt.with_dependencies));
  DISTILL_TRY_VOID(r.CheckConflicts());
  return r.Result();
}

}  // namespace distill::imagebuild::apt
