// SPDX-License-Identifier: GPL-2.0-or-later
#include "judge/reason.h"

namespace probewise {

const std::vector<ReasonInfo>& reason_table() {
  static const std::vector<ReasonInfo> table{
      {"ok", "ok", {}},
      {"auth.missing_credentials",
       "missing credentials",
       {"The request carried no credentials: give the check its token or password (--bearer-token-file, "
        "--basic-auth-file, --header-file, or the --oauth2-* options).",
        "Check that the credentials file or variable is readable by the monitoring user."}},
      {"auth.expired_credentials",
       "expired credentials",
       {"Renew the monitor's token or password, and automate its rotation."}},
      {"auth.invalid_credentials",
       "invalid credentials",
       {"The credentials were sent and rejected: check whether they were revoked or rotated.",
        "Check the audience, realm and signing key the server expects.",
        "Check whether the authentication service itself is healthy."}},
      {"auth.malformed_credentials",
       "malformed credentials",
       {"Check the Authorization header format: scheme, single space, token, no line breaks."}},
      {"auth.service_unavailable",
       "authentication service unavailable",
       {"The service that issues or checks credentials is failing: check its health first."}},
      {"auth.proxy_required",
       "proxy authentication required",
       {"A proxy between the monitor and the target wants credentials: set -b/--proxy-authorization."}},
      {"auth.not_enforced",
       "authentication not enforced",
       {"The endpoint answered without credentials: check its authentication configuration."}},
      {"forbidden.permission",
       "permission denied",
       {"The monitor is authenticated but not allowed: check its role, scopes and policies."}},
      {"forbidden.waf",
       "blocked by a WAF rule",
       {"Check whether a WAF or bot rule matches the monitor's User-Agent or request pattern.",
        "Allowlist the monitor's source address or User-Agent in the WAF."}},
      {"forbidden.geo",
       "blocked by geo restriction",
       {"The probe's country or region is blocked: allow it or probe from an allowed region."}},
      {"forbidden.ip",
       "source address not allowed",
       {"Add the probe's source address to the endpoint's IP allowlist."}},
      {"forbidden.unspecified",
       "forbidden",
       // The same words as the first hints of forbidden.ip and forbidden.waf:
       // a guess lists those causes, and each hint appears once.
       {"Add the probe's source address to the endpoint's IP allowlist.",
        "Check whether a WAF or bot rule matches the monitor's User-Agent or request pattern."}},
      {"throttled",
       "rate limited",
       {"The monitor is being rate-limited: probe less often or raise its quota."}},
      {"health.degraded", "health degraded", {"Check the components the health document names."}},
      {"health.failing", "health failing", {"Check the components the health document names."}},
      {"http.client_error",
       "client error",
       {"The server rejected the request: check the URL, method and headers the check sends."}},
      {"http.server_error",
       "server error",
       {"The server failed to answer the request: check the application and its logs."}},
      {"http.redirect",
       "redirect",
       {"The endpoint redirects: check the URL, or follow redirects with -f follow."}},
      {"http.unexpected_status",
       "unexpected status",
       {"The status is not among the expected ones: check the endpoint or the expectation."}},
      {"content.mismatch",
       "content mismatch",
       {"The answer arrived but its content is not what was expected: check the page."}},
      {"net.dns",
       "name resolution failed",
       {"Check that the host name is right and resolves from the monitoring host."}},
      {"net.refused",
       "connection refused",
       {"Nothing listens on that address and port: check that the service is running.",
        "Check the port number and any firewall that rejects connections."}},
      {"net.timeout",
       "timed out",
       {"The server did not answer in time: check its load, or a firewall that drops packets.",
        "Raise -t only if slow answers are acceptable."}},
      {"net.unreachable", "network unreachable", {"Check routing from the monitoring host to the target."}},
      {"net.error",
       "network error",
       {"The connection failed before a complete HTTP answer arrived: check the server and the network "
        "path."}},
      {"tls.handshake",
       "TLS handshake failed",
       {"Check the TLS versions and ciphers both sides allow, and the client certificate if one is needed."}},
      {"tls.untrusted",
       "certificate not trusted",
       {"Check the certificate chain the server sends, and the CA given with --ca-cert.",
        "Check that the certificate's names cover the host name checked."}},
      {"tls.expiring", "certificate expiring", {"Renew the server certificate."}},
      {"tls.expired", "certificate expired", {"Renew the server certificate now."}},
      {"token.expiring", "token expiring", {"Renew the monitor's own token before it expires."}},
      {"slow",
       "slow response",
       {"The response time crossed the threshold: check the server's load and dependencies."}},
  };
  return table;
}

const ReasonInfo* find_reason(std::string_view code) {
  for (const auto& r : reason_table())
    if (r.code == code) return &r;
  return nullptr;
}

std::string reason_words(std::string_view code, Basis basis) {
  const ReasonInfo* info = find_reason(code);
  std::string label(info ? info->label : code);
  // Only the causes of a denial are guessed at; "server error" is a fact.
  const bool cause =
      code.substr(0, 5) == "auth." || code.substr(0, 10) == "forbidden." || code == "throttled";
  if (!is_guess(basis) || !cause) return label;
  // forbidden.unspecified is the absence of a cause, not a candidate for one.
  return code == "forbidden.unspecified" ? label + ", cause unknown" : "likely " + label;
}

std::string_view basis_words(Basis basis) {
  switch (basis) {
    case Basis::explicit_: return "the server named the cause";
    case Basis::wording: return "the words of the answer";
    case Basis::local: return "what the check knows itself";
    case Basis::presence: return "only markers of who is in the path: a likely cause, not a finding";
    case Basis::status: return "the status code alone: a likely cause, not a finding";
    case Basis::comparison:
      return "what several vantages saw: one was refused or failed where another was answered";
  }
  return "";
}

}  // namespace probewise
