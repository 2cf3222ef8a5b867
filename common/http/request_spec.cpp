// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/request_spec.h"

namespace probewise {

std::optional<HttpVersion> parse_http_version(std::string_view text, bool tls_only_for_2) {
  if (text == "1.0") return HttpVersion::v1_0;
  if (text == "1.1") return HttpVersion::v1_1;
  if (text == "2" || text == "2.0") return tls_only_for_2 ? HttpVersion::v2_tls : HttpVersion::v2;
  if (text == "3") return HttpVersion::v3;
  return std::nullopt;
}

}  // namespace probewise
