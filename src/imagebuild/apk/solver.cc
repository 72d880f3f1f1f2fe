#include "imagebuild/apk/solver.h"

#include <strings.h>
#include <algorithm>
#include <array>
#include <deque>
#include <set>
#include <unordered_map>

#include <fmt/ranges.h>

#include "vuln/version/apk.h"

namespace distill::imagebuild::apk {
namespace {

namespace version = vuln::version::apk;

constexpr int kWorld = -1;
constexpr int kInstallIf = -2;
constexpr uint32_t kUntagged = 1;  // tag bit 0: the repositories without a tag

// ---- The pool: every package once, and who provides each name ----

using Identity = std::array<unsigned char, 20>;

// "Q1" + base64 of 20 bytes. Bits past the 160th (base64's padding bits) are ignored, as
// apk-tools' decoder does: "...yysE=" and "...yysF=" are the same identity.
bool DecodeIdentity(std::string_view q, Identity* out) {
  if (q.size() != 30 || !q.starts_with("Q1") || q.back() != '=') return false;
  uint32_t acc = 0;
  int bits = 0;
  size_t n = 0;
  for (char c : q.substr(2, 27)) {
    int v = c >= 'A' && c <= 'Z'   ? c - 'A'
            : c >= 'a' && c <= 'z' ? c - 'a' + 26
            : c >= '0' && c <= '9' ? c - '0' + 52
            : c == '+'             ? 62
            : c == '/'             ? 63
                                   : -1;
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      (*out)[n++] = static_cast<unsigned char>(acc >> bits);
    }
  }
  return n == out->size();
}

struct Pkg {
  const IndexEntry* e = nullptr;
  Identity identity{};
  bool has_identity = false;
  uint32_t repo_mask = 0;
  uint32_t tag_mask = 0;
  std::string broken;  // why it is not installable

  std::string Label() const { return e->name + "-" + e->version; }
};

struct Provider {
  int pkg = 0;
  const std::string* version = nullptr;  // nullptr: an unversioned provide
  bool own = false;                      // the package's own name
};

class Pool {
 public:
  std::vector<Pkg> pkgs;
  std::vector<std::string> tags{""};  // bit i of a tag mask is tags[i]
  std::unordered_map<std::string_view, std::vector<Provider>> providers;
  std::unordered_map<std::string_view, std::vector<int>> rinstall_if;  // name -> iif packages

