// Where the vulnerability database and its downloads live (XDG Base Directory spec):
// $XDG_CACHE_HOME/distill/ (else ~/.cache/distill/) for vuln.db and downloads/, and
// $XDG_CONFIG_HOME/distill/vuln-sources.yaml (else ~/.config/...) for `distill db update`.
#pragma once

#include <cstdint>
#include <string>

namespace distill::vuln {

std::string DefaultDbPath();         // <cache>/distill/vuln.db
std::string DefaultDownloadDir();    // <cache>/distill/downloads
std::string DefaultSourcesConfig();  // <config>/distill/vuln-sources.yaml

// SOURCE_DATE_EPOCH when set (reproducible builds), else the wall clock, in unix seconds.
int64_t BuildTimeNow();

}  // namespace distill::vuln
