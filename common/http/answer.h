// SPDX-License-Identifier: GPL-2.0-or-later
// Collecting the answer of one transfer into a ProbeResult: libcurl's write,
// header and debug callbacks while it runs, then the status line, headers,
// addresses, timings and certificate once it is done.
#pragma once

#include <curl/curl.h>

#include <cstddef>
#include <string>

#include "http/probe_result.h"
#include "http/request_spec.h"

namespace probewise {

// Everything the callbacks write into. Lives inside its Transfer and never
// moves while libcurl points at it.
struct Sink {
  ProbeResult* result = nullptr;
  const RequestSpec* spec = nullptr;  // its credential headers are redacted by name in the trace
  std::size_t max_body = 0;
  int verbosity = 0;
};

// CURLOPT_WRITEFUNCTION / HEADERFUNCTION / DEBUGFUNCTION with a Sink*. They
// never throw; the body is capped (every byte still counted), the -v trace
// redacted as it is captured.
size_t on_body(char* data, size_t size, size_t count, void* user) noexcept;
size_t on_header(char* data, size_t size, size_t count, void* user) noexcept;
int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) noexcept;

// After the transfer: what went wrong (if anything) and the answer's facts.
// Timings are added to those of the hops before.
void collect_answer(CURL* h, CURLcode code, const char* error_buffer, const RequestSpec& spec, bool https,
                    ProbeResult& r);

// With a proxy in the way (`https_proxy`: reached over TLS): whether the
// proxy itself failed (ProbeResult::egress_failed), and a SOCKS proxy's
// report that the target refused or could not be reached as that transport
// failure. After collect_answer().
void collect_proxy_outcome(CURL* h, CURLcode code, bool https_proxy, ProbeResult& r);

// The absolute URL a 3xx answer's Location leads to, as libcurl resolves it
// ("" when the answer is no redirect).
std::string redirect_location(CURL* h, const ProbeResult& r);

// A -v line into the result, redacted (SPEC 1.6), when the verbosity asks for it.
void trace(ProbeResult& r, int verbosity, int level, const std::string& line);

}  // namespace probewise
