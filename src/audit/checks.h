// The check functions the rule table (rules.cc) names, one group per file: checks_programs.cc,
// checks_privilege.cc, checks_content.cc, checks_hygiene.cc.
#pragma once

#include "audit/rules.h"

namespace distill::audit {

// checks_programs.cc: programs found anywhere in the image (not only on PATH), by name.
void CheckShells(const Context&, const Rule&, std::vector<Finding>*);
void CheckMultiCall(const Context&, const Rule&, std::vector<Finding>*);
void CheckPackageManagers(const Context&, const Rule&, std::vector<Finding>*);
void CheckLotlTools(const Context&, const Rule&, std::vector<Finding>*);
void CheckInterpreters(const Context&, const Rule&, std::vector<Finding>*);

// checks_privilege.cc
void CheckRunsAsRoot(const Context&, const Rule&, std::vector<Finding>*);
void CheckNoNonrootUser(const Context&, const Rule&, std::vector<Finding>*);
void CheckSetuid(const Context&, const Rule&, std::vector<Finding>*);
void CheckSetgid(const Context&, const Rule&, std::vector<Finding>*);
void CheckCapabilities(const Context&, const Rule&, std::vector<Finding>*);
void CheckWorldWritable(const Context&, const Rule&, std::vector<Finding>*);
void CheckDeviceNodes(const Context&, const Rule&, std::vector<Finding>*);

// checks_content.cc: secrets, ELF and "#!" facts from the content scan; unowned files.
void CheckSecrets(const Context&, const Rule&,
                  std::vector<Finding>*);  // the rule id names the kind
void CheckDotenv(const Context&, const Rule&, std::vector<Finding>*);
void CheckUnownedFiles(const Context&, const Rule&, std::vector<Finding>*);
void CheckUnownedExecutables(const Context&, const Rule&, std::vector<Finding>*);
void CheckNoPackageDb(const Context&, const Rule&, std::vector<Finding>*);
void CheckElfInterpreter(const Context&, const Rule&, std::vector<Finding>*);
void CheckElfLibraries(const Context&, const Rule&, std::vector<Finding>*);
void CheckScriptInterpreter(const Context&, const Rule&, std::vector<Finding>*);

// checks_hygiene.cc
void CheckShellForm(const Context&, const Rule&, std::vector<Finding>*);
void CheckShellHealthcheck(const Context&, const Rule&, std::vector<Finding>*);
void CheckCaBundle(const Context&, const Rule&, std::vector<Finding>*);
void CheckAptLists(const Context&, const Rule&, std::vector<Finding>*);
void CheckPipCache(const Context&, const Rule&, std::vector<Finding>*);
void CheckPycache(const Context&, const Rule&, std::vector<Finding>*);
void CheckDocs(const Context&, const Rule&, std::vector<Finding>*);

// Helpers shared by the check files.
bool IsExecutableFile(const image::Entry& entry);
std::string FormatBytes(uint64_t n);

}  // namespace distill::audit
