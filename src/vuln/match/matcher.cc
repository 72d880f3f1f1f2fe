#include "vuln/match/matcher.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "catalog/purl.h"
#include "vuln/cvss.h"
#include "vuln/cvss4.h"
#include "vuln/db/ecosystem.h"

namespace distill::vuln::match {
namespace {

using version::Ecosystem;

// How a package is looked up: database key prefix → version order. Distros are keyed by the
// os-release ID (the release is appended), language ecosystems by purl type.
struct Target {
  std::string_view key;  // os-release ID or purl type
  bool distro;
  Ecosystem scheme;
};
constexpr Target kTargets[] = {
    {"debian", true, Ecosystem::kDpkg},
    {"ubuntu", true, Ecosystem::kDpkg},
    {"alpine", true, Ecosystem::kApk},
    {"wolfi", true, Ecosystem::kApk},
    {"chainguard", true, Ecosystem::kApk},
    {"almalinux", true, Ecosystem::kRpm},
    {"rocky", true, Ecosystem::kRpm},
    {"rhel", true, Ecosystem::kRpm},
    {"centos", true, Ecosystem::kRpm},
    {"pypi", false, Ecosystem::kPep440},
    {"npm", false, Ecosystem::kNpm},
    {"golang", false, Ecosystem::kGo},
    {"maven", false, Ecosystem::kMaven},
    {"cargo", false, Ecosystem::kCrates},
    {"gem", false, Ecosystem::kRubyGems},
    {"nuget", false, Ecosystem::kNuGet},
    // Hex (Elixir's Version) and Pub (pub_semver) order versions as SemVer 2.0.0.
    {"hex", false, Ecosystem::kSemver},
    {"pub", false, Ecosystem::kSemver},
};

const Target* FindTarget(std::string_view key, bool distro) {
  for (const Target& t : kTargets)
    if (t.key == key && t.distro == distro) return &t;
  return nullptr;
}

// Distros whose feed has no release dimension.
bool Rolling(std::string_view id) { return id == "wolfi" || id == "chainguard"; }

// One lookup to make for a package.
struct Query {
  std::string ecosystem;  // database key
  Ecosystem scheme;
  std::vector<std::string> names;  // tried in order until one has records
  std::string version;             // compared
};

std::string DistroKey(const catalog::Distro& d) {
  if (Rolling(d.id)) return d.id;
  std::string release = d.version_id;
  if (d.id == "debian" || d.id == "almalinux" || d.id == "rocky" || d.id == "rhel" ||
      d.id == "centos")
    release = release.substr(0, release.find('.'));   // "12.15" → "12"
  if (release.empty()) release = d.version_codename;  // sid/trixie images carry no VERSION_ID
  // Alpine: the branch the packages come from when etc/apk/repositories names another one than
  // os-release (apko images; trivy does the same), "edge" included.
  if (d.id == "alpine" && !d.apk_branch.empty()) release = d.apk_branch;
  return NormalizeEcosystem(d.id + ":" + release);
}

// Why a package is not looked up: (reason, detail), as Unmatched has them.
using Why = std::pair<std::string, std::string>;

std::optional<Query> QueryFor(const catalog::Package& p, const catalog::Distro& d, Why* why) {
  bool os = p.type == "deb" || p.type == "apk" || p.type == "rpm";
  if (os) {
    const Target* t = FindTarget(d.id, true);
    if (t == nullptr) {
      *why = {"unknown-ecosystem",
              d.id.empty() ? "an OS package, but no distro (os-release) to look it up under"
                           : fmt::format("no advisory data for distro \"{}\"", d.id)};
      return std::nullopt;
    }
    Query q{DistroKey(d), t->scheme, {}, p.source_version.empty() ? p.version : p.source_version};
    if (!p.source_name.empty() && p.source_name != p.name) q.names.push_back(p.source_name);
    q.names.push_back(p.name);
    return q;
  }
  if (p.purl.empty()) {
    *why = {"unknown-ecosystem", "no purl"};
    return std::nullopt;
  }
  auto purl = catalog::ParsePurlLenient(p.purl);
  if (!purl.ok()) {
    *why = {"unknown-ecosystem", purl.error().message};
    return std::nullopt;
  }
  const Target* t = FindTarget(purl->type, false);
  if (t == nullptr) {
    *why = {"unknown-ecosystem", fmt::format("no advisory data for purl type \"{}\"", purl->type)};
    return std::nullopt;
  }
  std::string name = purl->name;
  if (!purl->namespace_.empty())
    name = purl->namespace_ + (purl->type == "maven" ? ":" : "/") + purl->name;
  std::string v = p.version.empty() ? purl->version : p.version;
  if (t->scheme == Ecosystem::kGo) v = GoToolchainSemver(v);
  return Query{purl->type, t->scheme, {NormalizePackageName(purl->type, name)}, v};
}

// Go versions carry a "v" in modules and none in OSV records.
std::string ForScheme(Ecosystem e, std::string_view v) {
  if (e == Ecosystem::kGo && !v.starts_with('v')) return "v" + std::string(v);
  return std::string(v);
}

Result<int> Cmp(Ecosystem e, std::string_view a, std::string_view b) {
  if (e != Ecosystem::kGo) return version::Compare(e, a, b);
  return version::Compare(e, ForScheme(e, a), ForScheme(e, b));
}

// The last of the sorted `events` at or below `v` decides.
Result<bool> Evaluate(const std::vector<Event>& events, Ecosystem e, std::string_view v);

Result<bool> InRange(const Range& r, Ecosystem e, std::string_view v) {
  // OSV §evaluation: sort the events by version ("0" lowest; at equal versions introduced
  // first) and the last event at or below v decides.
  // (An invalid version fails the comparisons of the loop below, which reach every event.)
  auto zero = [](const Event& ev) { return ev.kind == Event::kIntroduced && ev.version == "0"; };
  // Already in order (no copy, no sort): one event, or "introduced 0" and one more — the
  // shape of every Debian tracker and secdb range and of most OSV ones.
  if (r.events.size() == 1 || (r.events.size() == 2 && zero(r.events[0]) && !zero(r.events[1])))
    return Evaluate(r.events, e, v);
  std::vector<Event> events = r.events;
  auto less = [&](const Event& a, const Event& b) {
    bool a0 = a.kind == Event::kIntroduced && a.version == "0";
    bool b0 = b.kind == Event::kIntroduced && b.version == "0";
    if (a0 || b0) return a0 && !b0;
    auto c = Cmp(e, a.version, b.version);
    if (c.ok() && *c != 0) return *c < 0;
    return a.kind == Event::kIntroduced && b.kind != Event::kIntroduced;
  };
  std::stable_sort(events.begin(), events.end(), less);
  return Evaluate(events, e, v);
}

Result<bool> Evaluate(const std::vector<Event>& events, Ecosystem e, std::string_view v) {
  bool affected = false;
  for (const Event& ev : events) {
    if (ev.kind == Event::kIntroduced && ev.version == "0") {
      affected = true;
      continue;
    }
    DISTILL_TRY(int c, Cmp(e, v, ev.version));
    switch (ev.kind) {
      case Event::kIntroduced:
        if (c >= 0) affected = true;
        break;
      case Event::kFixed:
      case Event::kLimit:
        if (c >= 0) affected = false;
        break;
      case Event::kLastAffected:
        if (c > 0) affected = false;
        break;
    }
  }
  return affected;
}

Level FromRating(std::string_view r) {
  if (r == "critical") return Level::kCritical;
  if (r == "high" || r == "important") return Level::kHigh;
  if (r == "medium" || r == "moderate") return Level::kMedium;
  if (r == "low" || r == "negligible" || r == "unimportant") return Level::kLow;
  return Level::kUnknown;
}

// Vendor first, else CVSS v3, else CVSS v4, else unknown.
void PickSeverity(const std::vector<const Advisory*>& group, Finding& f) {
  for (const Advisory* a : group)
    for (const Severity& s : a->severities)
      if (s.type == "vendor" && FromRating(s.rating) != Level::kUnknown) {
        f.severity = FromRating(s.rating), f.severity_source = s.source, f.severity_type = s.type;
        break;
      }
  // A CVSS v3 vector, else a v4 one (records that carry only v4: newer GHSA, OSV).
  for (std::string_view type : {"CVSS_V3", "CVSS_V4"})
    for (const Advisory* a : group)
      for (const Severity& s : a->severities) {
        if (s.type != type || f.score >= 0) continue;
        double score = s.score;
        if (score < 0) {  // unscored (a database built before v4 scoring)
          auto c = type == "CVSS_V3" ? CvssV3BaseScore(s.vector) : CvssV4Score(s.vector);
          if (!c.ok()) continue;
          score = c->base;
        }
        f.score = score;
        f.cvss_vector = s.vector, f.cvss_source = s.source;
        if (f.severity_type.empty()) {
          f.severity = FromRating(CvssRating(score));
          f.severity_source = s.source, f.severity_type = s.type;
        }
      }
}

// Groups advisories sharing any id (GHSA ↔ CVE): union-find over the advisories, linked
// through the ids they name; groups in the order of their first advisory, each in `as` order.
std::vector<std::vector<const Advisory*>> GroupByAlias(const std::vector<const Advisory*>& as) {
  const size_t n = as.size();
  std::vector<size_t> parent(n);
  for (size_t i = 0; i < n; ++i) parent[i] = i;
  auto find = [&](size_t x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  std::unordered_map<std::string_view, size_t> owner;  // id → an advisory naming it
  owner.reserve(2 * n);
  for (size_t i = 0; i < n; ++i) {
    auto link = [&](std::string_view id) {
      auto [it, fresh] = owner.try_emplace(id, i);
      if (fresh) return;
      size_t a = find(it->second), b = find(i);
      if (a != b) parent[std::max(a, b)] = std::min(a, b);
    };
    link(as[i]->id);
    for (const auto& al : as[i]->aliases) link(al);
  }
  std::vector<std::vector<const Advisory*>> out;
  std::vector<size_t> slot(n, n);
  for (size_t i = 0; i < n; ++i) {
    size_t r = find(i);
    if (slot[r] == n) slot[r] = out.size(), out.emplace_back();
    out[slot[r]].push_back(as[i]);
  }
  return out;
}

// The finding for one alias group, or nothing when the group does not apply.
// `bad_version`: the installed version is invalid (the package is listed as unmatched): its
// comparisons fail for that reason, not a record's, and are not warned about one by one.
std::optional<Finding> FindingFor(const catalog::Package& p, const Query& q, std::string_view via,
                                  const std::vector<const Advisory*>& group,
                                  std::vector<std::string>& warnings, bool bad_version) {
  std::vector<const Advisory*> hits;
  for (const Advisory* a : group) {
    if (a->state == FixState::kNotAffected) return std::nullopt;  // the source says never affected
    auto aff = Affected(*a, q.scheme, q.version);
    if (!aff.ok()) {
      if (!bad_version)
        warnings.push_back(
            fmt::format("{} {}: {}: {}", p.name, p.version, a->id, aff.error().message));
      continue;
    }
    if (*aff) hits.push_back(a);
  }
  if (hits.empty()) return std::nullopt;
  Finding f;
  f.package = p.name, f.version = p.version, f.type = p.type, f.purl = p.purl;
  if (!p.locations.empty()) f.location = p.locations.front().path;
  f.via_source = std::string(via), f.matched_version = q.version, f.ecosystem = q.ecosystem;
  std::set<std::string> ids, sources, advisories;
  std::vector<std::string> fixed;
  bool any_fixed = false, any_open = false;
  for (const Advisory* a : hits) {
    ids.insert(a->id);
    ids.insert(a->aliases.begin(), a->aliases.end());
    sources.insert(a->source);
    for (const auto& r : a->references)
      if (r.type == "ADVISORY" && !r.url.empty()) advisories.insert(r.url);
    if (f.summary.empty()) f.summary = a->summary;
    if (a->state == FixState::kFixed) any_fixed = true;
    if (a->state == FixState::kNotFixed) {
      any_open = true;
      if (f.state_note.empty()) f.state_note = a->state_note;
    }
    for (const auto& v : a->fixed_versions) {
      auto c = Cmp(q.scheme, v, q.version);
      if (c.ok() && *c > 0 && std::find(fixed.begin(), fixed.end(), v) == fixed.end())
        fixed.push_back(v);
    }
  }
  std::stable_sort(fixed.begin(), fixed.end(), [&](const std::string& a, const std::string& b) {
    auto c = Cmp(q.scheme, a, b);
    return c.ok() && *c < 0;
  });
  f.ids.assign(ids.begin(), ids.end());
  f.sources.assign(sources.begin(), sources.end());
  f.advisories.assign(advisories.begin(), advisories.end());
  auto cve = std::find_if(f.ids.begin(), f.ids.end(),
                          [](const std::string& s) { return s.starts_with("CVE-"); });
  f.id = cve != f.ids.end() ? *cve : f.ids.front();
  if (any_fixed && !fixed.empty()) {
    f.state = FixState::kFixed, f.fixed_versions = std::move(fixed), f.state_note.clear();
  } else if (any_open || any_fixed) {
    // A fixed record can still leave this version without a fix (an open-ended range above
    // its fixes): that is not fixed, not "won't fix".
    f.state = FixState::kNotFixed;
  } else {
    f.state = FixState::kWontFix, f.state_note.clear();
  }
  PickSeverity(hits, f);
  return f;
}

bool Digits(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos;
}

}  // namespace

std::string GoToolchainSemver(std::string_view v) {
  std::string_view tag = v.substr(0, v.find(' '));  // "go1.22.1 X:loopvar"
  if (!tag.starts_with("go") || tag.size() < 3 || tag[2] < '0' || tag[2] > '9')
    return std::string(v);
  if (tag == "go1") return "1.0.0";
  std::string_view rest = tag.substr(2);
  // MAJOR.MINOR, an optional .PATCH, an optional beta|rc|-pre and its number.
  size_t dot = rest.find('.');
  if (dot == std::string_view::npos || !Digits(rest.substr(0, dot))) return std::string(v);
  size_t minor_end = rest.find_first_not_of("0123456789", dot + 1);
  std::string_view minor =
      rest.substr(dot + 1, minor_end == std::string_view::npos ? minor_end : minor_end - dot - 1);
  if (!Digits(minor) || tag == "go1.0") return std::string(v);
  std::string out(rest.substr(0, dot + 1 + minor.size()));
  rest.remove_prefix(dot + 1 + minor.size());
  std::string patch = ".0";
  if (rest.starts_with('.')) {
    size_t end = rest.find_first_not_of("0123456789", 1);
    patch = std::string(rest.substr(0, end));
    if (patch.size() < 2) return std::string(v);
    rest.remove_prefix(patch.size());
  }
  out += patch;
  if (rest.empty()) return out;
  for (std::string_view kind : {"beta", "rc", "-pre"}) {
    if (!rest.starts_with(kind) || !Digits(rest.substr(kind.size()))) continue;
    std::string_view name = kind.starts_with('-') ? kind.substr(1) : kind;
    return out + "-" + std::string(name) + "." + std::string(rest.substr(kind.size()));
  }
  return std::string(v);
}

std::string_view LevelName(Level l) {
  static constexpr std::string_view kNames[] = {"UNKNOWN", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
  return kNames[static_cast<int>(l)];
}

Result<Level> ParseLevel(std::string_view s) {
  for (int i = 0; i <= static_cast<int>(Level::kCritical); ++i) {
    std::string_view n = LevelName(static_cast<Level>(i));
    if (n.size() == s.size() && std::equal(n.begin(), n.end(), s.begin(), [](char a, char b) {
          return a == std::toupper(static_cast<unsigned char>(b));
        }))
      return static_cast<Level>(i);
  }
  return Errorf("unknown severity \"{}\" (UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL)", s);
}

std::string Finding::StatusText() const {
  switch (state) {
    case FixState::kFixed:
      return "fixed";
    case FixState::kWontFix:
      return "won't fix";
    case FixState::kNotAffected:
      return "not affected";
    case FixState::kNotFixed:
      break;
  }
  return state_note.empty() ? "not fixed" : "not fixed (" + state_note + ")";
}

Result<bool> Affected(const Advisory& a, Ecosystem scheme, std::string_view installed) {
  if (a.state == FixState::kNotAffected) return false;
  for (const auto& v : a.versions) {
    auto c = Cmp(scheme, installed, v);
    if ((c.ok() && *c == 0) || v == installed) return true;
  }
  bool any_range = false;
  for (const Range& r : a.ranges) {
    if (r.events.empty()) continue;
    any_range = true;
    DISTILL_TRY(bool in, InRange(r, scheme, installed));
    if (in) return true;
  }
  if (any_range || !a.versions.empty()) return false;
  // No ranges: the bare state decides (a fixed record without ranges is affected below its fix).
  if (a.state != FixState::kFixed) return true;
  for (const auto& v : a.fixed_versions) {
    DISTILL_TRY(int c, Cmp(scheme, installed, v));
    if (c >= 0) return false;
  }
  return !a.fixed_versions.empty();
}

Result<MatchResult> Match(const catalog::Catalog& cat, Database& db) {
  MatchResult result;
  std::vector<Finding> out;
  // The binary packages of one source share its records: one lookup per (ecosystem, name).
  LookedUp& cache = result.looked_up;
  std::map<std::string, bool> has_data;  // ecosystem key → the database has rows for it
  auto unmatched = [&](const catalog::Package& p, Why why) {
    result.unmatched.push_back({p.name, p.version, p.type, p.purl,
                                p.locations.empty() ? "" : p.locations.front().path,
                                std::move(why.first), std::move(why.second)});
  };
  for (const catalog::Package& p : cat.packages) {
    Why why;
    auto q = QueryFor(p, cat.distro, &why);
    if (!q) {
      unmatched(p, std::move(why));
      continue;
    }
    auto [known, fresh_eco] = has_data.try_emplace(q->ecosystem);
    if (fresh_eco) {
      DISTILL_TRY(known->second, db.HasEcosystem(q->ecosystem));
    }
    if (!known->second) {
      unmatched(
          p, {"no-data", fmt::format("the database has no advisories for \"{}\"", q->ecosystem)});
      continue;
    }
    bool bad_version = false;
    if (auto valid = version::Validate(q->scheme, ForScheme(q->scheme, q->version)); !valid.ok()) {
      bad_version = true;
      unmatched(p,
                {"unparsable-version", q->version.empty() ? "no version" : valid.error().message});
    }
    for (size_t i = 0; i < q->names.size(); ++i) {
      auto [it, fresh] = cache.try_emplace({q->ecosystem, q->names[i]});
      if (fresh) {
        DISTILL_TRY(it->second,
                    db.Lookup(q->ecosystem, q->names[i], "ADVISORY"));  // the only refs used
      }
      const std::vector<Advisory>& as = it->second;
      if (as.empty()) continue;
      std::string via = (i == 0 && q->names.size() > 1) ? q->names[i] : "";
      std::vector<const Advisory*> ptrs;
      for (const auto& a : as) ptrs.push_back(&a);
      for (const auto& group : GroupByAlias(ptrs))
        if (auto f = FindingFor(p, *q, via, group, result.warnings, bad_version))
          out.push_back(std::move(*f));
      break;
    }
  }
  // Sorted through an index: a Finding is big, and moving them around was ~10% of a scan.
  std::vector<size_t> order(out.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t x, size_t y) {
    const Finding &a = out[x], &b = out[y];
    return std::tie(a.package, a.version, a.type, a.id) <
           std::tie(b.package, b.version, b.type, b.id);
  });
  result.findings.reserve(out.size());
  for (size_t i : order) result.findings.push_back(std::move(out[i]));
  return result;
}

}  // namespace distill::vuln::match
