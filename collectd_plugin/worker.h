// SPDX-License-Identifier: GPL-2.0-or-later
// The plugin's own thread: started by the init callback, stopped and joined
// by the shutdown callback. It runs the Scheduler until asked to stop;
// the hooks (dispatch to collectd, logging) run on it.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "scheduler.h"

namespace probewise {

class Worker {
 public:
  Worker(PluginConfig config, SchedulerHooks hooks);
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Throws std::system_error when no thread can be made.
  void start();
  // Stops the transfers in flight, saves the states and joins. Idempotent.
  void stop();

  const Scheduler& scheduler() const { return scheduler_; }
  // What the scheduler's shutdown did, and how long it took on the probe
  // thread (ms); read after stop().
  const Scheduler::Stopped& stopped() const { return stopped_; }
  double shutdown_ms() const { return shutdown_ms_; }

 private:
  void run() noexcept;

  SchedulerHooks hooks_;
  Scheduler scheduler_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  Scheduler::Stopped stopped_;  // written by the probe thread before it ends
  double shutdown_ms_ = 0;
  std::thread thread_;
};

}  // namespace probewise
