// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/request.h"

#include <curl/curl.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <memory>
#include <set>
#include <string_view>

#include "base/text.h"
#include "http/proxy.h"
#include "output/redact.h"

namespace probewise {
namespace {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;
using Url = std::unique_ptr<CURLU, UrlDeleter>;

void append(Slist& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown) {
    (void)list.release();
    list.reset(grown);
  }
}

constexpr std::size_t kMaxHeaderBlock = 256 * 1024;

// Everything the callbacks write into. Lives on perform()'s stack and never
// moves while libcurl points at it.
struct Sink {
  ProbeResult* result = nullptr;
  std::size_t max_body = 0;
  int verbosity = 0;
};

size_t on_body(char* data, size_t size, size_t count, void* user) noexcept {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  ProbeResult& r = *sink->result;
  r.body_bytes += n;
  if (r.body.size() < sink->max_body) {
    size_t keep = std::min(n, sink->max_body - r.body.size());
    try {
      r.body.append(data, keep);
    } catch (...) {
      return 0;  // out of memory: stop the transfer
    }
    if (keep < n) r.body_truncated = true;
  } else if (n > 0) {
    r.body_truncated = true;
  }
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) noexcept {
  auto* sink = static_cast<Sink*>(user);
  size_t n = size * count;
  ProbeResult& r = *sink->result;
  std::string_view line(data, n);
  try {
    if (starts_with(line, "HTTP/")) {  // a new answer (1xx, or a hop libcurl follows)
      r.header_block.clear();
      r.header_bytes = 0;
    }
    r.header_bytes += n;
    if (r.header_block.size() + n <= kMaxHeaderBlock) r.header_block.append(line);
  } catch (...) {
    return 0;
  }
  return n;
}

int on_debug(CURL*, curl_infotype type, char* data, size_t size, void* user) noexcept {
  auto* sink = static_cast<Sink*>(user);
  try {
    std::string_view text(data, size);
    // The request line carries the URL's query ("GET /x?token=... HTTP/1.1"),
    // libcurl's own lines whatever URL it talks about.
    if (type == CURLINFO_HEADER_OUT) {
      for (auto line : split(text, '\n'))
        sink->result->trace.push_back("> " + redact_text(redact_header_line(trim(line))));
    } else if (type == CURLINFO_TEXT && sink->verbosity >= 3) {
      sink->result->trace.push_back("* " + redact_text(trim(text)));
    }
  } catch (...) {
  }
  return 0;
}

Transport transport_of(CURLcode code, long os_errno) {
  switch (code) {
    case CURLE_OK: return Transport::ok;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return Transport::dns;
    case CURLE_OPERATION_TIMEDOUT: return Transport::timeout;
    case CURLE_COULDNT_CONNECT:
      if (os_errno == ENETUNREACH || os_errno == EHOSTUNREACH) return Transport::unreachable;
      if (os_errno == ETIMEDOUT) return Transport::timeout;
      return Transport::refused;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED: return Transport::tls_handshake;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return Transport::tls_untrusted;
    default: return Transport::error;
  }
}

// -S1.2 pins the version (min and max); -S1.2+ sets the minimum only.
struct TlsBounds {
  TlsVersion version;
  long min, max;
};
constexpr TlsBounds kTlsBounds[] = {
    {TlsVersion::v1_0, CURL_SSLVERSION_TLSv1_0, CURL_SSLVERSION_MAX_TLSv1_0},
    {TlsVersion::v1_1, CURL_SSLVERSION_TLSv1_1, CURL_SSLVERSION_MAX_TLSv1_1},
    {TlsVersion::v1_2, CURL_SSLVERSION_TLSv1_2, CURL_SSLVERSION_MAX_TLSv1_2},
    {TlsVersion::v1_3, CURL_SSLVERSION_TLSv1_3, CURL_SSLVERSION_MAX_TLSv1_3},
};

long tls_option(const RequestSpec& spec) {
  for (const auto& b : kTlsBounds)
    if (b.version == spec.tls_min) return spec.tls_exact ? (b.min | b.max) : b.min;
  return CURL_SSLVERSION_DEFAULT;
}

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

std::string version_name(long v) {
  switch (v) {
    case CURL_HTTP_VERSION_1_0: return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1: return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0: return "HTTP/2";
    case CURL_HTTP_VERSION_3: return "HTTP/3";
    default: return "";
  }
}

// The URL's parts that redirects and CONNECT_TO need.
struct UrlParts {
  std::string scheme, host;
  int port = 0;
};

std::optional<UrlParts> url_parts(const std::string& text) {
  Url u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, text.c_str(), 0) != CURLUE_OK) return std::nullopt;
  UrlParts p;
  char* part = nullptr;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &part, 0) == CURLUE_OK) {
    p.scheme = part;
    curl_free(part);
  }
  if (curl_url_get(u.get(), CURLUPART_HOST, &part, 0) == CURLUE_OK) {
    p.host = part;
    curl_free(part);
  }
  if (curl_url_get(u.get(), CURLUPART_PORT, &part, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    p.port = std::atoi(part);
    curl_free(part);
  }
  return p;
}

