// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/transfer.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "base/text.h"
#include "http/proxy.h"
#include "http/tls_facts.h"
#include "http/url.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

long http_version_option(HttpVersion v) {
  switch (v) {
    case HttpVersion::any: return CURL_HTTP_VERSION_NONE;
    case HttpVersion::v1_0: return CURL_HTTP_VERSION_1_0;
    case HttpVersion::v1_1: return CURL_HTTP_VERSION_1_1;
    case HttpVersion::v2: return CURL_HTTP_VERSION_2_0;
    case HttpVersion::v2_tls: return CURL_HTTP_VERSION_2TLS;
    case HttpVersion::v3: return CURL_HTTP_VERSION_3;
  }
  return CURL_HTTP_VERSION_NONE;
}

long ip_option(IpFamily f) {
  switch (f) {
    case IpFamily::any: return CURL_IPRESOLVE_WHATEVER;
    case IpFamily::v4: return CURL_IPRESOLVE_V4;
    case IpFamily::v6: return CURL_IPRESOLVE_V6;
  }
  return CURL_IPRESOLVE_WHATEVER;
}

// Headers that stay with the origin (SPEC 1.6): all but the standard ones
// that carry no secret; a custom Host among them (libcurl, too, only sends
// it to the first host).
bool origin_only(std::string_view header) {
  return !is_public_header(header.substr(0, header.find(':')));
}

}  // namespace

Transfer::Transfer(const RequestSpec& spec, HopPlan plan, ProbeResult& r, std::vector<std::string>& cookies)
    : spec_(spec), plan_(std::move(plan)), r_(r), cookies_(cookies) {
  sink_.result = &r;
  sink_.spec = &spec;
  sink_.max_body = spec.max_body_bytes;
  sink_.verbosity = spec.verbosity;
  errbuf_[0] = '\0';
}

CURL* Transfer::start(long timeout_ms, CURL* reuse) {
  easy_.reset(reuse ? reuse : curl_easy_init());
  if (!easy_) {
    r_.transport = Transport::error;
    r_.error = "curl_easy_init failed";
    return nullptr;
  }
  // A new hop starts a new answer; earlier hops only add time.
  r_.body.clear();
  r_.body_bytes = 0;
  r_.body_truncated = false;
  https_ = starts_with(to_lower(plan_.url), "https:");
  setup(easy_.get(), timeout_ms);
  return easy_.get();
}

void Transfer::complete(CURLcode code) {
  CURL* h = easy_.get();
  collect_answer(h, code, errbuf_, spec_, https_, r_);
  if (proxy_used_) collect_proxy_outcome(h, code, proxy_https_, r_);
  redirect_url_ = redirect_location(h, r_);
  // What the origin set goes to its next hop (a new handle, when cookies are on).
  if (!redirect_url_.empty() && plan_.credentials && cookies_on(spec_)) {
    curl_slist* list = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_COOKIELIST, &list) == CURLE_OK) {
      cookies_.clear();
      for (curl_slist* item = list; item; item = item->next) cookies_.emplace_back(item->data);
      curl_slist_free_all(list);
    }
  }
}

void Transfer::run(long timeout_ms, CURL* reuse) {
  if (CURL* h = start(timeout_ms, reuse)) complete(curl_easy_perform(h));
}

CURL* Transfer::release() {
  if (!easy_ || cookies_on(spec_)) return nullptr;
  curl_easy_reset(easy_.get());
  return easy_.release();
}

void Transfer::setup(CURL* h, long timeout_ms) {
  set_basics(h, timeout_ms);
  set_method(h);
  set_headers(h);
  if (plan_.credentials) set_origin_credentials(h);
  set_proxy(h);
  if (spec_.haproxy_protocol) curl_easy_setopt(h, CURLOPT_HAPROXYPROTOCOL, 1L);
  if (spec_.decompress) curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
  if (https_) set_tls_options(h, spec_);
  if (spec_.verbosity >= 2) set_trace(h);
}

// Where to, within which time, and the callbacks that collect the answer.
void Transfer::set_basics(CURL* h, long timeout_ms) {
  const RequestSpec& s = spec_;
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf_);
  curl_easy_setopt(h, CURLOPT_URL, plan_.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink_);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink_);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, std::max(1L, timeout_ms));
  if (s.connect_timeout_ms > 0)
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(s.connect_timeout_ms, std::max(1L, timeout_ms)));
  curl_easy_setopt(h, CURLOPT_IPRESOLVE, ip_option(s.ip_family));
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, http_version_option(s.http_version));
  if (!s.user_agent.empty()) curl_easy_setopt(h, CURLOPT_USERAGENT, s.user_agent.c_str());
  if (!s.interface.empty()) {
    curl_easy_setopt(h, CURLOPT_INTERFACE, s.interface.c_str());
    trace(r_, s.verbosity, 1, "* curl CURLOPT_INTERFACE: " + s.interface);
  }
  r_.user_agent = s.user_agent;  // for the diagnosis: WAF rules often match on it
  trace(r_, s.verbosity, 1, "* curl CURLOPT_URL: " + plan_.url);
  if (!plan_.connect_to.empty()) {
    append(connect_to_, plan_.connect_to);
    curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to_.get());
    trace(r_, s.verbosity, 1, "* curl CURLOPT_CONNECT_TO: " + plan_.connect_to);
  }
}

