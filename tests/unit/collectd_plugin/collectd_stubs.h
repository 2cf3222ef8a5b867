// SPDX-License-Identifier: GPL-2.0-or-later
// Stand-ins for the collectd daemon functions the plugin calls, for unit
// tests: each records what it was given, as collectd would have seen it.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace probewise::testing {

struct SeenValue {
  std::string host, plugin, plugin_instance, type, type_instance;
  double value = 0;
  std::uint64_t time = 0, interval = 0;  // cdtime_t
  std::size_t values_len = 0;
};

struct SeenNotification {
  int severity = 0;
  std::uint64_t time = 0;
  std::string message, host, plugin, plugin_instance, type, type_instance;
  std::vector<std::pair<std::string, std::string>> meta;  // every type as text
};

struct Seen {
  std::vector<SeenValue> values;
  std::vector<SeenNotification> notifications;
  std::vector<std::pair<int, std::string>> log;
  int meta_alive = 0;  // meta entries allocated and not freed
};

Seen& seen();  // cleared by reset_seen()
void reset_seen();

}  // namespace probewise::testing
