// SPDX-License-Identifier: GPL-2.0-or-later
// libcurl's process-wide set-up, for the front ends, and its version.
#include <curl/curl.h>

#include "http/request.h"

namespace probewise {

bool global_init() {
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
}

void global_cleanup() {
  curl_global_cleanup();
}

std::string libcurl_version_line() {
  const curl_version_info_data* v = curl_version_info(CURLVERSION_NOW);
  std::string line = std::string("libcurl/") + v->version;
  if (v->ssl_version) line += std::string(" ") + v->ssl_version;
  if (v->libz_version) line += std::string(" zlib/") + v->libz_version;
  if (v->nghttp2_version) line += std::string(" nghttp2/") + v->nghttp2_version;
  return line;
}

}  // namespace probewise
