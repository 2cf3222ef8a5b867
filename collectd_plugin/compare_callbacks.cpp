// SPDX-License-Identifier: GPL-2.0-or-later
#include "compare_callbacks.h"

#include <cmath>
#include <cstring>
#include <ctime>
#include <exception>
#include <limits>
#include <memory>

#include "collectd_api.h"
#include "compare_mode.h"
#include "dispatch.h"

namespace probewise {
namespace {

using Shared = std::shared_ptr<CompareMode>;

double from_cdtime(cdtime_t t) {
  return static_cast<double>(t) / 1073741824.0;
}

double wall_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

CompareMode* mode_of(user_data_t* ud) {
  return ud && ud->data ? static_cast<Shared*>(ud->data)->get() : nullptr;
}

Severity severity_of_code(int code) {
  if (code == NOTIF_FAILURE) return Severity::failure;
  if (code == NOTIF_WARNING) return Severity::warning;
  return Severity::okay;
}

}  // namespace
}  // namespace probewise

extern "C" {

static void probewise_compare_free(void* data) {
  delete static_cast<probewise::Shared*>(data);
}

static int probewise_compare_write(const data_set_t*, const value_list_t* vl, user_data_t* ud) {
  using namespace probewise;
  try {
    CompareMode* mode = mode_of(ud);
    if (!mode || !vl || std::strcmp(vl->plugin, kPluginName) != 0 || vl->values_len < 1) return 0;
    Received r;
    r.host = vl->host;
    r.plugin = vl->plugin;
    r.endpoint = vl->plugin_instance;
    r.type = vl->type;
    r.type_instance = vl->type_instance;
    r.value = vl->values[0].gauge;  // every probewise type is a GAUGE
    r.time = from_cdtime(vl->time);
    r.interval = from_cdtime(vl->interval);
    r.received = wall_now();
    mode->on_value(r);
  } catch (...) {
  }
  return 0;
}

static int probewise_compare_notification(const notification_t* n, user_data_t* ud) {
  using namespace probewise;
  try {
    CompareMode* mode = mode_of(ud);
    if (!mode || !n || std::strcmp(n->plugin, kPluginName) != 0) return 0;
    Received r;
    r.host = n->host;
    r.plugin = n->plugin;
    r.endpoint = n->plugin_instance;
    r.type = n->type;
    r.type_instance = n->type_instance;
    r.severity = severity_of_code(n->severity);
    r.message = n->message;
    r.time = from_cdtime(n->time);
    r.received = wall_now();
    mode->on_notification(r);
  } catch (...) {
  }
  return 0;
}

static int probewise_compare_read(user_data_t* ud) {
  using namespace probewise;
  try {
    CompareMode* mode = mode_of(ud);
    if (!mode) return 0;
    for (const auto& d : mode->evaluate(wall_now())) dispatch_to_collectd(d);
  } catch (const std::exception& e) {
    log_to_collectd(LogLevel::error, std::string("compare: ") + e.what());
  } catch (...) {
    log_to_collectd(LogLevel::error, "compare failed");
  }
  return 0;  // a failing read callback is slowed down: never fail
}

}  // extern "C"

namespace probewise {

bool register_compare(const CompareSettings& settings) {
  auto mode = std::make_shared<CompareMode>(settings);
  auto user_data = [&] {
    user_data_t ud;
    std::memset(&ud, 0, sizeof ud);
    ud.data = new Shared(mode);
    ud.free_func = probewise_compare_free;
    return ud;
  };
  user_data_t write = user_data();
  user_data_t notification = user_data();
  user_data_t read = user_data();
  const bool ok =
      plugin_register_write("probewise_compare", probewise_compare_write, &write) == 0 &&
      plugin_register_notification("probewise_compare", probewise_compare_notification, &notification) == 0 &&
      plugin_register_complex_read(nullptr, "probewise_compare", probewise_compare_read,
                                   to_cdtime(settings.interval_s), &read) == 0;
  if (!ok) log_to_collectd(LogLevel::error, "<Compare>: collectd refused its callbacks");
  return ok;
}

}  // namespace probewise
