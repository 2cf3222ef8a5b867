// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: parse_challenges and challenge_signals on one header value.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "evidence/auth_challenge.h"
#include "fuzz_check.h"

using probewise::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view value(reinterpret_cast<const char*>(data), size);

  auto challenges = probewise::parse_challenges(value);
  require(challenges.size() <= probewise::kMaxChallenges);
  for (const auto& c : challenges) {
    require(!c.scheme.empty() && c.scheme.size() <= probewise::kMaxChallengeValue);
    require(c.token68.size() <= probewise::kMaxChallengeValue);
    require(c.params.size() <= probewise::kMaxChallengeParams);
    require(c.token68.empty() || c.params.empty());
    for (const auto& [name, v] : c.params)
      require(!name.empty() && v.size() <= probewise::kMaxChallengeValue);
    // A token68 may echo a credential: it is never written back.
    if (!c.token68.empty()) require(probewise::render_challenge(c) == c.scheme + " <token68 omitted>");
  }

  probewise::HeaderMap headers;
  headers.add("WWW-Authenticate", std::string(value));
  headers.add("Proxy-Authenticate", std::string(value));
  for (int status : {400, 401, 403, 407, 503}) {
    for (const auto& s : probewise::challenge_signals(headers, status)) {
      require(!s.reason.empty() && !s.detail.empty());
      require(s.evidence.size() <= 200);
      for (char ch : s.evidence + s.detail) require(static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f);
    }
  }
  return 0;
}
