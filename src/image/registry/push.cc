#include "image/registry/push.h"

#include <sys/stat.h>

#include <cstdio>
#include <memory>
#include <set>

#include "image/manifest.h"
#include "image/registry/reference.h"
#include "image/writer.h"
#include "util/digest.h"
#include "util/file.h"
#include "util/log.h"

namespace distill::image::registry {

namespace {

// Location headers may be relative; the digest parameter is appended to whatever query they have.
std::string WithQuery(const std::string& url, std::string_view param) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + std::string(param);
}

class Pusher {
 public:
  Pusher(std::shared_ptr<Client> client, std::string layout, Reference dest, const PushOptions& opt,
         PushStats* stats)
      : client_(std::move(client)),
        layout_(std::move(layout)),
        dest_(std::move(dest)),
        opt_(opt),
        stats_(stats) {
    scopes_ = {"repository:" + dest_.repository + ":pull,push"};
    if (!opt_.mount_from.empty() && opt_.mount_from != dest_.repository)
      scopes_.push_back("repository:" + opt_.mount_from + ":pull");
  }

  // Pushes everything `d` refers to, then `d` itself under `ref` (a tag or its digest).
  Status PushManifestTree(const Descriptor& d, const std::string& ref, int depth = 0) {
    if (depth > 4) return Errorf("{}: image indexes nested too deeply", layout_);
    DISTILL_TRY(std::string bytes, ReadLayoutBlob(d));
    std::string where = fmt::format("{}: {}", layout_, ShortDigest(d.digest));
    DISTILL_TRY(auto j, ParseJsonObject(bytes, where));
    auto jmt = j.find("mediaType");
    std::string mt = !d.media_type.empty()                ? d.media_type
                     : jmt != j.end() && jmt->is_string() ? jmt->get<std::string>()
                                                          : "";
    if (mt.empty())
      mt = j.contains("manifests") ? "application/vnd.oci.image.index.v1+json"
                                   : "application/vnd.oci.image.manifest.v1+json";
    if (IsIndexMediaType(mt)) {
      DISTILL_TRY(std::vector<Descriptor> children, ParseIndexManifests(j, where));
      for (const auto& c : children) DISTILL_TRY_VOID(PushManifestTree(c, c.digest, depth + 1));
    } else if (IsManifestMediaType(mt)) {
      auto cfg = j.find("config");
      if (cfg == j.end()) return Errorf("{}: no config descriptor", where);
      DISTILL_TRY(Descriptor cd, ParseDescriptor(*cfg, where + ": config"));
      DISTILL_TRY_VOID(PushBlob(cd));
      auto layers = j.find("layers");
      if (layers == j.end() || !layers->is_array()) return Errorf("{}: no layers array", where);
      for (size_t i = 0; i < layers->size(); ++i) {
        DISTILL_TRY(Descriptor ld,
                    ParseDescriptor((*layers)[i], fmt::format("{}: layers[{}]", where, i)));
        DISTILL_TRY_VOID(PushBlob(ld));
      }
    } else {
      return Errorf("{}: unsupported manifest media type '{}'", where, mt);
    }
    return PutManifest(bytes, mt, d.digest, ref);
  }

 private:
  std::string BlobFile(const std::string& digest) const {
    return layout_ + "/blobs/" + digest.substr(0, digest.find(':')) + "/" +
           std::string(DigestHex(digest));
  }

  Result<std::string> ReadLayoutBlob(const Descriptor& d) {
    DISTILL_TRY_VOID(ValidateDigest(d.digest));
    std::string path = BlobFile(d.digest);
    auto bytes = ReadFile(path, 16 << 20);
    if (!bytes.ok())
      return Errorf("{}: manifest {}: blob missing ({})", layout_, ShortDigest(d.digest), path);
    if (Sha256Digest(*bytes) != d.digest)
      return Errorf("{}: manifest {}: digest mismatch", layout_, ShortDigest(d.digest));
    return std::move(*bytes);
  }

  Result<HttpResponse> Send(const HttpRequest& req) { return client_->Send(req, scopes_); }

