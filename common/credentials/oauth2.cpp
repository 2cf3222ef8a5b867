// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/oauth2.h"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "base/text.h"

namespace probewise {
namespace {

using json = nlohmann::json;

// application/x-www-form-urlencoded (RFC 6749 appendix B).
std::string form_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace

RequestSpec token_request(const OAuth2Config& config, const std::string& client_secret,
                          const RequestSpec& base) {
  // The check's TLS, proxy, address family and timeouts; its own request.
  RequestSpec s = base;
  s.url = config.token_url;
  s.connect_host.clear();
  s.connect_port = 0;
  s.method = "POST";
  s.has_body = true;
  s.body = "grant_type=client_credentials";
  if (!config.scope.empty()) s.body += "&scope=" + form_encode(config.scope);
  s.content_type = "application/x-www-form-urlencoded";
  s.headers = {"Accept: application/json"};
  s.credential_headers.clear();  // the check's credentials are not the token endpoint's
  // client_secret_basic (RFC 6749 2.3.1): both parts form-encoded first.
  s.basic_auth = form_encode(config.client_id) + ":" + form_encode(client_secret);
  s.no_body = false;
  s.redirects = RedirectMode::none;
  s.cookie_jar.clear();
  s.cookie_engine = false;
  s.want_certificate = false;
  s.max_body_bytes = 64 * 1024;
  return s;
}

Expected<OAuthToken> read_token_response(const ProbeResult& a, std::time_t now, OAuthFailure& f) {
  const std::string where = "token endpoint " + a.url;
  if (a.transport != Transport::ok) {
    f = {"auth.service_unavailable",
         "the OAuth token endpoint is unreachable: " + a.error,
         {where + ": libcurl error " + std::to_string(a.curl_code) + ": " + a.error}};
    return Error{f.detail};
  }
  f.evidence.push_back(where + " answered " + a.status_line);
  if (a.status >= 500) {
    f.reason = "auth.service_unavailable";
    f.detail = "the OAuth token endpoint is failing (" + a.status_line + ")";
    return Error{f.detail};
  }
  json j = json::parse(a.body, nullptr, false);
  if (a.status >= 400) {
    std::string code =
        j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "";
    std::string description =
        j.is_object() && j.contains("error_description") && j["error_description"].is_string()
            ? j["error_description"].get<std::string>()
            : "";
    if (!code.empty())
      f.evidence.push_back(
          "error=\"" + code + "\"" +
          (description.empty() ? "" : ", error_description=\"" + description.substr(0, 200) + "\""));
    if (code == "invalid_scope") {
      f.reason = "forbidden.permission";
      f.detail = "the token endpoint refused the scope (invalid_scope)";
    } else if (code == "temporarily_unavailable" || code == "server_error") {
      f.reason = "auth.service_unavailable";
      f.detail = "the OAuth token endpoint reports " + code;
    } else {
      f.reason = "auth.invalid_credentials";
      f.detail = "the token endpoint rejected the client credentials" +
                 (code.empty() ? std::string() : " (" + code + ")");
    }
    return Error{f.detail};
  }
  if (!j.is_object() || !j.contains("access_token") || !j["access_token"].is_string() ||
      j["access_token"].get<std::string>().empty()) {
    f.reason = "auth.service_unavailable";
    f.detail = "the OAuth token endpoint answered " + std::to_string(a.status) + " without an access_token";
    return Error{f.detail};
  }
  OAuthToken t;
  t.access_token = j["access_token"].get<std::string>();
  if (breaks_line(t.access_token)) {
    // It would end the Authorization header and start another (SPEC 1.6).
    f.reason = "auth.service_unavailable";
    f.detail =
        "the OAuth token endpoint answered an access_token with a line break (CR or LF) or NUL in it: "
        "refused, no request carries it";
    return Error{f.detail};
  }
  t.token_type =
      j.contains("token_type") && j["token_type"].is_string() ? j["token_type"].get<std::string>() : "Bearer";
  t.obtained_at = now;
  if (j.contains("expires_in")) {
    const json& e = j["expires_in"];
    long long seconds = e.is_number()   ? e.get<long long>()
                        : e.is_string() ? std::atoll(e.get<std::string>().c_str())
                                        : 0;
    if (seconds > 0) t.expires_at = now + seconds;
  }
  return t;
}

bool token_usable(const OAuthToken& t, std::time_t now) {
  if (t.access_token.empty()) return false;
  if (t.expires_at == 0) return now - t.obtained_at < 300;  // no lifetime given: keep it briefly
  long long lifetime = t.expires_at - t.obtained_at;
  long long margin = std::max(60LL, lifetime / 10);
  return now + margin < t.expires_at;
}

std::string serialize_token(const OAuthToken& t) {
  return json{{"access_token", t.access_token},
              {"token_type", t.token_type},
              {"obtained_at", t.obtained_at},
              {"expires_at", t.expires_at}}
      .dump();
}

std::optional<OAuthToken> parse_token_cache(const std::string& text) {
  // Anything but what serialize_token() writes is a miss: a fresh token is
  // fetched (never an exception from a member of the wrong type).
  json j = json::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  auto member = [&j](const char* name) -> const json* {
    auto it = j.find(name);
    return it == j.end() ? nullptr : &*it;
  };
  const json* token = member("access_token");
  const json* type = member("token_type");
  const json* obtained = member("obtained_at");
  const json* expires = member("expires_at");
  if (!token || !token->is_string() || (type && !type->is_string()) || !obtained ||
      !obtained->is_number_integer() || !expires || !expires->is_number_integer())
    return std::nullopt;
  OAuthToken t;
  t.access_token = token->get<std::string>();
  t.token_type = type ? type->get<std::string>() : "Bearer";
  t.obtained_at = static_cast<std::time_t>(obtained->get<long long>());
  t.expires_at = static_cast<std::time_t>(expires->get<long long>());
  if (t.access_token.empty() || breaks_line(t.access_token) || t.obtained_at < 0 || t.expires_at < 0)
    return std::nullopt;
  return t;
}

}  // namespace probewise
