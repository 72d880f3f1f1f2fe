// Ownership handed to process exit: a command that has written its output does not need to free
// a large structure (ten thousand index entries, every package) one node at a time: the kernel
// reclaims the memory at exit all at once. (clang's -disable-free does the same.) The pointer is
// kept in a global, so leak checkers see it as reachable, not leaked.
#pragma once

#include <utility>

namespace distill {

namespace detail {
void KeepPointer(const void* pointer);
}

template <class T>
void KeepUntilExit(T&& value) {
  detail::KeepPointer(new std::decay_t<T>(std::forward<T>(value)));
}

// Ends the process once every output is written: flushes stdout and stderr, then exits without
// the exit handlers (static destructors, and the libraries' own: libcurl's OpenSSL and GnuTLS
// tear down every table they built, which nothing needs at exit). Outputs are files already in
// place (AtomicFile) and the streams are flushed, so nothing is lost. Sanitizer builds exit
// normally, so the leak checker still runs.
[[noreturn]] void ExitWithoutCleanup(int code);

}  // namespace distill
