// The files maintainer scripts would have made, written the distroless way: accounts, the name
// service switch, os-release and the CA bundle. Pure functions of their inputs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imagebuild/deb/deb.h"
#include "imagebuild/spec.h"

namespace distill::imagebuild {

// "root:x:0:0:root:/root:/sbin/nologin\n..." in the order given (the gecos is the name unless set).
std::string PasswdFile(const std::vector<User>& users);
// "root:x:0:\n..." in the order given.
std::string GroupFile(const std::vector<Group>& groups);
// files for the databases an image without NIS or systemd needs; dns for hosts.
std::string NsswitchConf();
// base-files' os-release as distroless rewrites it: PRETTY_NAME replaced, VERSION prefixed with
// NAME
// ("Debian GNU/Linux 12 (bookworm)"); a minimal Debian one when base-files is not installed.
std::string OsRelease(std::string_view base_files_os_release, std::string_view pretty_name,
                      std::string_view codename);
// /etc/ssl/certs/ca-certificates.crt as update-ca-certificates writes it: every
// usr/share/ca-certificates/**.crt of the package, in path order, concatenated.
std::string CaBundle(const Deb& ca_certificates);

}  // namespace distill::imagebuild
