# Sourced by build.sh and test.sh: compile through ccache when it is installed (install-deps.sh
# installs it), keyed on paths relative to the checkout, so a fresh clone in another directory
# reuses the objects of an earlier build of the same sources. DISTILL_NO_CCACHE=1 turns it off.
if [[ -z ${DISTILL_NO_CCACHE:-} ]] && command -v ccache >/dev/null; then
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
  export CCACHE_BASEDIR=$PWD CCACHE_NOHASHDIR=1
  export CCACHE_DIR=${CCACHE_DIR:-/var/cache/distill/ccache} CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-20G}
fi
