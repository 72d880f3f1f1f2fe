#include "vuln/db/artifact.h"

#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "util/file.h"
#include "vuln/db/database.h"
#include "vuln/db/install.h"
#include "vuln/db/schema.h"
#include "vuln/db/writer.h"

namespace distill::vuln::db {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kLayer =
    "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

class DbArtifactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("distill-dbart-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "vuln.db").string();
  }
  void TearDown() override { fs::remove_all(dir_); }

  Status Build(const std::string& path, std::vector<std::string> origins,
               int64_t time = 1700000000) {
    DISTILL_TRY(auto w, Writer::Create(path, {true, time}));
    for (const auto& o : origins) {
      DISTILL_TRY(int64_t src, w->Source("osv", o));
      Advisory a;
      a.id = "GHSA-" + o;
      a.ecosystem = "pypi";
      a.package = "flask";
      a.state = FixState::kNotFixed;
      DISTILL_TRY_VOID(w->Add(src, a));
    }
    return w->Commit();
  }

  static DbDescription Described() {
    DbDescription d;
    d.schema_version = kSchemaVersion;
    d.built_at = 1700000000;
    d.sources_digest = "sha256:" + std::string(64, 'e');
    d.size = 12345;
    return d;
  }

  fs::path dir_;
  std::string path_;
};

TEST_F(DbArtifactTest, ManifestRoundTripsAndIsAnOci11Artifact) {
  std::string bytes = BuildArtifactManifest(Described(), kLayer, 999);
  EXPECT_EQ(bytes, BuildArtifactManifest(Described(), kLayer, 999));  // deterministic
  auto j = json::parse(bytes);
  EXPECT_EQ(j["mediaType"], "application/vnd.oci.image.manifest.v1+json");
  EXPECT_EQ(j["artifactType"], "application/vnd.distill.vuln-db");
  EXPECT_EQ(j["config"]["mediaType"], "application/vnd.oci.empty.v1+json");
  EXPECT_EQ(j["config"]["size"], 2);
  EXPECT_EQ(j["layers"][0]["mediaType"], "application/vnd.distill.vuln-db.v2.sqlite+zstd");
  EXPECT_EQ(j["annotations"]["org.opencontainers.image.created"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["annotations"]["dev.distill.db.built-at"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(j["annotations"]["dev.distill.db.schema-version"], "2");
  EXPECT_EQ(j["annotations"]["dev.distill.db.size"], "12345");
  auto a = ParseArtifactManifest(bytes, "reg/db:1");
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->layer_digest, kLayer);
  EXPECT_EQ(a->layer_size, 999);
  EXPECT_EQ(a->layer_schema, kSchemaVersion);
  EXPECT_EQ(a->described.size, 12345u);
  EXPECT_EQ(a->described.sources_digest, Described().sources_digest);
}

std::string Error(std::string_view bytes) {
  auto a = ParseArtifactManifest(bytes, "reg/db:1");
  return a.ok() ? "(parsed)" : a.error().message;
}

TEST_F(DbArtifactTest, RefusesWhatIsNotOurArtifactNamingWhatItIs) {
  json m = json::parse(BuildArtifactManifest(Described(), kLayer, 9));
  json image = m;
  image.erase("artifactType");
  image["config"]["mediaType"] = "application/vnd.oci.image.config.v1+json";
  EXPECT_EQ(Error(image.dump()),
            "reg/db:1: is a container image, not a distill vulnerability database "
            "(application/vnd.distill.vuln-db)");
  json other = m;
  other["artifactType"] = "application/vnd.aquasec.trivy.config.v1+json";
  EXPECT_EQ(Error(other.dump()),
            "reg/db:1: is an artifact of type application/vnd.aquasec.trivy.config.v1+json, not a "
            "distill "
            "vulnerability database (application/vnd.distill.vuln-db)");
  json index = {{"schemaVersion", 2},
                {"mediaType", "application/vnd.oci.image.index.v1+json"},
                {"manifests", json::array()}};
  EXPECT_EQ(Error(index.dump()),
            "reg/db:1: is an image index, not a distill vulnerability database "
            "(application/vnd.distill.vuln-db)");
  json layer = m;
  layer["layers"][0]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip";
  EXPECT_EQ(Error(layer.dump()),
            "reg/db:1: layer media type application/vnd.oci.image.layer.v1.tar+gzip is not a "
            "distill database layer "
            "(application/vnd.distill.vuln-db.v2.sqlite+zstd)");
  json two = m;
  two["layers"].push_back(two["layers"][0]);
  EXPECT_EQ(Error(two.dump()), "reg/db:1: a distill database artifact has exactly one layer");
  EXPECT_EQ(Error("[1]"), "reg/db:1: manifest: not a JSON object");
  json typed = m;
  typed["artifactType"] = 7;
  EXPECT_EQ(Error(typed.dump()), "reg/db:1: artifactType is not a string");
}

TEST_F(DbArtifactTest, ANewerSchemaIsRefusedFromTheManifestAlone) {
  json m = json::parse(BuildArtifactManifest(Described(), kLayer, 9));
  m["annotations"]["dev.distill.db.schema-version"] = "3";
  EXPECT_EQ(Error(m.dump()),
            "reg/db:1: database schema version 3 is newer than this distill supports (2); update "
            "distill");
  m["annotations"].erase("dev.distill.db.schema-version");  // the layer's media type says it too
  m["layers"][0]["mediaType"] = "application/vnd.distill.vuln-db.v3.sqlite+zstd";
  EXPECT_EQ(Error(m.dump()),
            "reg/db:1: database schema version 3 is newer than this distill supports (2); update "
            "distill");
  m["layers"][0]["mediaType"] = "application/vnd.distill.vuln-db.v1.sqlite+zstd";
  EXPECT_EQ(Error(m.dump()),
            "reg/db:1: database schema version 1 is older than this distill supports (2); push a "
            "database built by "
            "this distill version");
  m["layers"][0]["mediaType"] = "application/vnd.distill.vuln-db.v2.sqlite+zstd";
  m["annotations"]["dev.distill.db.schema-version"] = "two";
  EXPECT_EQ(Error(m.dump()),
            "reg/db:1: annotation dev.distill.db.schema-version is not a number: \"two\"");
}

TEST_F(DbArtifactTest, SourcesDigestNamesTheSourceListNotWhenItWasImported) {
  std::string other = (dir_ / "other.db").string();
  ASSERT_TRUE(Build(path_, {"b.json", "a.json"}, 1700000000).ok());
  ASSERT_TRUE(Build(other, {"a.json", "b.json"}, 1800000000).ok());
  auto one = SourcesDigest(path_), two = SourcesDigest(other);
  ASSERT_TRUE(one.ok() && two.ok());
  EXPECT_EQ(*one, *two);
  ASSERT_TRUE(Build(other, {"a.json", "c.json"}).ok());
  EXPECT_NE(*one, *SourcesDigest(other));
  auto d = DescribeDatabase(path_);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->schema_version, kSchemaVersion);
  EXPECT_EQ(d->built_at, 1700000000);
  EXPECT_EQ(d->sources_digest, *one);
  EXPECT_EQ(d->size, fs::file_size(path_));
}

TEST_F(DbArtifactTest, DbRepositoryPrefersTheEnvironment) {
  ::unsetenv("DISTILL_DB_REPOSITORY");
  EXPECT_EQ(DbRepository("reg/from-config"), "reg/from-config");
  ::setenv("DISTILL_DB_REPOSITORY", "reg/from-env", 1);
  EXPECT_EQ(DbRepository("reg/from-config"), "reg/from-env");
  ::unsetenv("DISTILL_DB_REPOSITORY");
}

// The installer keeps the previous database on every failure and removes its temporary file.
TEST_F(DbArtifactTest, InstallerKeepsThePreviousDatabaseOnBadBytes) {
  ASSERT_TRUE(Build(path_, {"a.json"}).ok());
  auto before = ReadFile(path_);
  {
    auto in = Installer::Create(path_);
    ASSERT_TRUE(in.ok()) << in.error().message;
    ASSERT_TRUE((*in)->Write("not a database", 14).ok());
    auto built = (*in)->Commit({}, "reg/db:1");
    ASSERT_FALSE(built.ok());
    EXPECT_EQ(built.error().message,
              "reg/db:1: not a distill vulnerability database (no schema_version table)");
  }
  EXPECT_EQ(*ReadFile(path_), *before);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 2);  // + .lock
}

