// GNU libmicrohttpd (Debian libmicrohttpd12), loaded with dlopen on first use like libcurl
// (util/libcurl.h): only `distill serve` answers HTTP, so no other command maps the library and
// its dependencies at start-up. The types and constants are the library's own header's.
#pragma once

#include <microhttpd.h>

#include "util/result.h"

namespace distill {

struct MicrohttpdApi {
  decltype(&MHD_start_daemon) start_daemon;
  decltype(&MHD_stop_daemon) stop_daemon;
  decltype(&MHD_get_daemon_info) get_daemon_info;
  decltype(&MHD_lookup_connection_value) lookup_connection_value;
  decltype(&MHD_create_response_from_buffer) create_response_from_buffer;
  decltype(&MHD_add_response_header) add_response_header;
  decltype(&MHD_queue_response) queue_response;
  decltype(&MHD_destroy_response) destroy_response;
};

// The loaded API, or why it cannot be loaded (naming the Debian package).
Result<const MicrohttpdApi*> LoadMicrohttpd();

}  // namespace distill
