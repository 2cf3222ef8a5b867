// SPDX-License-Identifier: GPL-2.0-or-later
#include "fd_budget.h"

#include <dirent.h>
#include <sys/resource.h>

#include <algorithm>

namespace probewise {
namespace {

// Descriptors per transfer: its socket, and an idle connection kept for the
// next round (CURLMOPT_MAXCONNECTS follows MaxConcurrency).
constexpr std::size_t kPerTransfer = 2;
// Left to collectd and its other plugins: an eighth of the limit, at least 32.
constexpr std::size_t kMinReserve = 32;

}  // namespace

FdBudget fit_concurrency(int max_concurrency, std::size_t soft_limit, std::size_t open_now) {
  FdBudget b;
  b.concurrency = std::max(1, max_concurrency);
  if (soft_limit == 0) return b;
  const std::size_t reserve = std::max(kMinReserve, soft_limit / 8);
  const std::size_t used = open_now + reserve;
  const std::size_t room = soft_limit > used ? (soft_limit - used) / kPerTransfer : 0;
  if (room >= static_cast<std::size_t>(b.concurrency)) return b;
  b.reduced = true;
  b.concurrency = static_cast<int>(std::max<std::size_t>(1, room));
  b.message = "MaxConcurrency " + std::to_string(max_concurrency) + " needs about " +
              std::to_string(static_cast<std::size_t>(max_concurrency) * kPerTransfer + used) +
              " open files, but the limit is " + std::to_string(soft_limit) + " (ulimit -n; " +
              std::to_string(open_now) + " open already): probing at most " + std::to_string(b.concurrency) +
              " at once. Raise LimitNOFILE in collectd's service (or ulimit -n) or lower MaxConcurrency";
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
