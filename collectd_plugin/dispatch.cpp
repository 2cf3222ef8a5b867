// SPDX-License-Identifier: GPL-2.0-or-later
#include "dispatch.h"

#include <cstring>

#include "collectd_api.h"
#include "output/printable.h"
#include "secrets/redact.h"

namespace probewise {
namespace {

template <std::size_t N>
void copy_field(char (&field)[N], const std::string& text) {
  std::size_t n = std::min(text.size(), N - 1);
  std::memcpy(field, text.data(), n);
  field[n] = '\0';
}

int severity_code(Severity s) {
  switch (s) {
    case Severity::okay: return NOTIF_OKAY;
    case Severity::warning: return NOTIF_WARNING;
    case Severity::failure: return NOTIF_FAILURE;
  }
  return NOTIF_FAILURE;
}

int log_level(LogLevel level) {
  switch (level) {
    case LogLevel::error: return LOG_ERR;
    case LogLevel::warning: return LOG_WARNING;
    case LogLevel::notice: return LOG_NOTICE;
    case LogLevel::info: return LOG_INFO;
  }
  return LOG_ERR;
}

}  // namespace

int dispatch_to_collectd(const Dispatch& d, bool values) {
  int refused = 0;
  const cdtime_t time = to_cdtime(d.time);
  for (const auto& m : d.values) {
    if (!values) break;
    value_t value;
    value.gauge = m.value;
    value_list_t vl;
    std::memset(&vl, 0, sizeof vl);
    vl.values = &value;
    vl.values_len = 1;
    vl.time = time;
    vl.interval = to_cdtime(d.interval);
    // host stays empty: collectd fills in its Hostname.
    copy_field(vl.plugin, kPluginName);
    copy_field(vl.plugin_instance, d.plugin_instance);
    copy_field(vl.type, m.type);
    copy_field(vl.type_instance, m.type_instance);
    if (plugin_dispatch_values(&vl) != 0) ++refused;
  }
  if (d.notification) {
    const NotificationRecord& rec = *d.notification;
    notification_t n;
    std::memset(&n, 0, sizeof n);
    n.severity = severity_code(rec.severity);
    n.time = time;
    copy_field(n.message, redact_text(rec.message));
    // Notifications, unlike values, do not get the host filled in.
    if (hostname_g) copy_field(n.host, hostname_g);
    copy_field(n.plugin, kPluginName);
    copy_field(n.plugin_instance, d.plugin_instance);
    copy_field(n.type, "gauge");
    copy_field(n.type_instance, rec.type_instance);
    for (const auto& [name, text] : rec.text_meta)
      plugin_notification_meta_add_string(&n, name.c_str(), redact_text(text).c_str());
    for (const auto& [name, number] : rec.number_meta)
      plugin_notification_meta_add_signed_int(&n, name.c_str(), number);
    plugin_dispatch_notification(&n);
    plugin_notification_meta_free(n.meta);
  }
  return refused;
}

void log_to_collectd(LogLevel level, const std::string& text, const SecretRegistry* secrets) {
  plugin_log(log_level(level), "probewise plugin: %s", printable_line(redact(text, secrets)).c_str());
}

}  // namespace probewise

namespace probewise {

void DispatchBatch::add(Dispatch d) {
  if (pending_.empty()) oldest_ = Clock::now();
  notifying_ = notifying_ || d.notification.has_value();
  pending_.push_back(std::move(d));
}

int DispatchBatch::maybe_flush(Clock::time_point now) {
  if (pending_.empty()) return -1;
  const auto waited = now - oldest_;
  if (notifying_ || pending_.size() >= kMaxPending || waited >= kMaxDelay) {
    flush();
    return -1;
  }
  return static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(kMaxDelay - waited).count()) +
         1;
}

void DispatchBatch::flush(bool values) {
  for (const auto& d : pending_) send_(d, values);
  pending_.clear();
  notifying_ = false;
}

}  // namespace probewise