// The method and its body; after libcurl's switch to GET (-f curl) a custom
// method stays, without its body.
void Transfer::set_method(CURL* h) {
  const RequestSpec& s = spec_;
  const std::string method = method_of(s);
  if (method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else if (sends_body(s) && !plan_.drop_body) {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, s.body.c_str());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(s.body.size()));
    if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (!s.content_type.empty()) headers_.append("Content-Type: " + s.content_type);
    headers_.append("Expect:");  // no 100-continue round trip for large bodies
  } else if (method != "GET" && !(plan_.drop_body && method == "POST")) {
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
  }
  if (s.no_body) curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
}

// The -k headers, and the credential headers (SPEC 1.6: those and every
// -k header but the public ones only to the origin).
void Transfer::set_headers(CURL* h) {
  for (const auto& header : spec_.headers)
    if (plan_.credentials || !origin_only(header)) headers_.append(header);
  if (plan_.credentials)
    for (const auto& header : spec_.credential_headers) headers_.append(header);
  if (headers_) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get());
}

// Basic credentials and cookies: the origin's alone.
void Transfer::set_origin_credentials(CURL* h) {
  const RequestSpec& s = spec_;
  if (!s.basic_auth.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(h, CURLOPT_USERPWD, s.basic_auth.c_str());
  }
  if (cookies_on(s)) {
    curl_easy_setopt(h, CURLOPT_COOKIEFILE, s.cookie_jar.c_str());
    if (!s.cookie_jar.empty()) curl_easy_setopt(h, CURLOPT_COOKIEJAR, s.cookie_jar.c_str());
    for (const auto& cookie : cookies_) curl_easy_setopt(h, CURLOPT_COOKIELIST, cookie.c_str());
  }
}

// The proxy as check_curl chooses it, so that -v can show the choice. Its
// credentials go to the proxy, on every hop that uses it.
void Transfer::set_proxy(CURL* h) {
  const RequestSpec& s = spec_;
  ProxyChoice proxy = choose_proxy(https_, s.proxy, s.noproxy, s.proxy_from_env, process_environment());
  for (const auto& note : proxy.notes) trace(r_, s.verbosity, 1, "* cURL " + note);
  curl_easy_setopt(h, CURLOPT_PROXY, proxy.proxy.c_str());  // "" disables env proxies
  if (!proxy.proxy.empty()) trace(r_, s.verbosity, 1, "* curl CURLOPT_PROXY: " + proxy.proxy);
  if (!proxy.noproxy.empty()) {
    curl_easy_setopt(h, CURLOPT_NOPROXY, proxy.noproxy.c_str());
    trace(r_, s.verbosity, 1, "* curl CURLOPT_NOPROXY: " + proxy.noproxy);
  }
  if (!s.proxy_auth.empty()) curl_easy_setopt(h, CURLOPT_PROXYUSERPWD, s.proxy_auth.c_str());
  if (!proxy.proxy.empty()) {
    proxy_https_ = starts_with(to_lower(proxy.proxy), "https:");
    proxy_used_ = proxy.noproxy.empty() || !noproxy_matches(hop_host(), proxy.noproxy);
    if (proxy_https_ && !s.proxy_ca_file.empty())
      curl_easy_setopt(h, CURLOPT_PROXY_CAINFO, s.proxy_ca_file.c_str());
  }
  if (s.verbosity >= 1)
    trace(r_, s.verbosity, 1,
          std::string("* have local name resolution: ") +
              (resolves_locally(hop_host(), proxy) ? "true" : "false"));
}

// The host this hop's connection is for (what a no-proxy list is matched against).
std::string Transfer::hop_host() const {
  auto origin = origin_of(plan_.url);
  std::string host = !plan_.connect_to.empty() || !origin ? spec_.connect_host : origin->host;
  if (host.empty() && origin) host = origin->host;
  return host;
}

// -vv and -vvv: libcurl's own lines, captured redacted.
void Transfer::set_trace(CURL* h) {
  curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
  curl_easy_setopt(h, CURLOPT_DEBUGDATA, &sink_);
  curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
}

}  // namespace probewise