  const std::vector<Provider>& ProvidersOf(std::string_view name) const {
    static const std::vector<Provider> kNone;
    auto it = providers.find(name);
    return it == providers.end() ? kNone : it->second;
  }
};

std::string SelfConflict(const IndexEntry& e) {
  for (size_t i = 0; i < e.provides.size(); ++i) {
    const Dependency& p = e.provides[i];
    if (p.name == e.name) return fmt::format("it provides its own name '{}'", p.ToString());
    for (size_t j = i + 1; j < e.provides.size(); ++j) {
      const Dependency& q = e.provides[j];
      if (q.name == p.name && (p.op != VersionOp::kAny || q.op != VersionOp::kAny)) {
        return fmt::format("it provides {} twice ({} and {})", p.name, p.ToString(), q.ToString());
      }
    }
  }
  return "";
}

Result<Pool> BuildPool(const std::vector<Repository>& repos, const std::string& arch) {
  if (repos.size() > 32) return Errorf("at most 32 repositories, got {}", repos.size());
  Pool pool;
  size_t total = 0;
  for (const Repository& r : repos) total += r.packages.size();
  pool.pkgs.reserve(total);
  pool.providers.reserve(total * 3);
  std::unordered_map<std::string_view, int> by_identity;  // keys point into pool.pkgs
  by_identity.reserve(total);
  for (size_t r = 0; r < repos.size(); ++r) {
    uint32_t tag_bit = kUntagged;
    if (!repos[r].tag.empty()) {
      auto it = std::find(pool.tags.begin(), pool.tags.end(), repos[r].tag);
      if (it == pool.tags.end()) it = pool.tags.insert(pool.tags.end(), repos[r].tag);
      tag_bit = 1u << (it - pool.tags.begin());
    }
    for (const IndexEntry& e : repos[r].packages) {
      Pkg p{&e, {}, false, 1u << r, tag_bit, e.broken};
      p.has_identity = DecodeIdentity(e.checksum, &p.identity);
      if (p.has_identity) {
        std::string_view key(reinterpret_cast<const char*>(p.identity.data()), p.identity.size());
        auto it = by_identity.find(key);
        if (it != by_identity.end()) {  // the same package again (apk: the first entry wins)
          pool.pkgs[it->second].repo_mask |= 1u << r;
          pool.pkgs[it->second].tag_mask |= tag_bit;
          continue;
        }
      }
      if (p.broken.empty() && !arch.empty() && !e.arch.empty() && e.arch != arch &&
          e.arch != "noarch") {
        p.broken = fmt::format("it is built for {}, not {}", e.arch, arch);
      }
      if (p.broken.empty()) p.broken = SelfConflict(e);
      pool.pkgs.push_back(std::move(p));
      const Identity& id = pool.pkgs.back().identity;  // reserved: never moves again
      if (pool.pkgs.back().has_identity) {
        by_identity.emplace(std::string_view(reinterpret_cast<const char*>(id.data()), id.size()),
                            static_cast<int>(pool.pkgs.size() - 1));
      }
    }
  }
  for (size_t i = 0; i < pool.pkgs.size(); ++i) {
    const IndexEntry& e = *pool.pkgs[i].e;
    int idx = static_cast<int>(i);
    pool.providers[e.name].push_back({idx, &e.version, true});
    for (const Dependency& p : e.provides) {
      pool.providers[p.name].push_back(
          {idx, p.op == VersionOp::kAny ? nullptr : &p.version, false});
    }
    for (const Dependency& d : e.install_if) pool.rinstall_if[d.name].push_back(idx);
  }
  return pool;
}

// ---- Requirements and the search state ----

struct Req {
  const Dependency* dep = nullptr;
  int requirer = kWorld;  // package index, kWorld or kInstallIf
  uint32_t allowed = kUntagged;
  uint32_t preferred = kUntagged;
};

struct Claim {
  int exclusive = -1;    // the package whose own name or versioned provide this is
  int unversioned = -1;  // the first package providing it without a version
};

struct State {
  std::vector<int> order;            // selected packages, in selection order
  std::unordered_map<int, Req> why;  // selected package -> the requirement that selected it
  std::unordered_map<std::string_view, Claim> claims;
  std::vector<Req> queue[3];
  size_t head[3] = {0, 0, 0};
  std::vector<Req> conflicts;  // active "!name" atoms

  bool Selected(int p) const { return why.count(p) != 0; }
};

struct Failure {
  std::string text;
  bool hard = false;       // reported before the others: nothing matches, or nothing may be chosen
  bool permanent = false;  // no package matches at all: the requirer can never be installed
};

class Solver {
 public:
  Solver(const Pool& pool, const ResolveOptions& options) : pool_(pool), options_(options) {}

  // Resolves the requirements into `out`; false after recording a failure.
  bool Solve(const std::vector<Req>& roots, State* out) {
    State s;
    for (const Req& r : roots) Enqueue(&s, r);
    if (!Search(&s)) return false;
    *out = std::move(s);
    return true;
  }

  std::string FailureText() const {
    if (steps_ > options_.max_steps) {
      return fmt::format("gave up after {} steps; the first failure: {}", options_.max_steps,
                         first_.text);
    }
    return first_hard_.text.empty() ? first_.text : first_hard_.text;
  }

  bool ProviderSatisfies(const Provider& p, const Dependency& d) const {
    if (d.op == VersionOp::kIdentity) {
      Identity want;
      return p.own && pool_.pkgs[p.pkg].has_identity && DecodeIdentity(d.version, &want) &&
             pool_.pkgs[p.pkg].identity == want;
    }
    if (d.op == VersionOp::kAny) return true;
    return p.version != nullptr && VersionMatches(d, *p.version);
  }

  // The selected package that satisfies d, or -1.
  int SatisfiedBy(const State& s, const Dependency& d, int except = -1) const {
    for (const Provider& p : pool_.ProvidersOf(d.name)) {
      if (p.pkg != except && s.Selected(p.pkg) && ProviderSatisfies(p, d)) return p.pkg;
    }
    return -1;
  }

  // "world requires a, a-3 requires b" for the requirement r.
  std::string Chain(const State& s, const Req& r) const {
    std::vector<std::string> steps;
    Req cur = r;
    for (int guard = 0; guard < 64; ++guard) {
      if (cur.requirer == kWorld) {
        steps.push_back("world requires " + cur.dep->ToString());
        break;
      }
      if (cur.requirer == kInstallIf) {
        steps.push_back("install_if adds " + pool_.pkgs[SatisfiedByIdentity(*cur.dep)].Label());
        break;
      }
      steps.push_back(pool_.pkgs[cur.requirer].Label() + " requires " + cur.dep->ToString());
      auto it = s.why.find(cur.requirer);
      if (it == s.why.end()) break;
      cur = it->second;
    }
    std::string out;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      if (!out.empty()) out += ", ";
      out += *it;
    }
    return out;
  }

