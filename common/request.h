// perform(): make the request a RequestSpec describes and record what
// happened. The only part of probewise that talks to libcurl; the front end
// calls curl_global_init() once before the first perform().
#pragma once

#include "probe_result.h"
#include "request_spec.h"

namespace probewise {

// curl_global_init(), for the front end to call once at start-up.
bool global_init();

// True for an absolute http:// or https:// URL that libcurl can parse.
bool valid_url(const std::string& url);

// Never throws for anything the network or the server does: a failure is a
// ProbeResult with transport != ok.
ProbeResult perform(const RequestSpec& spec);

// "libcurl/7.88.1 OpenSSL/3.0.15 zlib/1.2.13 ..." from curl_version_info(),
// which, unlike curl_version(), does not initialise LDAP and SASL.
std::string libcurl_version_line();

}  // namespace probewise