  Result<bool> Exists(const std::string& digest) {
    HttpRequest req;
    req.method = "HEAD";
    req.url = "/v2/" + dest_.repository + "/blobs/" + digest;
    DISTILL_TRY(HttpResponse r, Send(req));
    if (r.status == 200) return true;
    if (r.status == 404) return false;
    return client_->ErrorFor(req, r);
  }

  Status PushBlob(const Descriptor& d) {
    if (!pushed_.insert(d.digest).second) return {};
    std::string path = BlobFile(d.digest);
    struct stat st;
    if (::stat(path.c_str(), &st) != 0)
      return Errorf("{}: blob {} missing ({})", layout_, ShortDigest(d.digest), path);
    uint64_t size = static_cast<uint64_t>(st.st_size);
    if (d.size >= 0 && static_cast<uint64_t>(d.size) != size)
      return Errorf("{}: blob {}: file size {} does not match the descriptor's {}", layout_,
                    ShortDigest(d.digest), size, d.size);
    DISTILL_TRY(bool exists, Exists(d.digest));
    if (exists) {
      log::debug("{}: exists", ShortDigest(d.digest));
      if (stats_) ++stats_->blobs_skipped;
      return {};
    }
    HttpRequest start;
    start.method = "POST";
    start.url = "/v2/" + dest_.repository + "/blobs/uploads/";
    if (!opt_.mount_from.empty() && opt_.mount_from != dest_.repository)
      start.url += "?mount=" + d.digest + "&from=" + opt_.mount_from;
    DISTILL_TRY(HttpResponse r, Send(start));
    if (r.status == 201 && start.url.find("mount=") != std::string::npos) {
      log::debug("{}: mounted from {}", ShortDigest(d.digest), opt_.mount_from);
      if (stats_) ++stats_->blobs_mounted;
      return {};
    }
    if (r.status != 202)
      return client_->ErrorFor(start, r).wrap(
          fmt::format("blob {}: start upload", ShortDigest(d.digest)));
    std::string location = r.Header("location");
    if (location.empty())
      return Errorf("{}: upload of {}: no Location header", client_->host(), ShortDigest(d.digest));
    UniqueFile f(std::fopen(path.c_str(), "rb"));
    if (!f) return Errorf("{}: cannot open", path);
    if (opt_.chunk_size > 0 && size > opt_.chunk_size) {
      DISTILL_TRY(location, UploadChunks(f.get(), size, location, d.digest));
      HttpRequest put;
      put.method = "PUT";
      put.url = client_->Url(WithQuery(location, "digest=" + d.digest));
      put.has_body = true;
      put.headers.push_back("Content-Type: application/octet-stream");
      DISTILL_TRY(HttpResponse done, Send(put));
      if (done.status != 201)
        return client_->ErrorFor(put, done).wrap(
            fmt::format("blob {}: finish upload", ShortDigest(d.digest)));
    } else {
      HttpRequest put;
      put.method = "PUT";
      put.url = client_->Url(WithQuery(location, "digest=" + d.digest));
      put.headers.push_back("Content-Type: application/octet-stream");
      FILE* fp = f.get();
      put.body_size = size;
      put.read_body = [fp](char* buf, size_t n) { return std::fread(buf, 1, n, fp); };
      put.rewind_body = [fp] { return std::fseek(fp, 0, SEEK_SET) == 0; };
      DISTILL_TRY(HttpResponse done, Send(put));
      if (done.status != 201)
        return client_->ErrorFor(put, done).wrap(
            fmt::format("blob {}: upload", ShortDigest(d.digest)));
    }
    log::debug("{}: uploaded {} bytes", ShortDigest(d.digest), size);
    if (stats_) {
      ++stats_->blobs_uploaded;
      stats_->bytes_uploaded += size;
    }
    return {};
  }

