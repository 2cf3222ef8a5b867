// SPDX-License-Identifier: GPL-2.0-or-later
// How many transfers the open-file limit (ulimit -n, systemd's LimitNOFILE)
// leaves room for. Each transfer in flight holds a socket; connections kept
// open for the next round hold one each (libcurl closes the oldest idle one
// when a transfer ends with more than CURLMOPT_MAXCONNECTS open, so at most
// in-flight + kept are open at once); collectd and its other plugins keep a
// reserve. The transfers MaxConcurrency asks for come first: the kept
// connections are cut before MaxConcurrency is. The limit itself is left
// alone: raising it would reach every other plugin of the daemon (some
// still use select()).
#pragma once

#include <cstddef>
#include <string>

namespace probewise {

struct FdBudget {
  int concurrency = 0;       // what the plugin may run at once (at least 1)
  int kept_connections = 0;  // idle connections kept between rounds (at least 1)
  bool reduced = false;      // concurrency below MaxConcurrency: a warning
  std::string message;       // the one log line when concurrency or kept connections are cut
};

// `soft_limit`: RLIMIT_NOFILE's soft limit (0 = unlimited); `open_now`: the
// descriptors the process holds already.
FdBudget fit_concurrency(int max_concurrency, std::size_t soft_limit, std::size_t open_now);

// What the limit leaves for the plugin's sockets, after collectd's reserve
// (kNoLimit when there is no limit).
inline constexpr std::size_t kNoLimit = static_cast<std::size_t>(-1);
std::size_t socket_room(std::size_t soft_limit, std::size_t open_now);
// For a concurrency that follows the load (MaxConcurrency not set): the most
// transfers at once the room allows (four fifths of it, at least 1; at most
// 100000), and how many idle connections to keep while `in_flight` may be
// in flight (as many, as far as the room allows; at least 1).
int concurrency_cap(std::size_t room);
int kept_for(int in_flight, std::size_t room);

// The process's soft RLIMIT_NOFILE (0 when unlimited) and its open descriptors.
std::size_t nofile_soft_limit();
std::size_t open_descriptors();

}  // namespace probewise
