// SPDX-License-Identifier: GPL-2.0-or-later
// probewise.so: collectd's entry points. Each catches everything (nothing
// throws across C) and logs through plugin_log. Config gathers the
// endpoints; init starts libcurl and the probe thread; shutdown stops the
// transfers, saves the states, joins the thread and frees everything.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>

#include <malloc.h>

#include "collectd_api.h"
#include "compare_callbacks.h"
#include "config.h"
#include "config_lines.h"
#include "credentials/credentials.h"
#include "dispatch.h"
#include "fd_budget.h"
#include "http/proxy.h"
#include "http/request.h"
#include "worker.h"

namespace probewise {
namespace {

// collectd's config, init and shutdown callbacks carry no user data, so the
// plugin's one instance lives here. They run one after another on
// collectd's main thread; the probe thread only sees what init hands it.
struct Plugin {
  PluginConfig config;
  bool config_failed = false;
  std::size_t blocks_seen = 0;
  std::vector<LocatedNode> written;  // the blocks as the files hold them, until init
  bool written_read = false;
  // Every secret of the plugin, from the first block on (SPEC 1.6).
  std::shared_ptr<SecretRegistry> secrets = std::make_shared<SecretRegistry>();
  bool curl_ready = false;
  bool comparing = false;  // a <Compare> block's callbacks are registered
  std::unique_ptr<Worker> worker;
};

std::unique_ptr<Plugin>& instance() {
  static std::unique_ptr<Plugin> plugin;
  return plugin;
}

void say(LogLevel level, const std::string& text, const SecretRegistry* secrets = nullptr) noexcept {
  try {
    log_to_collectd(level, text, secrets);
  } catch (...) {
  }
}

double collectd_interval_seconds() {
  return static_cast<double>(plugin_get_interval()) / 1073741824.0;
}

int on_config(oconfig_item_t* block) noexcept {
  try {
    auto& plugin = instance();
    if (!plugin) plugin = std::make_unique<Plugin>();
    std::unordered_set<std::string> taken;
    for (const auto& e : plugin->config.endpoints) taken.insert(e.name);
    // collectd hands the <Plugin probewise> blocks over in the order of the
    // files: the n-th call is the n-th block written. The files are read
    // again only when an item's place is needed (an error, an Include).
    if (plugin->blocks_seen == 0) register_proxy_environment(*plugin->secrets, process_environment());
    const std::size_t nth = plugin->blocks_seen++;
    auto locate = [&plugin, nth]() -> const LocatedNode* {
      if (!plugin->written_read) {
        plugin->written_read = true;
        plugin->written = plugin_blocks(collectd_config_path());
      }
      return nth < plugin->written.size() ? &plugin->written[nth] : nullptr;
    };
    const ConfigParser collectds{[](const std::string& path) { return oconfig_parse_file(path.c_str()); },
                                 oconfig_free};
    const ExpandedConfig expanded(*block, locate, collectds);
    for (const auto& e : expanded.errors()) say(LogLevel::error, "<Plugin probewise>: " + e);
    ConfigResult read =
        read_config(expanded.root(), collectd_interval_seconds(), taken, &expanded, plugin->secrets.get());
    for (const auto& w : read.warnings) say(LogLevel::warning, w, plugin->secrets.get());
    for (const auto& e : read.errors) say(LogLevel::error, e, plugin->secrets.get());
    // A second <Plugin probewise> block keeps the first one's settings unless it sets its own.
    if (plugin->config.endpoints.empty() || read.config.max_concurrency != 0)
      plugin->config.max_concurrency = read.config.max_concurrency;
    if (plugin->config.endpoints.empty() || read.config.max_connections_per_host != 0)
      plugin->config.max_connections_per_host = read.config.max_connections_per_host;
    for (auto& e : read.config.endpoints) plugin->config.endpoints.push_back(std::move(e));
    if (read.config.compare) {
      if (plugin->comparing)
        say(LogLevel::error,
            "<Compare>: given in an earlier <Plugin probewise> block already; this one is ignored");
      else
        plugin->comparing = register_compare(*read.config.compare);
    }
    if (read.config.endpoints.empty() && !read.config.compare) {
      say(LogLevel::error, "no endpoint can be probed: fix the errors above");
      plugin->config_failed = true;
      return -1;
    }
    return 0;
  } catch (const std::exception& e) {
    say(LogLevel::error, std::string("reading the configuration failed: ") + e.what());
  } catch (...) {
    say(LogLevel::error, "reading the configuration failed");
  }
  return -1;
}

int on_init() noexcept {
  try {
    auto& plugin = instance();
    if (plugin && plugin->config.endpoints.empty() && plugin->comparing)
      return 0;  // compares, probes nothing
    if (!plugin || plugin->config.endpoints.empty()) {
      say(LogLevel::error, "no <Endpoint> configured: nothing to probe");
      return -1;
    }
    if (plugin->worker) return 0;  // init runs once per start; be safe if it runs again
    if (!plugin->curl_ready) {
      if (!global_init()) {
        say(LogLevel::error, "curl_global_init failed");
        return -1;
      }
      plugin->curl_ready = true;
    }
    SchedulerHooks hooks;
    // Used by the probing thread alone, from its first poll to its end.
    auto batch = std::make_shared<DispatchBatch>();
    hooks.report = [batch](const EndpointReport& report) { batch->add(describe(report)); };
    hooks.after_poll = [batch] { return batch->maybe_flush(); };
    hooks.stopping = [batch] { batch->flush(false); };
    std::shared_ptr<const SecretRegistry> secrets = plugin->secrets;
    hooks.log = [secrets](LogLevel level, const std::string& text) { say(level, text, secrets.get()); };
    // What plugin_thread_create does: the thread runs in the plugin's
    // context, so that collectd knows whose values it dispatches.
    const plugin_ctx_t context = plugin_get_ctx();
    hooks.thread_start = [context] { plugin_set_ctx(context); };
    const std::size_t endpoints = plugin->config.endpoints.size();
    const std::size_t soft_limit = nofile_soft_limit();
    const std::size_t open_now = open_descriptors();
    std::string at_once;
    if (plugin->config.max_concurrency > 0) {
      const FdBudget budget = fit_concurrency(plugin->config.max_concurrency, soft_limit, open_now);
      if (!budget.message.empty()) say(budget.reduced ? LogLevel::warning : LogLevel::notice, budget.message);
      plugin->config.max_concurrency = budget.concurrency;
      plugin->config.kept_connections = budget.kept_connections;
      at_once = "at most " + std::to_string(budget.concurrency) + " at once";
    } else {
      plugin->config.socket_room = socket_room(soft_limit, open_now);
      at_once = "as many at once as the load asks (at most " +
                std::to_string(concurrency_cap(plugin->config.socket_room)) + " by the open-file limit)";
    }
    plugin->config.secrets = plugin->secrets;
    plugin->worker = std::make_unique<Worker>(std::move(plugin->config), std::move(hooks));
    plugin->config = PluginConfig{};
    plugin->written = {};
    plugin->worker->start();
    // The configuration (collectd's tree, and what reading it took here) was
    // freed on this thread, whose heap the probing thread never allocates
    // from: give those pages back (at 100,000 endpoints, some 100 MB).
    malloc_trim(0);
    say(LogLevel::info,
        "probing " + std::to_string(endpoints) + " endpoint" + (endpoints == 1 ? "" : "s") + ", " + at_once);
    return 0;
  } catch (const std::exception& e) {
    say(LogLevel::error, std::string("init failed: ") + e.what());
  } catch (...) {
    say(LogLevel::error, "init failed");
  }
  return -1;
}

// The shutdown callback's one line: what it stopped and where its time went
// (collectd's own shutdown and its other plugins' come before and after).
std::string shutdown_summary(const Scheduler::Stopped& stopped, double thread_ms, double joined_ms,
                             double total_ms) {
  char text[256];
  std::snprintf(
      text, sizeof text,
      "stopped in %.1f ms: %zu transfer%s in flight stopped, %zu state%s saved (probe thread: %.1f ms to "
      "finish its round, %.1f ms to stop and save; %.1f ms to free)",
      total_ms, stopped.cancelled, stopped.cancelled == 1 ? "" : "s", stopped.saved,
      stopped.saved == 1 ? "" : "s", std::max(0.0, joined_ms - thread_ms), thread_ms, total_ms - joined_ms);
  return text;
}

int on_shutdown() noexcept {
  int status = 0;
  try {
    auto& plugin = instance();
    if (plugin) {
      using Clock = std::chrono::steady_clock;
      auto ms_since = [](Clock::time_point t) {
        return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
      };
      const Clock::time_point began = Clock::now();
      const bool probing = plugin->worker != nullptr;
      Scheduler::Stopped stopped;
      double thread_ms = 0;
      double joined_ms = 0;
      if (probing) {
        plugin->worker->stop();
        joined_ms = ms_since(began);
        stopped = plugin->worker->stopped();
        thread_ms = plugin->worker->shutdown_ms();
        plugin->worker.reset();
      }
      if (plugin->curl_ready) global_cleanup();
      plugin.reset();
      if (probing) say(LogLevel::info, shutdown_summary(stopped, thread_ms, joined_ms, ms_since(began)));
    }
  } catch (const std::exception& e) {
    say(LogLevel::error, std::string("shutdown: ") + e.what());
    status = -1;
  } catch (...) {
    say(LogLevel::error, "shutdown failed");
    status = -1;
  }
  return status;
}

}  // namespace
}  // namespace probewise

extern "C" {

static int probewise_config(oconfig_item_t* block) {
  return probewise::on_config(block);
}
static int probewise_init(void) {
  return probewise::on_init();
}
static int probewise_shutdown(void) {
  return probewise::on_shutdown();
}

// The one symbol the shared object exports (see exports.map).
__attribute__((visibility("default"))) void module_register(void) {
  plugin_register_complex_config(probewise::kPluginName, probewise_config);
  plugin_register_init(probewise::kPluginName, probewise_init);
  plugin_register_shutdown(probewise::kPluginName, probewise_shutdown);
}

}  // extern "C"
