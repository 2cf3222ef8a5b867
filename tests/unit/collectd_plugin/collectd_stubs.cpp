// SPDX-License-Identifier: GPL-2.0-or-later
#include "collectd_plugin/collectd_stubs.h"

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include <collectd/core/daemon/plugin.h>
}

namespace probewise::testing {

Seen& seen() {
  static Seen s;
  return s;
}

void reset_seen() {
  seen() = Seen{};
}

}  // namespace probewise::testing

using probewise::testing::seen;

extern "C" {

char hostname_g_storage[] = "stub-host";
char* hostname_g = hostname_g_storage;

int plugin_dispatch_values(value_list_t const* vl) {
  probewise::testing::SeenValue v;
  v.host = vl->host;
  v.plugin = vl->plugin;
  v.plugin_instance = vl->plugin_instance;
  v.type = vl->type;
  v.type_instance = vl->type_instance;
  v.values_len = vl->values_len;
  v.value = vl->values_len ? vl->values[0].gauge : 0;
  v.time = vl->time;
  v.interval = vl->interval;
  seen().values.push_back(v);
  return 0;
}

int plugin_dispatch_notification(const notification_t* n) {
  probewise::testing::SeenNotification s;
  s.severity = n->severity;
  s.time = n->time;
  s.message = n->message;
  s.host = n->host;
  s.plugin = n->plugin;
  s.plugin_instance = n->plugin_instance;
  s.type = n->type;
  s.type_instance = n->type_instance;
  for (const notification_meta_t* m = n->meta; m; m = m->next) {
    std::string value;
    switch (m->type) {
      case NM_TYPE_STRING: value = m->nm_value.nm_string; break;
      case NM_TYPE_SIGNED_INT: value = std::to_string(m->nm_value.nm_signed_int); break;
      case NM_TYPE_UNSIGNED_INT: value = std::to_string(m->nm_value.nm_unsigned_int); break;
      case NM_TYPE_DOUBLE: value = std::to_string(m->nm_value.nm_double); break;
      case NM_TYPE_BOOLEAN: value = m->nm_value.nm_boolean ? "true" : "false"; break;
    }
    s.meta.emplace_back(m->name, value);
  }
  seen().notifications.push_back(s);
  return 0;
}

static notification_meta_t* append_meta(notification_t* n, const char* name) {
  auto* m = static_cast<notification_meta_t*>(std::calloc(1, sizeof(notification_meta_t)));
  std::snprintf(m->name, sizeof m->name, "%s", name);
  notification_meta_t** tail = &n->meta;
  while (*tail) tail = &(*tail)->next;
  *tail = m;
  ++seen().meta_alive;
  return m;
}

int plugin_notification_meta_add_string(notification_t* n, const char* name, const char* value) {
  notification_meta_t* m = append_meta(n, name);
  m->type = NM_TYPE_STRING;
  m->nm_value.nm_string = strdup(value);
  return 0;
}

int plugin_notification_meta_add_signed_int(notification_t* n, const char* name, int64_t value) {
  notification_meta_t* m = append_meta(n, name);
  m->type = NM_TYPE_SIGNED_INT;
  m->nm_value.nm_signed_int = value;
  return 0;
}

int plugin_notification_meta_free(notification_meta_t* n) {
  while (n) {
    notification_meta_t* next = n->next;
    if (n->type == NM_TYPE_STRING) std::free(const_cast<char*>(n->nm_value.nm_string));
    std::free(n);
    --seen().meta_alive;
    n = next;
  }
  return 0;
}

void plugin_log(int level, const char* format, ...) {
  char buf[1024];
  va_list ap;
  va_start(ap, format);
  std::vsnprintf(buf, sizeof buf, format, ap);
  va_end(ap);
  seen().log.emplace_back(level, buf);
}

}  // extern "C"
