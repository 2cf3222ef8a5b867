// SPDX-License-Identifier: GPL-2.0-or-later
#include "output/check_http_words.h"

namespace probewise {
namespace {

// The socket layer's message, then check_http's own last words; libcurl's
// message for the same failure stays in the evidence.
std::string unable_to_connect(const ProbeResult& r, const RenderOptions& o, const char* why) {
  const bool connected_to_address = r.transport != Transport::dns;
  std::string first = connected_to_address ? "connect to address " + o.server_address + " and port " +
                                                 std::to_string(r.port) + ": " + why
                                           : why;
  return first + "\nHTTP CRITICAL - Unable to open TCP socket";
}

}  // namespace

std::optional<std::string> check_http_failure_lines(const ProbeResult& r, const Verdict& v,
                                                    const RenderOptions& o) {
  if (v.shape != Shape::transport) return std::nullopt;
  switch (r.transport) {
    case Transport::refused: return unable_to_connect(r, o, "Connection refused");
    case Transport::unreachable: return unable_to_connect(r, o, "No route to host");
    case Transport::dns: return unable_to_connect(r, o, "Name or service not known");
    case Transport::timeout:
      return std::string(state_name(v.state)) + " - Socket timeout after " +
             std::to_string(o.timeout_seconds) + " seconds";
    case Transport::tls_handshake: return std::string("CRITICAL - Cannot make SSL connection.");
    case Transport::ok:
    case Transport::tls_untrusted:  // check_http never verifies certificates
    case Transport::error: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace probewise