std::string bracketed(const std::string& host) {
  return host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host;
}

std::time_t parse_cert_date(const std::string& text) {
  // OpenSSL prints "Nov 28 21:02:11 2030 GMT"
  struct tm tm {};
  if (!strptime(text.c_str(), "%b %d %H:%M:%S %Y", &tm)) return 0;
  return timegm(&tm);
}

std::string common_name(const std::string& subject) {
  for (std::string_view key : {"CN = ", "CN="}) {
    auto pos = subject.find(key);
    while (pos != std::string::npos && pos > 0 && subject[pos - 1] != ' ' && subject[pos - 1] != ',' &&
           subject[pos - 1] != '/')
      pos = subject.find(key, pos + 1);
    if (pos == std::string::npos) continue;
    auto start = pos + key.size();
    auto end = subject.find_first_of(",/", start);
    return std::string(trim(std::string_view(subject).substr(start, end - start)));
  }
  return "";
}

std::optional<Certificate> read_certificate(CURL* h) {
  struct curl_certinfo* info = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_CERTINFO, &info) != CURLE_OK || !info || info->num_of_certs < 1)
    return std::nullopt;
  Certificate c;
  for (curl_slist* item = info->certinfo[0]; item; item = item->next) {
    std::string_view line(item->data);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string_view key = line.substr(0, colon);
    std::string value(trim(line.substr(colon + 1)));
    if (key == "Subject")
      c.subject = value;
    else if (key == "Issuer")
      c.issuer = value;
    else if (key == "Start date")
      c.not_before = parse_cert_date(value);
    else if (key == "Expire date")
      c.not_after = parse_cert_date(value);
  }
  c.common_name = common_name(c.subject);
  return c;
}

std::int64_t info_us(CURL* h, CURLINFO what) {
  curl_off_t v = 0;
  curl_easy_getinfo(h, what, &v);
  return static_cast<std::int64_t>(v);
}

// libcurl's timers are cumulative from the start of the transfer; phases are
// the guarded differences between them.
Timings read_timings(CURL* h) {
  auto dns = info_us(h, CURLINFO_NAMELOOKUP_TIME_T);
  auto connect = std::max(dns, info_us(h, CURLINFO_CONNECT_TIME_T));
  auto app = info_us(h, CURLINFO_APPCONNECT_TIME_T);
  auto secured = app > 0 ? std::max(connect, app) : connect;
  auto pre = std::max(secured, info_us(h, CURLINFO_PRETRANSFER_TIME_T));
  auto first = std::max(pre, info_us(h, CURLINFO_STARTTRANSFER_TIME_T));
  auto total = std::max(first, info_us(h, CURLINFO_TOTAL_TIME_T));
  Timings t;
  t.dns_us = dns;
  t.connect_us = connect - dns;
  t.tls_us = secured - connect;
  t.headers_us = pre - secured;
  t.ttfb_us = first - pre;
  t.transfer_us = total - first;
  t.total_us = total;
  return t;
}

