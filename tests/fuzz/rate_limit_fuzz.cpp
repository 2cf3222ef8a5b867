// SPDX-License-Identifier: GPL-2.0-or-later
// libFuzzer target: parse_rate_limit and rate_limit_signals. Each input line
// is one header: "Name: value" as sent (the seeds are real headers), or,
// without a colon, a first byte that picks a rate-limit header name and the
// value after it, so that mutations keep hitting the names that are read.
#include <array>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <string>
#include <string_view>

#include "evidence/rate_limit.h"
#include "fuzz_check.h"

using probewise::fuzz::require;

namespace {

constexpr std::array<std::string_view, 14> kNames{
    "Retry-After",         "RateLimit",
    "RateLimit-Policy",    "RateLimit-Limit",
    "RateLimit-Remaining", "RateLimit-Reset",
    "X-RateLimit-Limit",   "X-RateLimit-Remaining",
    "X-RateLimit-Reset",   "X-RateLimit-Reset-After",
    "X-Rate-Limit-Limit",  "X-Rate-Limit-Remaining",
    "X-Rate-Limit-Reset",  "x-ratelimit-remaining",
};

constexpr std::time_t kNow = 1795824000;  // 2026-11-28T00:00:00Z

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  probewise::HeaderMap headers;
  while (!input.empty()) {
    auto eol = input.find('\n');
    std::string_view line = input.substr(0, eol);
    input = eol == std::string_view::npos ? std::string_view{} : input.substr(eol + 1);
    if (line.empty()) continue;
    auto colon = line.find(':');
    if (colon != std::string_view::npos && colon > 0) {
      headers.add(std::string(line.substr(0, colon)), std::string(line.substr(colon + 1)));
    } else {
      auto name = kNames[static_cast<unsigned char>(line.front()) % kNames.size()];
      headers.add(std::string(name), std::string(line.substr(1)));
    }
  }

  probewise::RateLimit limit = probewise::parse_rate_limit(headers, kNow);
  for (auto field :
       {limit.limit, limit.remaining, limit.reset_seconds, limit.retry_after_seconds, limit.window_seconds})
    require(!field || *field >= 0);
  require(limit.evidence.size() <= headers.items().size());
  require(limit.present() || !limit.exhausted());
  for (int status : {200, 403, 429, 503}) {
    auto signals = probewise::rate_limit_signals(limit, status);
    require(signals.size() <= 1);
    for (const auto& s : signals)
      require(s.reason == "throttled" && !s.detail.empty() && !s.evidence.empty());
  }
  return 0;
}