 private:
  int SatisfiedByIdentity(const Dependency& d) const {
    for (const Provider& p : pool_.ProvidersOf(d.name)) {
      if (ProviderSatisfies(p, d)) return p.pkg;
    }
    return 0;
  }

  static bool AutoSelectable(const Pool& pool, const Provider& p) {
    return p.own || p.version != nullptr || pool.pkgs[p.pkg].e->provider_priority > 0;
  }

  // 0: some package has this name; 1: a virtual name some provider may be chosen for; 2: a
  // virtual name only satisfied by a package selected otherwise.
  int ClassOf(const Dependency& d) const {
    const auto& providers = pool_.ProvidersOf(d.name);
    if (providers.empty()) return 0;
    int cls = 2;
    for (const Provider& p : providers) {
      if (p.own) return 0;
      if (AutoSelectable(pool_, p)) cls = 1;
    }
    return cls;
  }

  void Enqueue(State* s, const Req& r) {
    if (r.dep->conflict) {
      s->conflicts.push_back(r);
    } else {
      s->queue[ClassOf(*r.dep)].push_back(r);
    }
  }

  bool Pop(State* s, Req* r) {
    for (int c = 0; c < 3; ++c) {
      if (s->head[c] < s->queue[c].size()) {
        *r = s->queue[c][s->head[c]++];
        return true;
      }
    }
    return false;
  }

  std::string Who(const State& s, int pkg) const {
    auto it = s.why.find(pkg);
    if (it == s.why.end()) return pool_.pkgs[pkg].Label();
    return fmt::format("{} ({})", pool_.pkgs[pkg].Label(), Chain(s, it->second));
  }

  // Why package p cannot be selected for r now, or "".
  std::string Rejection(const State& s, int p, const Req& r) const {
    const Pkg& pkg = pool_.pkgs[p];
    if (!pkg.broken.empty())
      return fmt::format("{} is not installable: {}", pkg.Label(), pkg.broken);
    if (auto it = dead_.find(p); it != dead_.end()) {
      return fmt::format("{} cannot be installed: {}", pkg.Label(), it->second);
    }
    if (!(pkg.tag_mask & r.allowed)) {
      uint32_t bits = pkg.tag_mask;
      int bit = 0;
      while (bit < 31 && !(bits & (1u << bit))) ++bit;
      return fmt::format("{} is only in the repository tagged @{} (ask for {}@{})", pkg.Label(),
                         pool_.tags[bit], r.dep->name, pool_.tags[bit]);
    }
    auto claim_conflict = [&](std::string_view name, bool versioned) -> std::string {
      auto it = s.claims.find(name);
      if (it == s.claims.end()) return "";
      const Claim& c = it->second;
      int other = c.exclusive != -1 && c.exclusive != p                    ? c.exclusive
                  : versioned && c.unversioned != -1 && c.unversioned != p ? c.unversioned
                                                                           : -1;
      if (other == -1) return "";
      return fmt::format("{} conflicts with the selected {}: both provide {}", pkg.Label(),
                         Who(s, other), name);
    };
    std::string why = claim_conflict(pkg.e->name, true);
    for (size_t i = 0; why.empty() && i < pkg.e->provides.size(); ++i) {
      const Dependency& d = pkg.e->provides[i];
      why = claim_conflict(d.name, d.op != VersionOp::kAny);
    }
    if (!why.empty()) return why;
    for (const Req& c : s.conflicts) {
      if (c.requirer == p) continue;
      for (const Provider& prov : pool_.ProvidersOf(c.dep->name)) {
        if (prov.pkg == p && ProviderSatisfies(prov, *c.dep)) {
          return fmt::format("{} is excluded by {}", pkg.Label(), Chain(s, c));
        }
      }
    }
    for (const Dependency& d : pkg.e->depends) {
      if (!d.conflict) continue;
      int other = SatisfiedBy(s, d, p);
      if (other != -1) {
        return fmt::format("{} excludes {}, but the selected {} provides it", pkg.Label(),
                           d.ToString(), Who(s, other));
      }
    }
    return "";
  }