using Clock = std::chrono::steady_clock;

// A cookie engine keeps what a server set, in the easy handle.
bool cookies_on(const RequestSpec& s) {
  return s.cookie_engine || !s.cookie_jar.empty();
}

// One request/response exchange (libcurl may follow redirects itself in
// RedirectMode::curl). Fills `r` with this hop's answer.
class Hop {
 public:
  Hop(const RequestSpec& spec, ProbeResult& r) : spec_(spec), r_(r) {
    sink_.result = &r;
    sink_.max_body = spec.max_body_bytes;
    sink_.verbosity = spec.verbosity;
    errbuf_[0] = '\0';
  }

  // Prepares the transfer; nullptr when libcurl could not make a handle (the
  // result then says so).
  // `reuse`: an idle handle from an earlier transfer (curl_easy_reset
  // already), or nullptr for a new one.
  CURL* start(const std::string& url, const std::string& connect_to, long timeout_ms, CURL* reuse = nullptr) {
    easy_.reset(reuse ? reuse : curl_easy_init());
    if (!easy_) {
      r_.transport = Transport::error;
      r_.error = "curl_easy_init failed";
      return nullptr;
    }
    https_ = starts_with(to_lower(url), "https:");
    setup(easy_.get(), url, connect_to, timeout_ms, https_);
    return easy_.get();
  }

  // Records the outcome once libcurl is done with the transfer.
  void complete(CURLcode code) {
    CURL* h = easy_.get();
    long os_errno = 0;
    curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
    r_.curl_code = static_cast<int>(code);
    r_.transport = transport_of(code, os_errno);
    // check_curl reports libcurl's own redirect limit as a failed transfer.
    if (code == CURLE_TOO_MANY_REDIRECTS) r_.redirect_problem = RedirectProblem::too_many;
    if (code != CURLE_OK) r_.error = errbuf_[0] ? errbuf_ : curl_easy_strerror(code);
    collect(h, https_);
  }

  void run(const std::string& url, const std::string& connect_to, long timeout_ms) {
    if (CURL* h = start(url, connect_to, timeout_ms)) complete(curl_easy_perform(h));
  }

  CURL* handle() const { return easy_.get(); }

  // Takes the handle back for another transfer, its options cleared (they
  // point into this Hop); nullptr when it must not serve another endpoint:
  // a cookie engine keeps what one server set.
  CURL* release() {
    if (!easy_ || cookies_on(spec_)) return nullptr;
    curl_easy_reset(easy_.get());
    return easy_.release();
  }

