// SPDX-License-Identifier: GPL-2.0-or-later
// OpenSSL 3 loads every library's error strings into one hash table the
// first time a thread touches its error queue (reading openssl.cnf does), and
// OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS is the only way to say no. After that
// only the per-library loaders of the 3.0 API can load them, hence the
// deprecated calls below.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "http/openssl_startup.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/opensslv.h>
#include <openssl/ssl.h>

#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string_view>

namespace probewise {
namespace {

#if OPENSSL_VERSION_MAJOR >= 3 && !defined(OPENSSL_NO_DEPRECATED_3_0)
constexpr bool kCanLoadLater = true;

// The libraries a TLS connection, a certificate or a key file reports from.
void load_strings() {
  static std::once_flag once;
  std::call_once(once, [] {
    ERR_load_ERR_strings();  // library names and system errors
    ERR_load_SSL_strings();
    ERR_load_X509_strings();
    ERR_load_X509V3_strings();
    ERR_load_PEM_strings();
    ERR_load_EVP_strings();
    ERR_load_ASN1_strings();
    ERR_load_BIO_strings();
    ERR_load_CRYPTO_strings();
    ERR_load_RSA_strings();
    ERR_load_EC_strings();
    ERR_load_PKCS12_strings();
    ERR_load_OCSP_strings();
    ERR_load_RAND_strings();
  });
}
#else
constexpr bool kCanLoadLater = false;
void load_strings() {}
#endif

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'F') || (c >= 'a' && c <= 'f');
}

// At `pos`, "<word>(<digits>)" (OpenSSL's stand-in for a missing string):
// its length, else 0.
std::size_t placeholder_at(const std::string& s, std::size_t pos, const char* word) {
  std::size_t n = std::char_traits<char>::length(word);
  if (s.compare(pos, n, word) != 0 || pos + n >= s.size() || s[pos + n] != '(') return 0;
  std::size_t end = pos + n + 1;
  while (end < s.size() && s[end] >= '0' && s[end] <= '9') ++end;
  return end < s.size() && s[end] == ')' && end > pos + n + 1 ? end + 1 - pos : 0;
}

// Replaces the placeholder of `word` at `pos` with `text` (when OpenSSL has
// one); returns where the scan goes on.
std::size_t name_at(std::string& s, std::size_t pos, const char* word, const char* text) {
  std::size_t len = placeholder_at(s, pos, word);
  if (len == 0) return pos;
  if (!text) return pos + len;
  s.replace(pos, len, text);
  return pos + std::char_traits<char>::length(text);
}

}  // namespace

void lighten_openssl_startup(bool tls_possible) {
  uint64_t opts = 0;
  if (kCanLoadLater) opts |= OPENSSL_INIT_NO_LOAD_CRYPTO_STRINGS;
  // Without TLS, neither openssl.cnf nor the tables of cipher and digest
  // names that libssl asks for (the check's own SHA-256 needs neither).
  if (!tls_possible)
    opts |= OPENSSL_INIT_NO_LOAD_CONFIG | OPENSSL_INIT_NO_ADD_ALL_CIPHERS | OPENSSL_INIT_NO_ADD_ALL_DIGESTS;
  if (opts) OPENSSL_init_crypto(opts, nullptr);
}

std::string name_tls_error_codes(std::string message) {
  // "error:%08lX:<lib>:<func>:<reason>", as ERR_error_string_n writes it.
  constexpr std::string_view kPrefix = "error:";
  for (std::size_t at = message.find(kPrefix); at != std::string::npos; at = message.find(kPrefix, at + 1)) {
    std::size_t pos = at + kPrefix.size();
    if (pos + 9 > message.size() || message[pos + 8] != ':') continue;
    bool hex = true;
    for (std::size_t i = pos; i < pos + 8; ++i) hex = hex && is_hex(message[i]);
    if (!hex) continue;
    unsigned long code = std::strtoul(message.substr(pos, 8).c_str(), nullptr, 16);
    pos += 9;
    if (!placeholder_at(message, pos, "lib")) continue;  // named already
    load_strings();
    pos = name_at(message, pos, "lib", ERR_lib_error_string(code));
    if (pos < message.size() && message[pos] == ':') {
      std::size_t func_end = message.find(':', pos + 1);  // empty in OpenSSL 3
      if (func_end != std::string::npos)
        name_at(message, func_end + 1, "reason", ERR_reason_error_string(code));
    }
  }
  return message;
}

}  // namespace probewise