  void Select(State* s, int p, const Req& r) {
    const Pkg& pkg = pool_.pkgs[p];
    s->order.push_back(p);
    s->why[p] = r;
    Claim& own = s->claims[pkg.e->name];
    own.exclusive = p;
    for (const Dependency& d : pkg.e->provides) {
      Claim& c = s->claims[d.name];
      if (d.op != VersionOp::kAny) {
        c.exclusive = p;
      } else if (c.unversioned == -1) {
        c.unversioned = p;
      }
    }
    for (const Dependency& d : pkg.e->depends) {
      Enqueue(s, Req{&d, p, r.allowed | kUntagged, kUntagged});
    }
  }

  // Candidates for r in the order they are tried; *reason says why there are none.
  std::vector<int> Candidates(const State& s, const Req& r, Failure* reason) const {
    const Dependency& d = *r.dep;
    const auto& providers = pool_.ProvidersOf(d.name);
    if (providers.empty()) {
      *reason = {fmt::format("but no package is named or provides {}", d.name), true, true};
      return {};
    }
    std::vector<const Provider*> matching;
    for (const Provider& p : providers) {
      if (ProviderSatisfies(p, d)) matching.push_back(&p);
    }
    if (matching.empty()) {
      std::vector<std::string> have;
      for (const Provider& p : providers) {
        const Pkg& pkg = pool_.pkgs[p.pkg];
        have.push_back(p.own ? pkg.Label()
                       : p.version
                           ? fmt::format("{} (provides {}={})", pkg.Label(), d.name, *p.version)
                           : fmt::format("{} (provides {})", pkg.Label(), d.name));
      }
      std::sort(have.begin(), have.end());
      have.erase(std::unique(have.begin(), have.end()), have.end());
      if (have.size() > 6) {
        have.resize(6);
        have.push_back("...");
      }
      *reason = {fmt::format("but the repositories have {} only", fmt::join(have, ", ")), true,
                 true};
      return {};
    }
    std::vector<const Provider*> selectable;
    std::vector<std::string> rejected, virtual_only;
    size_t never = 0;  // rejected for good: not installable, or ruled out by a failure
    for (const Provider* p : matching) {
      if (!AutoSelectable(pool_, *p)) {
        virtual_only.push_back(pool_.pkgs[p->pkg].Label());
        continue;
      }
      std::string why = Rejection(s, p->pkg, r);
      if (why.empty()) {
        selectable.push_back(p);
      } else {
        never += !pool_.pkgs[p->pkg].broken.empty() || dead_.count(p->pkg);
        rejected.push_back(std::move(why));
      }
    }
    if (selectable.empty()) {
      if (rejected.empty()) {
        *reason = {fmt::format("but {} is a virtual name provided by {} without a "
                               "provider_priority: name one of them in the world",
                               d.name, fmt::join(virtual_only, ", ")),
                   true};
      } else {
        bool permanent = virtual_only.empty() && never == rejected.size();
        *reason = {"but " + fmt::format("{}", fmt::join(rejected, "; ")), permanent, permanent};
      }
      return {};
    }
    std::sort(selectable.begin(), selectable.end(),
              [&](const Provider* a, const Provider* b) { return Better(s, r, *a, *b); });
    std::vector<int> out;
    for (const Provider* p : selectable) {
      if (std::find(out.begin(), out.end(), p->pkg) == out.end()) out.push_back(p->pkg);
    }
    return out;
  }

  bool OriginSelected(const State& s, const Pkg& pkg) const {
    if (pkg.e->origin.empty()) return false;
    for (int q : s.order) {
      const IndexEntry& e = *pool_.pkgs[q].e;
      if (e.origin == pkg.e->origin && e.version == pkg.e->version) return true;
    }
    return false;
  }

  // Whether a is tried before b (the order in solver.h).
  bool Better(const State& s, const Req& r, const Provider& a, const Provider& b) const {
    const Pkg& pa = pool_.pkgs[a.pkg];
    const Pkg& pb = pool_.pkgs[b.pkg];
    bool tag_a = pa.tag_mask & r.preferred, tag_b = pb.tag_mask & r.preferred;
    if (tag_a != tag_b) return tag_a;
    bool origin_a = OriginSelected(s, pa), origin_b = OriginSelected(s, pb);
    if (origin_a != origin_b) return origin_a;
    if (a.version && b.version) {
      int c = version::Compare(*a.version, *b.version);
      if (c != 0) return c > 0;
    }
    if (pa.e->name == pb.e->name) {
      int c = version::Compare(pa.e->version, pb.e->version);
      if (c != 0) return c > 0;
    }
    if (pa.e->provider_priority != pb.e->provider_priority) {
      return pa.e->provider_priority > pb.e->provider_priority;
    }
    int c = version::Compare(pa.e->version, pb.e->version);
    if (c != 0) return c > 0;
    if (pa.e->name != pb.e->name) return pa.e->name < pb.e->name;
    return __builtin_ctz(pa.repo_mask) < __builtin_ctz(pb.repo_mask);
  }