 private:
  void setup(CURL* h, const std::string& url, const std::string& connect_to, long timeout_ms, bool https) {
    const RequestSpec& s = spec_;
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf_);
    curl_easy_setopt(h, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &sink_);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &sink_);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, std::max(1L, timeout_ms));
    if (s.connect_timeout_ms > 0)
      curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                       std::min(s.connect_timeout_ms, std::max(1L, timeout_ms)));
    curl_easy_setopt(h, CURLOPT_IPRESOLVE, ip_option(s.ip_family));
    curl_easy_setopt(h, CURLOPT_HTTP_VERSION, http_version_option(s.http_version));
    if (!s.user_agent.empty()) curl_easy_setopt(h, CURLOPT_USERAGENT, s.user_agent.c_str());
    trace(1, "* curl CURLOPT_URL: " + url);

    if (!connect_to.empty()) {
      append(connect_to_, connect_to);
      curl_easy_setopt(h, CURLOPT_CONNECT_TO, connect_to_.get());
      trace(1, "* curl CURLOPT_CONNECT_TO: " + connect_to);
    }

    // Method and body.
    const std::string method = s.method.empty() ? (s.has_body ? "POST" : "GET") : s.method;
    if (method == "HEAD") {
      curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (s.has_body || method == "POST" || method == "PUT") {
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, s.body.c_str());
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(s.body.size()));
      if (method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
      if (!s.content_type.empty()) append(headers_, "Content-Type: " + s.content_type);
      append(headers_, "Expect:");  // no 100-continue round trip for large bodies
    } else if (method != "GET") {
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    if (s.no_body) curl_easy_setopt(h, CURLOPT_NOBODY, 1L);

    for (const auto& header : s.headers) append(headers_, header);
    if (headers_) curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers_.get());

    if (!s.basic_auth.empty()) {
      curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
      curl_easy_setopt(h, CURLOPT_USERPWD, s.basic_auth.c_str());
    }

    // Proxy, as check_curl chooses it, so that -v can show the choice.
    ProxyChoice proxy = choose_proxy(https, s.proxy, s.noproxy, s.proxy_from_env, process_environment());
    for (const auto& note : proxy.notes) trace(1, "* cURL " + note);
    curl_easy_setopt(h, CURLOPT_PROXY, proxy.proxy.c_str());  // "" disables env proxies
    if (!proxy.proxy.empty()) trace(1, "* curl CURLOPT_PROXY: " + proxy.proxy);
    if (!proxy.noproxy.empty()) {
      curl_easy_setopt(h, CURLOPT_NOPROXY, proxy.noproxy.c_str());
      trace(1, "* curl CURLOPT_NOPROXY: " + proxy.noproxy);
    }
    if (!s.proxy_auth.empty()) curl_easy_setopt(h, CURLOPT_PROXYUSERPWD, s.proxy_auth.c_str());
    if (spec_.verbosity >= 1) {
      auto parts = url_parts(url);
      std::string host = !connect_to.empty() || !parts ? s.connect_host : parts->host;
      trace(1, std::string("* have local name resolution: ") +
                   (resolves_locally(host.empty() && parts ? parts->host : host, proxy) ? "true" : "false"));
    }
    if (s.haproxy_protocol) curl_easy_setopt(h, CURLOPT_HAPROXYPROTOCOL, 1L);
    if (cookies_on(s)) {
      curl_easy_setopt(h, CURLOPT_COOKIEFILE, s.cookie_jar.c_str());
      if (!s.cookie_jar.empty()) curl_easy_setopt(h, CURLOPT_COOKIEJAR, s.cookie_jar.c_str());
    }
    if (s.decompress) curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");

    if (s.redirects == RedirectMode::curl) {
      curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
      curl_easy_setopt(h, CURLOPT_MAXREDIRS, static_cast<long>(s.max_redirects));
      curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    }

    if (https) {
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, s.verify_peer ? 1L : 0L);
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, s.verify_host ? 2L : 0L);
      curl_easy_setopt(h, CURLOPT_SSLVERSION, tls_option(s));
      // Loading the whole CA bundle costs far more than the check itself:
      // skip it when nothing is verified, and prefer the hashed directory.
      if (!s.verify_peer) {
        curl_easy_setopt(h, CURLOPT_CAINFO, nullptr);
        curl_easy_setopt(h, CURLOPT_CAPATH, nullptr);
      } else if (!s.ca_file.empty() || !s.ca_path.empty()) {
        curl_easy_setopt(h, CURLOPT_CAINFO, s.ca_file.empty() ? nullptr : s.ca_file.c_str());
        curl_easy_setopt(h, CURLOPT_CAPATH, s.ca_path.empty() ? nullptr : s.ca_path.c_str());
      } else {
        curl_easy_setopt(h, CURLOPT_CAINFO, nullptr);
        curl_easy_setopt(h, CURLOPT_CAPATH, "/etc/ssl/certs");
      }
      if (!s.client_cert.empty()) curl_easy_setopt(h, CURLOPT_SSLCERT, s.client_cert.c_str());
      if (!s.client_key.empty()) curl_easy_setopt(h, CURLOPT_SSLKEY, s.client_key.c_str());
      if (s.want_certificate) curl_easy_setopt(h, CURLOPT_CERTINFO, 1L);
    }
    if (s.verbosity >= 2) {
      curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
      curl_easy_setopt(h, CURLOPT_DEBUGDATA, &sink_);
      curl_easy_setopt(h, CURLOPT_VERBOSE, 1L);
    }
  }

  void collect(CURL* h, bool https) {
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    r_.status = static_cast<int>(status);
    if (r_.status > 0) {
      std::string_view block(r_.header_block);
      std::string_view first = block.substr(0, block.find('\n'));
      first = trim(first);
      r_.status_line = std::string(first);
      auto sp1 = first.find(' ');
      r_.http_version = std::string(first.substr(0, sp1));
      if (sp1 != std::string_view::npos) {
        auto rest = first.substr(sp1 + 1);
        auto sp2 = rest.find(' ');
        r_.reason_phrase = sp2 == std::string_view::npos ? "" : std::string(trim(rest.substr(sp2 + 1)));
      }
      long v = 0;
      curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &v);
      if (auto name = version_name(v); !name.empty()) r_.http_version = name;
      r_.headers = parse_header_block(r_.header_block);
    }
    char* text = nullptr;
    if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &text) == CURLE_OK && text) r_.effective_url = text;
    long n = 0;
    curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &n);
    r_.new_connections += n;
    if (curl_easy_getinfo(h, CURLINFO_LOCAL_IP, &text) == CURLE_OK && text) r_.local_ip = text;
    curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &n);
    r_.local_port = static_cast<int>(n);
    if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &text) == CURLE_OK && text) r_.peer_ip = text;
    curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &n);
    r_.peer_port = static_cast<int>(n);
    if (spec_.redirects == RedirectMode::curl) {
      curl_easy_getinfo(h, CURLINFO_REDIRECT_COUNT, &n);
      for (long i = static_cast<long>(r_.redirects.size()); i < n; ++i) r_.redirects.emplace_back();
    } else if (r_.status >= 300 && r_.status < 400 &&
               curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &text) == CURLE_OK && text) {
      redirect_url_ = text;
    }
    if (https && spec_.want_certificate) {
      if (auto cert = read_certificate(h)) r_.certificate = std::move(cert);
    }
    Timings t = read_timings(h);
    t.total_us += r_.timings.total_us;  // earlier hops
    r_.timings = t;
  }

  void trace(int level, std::string line) {
    if (spec_.verbosity >= level) r_.trace.push_back(redact_text(line));
  }

 public:
  std::string redirect_url_;  // absolute Location of a 3xx answer, as libcurl resolved it

 private:
  const RequestSpec& spec_;
  ProbeResult& r_;
  Sink sink_;
  Slist headers_;
  Slist connect_to_;
  Easy easy_;  // declared after the lists it points at, so it is cleaned up first
  bool https_ = false;
  char errbuf_[CURL_ERROR_SIZE];
};