  // PATCH chunk after chunk; each response names where the next one goes.
  Result<std::string> UploadChunks(FILE* f, uint64_t size, std::string location,
                                   const std::string& digest) {
    std::string chunk(opt_.chunk_size, '\0');
    for (uint64_t off = 0; off < size;) {
      size_t n = std::fread(chunk.data(), 1, std::min<uint64_t>(opt_.chunk_size, size - off), f);
      if (n == 0)
        return Errorf("{}: blob {}: short read at byte {}", layout_, ShortDigest(digest), off);
      HttpRequest patch;
      patch.method = "PATCH";
      patch.url = client_->Url(location);
      patch.has_body = true;
      patch.body.assign(chunk.data(), n);
      patch.headers.push_back("Content-Type: application/octet-stream");
      patch.headers.push_back(fmt::format("Content-Range: {}-{}", off, off + n - 1));
      DISTILL_TRY(HttpResponse r, Send(patch));
      if (r.status != 202)
        return client_->ErrorFor(patch, r).wrap(
            fmt::format("blob {}: chunk at byte {}", ShortDigest(digest), off));
      if (!r.Header("location").empty()) location = r.Header("location");
      off += n;
    }
    return location;
  }

  Status PutManifest(const std::string& bytes, const std::string& media_type,
                     const std::string& digest, const std::string& ref) {
    HttpRequest put;
    put.method = "PUT";
    put.url = "/v2/" + dest_.repository + "/manifests/" + ref;
    put.has_body = true;
    put.body = bytes;
    put.headers.push_back("Content-Type: " + media_type);
    DISTILL_TRY(HttpResponse r, Send(put));
    if (r.status != 201 && r.status != 200)
      return client_->ErrorFor(put, r).wrap(fmt::format("manifest {}", ShortDigest(digest)));
    std::string got = r.Header("docker-content-digest");
    if (!got.empty() && got != digest)
      return Errorf("{}: manifest {}: the registry stored it as {}", client_->host(),
                    ShortDigest(digest), ShortDigest(got));
    if (stats_) ++stats_->manifests;
    manifests_.insert(digest);
    subject_accepted_ = !r.Header("oci-subject").empty();
    return {};
  }

 public:
  // Pushes the OCI 1.1 artifacts (SBOMs, signatures) whose subject is a manifest pushed before. A
  // registry with the referrers API says so with an OCI-Subject header; for one without it, the
  // artifact is added to the fallback tag "sha256-<hex of the subject>", an image index of the
  // subject's referrers (image-spec 1.1, distribution-spec "Pushing Manifests with Subject").
  Status PushReferrers(const std::vector<Descriptor>& artifacts) {
    for (const auto& a : artifacts) {
      DISTILL_TRY(std::string bytes, ReadLayoutBlob(a));
      std::string where = fmt::format("{}: {}", layout_, ShortDigest(a.digest));
      DISTILL_TRY(auto j, ParseJsonObject(bytes, where));
      auto subject = j.find("subject");
      if (subject == j.end()) continue;
      DISTILL_TRY(Descriptor sd, ParseDescriptor(*subject, where + ": subject"));
      if (!manifests_.contains(sd.digest)) continue;
      DISTILL_TRY_VOID(PushManifestTree(a, a.digest));
      if (subject_accepted_) continue;
      nlohmann::json entry = {
          {"mediaType",
           a.media_type.empty() ? "application/vnd.oci.image.manifest.v1+json" : a.media_type},
          {"digest", a.digest},
          {"size", bytes.size()}};
      entry["artifactType"] = j.value("artifactType", a.artifact_type);
      if (j.contains("annotations")) entry["annotations"] = j["annotations"];
      DISTILL_TRY_VOID(AddToFallbackTag(sd.digest, entry));
    }
    return {};
  }

 private:
  Status AddToFallbackTag(const std::string& subject, const nlohmann::json& entry) {
    constexpr const char* kIndex = "application/vnd.oci.image.index.v1+json";
    std::string tag = subject.substr(0, subject.find(':')) + "-" + std::string(DigestHex(subject));
    HttpRequest get;
    get.method = "GET";
    get.url = "/v2/" + dest_.repository + "/manifests/" + tag;
    get.headers.push_back(std::string("Accept: ") + kIndex);
    DISTILL_TRY(HttpResponse r, Send(get));
    nlohmann::json index = {
        {"schemaVersion", 2}, {"mediaType", kIndex}, {"manifests", nlohmann::json::array()}};
    if (r.status == 200) {
      DISTILL_TRY(index, ParseJsonObject(r.body, "referrers tag " + tag));
      if (!index.contains("manifests") || !index["manifests"].is_array())
        index["manifests"] = nlohmann::json::array();
    } else if (r.status != 404) {
      return client_->ErrorFor(get, r).wrap("referrers tag " + tag);
    }
    for (const auto& m : index["manifests"])
      if (m.value("digest", "") == entry["digest"]) return {};
    index["manifests"].push_back(entry);
    std::string bytes = index.dump();
    return PutManifest(bytes, kIndex, Sha256Digest(bytes), tag);
  }

