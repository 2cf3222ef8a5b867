// SPDX-License-Identifier: GPL-2.0-or-later
// OpenSSL 3's EVP_Digest() fetches the algorithm from a provider first, which
// costs ~3 M instructions per process: more than the whole rest of a check.
// The low-level SHA-256 functions compute the same digest without that.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "base/digest.h"

#include <openssl/sha.h>

namespace probewise {

std::string sha256_hex(std::string_view input, std::size_t hex_digits) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, input.data(), input.size());
  SHA256_Final(digest, &ctx);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned char byte : digest) {
    if (out.size() >= hex_digits) break;
    out += hex[byte >> 4];
    out += hex[byte & 15];
  }
  out.resize(std::min(out.size(), hex_digits));
  return out;
}

}  // namespace probewise
