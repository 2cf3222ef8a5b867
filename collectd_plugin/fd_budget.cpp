// SPDX-License-Identifier: GPL-2.0-or-later
#include "fd_budget.h"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>

namespace probewise {
namespace {

// Left to collectd and its other plugins: an eighth of the limit, at least 32.
constexpr std::size_t kMinReserve = 32;
// When the room is short, the transfers in flight get at most this share
// of it (and MaxConcurrency at most); the connections kept get the rest, so
// that a round still finds some of the last round's connections open.
constexpr std::size_t kInFlightShare = 4;  // of 5
// MaxConcurrency's largest value.
constexpr std::size_t kMaxConcurrency = 100000;

}  // namespace

std::size_t socket_room(std::size_t soft_limit, std::size_t open_now) {
  if (soft_limit == 0) return kNoLimit;
  const std::size_t reserve = std::max(kMinReserve, soft_limit / 8);
  const std::size_t used = open_now + reserve;
  return soft_limit > used ? soft_limit - used : 0;
}

int concurrency_cap(std::size_t room) {
  if (room == kNoLimit) return kMaxConcurrency;
  return static_cast<int>(std::clamp<std::size_t>(room * kInFlightShare / 5, 1, kMaxConcurrency));
}

int kept_for(int in_flight, std::size_t room) {
  const std::size_t wanted = static_cast<std::size_t>(std::max(1, in_flight));
  if (room == kNoLimit || room >= 2 * wanted) return static_cast<int>(wanted);
  return static_cast<int>(std::clamp<std::size_t>(room > wanted ? room - wanted : 0, 1, wanted));
}

FdBudget fit_concurrency(int max_concurrency, std::size_t soft_limit, std::size_t open_now) {
  FdBudget b;
  const std::size_t wanted = static_cast<std::size_t>(std::max(1, max_concurrency));
  b.concurrency = static_cast<int>(wanted);
  b.kept_connections = b.concurrency;
  if (soft_limit == 0) return b;
  const std::size_t reserve = std::max(kMinReserve, soft_limit / 8);
  const std::size_t used = open_now + reserve;
  const std::size_t room = socket_room(soft_limit, open_now);
  if (room >= 2 * wanted) return b;  // a socket for each transfer and each kept connection
  const std::size_t in_flight = std::max<std::size_t>(1, std::min(wanted, room * kInFlightShare / 5));
  b.concurrency = static_cast<int>(in_flight);
  b.kept_connections = static_cast<int>(std::max<std::size_t>(1, room > in_flight ? room - in_flight : 0));
  b.reduced = in_flight < wanted;
  const std::string limit = "the limit is " + std::to_string(soft_limit) + " (ulimit -n; " +
                            std::to_string(open_now) + " open already): ";
  const std::string raise = ". Raise LimitNOFILE in collectd's service (or ulimit -n)";
  const std::string needs = "MaxConcurrency " + std::to_string(max_concurrency) + " needs about " +
                            std::to_string(2 * wanted + used) + " open files with the connections kept for " +
                            "the next round, but ";
  if (b.reduced)
    b.message = needs + limit + "probing at most " + std::to_string(b.concurrency) + " at once" + raise +
                " or lower MaxConcurrency";
  else
    b.message = needs + limit + "keeping at most " + std::to_string(b.kept_connections) +
                " connections open between rounds (more new connections)" + raise;
  return b;
}

std::size_t nofile_soft_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
  return static_cast<std::size_t>(limit.rlim_cur);
}

std::size_t open_descriptors() {
  std::size_t n = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (dirent* e = readdir(d))
      if (e->d_name[0] != '.') ++n;
    closedir(d);
    return n > 0 ? n - 1 : 0;  // less the directory's own
  }
  return 0;
}

}  // namespace probewise