std::string connect_to_entry(const std::string& host, int port) {
  if (host.empty() && port == 0) return "";
  return "::" + (host.empty() ? std::string() : bracketed(host)) + ":" + (port ? std::to_string(port) : "");
}

bool follows_itself(RedirectMode m) {
  return m == RedirectMode::follow || m == RedirectMode::sticky || m == RedirectMode::stickyport;
}

}  // namespace

ProbeResult perform(const RequestSpec& spec) {
  ProbeResult r;
  r.url = spec.url;
  auto first = url_parts(spec.url);
  if (!first) {
    r.transport = Transport::error;
    r.curl_code = CURLE_URL_MALFORMAT;
    r.error = "malformed URL '" + spec.url + "'";  // redacted where it is written
    return r;
  }
  r.port = spec.connect_port ? spec.connect_port : first->port;
  // Where sticky redirects keep connecting: the original address (and port).
  const std::string sticky_host = spec.connect_host.empty() ? first->host : spec.connect_host;
  const int sticky_port = r.port;

  const auto deadline = Clock::now() + std::chrono::milliseconds(spec.timeout_ms);
  std::string url = spec.url;
  std::string connect_to = connect_to_entry(spec.connect_host, spec.connect_port);
  std::set<std::string> seen{url + "|" + connect_to};

  for (int hop = 0;; ++hop) {
    long left = static_cast<long>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (left <= 0) {
      r.transport = Transport::timeout;
      r.curl_code = CURLE_OPERATION_TIMEDOUT;
      r.error = "Operation timed out after " + std::to_string(spec.timeout_ms) + " milliseconds";
      return r;
    }
    // A new hop starts a new answer; earlier hops only add time.
    r.body.clear();
    r.body_bytes = 0;
    r.body_truncated = false;
    Hop h(spec, r);
    h.run(url, connect_to, left);
    if (r.transport != Transport::ok || !follows_itself(spec.redirects) || h.redirect_url_.empty()) return r;
    url = h.redirect_url_;
    if (hop >= spec.max_redirects) {
      r.redirect_problem = RedirectProblem::too_many;
      r.redirects.push_back(url);  // where it would have gone next, for the message
      return r;
    }
    switch (spec.redirects) {
      case RedirectMode::sticky: connect_to = connect_to_entry(sticky_host, 0); break;
      case RedirectMode::stickyport: connect_to = connect_to_entry(sticky_host, sticky_port); break;
      case RedirectMode::follow:
      case RedirectMode::none:
      case RedirectMode::curl: connect_to.clear(); break;
    }
    r.redirects.push_back(url);
    if (!seen.insert(url + "|" + connect_to).second) {
      r.redirect_problem = RedirectProblem::loop;
      return r;
    }
    if (spec.verbosity >= 1) r.trace.push_back(redact_text("* following redirect to " + url));
  }
}

