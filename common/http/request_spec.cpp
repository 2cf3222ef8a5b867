// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/request_spec.h"

#include "base/text.h"

namespace probewise {

std::optional<HttpVersion> parse_http_version(std::string_view text, bool tls_only_for_2) {
  if (text == "1.0") return HttpVersion::v1_0;
  if (text == "1.1") return HttpVersion::v1_1;
  if (text == "2" || text == "2.0") return tls_only_for_2 ? HttpVersion::v2_tls : HttpVersion::v2;
  if (text == "3") return HttpVersion::v3;
  return std::nullopt;
}

bool may_use_tls(const RequestSpec& spec, const EnvLookup& env) {
  if (!starts_with(to_lower(spec.url), "http://")) return true;
  if (spec.redirects != RedirectMode::none) return true;
  std::string proxy = choose_proxy(false, spec.proxy, spec.noproxy, spec.proxy_from_env, env).proxy;
  return starts_with(to_lower(proxy), "https:");
}

}  // namespace probewise