  void RecordFailure(const State& s, const Req& r, const Failure& reason) {
    Failure f{Chain(s, r) + ", " + reason.text, reason.hard};
    if (first_.text.empty()) first_ = f;
    if (f.hard && first_hard_.text.empty()) first_hard_ = f;
  }

  // Whether s already holds a package a failure ruled out: back up to where it was chosen.
  bool Doomed(const State& s) const {
    if (dead_.empty()) return false;
    return std::any_of(s.order.begin(), s.order.end(), [&](int p) { return dead_.count(p); });
  }

  bool Search(State* s) {
    Req r;
    while (Pop(s, &r)) {
      if (++steps_ > options_.max_steps) return false;
      if (SatisfiedBy(*s, *r.dep) != -1) continue;
      Failure reason;
      std::vector<int> candidates = Candidates(*s, r, &reason);
      if (candidates.empty()) {
        RecordFailure(*s, r, reason);
        // Learn from a failure no other choice can change: the requirer is never installable
        // (its other versions are tried instead), and a world requirement ends the search.
        if (reason.permanent && r.requirer >= 0) {
          dead_.emplace(r.requirer, "it requires " + r.dep->ToString() + ", " + reason.text);
        } else if (reason.permanent) {
          abort_ = true;
        }
        return false;
      }
      if (candidates.size() == 1) {
        Select(s, candidates[0], r);
        continue;
      }
      for (int c : candidates) {
        State branch = *s;
        Select(&branch, c, r);
        if (Search(&branch)) {
          *s = std::move(branch);
          return true;
        }
        if (abort_ || steps_ > options_.max_steps || Doomed(*s)) return false;
      }
      return false;
    }
    return true;
  }

  const Pool& pool_;
  const ResolveOptions& options_;
  uint64_t steps_ = 0;
  Failure first_, first_hard_;
  std::unordered_map<int, std::string> dead_;  // packages a permanent failure ruled out
  bool abort_ = false;
};

// ---- install_if ----

// The install_if package triggered by the selection, and the tags its triggers allow; -1 if none.
int NextInstallIf(const Pool& pool, const Solver& solver, const State& s,
                  const std::set<int>& rejected, uint32_t* allowed) {
  std::vector<int> triggered;
  for (int sel : s.order) {
    const IndexEntry& e = *pool.pkgs[sel].e;
    auto consider = [&](std::string_view name) {
      auto it = pool.rinstall_if.find(name);
      if (it == pool.rinstall_if.end()) return;
      triggered.insert(triggered.end(), it->second.begin(), it->second.end());
    };
    consider(e.name);
    for (const Dependency& d : e.provides) consider(d.name);
  }
  std::sort(triggered.begin(), triggered.end(), [&](int a, int b) {
    const IndexEntry &ea = *pool.pkgs[a].e, &eb = *pool.pkgs[b].e;
    if (ea.name != eb.name) return ea.name < eb.name;
    int c = version::Compare(ea.version, eb.version);
    return c != 0 ? c > 0 : a < b;
  });
  triggered.erase(std::unique(triggered.begin(), triggered.end()), triggered.end());
  for (int q : triggered) {
    if (s.Selected(q) || rejected.count(q) || !pool.pkgs[q].broken.empty()) continue;
    uint32_t mask = kUntagged;
    bool all = true;
    for (const Dependency& d : pool.pkgs[q].e->install_if) {
      int by = solver.SatisfiedBy(s, d, q);
      if (d.conflict ? by != -1 : by == -1) {
        all = false;
        break;
      }
      if (!d.conflict) mask |= s.why.at(by).allowed;
    }
    if (!all || !(pool.pkgs[q].tag_mask & mask)) continue;
    *allowed = mask;
    return q;
  }
  return -1;
}

// ---- Install order ----

class Orderer {
 public:
  Orderer(const Pool& pool, const State& s) : pool_(pool), s_(s) {}

