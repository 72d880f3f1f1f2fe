#include "util/libmicrohttpd.h"

#include <mutex>

#include "util/dl.h"

namespace distill {

Result<const MicrohttpdApi*> LoadMicrohttpd() {
  static MicrohttpdApi api;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    const DlSymbol syms[] = {
        {"MHD_start_daemon", reinterpret_cast<void**>(&api.start_daemon)},
        {"MHD_stop_daemon", reinterpret_cast<void**>(&api.stop_daemon)},
        {"MHD_get_daemon_info", reinterpret_cast<void**>(&api.get_daemon_info)},
        {"MHD_lookup_connection_value", reinterpret_cast<void**>(&api.lookup_connection_value)},
        {"MHD_create_response_from_buffer",
         reinterpret_cast<void**>(&api.create_response_from_buffer)},
        {"MHD_add_response_header", reinterpret_cast<void**>(&api.add_response_header)},
        {"MHD_queue_response", reinterpret_cast<void**>(&api.queue_response)},
        {"MHD_destroy_response", reinterpret_cast<void**>(&api.destroy_response)},
    };
    error = LoadLibrarySymbols("libmicrohttpd.so.12", "libmicrohttpd12", syms);
  });
  if (!error.empty()) return InternalErrorf("{}", error);
  return &api;
}

}  // namespace distill