TEST_F(DbArtifactTest, InstallerTakesTheWritersLockAndRecordsItsOrigin) {
  std::string other = (dir_ / "other.db").string();
  ASSERT_TRUE(Build(other, {"a.json"}).ok());
  {
    auto w = Writer::Create(path_, {true, 1});
    ASSERT_TRUE(w.ok());
    auto in = Installer::Create(path_);
    ASSERT_FALSE(in.ok());
    EXPECT_EQ(in.error().message, path_ + ": another import or update is writing this database");
  }
  auto in = Installer::Create(path_);
  ASSERT_TRUE(in.ok()) << in.error().message;
  std::string bytes = *ReadFile(other);
  ASSERT_TRUE((*in)->Write(bytes.data(), bytes.size()).ok());
  auto built = (*in)->Commit({{"artifact.layer", kLayer}}, "reg/db:1");
  ASSERT_TRUE(built.ok()) << built.error().message;
  EXPECT_EQ(*built, 1700000000);
  EXPECT_EQ(InstalledMeta(path_, "artifact.layer"), kLayer);
  EXPECT_TRUE(Database::Open(path_).ok());
  in->reset();  // (releases the lock)
  // A writer that builds on the pulled database drops its origin: it is no longer that artifact.
  {
    auto w = Writer::Create(path_, {false, 1});
    ASSERT_TRUE(w.ok()) << w.error().message;
    ASSERT_TRUE((*w)->Commit().ok());
  }
  EXPECT_EQ(InstalledMeta(path_, "artifact.layer"), "");
}

}  // namespace
}  // namespace distill::vuln::db
