// SPDX-License-Identifier: GPL-2.0-or-later
// How many transfers the open-file limit (ulimit -n, systemd's LimitNOFILE)
// leaves room for. Each transfer holds a socket, and as many idle
// connections as MaxConcurrency are kept for the next round; collectd and
// its other plugins keep a reserve. The limit itself is left alone: raising
// it would reach every other plugin of the daemon (some still use select()).
#pragma once

#include <cstddef>
#include <string>

namespace probewise {

struct FdBudget {
  int concurrency = 0;  // what the plugin may run at once (at least 1)
  bool reduced = false;
  std::string message;  // the one log line when reduced
};

// `soft_limit`: RLIMIT_NOFILE's soft limit (0 = unlimited); `open_now`: the
// descriptors the process holds already.
FdBudget fit_concurrency(int max_concurrency, std::size_t soft_limit, std::size_t open_now);

// The process's soft RLIMIT_NOFILE (0 when unlimited) and its open descriptors.
std::size_t nofile_soft_limit();
std::size_t open_descriptors();

}  // namespace probewise
