#include "rate_limit.h"

namespace probewise {

bool RateLimit::present() const { return false; }
bool RateLimit::exhausted() const { return false; }
std::optional<long long> RateLimit::retry_in() const { return std::nullopt; }
RateLimit parse_rate_limit(const HeaderMap&, std::time_t) { return {}; }
Signals rate_limit_signals(const RateLimit&, int) { return {}; }

}  // namespace probewise