  void EmitName(const Dependency& d) {
    processed_.insert(d.name);
    auto it = s_.claims.find(d.name);
    if (it == s_.claims.end()) return;
    int p = it->second.exclusive != -1 ? it->second.exclusive : it->second.unversioned;
    if (p != -1) Emit(p);
  }

  void Emit(int p) {
    if (!started_.insert(p).second) return;
    const IndexEntry& e = *pool_.pkgs[p].e;
    processed_.insert(e.name);
    for (const Dependency& d : e.provides) processed_.insert(d.name);
    for (const Dependency& d : e.depends) EmitName(d);
    out_.push_back(p);
    CheckInstallIf(e.name);
    for (const Dependency& d : e.provides) CheckInstallIf(d.name);
  }

  std::vector<int> Finish() {
    for (int p : s_.order) Emit(p);  // nothing should be left; kept for safety
    return std::move(out_);
  }

 private:
  void CheckInstallIf(std::string_view name) {
    auto it = pool_.rinstall_if.find(name);
    if (it == pool_.rinstall_if.end()) return;
    for (int q : it->second) {
      if (!s_.Selected(q) || started_.count(q)) continue;
      bool ready = true;
      for (const Dependency& d : pool_.pkgs[q].e->install_if) {
        if (!d.conflict && !processed_.count(d.name)) ready = false;
      }
      if (ready) Emit(q);
    }
  }

  const Pool& pool_;
  const State& s_;
  std::set<std::string_view> processed_;
  std::set<int> started_;
  std::vector<int> out_;
};

bool DisplayLess(const Dependency* a, const Dependency* b) {
  int c = strcasecmp(a->name.c_str(), b->name.c_str());
  if (c != 0) return c < 0;
  return a->name < b->name;
}

}  // namespace

Result<Resolution> Resolve(const std::vector<Dependency>& world,
                           const std::vector<Repository>& repositories,
                           const ResolveOptions& options) {
  DISTILL_TRY(Pool pool, BuildPool(repositories, options.arch));
  std::vector<const Dependency*> sorted;
  for (const Dependency& d : world) sorted.push_back(&d);
  std::stable_sort(sorted.begin(), sorted.end(), DisplayLess);

  std::vector<Req> roots;
  for (const Dependency* d : sorted) {
    Req r{d, kWorld, kUntagged, kUntagged};
    if (!d->tag.empty()) {
      auto it = std::find(pool.tags.begin(), pool.tags.end(), d->tag);
      if (it == pool.tags.end()) {
        return Errorf("world constraint '{}': no repository is tagged @{}", d->ToString(), d->tag);
      }
      r.preferred = 1u << (it - pool.tags.begin());
      r.allowed |= r.preferred;
    }
    roots.push_back(r);
  }

  Solver solver(pool, options);
  State state;
  if (!solver.Solve(roots, &state)) {
    return Errorf("cannot resolve the world: {}", solver.FailureText());
  }
  // install_if: add each triggered package the world still resolves with.
  std::deque<Dependency> iif_atoms;
  std::set<int> rejected;
  for (;;) {
    uint32_t allowed = kUntagged;
    int q = NextInstallIf(pool, solver, state, rejected, &allowed);
    if (q == -1) break;
    const IndexEntry& e = *pool.pkgs[q].e;
    Dependency exact{e.name, "", e.checksum, VersionOp::kIdentity, false};
    if (e.checksum.empty()) exact.op = VersionOp::kEqual, exact.version = e.version;
    iif_atoms.push_back(std::move(exact));
    roots.push_back(Req{&iif_atoms.back(), kInstallIf, allowed, kUntagged});
    Solver attempt(pool, options);
    State next;
    if (attempt.Solve(roots, &next)) {
      state = std::move(next);
    } else {
      roots.pop_back();
      rejected.insert(q);
    }
  }

  Orderer orderer(pool, state);
  for (const Dependency* d : sorted) orderer.EmitName(*d);
  Resolution out;
  for (int p : orderer.Finish()) {
    const Pkg& pkg = pool.pkgs[p];
    ResolvedPackage rp{pkg.e, __builtin_ctz(pkg.repo_mask), ""};
    if (!(pkg.tag_mask & kUntagged)) {
      uint32_t bits = pkg.tag_mask & state.why.at(p).allowed;
      if (bits) rp.tag = pool.tags[__builtin_ctz(bits)];
    }
    out.packages.push_back(std::move(rp));
  }
  return out;
}

}  // namespace distill::imagebuild::apk
