#include "health.h"

namespace probewise {

std::string_view health_format_name(HealthFormat) { return "auto"; }
std::optional<HealthFormat> parse_health_format(std::string_view) { return std::nullopt; }
std::string_view health_status_name(HealthStatus) { return "unknown"; }
Expected<HealthReport> parse_health(HealthFormat, const HeaderMap&, std::string_view) {
  return Error{"not implemented"};
}

}  // namespace probewise