namespace {

// The port a URL's first connection goes to, for the result's messages:
// the explicit one, or the scheme's. The URL was checked when it was
// configured; libcurl itself reports one it cannot parse.
int port_of(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return 0;
  const int fallback = iequals(std::string_view(url).substr(0, scheme_end), "https") ? 443 : 80;
  const auto begin = scheme_end + 3;
  std::string_view authority(url);
  authority = authority.substr(begin, url.find_first_of("/?#", begin) - begin);
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    authority.remove_prefix(close == std::string_view::npos ? authority.size() : close + 1);
  }
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == authority.size()) return fallback;
  int port = 0;
  for (char c : authority.substr(colon + 1)) {
    if (c < '0' || c > '9' || port > 65535) return fallback;
    port = port * 10 + (c - '0');
  }
  return port;
}

struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};

// Idle easy handles kept for the next transfers: a new handle and its
// buffers cost more than the transfer's own bookkeeping. At most this many
// (each holds libcurl's 16 KiB receive buffer).
constexpr std::size_t kIdleHandles = 128;

}  // namespace

struct ConcurrentProber::Impl {
  // One probe in flight; its spec and result live here, at a stable
  // address, for as long as libcurl points at them.
  struct Probe {
    std::uint64_t id = 0;
    std::size_t slot = 0;  // index in `probes`
    RequestSpec spec;
    ProbeResult result;
    std::unique_ptr<Hop> hop;
  };
  std::unique_ptr<CURLM, MultiDeleter> multi{curl_multi_init()};
  std::vector<std::unique_ptr<Probe>> probes;
  std::vector<CURL*> idle;

  ~Impl() {
    for (CURL* easy : idle) curl_easy_cleanup(easy);
  }

  CURL* reusable() {
    if (idle.empty()) return nullptr;
    CURL* easy = idle.back();
    idle.pop_back();
    return easy;
  }

  // Ends a probe: its handle leaves the multi handle (and is kept for
  // another transfer, or cleaned up with the Hop), the probe leaves the list.
  std::unique_ptr<Probe> take(Probe* p) {
    if (p->hop) {
      if (CURL* easy = p->hop->handle()) {
        curl_multi_remove_handle(multi.get(), easy);
        if (idle.size() < kIdleHandles)
          if (CURL* kept = p->hop->release()) idle.push_back(kept);
      }
    }
    const std::size_t slot = p->slot;
    std::unique_ptr<Probe> owned = std::move(probes[slot]);
    if (slot + 1 != probes.size()) {
      probes[slot] = std::move(probes.back());
      probes[slot]->slot = slot;
    }
    probes.pop_back();
    return owned;
  }
};

