// SPDX license and exception identifiers, list version v1.1-3.28.0, from the enum of
// CycloneDX/specification schema/spdx.schema.json (commit e02a34ae42a48239f54e04f75280b9000b29f1fb,
// ../shared/fixtures/schemas/cyclonedx/). Regenerate: sorted case-insensitively, one string per id.
#include "catalog/spdx_list.h"

#include <algorithm>
#include <cctype>
#include <string>

#include "util/text.h"

namespace distill::catalog {
namespace {

// 811 identifiers, sorted by lowercase.
constexpr std::string_view kIds[] = {
    "0BSD", "389-exception", "3D-Slicer-1.0", "AAL", "Abstyles", "AdaCore-doc", "Adobe-2006",
    "Adobe-Display-PostScript", "Adobe-Glyph", "Adobe-Utopia", "ADSL", "Advanced-Cryptics-Dictionary",
    "AFL-1.1", "AFL-1.2", "AFL-2.0", "AFL-2.1", "AFL-3.0", "Afmparse", "AGPL-1.0", "AGPL-1.0-only",
    "AGPL-1.0-or-later", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Aladdin", "ALGLIB-Documentation",
    "AMD-newlib", "AMDPLPA", "AML", "AML-glslang", "AMPAS", "ANTLR-PD", "ANTLR-PD-fallback", "any-OSI",
    "any-OSI-perl-modules", "Apache-1.0", "Apache-1.1", "Apache-2.0", "APAFML", "APL-1.0", "App-s2p",
    "APSL-1.0", "APSL-1.1", "APSL-1.2", "APSL-2.0", "Arphic-1999", "Artistic-1.0", "Artistic-1.0-cl8",
    "Artistic-1.0-Perl", "Artistic-2.0", "Artistic-dist", "Aspell-RU", "Asterisk-exception",
    "Asterisk-linking-protocols-exception", "ASWF-Digital-Assets-1.0", "ASWF-Digital-Assets-1.1",
    "Autoconf-exception-2.0", "Autoconf-exception-3.0", "Autoconf-exception-generic",
    "Autoconf-exception-generic-3.0", "Autoconf-exception-macro", "Baekmuk", "Bahyph", "Barr",
    "bcrypt-Solar-Designer", "Beerware", "Bison-exception-1.24", "Bison-exception-2.2", "Bitstream-Charter",
    "Bitstream-Vera", "BitTorrent-1.0", "BitTorrent-1.1", "blessing", "BlueOak-1.0.0", "Boehm-GC",
    "Boehm-GC-without-fee", "BOLA-1.1", "Bootloader-exception", "Borceux", "Brian-Gladman-2-Clause",
    "Brian-Gladman-3-Clause", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Darwin",
    "BSD-2-Clause-first-lines", "BSD-2-Clause-FreeBSD", "BSD-2-Clause-NetBSD", "BSD-2-Clause-Patent",
    "BSD-2-Clause-pkgconf-disclaimer", "BSD-2-Clause-Views", "BSD-3-Clause", "BSD-3-Clause-acpica",
    "BSD-3-Clause-Attribution", "BSD-3-Clause-Clear", "BSD-3-Clause-flex", "BSD-3-Clause-HP",
    "BSD-3-Clause-LBNL", "BSD-3-Clause-Modification", "BSD-3-Clause-No-Military-License",
    "BSD-3-Clause-No-Nuclear-License", "BSD-3-Clause-No-Nuclear-License-2014",
    "BSD-3-Clause-No-Nuclear-Warranty", "BSD-3-Clause-Open-MPI", "BSD-3-Clause-Sun", "BSD-3-Clause-Tso",
    "BSD-4-Clause", "BSD-4-Clause-Shortened", "BSD-4-Clause-UC", "BSD-4.3RENO", "BSD-4.3TAHOE",
    "BSD-Advertising-Acknowledgement", "BSD-Attribution-HPND-disclaimer", "BSD-Inferno-Nettverk",
    "BSD-Mark-Modifications", "BSD-Protection", "BSD-Source-beginning-file", "BSD-Source-Code",
    "BSD-Systemics", "BSD-Systemics-W3Works", "BSL-1.0", "Buddy", "BUSL-1.1", "bzip2-1.0.5", "bzip2-1.0.6",
    "C-UDA-1.0", "CAL-1.0", "CAL-1.0-Combined-Work-Exception", "Caldera", "Caldera-no-preamble", "CAPEC-tou",
    "Catharon", "CATOSL-1.1", "CC-BY-1.0", "CC-BY-2.0", "CC-BY-2.5", "CC-BY-2.5-AU", "CC-BY-3.0",
    "CC-BY-3.0-AT", "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO", "CC-BY-3.0-NL", "CC-BY-3.0-US",
    "CC-BY-4.0", "CC-BY-NC-1.0", "CC-BY-NC-2.0", "CC-BY-NC-2.5", "CC-BY-NC-3.0", "CC-BY-NC-3.0-DE",
    "CC-BY-NC-4.0", "CC-BY-NC-ND-1.0", "CC-BY-NC-ND-2.0", "CC-BY-NC-ND-2.5", "CC-BY-NC-ND-3.0",
    "CC-BY-NC-ND-3.0-DE", "CC-BY-NC-ND-3.0-IGO", "CC-BY-NC-ND-4.0", "CC-BY-NC-SA-1.0", "CC-BY-NC-SA-2.0",
    "CC-BY-NC-SA-2.0-DE", "CC-BY-NC-SA-2.0-FR", "CC-BY-NC-SA-2.0-UK", "CC-BY-NC-SA-2.5", "CC-BY-NC-SA-3.0",
    "CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-3.0-IGO", "CC-BY-NC-SA-4.0", "CC-BY-ND-1.0", "CC-BY-ND-2.0",
    "CC-BY-ND-2.5", "CC-BY-ND-3.0", "CC-BY-ND-3.0-DE", "CC-BY-ND-4.0", "CC-BY-SA-1.0", "CC-BY-SA-2.0",
    "CC-BY-SA-2.0-UK", "CC-BY-SA-2.1-JP", "CC-BY-SA-2.5", "CC-BY-SA-3.0", "CC-BY-SA-3.0-AT",
    "CC-BY-SA-3.0-DE", "CC-BY-SA-3.0-IGO", "CC-BY-SA-4.0", "CC-PDDC", "CC-PDM-1.0", "CC-SA-1.0", "CC0-1.0",
    "CDDL-1.0", "CDDL-1.1", "CDL-1.0", "CDLA-Permissive-1.0", "CDLA-Permissive-2.0", "CDLA-Sharing-1.0",
    "CECILL-1.0", "CECILL-1.1", "CECILL-2.0", "CECILL-2.1", "CECILL-B", "CECILL-C", "CERN-OHL-1.1",
    "CERN-OHL-1.2", "CERN-OHL-P-2.0", "CERN-OHL-S-2.0", "CERN-OHL-W-2.0", "CFITSIO", "CGAL-linking-exception",
    "check-cvs", "checkmk", "ClArtistic", "Classpath-exception-2.0", "Classpath-exception-2.0-short", "Clips",
    "CLISP-exception-2.0", "CMU-Mach", "CMU-Mach-nodoc", "CNRI-Jython", "CNRI-Python",
    "CNRI-Python-GPL-Compatible", "COIL-1.0", "Community-Spec-1.0", "Condor-1.1", "copyleft-next-0.3.0",
    "copyleft-next-0.3.1", "Cornell-Lossless-JPEG", "CPAL-1.0", "CPL-1.0", "CPOL-1.02", "Cronyx", "Crossword",
    "CryptoSwift", "cryptsetup-OpenSSL-exception", "CrystalStacker", "CUA-OPL-1.0", "Cube", "curl", "cve-tou",
    "D-FSL-1.0", "DEC-3-Clause", "diffmark", "Digia-Qt-LGPL-exception-1.1", "DigiRule-FOSS-exception",
    "DL-DE-BY-2.0", "DL-DE-ZERO-2.0", "DOC", "DocBook-DTD", "DocBook-Schema", "DocBook-Stylesheet",
    "DocBook-XML", "Dotseqn", "DRL-1.0", "DRL-1.1", "DSDP", "dtoa", "dvipdfm", "ECL-1.0", "ECL-2.0",
    "eCos-2.0", "eCos-exception-2.0", "EFL-1.0", "EFL-2.0", "eGenix", "Elastic-2.0", "Entessa", "EPICS",
    "EPL-1.0", "EPL-2.0", "erlang-otp-linking-exception", "ErlPL-1.1", "ESA-PL-permissive-2.4",
    "ESA-PL-strong-copyleft-2.4", "ESA-PL-weak-copyleft-2.4", "etalab-2.0", "EUDatagrid", "EUPL-1.0",
    "EUPL-1.1", "EUPL-1.2", "Eurosym", "Fair", "Fawkes-Runtime-exception", "FBM", "FDK-AAC",
    "Ferguson-Twofish", "FLTK-exception", "fmt-exception", "Font-exception-2.0", "Frameworx-1.0",
    "FreeBSD-DOC", "FreeImage", "freertos-exception-2.0", "FSFAP", "FSFAP-no-warranty-disclaimer", "FSFUL",
    "FSFULLR", "FSFULLRSD", "FSFULLRWD", "FSL-1.1-ALv2", "FSL-1.1-MIT", "FTL", "Furuseth", "fwlw",
    "Game-Programming-Gems", "GCC-exception-2.0", "GCC-exception-2.0-note", "GCC-exception-3.1", "GCR-docs",
    "GD", "generic-xts", "GFDL-1.1", "GFDL-1.1-invariants-only", "GFDL-1.1-invariants-or-later",
    "GFDL-1.1-no-invariants-only", "GFDL-1.1-no-invariants-or-later", "GFDL-1.1-only", "GFDL-1.1-or-later",
    "GFDL-1.2", "GFDL-1.2-invariants-only", "GFDL-1.2-invariants-or-later", "GFDL-1.2-no-invariants-only",
    "GFDL-1.2-no-invariants-or-later", "GFDL-1.2-only", "GFDL-1.2-or-later", "GFDL-1.3",
    "GFDL-1.3-invariants-only", "GFDL-1.3-invariants-or-later", "GFDL-1.3-no-invariants-only",
    "GFDL-1.3-no-invariants-or-later", "GFDL-1.3-only", "GFDL-1.3-or-later", "Giftware", "GL2PS", "Glide",
    "Glulxe", "GLWTPL", "Gmsh-exception", "GNAT-exception", "GNOME-examples-exception",
    "GNU-compiler-exception", "gnu-javamail-exception", "gnuplot", "GPL-1.0", "GPL-1.0+", "GPL-1.0-only",
    "GPL-1.0-or-later", "GPL-2.0", "GPL-2.0+", "GPL-2.0-only", "GPL-2.0-or-later",
    "GPL-2.0-with-autoconf-exception", "GPL-2.0-with-bison-exception", "GPL-2.0-with-classpath-exception",
    "GPL-2.0-with-font-exception", "GPL-2.0-with-GCC-exception", "GPL-3.0", "GPL-3.0+",
    "GPL-3.0-389-ds-base-exception", "GPL-3.0-interface-exception", "GPL-3.0-linking-exception",
    "GPL-3.0-linking-source-exception", "GPL-3.0-only", "GPL-3.0-or-later", "GPL-3.0-with-autoconf-exception",
    "GPL-3.0-with-GCC-exception", "GPL-CC-1.0", "Graphics-Gems", "gSOAP-1.3b", "GStreamer-exception-2005",
    "GStreamer-exception-2008", "gtkbook", "Gutmann", "harbour-exception", "HaskellReport", "HDF5", "hdparm",
    "HIDAPI", "Hippocratic-2.1", "HP-1986", "HP-1989", "HPND", "HPND-DEC", "HPND-doc", "HPND-doc-sell",
    "HPND-export-US", "HPND-export-US-acknowledgement", "HPND-export-US-modify", "HPND-export2-US",
    "HPND-Fenneberg-Livingston", "HPND-INRIA-IMAG", "HPND-Intel", "HPND-Kevlin-Henney", "HPND-Markus-Kuhn",
    "HPND-merchantability-variant", "HPND-MIT-disclaimer", "HPND-Netrek", "HPND-Pbmplus",
    "HPND-sell-MIT-disclaimer-xserver", "HPND-sell-regexpr", "HPND-sell-variant",
    "HPND-sell-variant-critical-systems", "HPND-sell-variant-MIT-disclaimer",
    "HPND-sell-variant-MIT-disclaimer-rev", "HPND-SMC", "HPND-UC", "HPND-UC-export-US", "HTMLTIDY",
    "hyphen-bulgarian", "i2p-gpl-java-exception", "IBM-pibs", "ICU", "IEC-Code-Components-EULA", "IJG",
    "IJG-short", "ImageMagick", "iMatix", "Imlib2", "Independent-modules-exception", "Info-ZIP",
    "Inner-Net-2.0", "InnoSetup", "Intel", "Intel-ACPI", "Interbase-1.0", "IPA", "IPL-1.0", "ISC",
    "ISC-Veillard", "ISO-permission", "Jam", "JasPer-2.0", "jove", "JPL-image", "JPNIC", "JSON", "Kastrup",
    "Kazlib", "KiCad-libraries-exception", "Knuth-CTAN", "kvirc-openssl-exception", "LAL-1.2", "LAL-1.3",
    "Latex2e", "Latex2e-translated-notice", "Leptonica", "LGPL-2.0", "LGPL-2.0+", "LGPL-2.0-only",
    "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1+", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0",
    "LGPL-3.0+", "LGPL-3.0-linking-exception", "LGPL-3.0-only", "LGPL-3.0-or-later", "LGPLLR", "Libpng",
    "libpng-1.6.35", "libpng-2.0", "libpri-OpenH323-exception", "libselinux-1.0", "libtiff",
    "Libtool-exception", "libutil-David-Nugent", "LiLiQ-P-1.1", "LiLiQ-R-1.1", "LiLiQ-Rplus-1.1",
    "Linux-man-pages-1-para", "Linux-man-pages-copyleft", "Linux-man-pages-copyleft-2-para",
    "Linux-man-pages-copyleft-var", "Linux-OpenIB", "Linux-syscall-note", "LLGPL", "LLVM-exception", "LOOP",
    "LPD-document", "LPL-1.0", "LPL-1.02", "LPPL-1.0", "LPPL-1.1", "LPPL-1.2", "LPPL-1.3a", "LPPL-1.3c",
    "lsof", "Lucida-Bitmap-Fonts", "LZMA-exception", "LZMA-SDK-9.11-to-9.20", "LZMA-SDK-9.22",
    "Mackerras-3-Clause", "Mackerras-3-Clause-acknowledgment", "magaz", "mailprio", "MakeIndex", "man2html",
    "Martin-Birgmeier", "McPhee-slideshow", "metamail", "mif-exception", "Minpack", "MIPS", "MirOS", "MIT",
    "MIT-0", "MIT-advertising", "MIT-Click", "MIT-CMU", "MIT-enna", "MIT-feh", "MIT-Festival",
    "MIT-Khronos-old", "MIT-Modern-Variant", "MIT-open-group", "MIT-STK", "MIT-testregex", "MIT-Wu", "MITNFA",
    "MMIXware", "MMPL-1.0.1", "Motosoto", "MPEG-SSG", "mpi-permissive", "mpich2", "MPL-1.0", "MPL-1.1",
    "MPL-2.0", "MPL-2.0-no-copyleft-exception", "mplus", "MS-LPL", "MS-PL", "MS-RL", "MTLL", "MulanPSL-1.0",
    "MulanPSL-2.0", "Multics", "Mup", "mxml-exception", "NAIST-2003", "NASA-1.3", "Naumen", "NBPL-1.0",
    "NCBI-PD", "NCGL-UK-2.0", "NCL", "NCSA", "Net-SNMP", "NetCDF", "Newsletr", "NGPL", "ngrep", "NICTA-1.0",
    "NIST-PD", "NIST-PD-fallback", "NIST-PD-TNT", "NIST-Software", "NLOD-1.0", "NLOD-2.0", "NLPL", "Nokia",
    "Nokia-Qt-exception-1.1", "NOSL", "Noweb", "NPL-1.0", "NPL-1.1", "NPOSL-3.0", "NRL", "NTIA-PD", "NTP",
    "NTP-0", "Nunit", "O-UDA-1.0", "OAR", "OCaml-LGPL-linking-exception", "OCCT-exception-1.0", "OCCT-PL",
    "OCLC-2.0", "ODbL-1.0", "ODC-By-1.0", "OFFIS", "OFL-1.0", "OFL-1.0-no-RFN", "OFL-1.0-RFN", "OFL-1.1",
    "OFL-1.1-no-RFN", "OFL-1.1-RFN", "OGC-1.0", "OGDL-Taiwan-1.0", "OGL-Canada-2.0", "OGL-UK-1.0",
    "OGL-UK-2.0", "OGL-UK-3.0", "OGTSL", "OLDAP-1.1", "OLDAP-1.2", "OLDAP-1.3", "OLDAP-1.4", "OLDAP-2.0",
    "OLDAP-2.0.1", "OLDAP-2.1", "OLDAP-2.2", "OLDAP-2.2.1", "OLDAP-2.2.2", "OLDAP-2.3", "OLDAP-2.4",
    "OLDAP-2.5", "OLDAP-2.6", "OLDAP-2.7", "OLDAP-2.8", "OLFL-1.3", "OML", "OpenJDK-assembly-exception-1.0",
    "OpenMDW-1.0", "OpenPBS-2.3", "OpenSSL", "OpenSSL-standalone", "OpenVision", "openvpn-openssl-exception",
    "OPL-1.0", "OPL-UK-3.0", "OPUBL-1.0", "OSC-1.0", "OSET-PL-2.1", "OSL-1.0", "OSL-1.1", "OSL-2.0",
    "OSL-2.1", "OSL-3.0", "OSSP", "PADL", "ParaType-Free-Font-1.3", "Parity-6.0.0", "Parity-7.0.0",
    "PCRE2-exception", "PDDL-1.0", "PHP-3.0", "PHP-3.01", "Pixar", "pkgconf", "Plexus", "pnmstitch",
    "PolyForm-Noncommercial-1.0.0", "PolyForm-Small-Business-1.0.0", "polyparse-exception", "PostgreSQL",
    "PPL", "PS-or-PDF-font-exception-20170817", "PSF-2.0", "psfrag", "psutils", "Python-2.0", "Python-2.0.1",
    "python-ldap", "Qhull", "QPL-1.0", "QPL-1.0-INRIA-2004", "QPL-1.0-INRIA-2004-exception",
    "Qt-GPL-exception-1.0", "Qt-LGPL-exception-1.1", "Qwt-exception-1.0", "radvd", "Rdisc", "RHeCos-1.1",
    "romic-exception", "RPL-1.1", "RPL-1.5", "RPSL-1.0", "RRDtool-FLOSS-exception-2.0", "RSA-MD", "RSCPL",
    "rsync-linking-exception", "Ruby", "Ruby-pty", "SANE-exception", "SAX-PD", "SAX-PD-2.0", "Saxpath",
    "SCEA", "SchemeReport", "Sendmail", "Sendmail-8.23", "Sendmail-Open-Source-1.1", "SGI-B-1.0", "SGI-B-1.1",
    "SGI-B-2.0", "SGI-OpenGL", "SGMLUG-PM", "SGP4", "SHL-0.5", "SHL-0.51", "SHL-2.0", "SHL-2.1", "SimPL-2.0",
    "Simple-Library-Usage-exception", "SISSL", "SISSL-1.2", "SL", "Sleepycat", "SMAIL-GPL", "SMLNJ", "SMPPL",
    "SNIA", "snprintf", "SOFA", "softSurfer", "Soundex", "Spencer-86", "Spencer-94", "Spencer-99", "SPL-1.0",
    "sqlitestudio-OpenSSL-exception", "ssh-keyscan", "SSH-OpenSSH", "SSH-short", "SSLeay-standalone",
    "SSPL-1.0", "StandardML-NJ", "stunnel-exception", "SugarCRM-1.1.3", "SUL-1.0", "Sun-PPP", "Sun-PPP-2000",
    "SunPro", "SWI-exception", "Swift-exception", "SWL", "swrule", "Symlinks", "TAPR-OHL-1.0", "TCL",
    "TCP-wrappers", "TekHVC", "TermReadKey", "Texinfo-exception", "TGPPL-1.0", "ThirdEye", "threeparttable",
    "TMate", "TORQUE-1.1", "TOSL", "TPDL", "TPL-1.0", "TrustedQSL", "TTWL", "TTYP0", "TU-Berlin-1.0",
    "TU-Berlin-2.0", "u-boot-exception-2.0", "UBDL-exception", "Ubuntu-font-1.0", "UCAR", "UCL-1.0", "ulem",
    "UMich-Merit", "Unicode-3.0", "Unicode-DFS-2015", "Unicode-DFS-2016", "Unicode-TOU",
    "Universal-FOSS-exception-1.0", "UnixCrypt", "Unlicense", "Unlicense-libtelnet", "Unlicense-libwhirlpool",
    "UnRAR", "UPL-1.0", "URT-RLE", "Vim", "Vixie-Cron", "VOSTROM", "vsftpd-openssl-exception", "VSL-1.0",
    "W3C", "W3C-19980720", "W3C-20150513", "w3m", "Watcom-1.0", "Widget-Workshop", "WordNet", "Wsuipa",
    "WTFNMFPL", "WTFPL", "wwl", "wxWindows", "WxWindows-exception-3.1", "X11",
    "X11-distribute-modifications-variant", "X11-no-permit-persons", "X11-swapped",
    "x11vnc-openssl-exception", "Xdebug-1.03", "Xerox", "Xfig", "XFree86-1.1", "xinetd",
    "xkeyboard-config-Zinoviev", "xlock", "Xnet", "xpp", "XSkat", "xzoom", "YPL-1.0", "YPL-1.1", "Zed",
    "Zeeff", "Zend-2.0", "Zimbra-1.3", "Zimbra-1.4", "Zlib", "zlib-acknowledgement", "ZPL-1.1", "ZPL-2.0",
    "ZPL-2.1",
};

int CompareIgnoreCase(std::string_view a, std::string_view b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int x = static_cast<unsigned char>(AsciiLower(a[i])), y = static_cast<unsigned char>(AsciiLower(b[i]));
    if (x != y) return x < y ? -1 : 1;
  }
  return a.size() == b.size() ? 0 : (a.size() < b.size() ? -1 : 1);
}

}  // namespace

std::string_view CanonicalSpdxId(std::string_view id) {
  auto it = std::lower_bound(std::begin(kIds), std::end(kIds), id,
                             [](std::string_view a, std::string_view b) { return CompareIgnoreCase(a, b) < 0; });
  if (it == std::end(kIds) || CompareIgnoreCase(*it, id) != 0) return {};
  return *it;
}

bool IsSpdxException(std::string_view id) {
  std::string l(id);
  AsciiLowerInPlace(l);
  // The list mixes both kinds; exceptions are the "...exception..." and "...-note" ids, except
  // three deprecated or combined licenses named after one.
  if (l.starts_with("gpl-") || l.starts_with("cal-1.0") || l.starts_with("mpl-2.0")) return false;
  return l.find("exception") != std::string::npos || l.ends_with("-note");
}

std::vector<std::string_view> SpdxIdsWithPrefix(std::string_view prefix) {
  std::vector<std::string_view> out;
  for (std::string_view id : kIds)
    if (id.size() >= prefix.size() && CompareIgnoreCase(id.substr(0, prefix.size()), prefix) == 0) out.push_back(id);
  return out;
}

}  // namespace distill::catalog
