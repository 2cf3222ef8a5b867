// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/answer.h"

#include <algorithm>
#include <cerrno>
#include <string_view>

#include "base/text.h"
#include "http/openssl_startup.h"
#include "http/tls_facts.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

constexpr std::size_t kMaxHeaderBlock = 256 * 1024;

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

std::string version_name(long v) {
  switch (v) {
    case CURL_HTTP_VERSION_1_0: return "HTTP/1.0";
    case CURL_HTTP_VERSION_1_1: return "HTTP/1.1";
    case CURL_HTTP_VERSION_2_0: return "HTTP/2";
    case CURL_HTTP_VERSION_3: return "HTTP/3";
    default: return "";
  }
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

// "HTTP/1.1 401 Unauthorized": the status line, version and reason phrase
// of the final answer, its headers parsed.
void read_status(CURL* h, ProbeResult& r) {
  std::string_view block(r.header_block);
  std::string_view first = trim(block.substr(0, block.find('\n')));
  r.status_line = std::string(first);
  auto sp1 = first.find(' ');
  r.http_version = std::string(first.substr(0, sp1));
  if (sp1 != std::string_view::npos) {
    auto rest = first.substr(sp1 + 1);
    auto sp2 = rest.find(' ');
    r.reason_phrase = sp2 == std::string_view::npos ? "" : std::string(trim(rest.substr(sp2 + 1)));
  }
  long v = 0;
  curl_easy_getinfo(h, CURLINFO_HTTP_VERSION, &v);
  if (auto name = version_name(v); !name.empty()) r.http_version = name;
  r.headers = parse_header_block(r.header_block);
}

// Where the transfer went and from where; new connections add up over hops.
void read_connection(CURL* h, ProbeResult& r) {
  char* text = nullptr;
  if (curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &text) == CURLE_OK && text) r.effective_url = text;
  long n = 0;
  curl_easy_getinfo(h, CURLINFO_NUM_CONNECTS, &n);
  r.new_connections += n;
  if (curl_easy_getinfo(h, CURLINFO_LOCAL_IP, &text) == CURLE_OK && text) r.local_ip = text;
  curl_easy_getinfo(h, CURLINFO_LOCAL_PORT, &n);
  r.local_port = static_cast<int>(n);
  if (curl_easy_getinfo(h, CURLINFO_PRIMARY_IP, &text) == CURLE_OK && text) r.peer_ip = text;
  curl_easy_getinfo(h, CURLINFO_PRIMARY_PORT, &n);
  r.peer_port = static_cast<int>(n);
}

// Headers libcurl writes itself that carry no secret, beside the public ones.
bool shown_as_sent(std::string_view name) {
  static constexpr std::string_view kLibcurls[] = {"Host",    "Content-Length",   "Transfer-Encoding",
                                                   "Expect",  "Proxy-Connection", "TE",
                                                   "Upgrade", "HTTP2-Settings"};
  if (is_public_header(name)) return true;
  for (auto known : kLibcurls)
    if (iequals(name, known)) return true;
  return false;
}

// A request header line of the -vv trace: the value of every header but
// the public ones and libcurl's own shows as [redacted] (SPEC 1.6: what the
// user adds is a secret unless it is a standard secret-free header), and so
// does every line of a header file whatever its name; URL secrets in the
// request line too.
std::string shown_request_line(std::string_view line, const RequestSpec* spec) {
  const auto colon = line.find(':');
  const std::string_view name = trim(line.substr(0, colon));
  if (colon == std::string_view::npos || name.empty() || name.find(' ') != std::string_view::npos)
    return redact_text(line);  // the request line, or a blank one
  bool secret = !shown_as_sent(name);
  if (spec)
    for (const auto& header : spec->credential_headers)
      secret = secret || iequals(name, trim(std::string_view(header).substr(0, header.find(':'))));
  return secret ? std::string(name) + ": [redacted]" : redact_text(line);
}

}  // namespace

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
    if (starts_with(line, "HTTP/")) {  // a new answer (1xx, or the next hop)
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
        sink->result->trace.push_back("> " + shown_request_line(trim(line), sink->spec));
    } else if (type == CURLINFO_TEXT && sink->verbosity >= 3) {
      sink->result->trace.push_back("* " + redact_text(name_tls_error_codes(std::string(trim(text)))));
    }
  } catch (...) {
  }
  return 0;
}

void collect_answer(CURL* h, CURLcode code, const char* error_buffer, const RequestSpec& spec, bool https,
                    ProbeResult& r) {
  long os_errno = 0;
  curl_easy_getinfo(h, CURLINFO_OS_ERRNO, &os_errno);
  r.curl_code = static_cast<int>(code);
  r.transport = transport_of(code, os_errno);
  // The source address or interface (CURLOPT_INTERFACE) cannot be used here.
  r.egress_failed = code == CURLE_INTERFACE_FAILED;
  if (code != CURLE_OK)
    r.error = name_tls_error_codes(error_buffer && *error_buffer ? error_buffer : curl_easy_strerror(code));
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  r.status = static_cast<int>(status);
  if (r.status > 0) read_status(h, r);
  read_connection(h, r);
  if (https && spec.want_certificate)
    if (auto cert = read_certificate(h)) r.certificate = std::move(cert);
  Timings t = read_timings(h);
  t.total_us += r.timings.total_us;  // earlier hops
  r.timings = t;
}

void collect_proxy_outcome(CURL* h, CURLcode code, bool https_proxy, ProbeResult& r) {
  long connect_code = 0;  // the proxy's answer to CONNECT, 0 when none came
  curl_easy_getinfo(h, CURLINFO_HTTP_CONNECTCODE, &connect_code);
  bool failed = false;
  switch (code) {
    case CURLE_COULDNT_RESOLVE_PROXY: failed = true; break;
    case CURLE_COULDNT_CONNECT: failed = connect_code == 0; break;
    case CURLE_OPERATION_TIMEDOUT: failed = info_us(h, CURLINFO_CONNECT_TIME_T) == 0; break;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM: failed = https_proxy && connect_code == 0; break;
    case CURLE_PROXY: {
      long why = CURLPX_OK;
      curl_easy_getinfo(h, CURLINFO_PROXY_ERROR, &why);
      // The SOCKS proxy's reply about the target: what the vantage saw of it.
      switch (why) {
        case CURLPX_REPLY_CONNECTION_REFUSED: r.transport = Transport::refused; break;
        case CURLPX_REPLY_HOST_UNREACHABLE:
        case CURLPX_REPLY_NETWORK_UNREACHABLE: r.transport = Transport::unreachable; break;
        case CURLPX_REPLY_TTL_EXPIRED: r.transport = Transport::timeout; break;
        case CURLPX_RESOLVE_HOST: r.transport = Transport::dns; break;
        default: failed = true;
      }
      break;
    }
    default: break;
  }
  // A tunnel the proxy would not open for us: its rules or its credentials.
  if (connect_code == 403 || connect_code == 407) failed = true;
  r.egress_failed = r.egress_failed || failed;
}

std::string redirect_location(CURL* h, const ProbeResult& r) {
  char* text = nullptr;
  if (r.status < 300 || r.status >= 400 || curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &text) != CURLE_OK ||
      !text)
    return "";
  return text;
}

void trace(ProbeResult& r, int verbosity, int level, const std::string& line) {
  if (verbosity >= level) r.trace.push_back(redact_text(line));
}

}  // namespace probewise
