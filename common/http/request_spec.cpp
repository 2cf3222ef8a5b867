// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/request_spec.h"

#include <utility>

#include "base/text.h"

namespace probewise {

std::optional<HttpVersion> parse_http_version(std::string_view text, bool tls_only_for_2) {
  if (text == "1.0") return HttpVersion::v1_0;
  if (text == "1.1") return HttpVersion::v1_1;
  if (text == "2" || text == "2.0") return tls_only_for_2 ? HttpVersion::v2_tls : HttpVersion::v2;
  if (text == "3") return HttpVersion::v3;
  return std::nullopt;
}

std::string line_break_problem(const RequestSpec& spec) {
  const std::pair<const char*, const std::string*> single[] = {
      {"the URL", &spec.url},
      {"the method", &spec.method},
      {"the User-Agent", &spec.user_agent},
      {"the Content-Type", &spec.content_type},
      {"the Basic credentials", &spec.basic_auth},
      {"the proxy credentials", &spec.proxy_auth},
      {"the proxy", &spec.proxy},
      {"the address to connect to", &spec.connect_host},
  };
  for (const auto& [what, value] : single)
    if (breaks_line(*value)) return std::string(what) + " contains a line break (CR or LF) or NUL";
  for (const auto* list : {&spec.headers, &spec.credential_headers})
    for (const auto& header : *list)
      if (breaks_line(header)) return "a header contains a line break (CR or LF) or NUL";
  return "";
}

bool may_use_tls(const RequestSpec& spec, const EnvLookup& env) {
  if (!starts_with(to_lower(spec.url), "http://")) return true;
  if (spec.redirects != RedirectMode::none) return true;
  std::string proxy = choose_proxy(false, spec.proxy, spec.noproxy, spec.proxy_from_env, env).proxy;
  return starts_with(to_lower(proxy), "https:");
}

}  // namespace probewise
