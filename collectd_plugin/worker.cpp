// SPDX-License-Identifier: GPL-2.0-or-later
#include "worker.h"

#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string>
#include <utility>

namespace probewise {
namespace {

// The longest a wait lasts before the thread looks around again (stop()
// wakes it at once).
constexpr int kMaxWaitMs = 1000;

}  // namespace

Worker::Worker(PluginConfig config, SchedulerHooks hooks)
    : hooks_(hooks), scheduler_(std::move(config), std::move(hooks)) {}

Worker::~Worker() {
  stop();
}

void Worker::start() {
  thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  scheduler_.wake();
  if (thread_.joinable()) thread_.join();
}

void Worker::run() noexcept {
  pthread_setname_np(pthread_self(), "probewise");
  try {
    if (hooks_.thread_start) hooks_.thread_start();
  } catch (...) {
  }
  int failures = 0;
  int flush_due_ms = -1;  // when the report hook wants to run again (-1: no need)
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (stopping_) break;
    }
    int sleep_ms = 0;
    try {
      sleep_ms = scheduler_.poll(flush_due_ms >= 0 ? std::min(flush_due_ms, kMaxWaitMs) : kMaxWaitMs);
      if (hooks_.after_poll) {
        flush_due_ms = hooks_.after_poll();
        if (flush_due_ms >= 0) sleep_ms = std::min(sleep_ms, flush_due_ms);
      }
      failures = 0;
    } catch (const std::exception& e) {
      // Out of memory or a bug: say so (not every time), breathe, go on.
      if (failures++ < 3 && hooks_.log) hooks_.log(LogLevel::error, std::string("probe loop: ") + e.what());
      sleep_ms = 1000;
    } catch (...) {
      if (failures++ < 3 && hooks_.log) hooks_.log(LogLevel::error, "probe loop: unknown exception");
      sleep_ms = 1000;
    }
    if (sleep_ms > 0 && scheduler_.in_flight() == 0) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(sleep_ms), [this] { return stopping_; });
    }
  }
  const auto shutdown_began = std::chrono::steady_clock::now();
  try {
    if (hooks_.stopping) hooks_.stopping();
    stopped_ = scheduler_.shutdown();
  } catch (...) {
    if (hooks_.log) hooks_.log(LogLevel::error, "shutdown: could not save every state");
  }
  shutdown_ms_ =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - shutdown_began).count();
}

}  // namespace probewise
