// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: decode_jwt on the input as a token, and on a token whose
// payload is the input (so the JSON reader is reached without base64 luck).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credentials/jwt.h"
#include "fuzz_check.h"

using probewise::fuzz::require;

namespace {

std::string base64url(std::string_view in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (unsigned char c : in) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(buffer >> bits) & 63]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(buffer << (6 - bits)) & 63]);
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);

  auto raw = probewise::decode_jwt(input);
  require(raw.ok() || !raw.error().empty());
  probewise::looks_like_jwt(input);
  if (auto decoded = probewise::base64url_decode(input)) require(decoded->size() <= input.size());

  // {"alg":"none"} . <input> . sig
  std::string token = "eyJhbGciOiJub25lIn0." + base64url(input) + ".sig";
  auto wrapped = probewise::decode_jwt(token);
  require(wrapped.ok() || !wrapped.error().empty());
  if (wrapped.ok()) require(wrapped->alg == "none");
  return 0;
}
