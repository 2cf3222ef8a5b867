// SPDX-License-Identifier: GPL-2.0-or-later
#include "http/tls_facts.h"

#include <ctime>
#include <string>
#include <string_view>

#include "base/text.h"

namespace probewise {
namespace {

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

long tls_version_option(const RequestSpec& spec) {
  for (const auto& b : kTlsBounds)
    if (b.version == spec.tls_min) return spec.tls_exact ? (b.min | b.max) : b.min;
  return CURL_SSLVERSION_DEFAULT;
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

}  // namespace

void set_tls_options(CURL* h, const RequestSpec& s) {
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, s.verify_peer ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, s.verify_host ? 2L : 0L);
  curl_easy_setopt(h, CURLOPT_SSLVERSION, tls_version_option(s));
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

}  // namespace probewise