  std::shared_ptr<Client> client_;
  std::string layout_;
  Reference dest_;
  const PushOptions& opt_;
  PushStats* stats_;
  std::vector<std::string> scopes_;
  std::set<std::string> pushed_;
  std::set<std::string> manifests_;  // pushed manifests and indexes (possible referrer subjects)
  bool subject_accepted_ = false;    // the last manifest PUT was answered with OCI-Subject
};

}  // namespace

Result<std::string> PushOciLayout(const std::string& layout_dir, const std::string& layout_ref,
                                  std::string_view dest_text, const PushOptions& opt,
                                  PushStats* stats) {
  DISTILL_TRY(Reference dest, ParseReference(dest_text));
  DISTILL_TRY(std::string index_bytes, ReadFile(layout_dir + "/index.json", 16 << 20));
  DISTILL_TRY(auto index, ParseJsonObject(index_bytes, layout_dir + "/index.json"));
  DISTILL_TRY(std::vector<Descriptor> all, ParseIndexManifests(index, layout_dir + "/index.json"));
  std::vector<Descriptor> picked;
  std::vector<std::string> tags;
  std::vector<Descriptor> artifacts;  // OCI 1.1 referrers listed beside the images
  for (const auto& d : all) {
    if (!d.artifact_type.empty()) {
      artifacts.push_back(d);
      continue;
    }
    if (!d.ref.empty()) tags.push_back(d.ref);
    if (layout_ref.empty() || d.ref == layout_ref) picked.push_back(d);
  }
  // distill's own layouts list their referrers in an index named by an annotation (writer.h).
  if (auto ann = index.find("annotations"); ann != index.end() && ann->is_object()) {
    if (auto r = ann->find(kReferrersAnnotation); r != ann->end()) {
      std::string where = layout_dir + "/index.json: annotation " + kReferrersAnnotation;
      if (!r->is_string() || !ValidateDigest(r->get<std::string>()).ok())
        return Errorf("{}: not a digest", where);
      std::string path =
          layout_dir + "/blobs/sha256/" + std::string(DigestHex(r->get<std::string>()));
      DISTILL_TRY(std::string bytes, ReadFile(path, 16 << 20));
      if (Sha256Digest(bytes) != r->get<std::string>())
        return Errorf("{}: blob digest mismatch", where);
      DISTILL_TRY(auto referrers, ParseJsonObject(bytes, where));
      DISTILL_TRY(std::vector<Descriptor> listed, ParseIndexManifests(referrers, where));
      for (auto& d : listed)
        if (!d.artifact_type.empty()) artifacts.push_back(std::move(d));
    }
  }
  std::string tag_list;
  for (const auto& t : tags) tag_list += (tag_list.empty() ? "" : ", ") + t;
  if (picked.empty())
    return Errorf("{}: no image tagged '{}' (tags present: {})", layout_dir, layout_ref,
                  tag_list.empty() ? "(none)" : tag_list);
  if (picked.size() > 1)
    return Errorf("{}: holds several images; pick one with oci-dir:{}:REF (tags present: {})",
                  layout_dir, layout_dir, tag_list.empty() ? "(none)" : tag_list);
  const Descriptor& top = picked[0];
  if (!dest.digest.empty() && dest.digest != top.digest)
    return Errorf("{}: the image's digest is {}, not {}", dest.ToString(), top.digest, dest.digest);
  DISTILL_TRY(std::shared_ptr<Client> client, Client::Create(dest.ApiHost(), opt.registry));
  Pusher pusher(client, layout_dir, dest, opt, stats);
  DISTILL_TRY_VOID(pusher.PushManifestTree(top, dest.digest.empty() ? dest.tag : dest.digest));
  DISTILL_TRY_VOID(pusher.PushReferrers(artifacts));
  return top.digest;
}

}  // namespace distill::image::registry
