#include "auth_challenge.h"

namespace probewise {

std::optional<std::string_view> Challenge::param(std::string_view) const { return std::nullopt; }
std::vector<Challenge> parse_challenges(std::string_view) { return {}; }
Signals challenge_signals(const HeaderMap&, int) { return {}; }

}  // namespace probewise