ConcurrentProber::ConcurrentProber(int max_connections_per_host, int max_idle_connections)
    : impl_(std::make_unique<Impl>()) {
  if (!impl_->multi) return;
  if (max_connections_per_host > 0)
    curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(max_connections_per_host));
  // libcurl's default keeps 4 idle connections per handle in the multi
  // handle, so that between two rounds most would be closed and made again.
  if (max_idle_connections > 0)
    curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(max_idle_connections));
}

ConcurrentProber::~ConcurrentProber() {
  cancel_all();
}

void ConcurrentProber::start(std::uint64_t id, RequestSpec spec) {
  auto probe = std::make_unique<Impl::Probe>();
  probe->id = id;
  probe->spec = std::move(spec);
  if (probe->spec.redirects != RedirectMode::none && probe->spec.redirects != RedirectMode::curl)
    probe->spec.redirects = RedirectMode::curl;
  probe->result.url = probe->spec.url;
  probe->result.port = probe->spec.connect_port ? probe->spec.connect_port : port_of(probe->spec.url);
  probe->hop = std::make_unique<Hop>(probe->spec, probe->result);
  CURL* easy =
      probe->hop->start(probe->spec.url, connect_to_entry(probe->spec.connect_host, probe->spec.connect_port),
                        probe->spec.timeout_ms, impl_->reusable());
  if (!easy) {
    probe->hop.reset();  // the result says why
  } else {
    curl_easy_setopt(easy, CURLOPT_PRIVATE, probe.get());
    if (!impl_->multi || curl_multi_add_handle(impl_->multi.get(), easy) != CURLM_OK) {
      probe->result.transport = Transport::error;
      probe->result.error = "curl_multi_add_handle failed";
      probe->hop.reset();
    }
  }
  probe->slot = impl_->probes.size();
  impl_->probes.push_back(std::move(probe));
}

std::vector<std::pair<std::uint64_t, ProbeResult>> ConcurrentProber::run(int wait_ms) {
  std::vector<std::pair<std::uint64_t, ProbeResult>> done;
  auto finish = [&](Impl::Probe* p) {
    std::unique_ptr<Impl::Probe> owned = impl_->take(p);
    done.emplace_back(owned->id, std::move(owned->result));
  };
  // Probes that failed before libcurl got them.
  for (std::size_t i = 0; i < impl_->probes.size();) {
    Impl::Probe* p = impl_->probes[i].get();
    if (!p->hop)
      finish(p);  // moves the last probe into slot i
    else
      ++i;
  }
  if (!impl_->multi || impl_->probes.empty()) return done;
  int running = 0;
  curl_multi_perform(impl_->multi.get(), &running);
  if (running > 0) {
    curl_multi_poll(impl_->multi.get(), nullptr, 0, wait_ms, nullptr);
    curl_multi_perform(impl_->multi.get(), &running);
  }
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(impl_->multi.get(), &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Impl::Probe* p = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
    const CURLcode code = msg->data.result;
    if (!p) continue;
    p->hop->complete(code);
    finish(p);
  }
  return done;
}

std::size_t ConcurrentProber::in_flight() const {
  return impl_->probes.size();
}

void ConcurrentProber::cancel_all() {
  for (auto& p : impl_->probes)
    if (p->hop)
      if (CURL* easy = p->hop->handle()) curl_multi_remove_handle(impl_->multi.get(), easy);
  impl_->probes.clear();
}

bool valid_url(const std::string& url) {
  auto parts = url_parts(url);
  return parts && (parts->scheme == "http" || parts->scheme == "https") && !parts->host.empty();
}

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
