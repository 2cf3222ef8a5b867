// SPDX-License-Identifier: GPL-2.0-or-later
// Health documents (SPEC 1.2 --health): what a /health endpoint says about
// the service and its components, in the common formats. Pure parsing with
// bounded work; the verdict is classify()'s.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/expected.h"
#include "http/header_map.h"

namespace probewise {

// The named formats, then the conventions of SPEC 1.2.1 (generic: a status,
// state or health member with a word of the usual vocabulary).
enum class HealthFormat {
  auto_detect,
  health_json,
  spring,
  microprofile,
  aspnet,
  k8s,
  terminus,
  elasticsearch,
  etcd,
  consul,
  vault,
  text,
  generic,
};
// unknown: the document does not say pass, warn or fail (Spring's UNKNOWN or a
// custom status code); the raw word is kept in raw_status.
enum class HealthStatus { pass, warn, fail, unknown };

// Bounds on the work one document may cause.
inline constexpr std::size_t kMaxHealthBodyBytes = 4 << 20;  // larger bodies are refused
inline constexpr std::size_t kMaxHealthJsonDepth = 64;       // deeper JSON is refused before parsing
inline constexpr std::size_t kMaxHealthComponents = 1000;    // more are counted, not kept
inline constexpr std::size_t kMaxHealthTextBytes = 1024;     // names and outputs are cut here

struct HealthComponent {
  // "db", "diskSpace", "etcd", "db:connections" (health+json check key).
  // Nested Spring components: "db/primary" (only the leaves are listed).
  // Several entries under one health+json key: "cpu:utilization[node-a]" when
  // each entry has its own componentId, else "cpu:utilization#1", "#2", ...
  std::string name;
  HealthStatus status = HealthStatus::unknown;
  std::string raw_status;                // as the document says it: "UP", "Degraded", "warn"
  std::string output;                    // the component's message, if any ("Connection refused")
  std::optional<double> observed_value;  // numeric observedValue, for perfdata
  std::string observed_unit;             // observedUnit, if given
  std::string observed_text;             // an observedValue that is not a number, as given
  std::string component_type;            // componentType / type, if given
};

struct HealthReport {
  HealthFormat format = HealthFormat::auto_detect;  // the format found
  HealthStatus status = HealthStatus::unknown;      // the overall status
  std::string raw_status;                           // empty when the document has no overall status
  std::string output;                               // a top-level message, if any
  std::vector<HealthComponent> components;          // nested ones flattened, "parent/child"
  std::size_t components_omitted = 0;               // beyond kMaxHealthComponents
};

std::string_view health_format_name(HealthFormat f);                     // "health+json", "spring", ...
std::optional<HealthFormat> parse_health_format(std::string_view name);  // "auto", "health+json", ...
std::string_view health_status_name(HealthStatus s);                     // "pass", "warn", "fail", "unknown"

// Reads `body` as the requested format (or detects it from the content type
// and shape). The error says what was expected and what arrived.
Expected<HealthReport> parse_health(HealthFormat format, const HeaderMap& headers, std::string_view body);

}  // namespace probewise
