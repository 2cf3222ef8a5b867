// SPDX-License-Identifier: GPL-2.0-or-later
// perform(): the blocking driver of the redirect walk, one Transfer per hop.
#include "http/request.h"
#include "http/transfer.h"

namespace probewise {

ProbeResult perform(const RequestSpec& spec) {
  ProbeResult r;
  RedirectWalk walk(spec);
  if (!walk.begin(r)) return r;
  Easy spare;  // the last hop's handle: the next hop may reuse its connection
  for (;;) {
    const long left = walk.time_left_ms();
    if (left <= 0) {
      walk.time_out(r);
      return r;
    }
    Transfer transfer(spec, walk.hop(), r, walk.cookies());
    transfer.run(left, spare.release());
    if (!walk.next(transfer.redirect_url(), r)) return r;
    spare.reset(transfer.release());
  }
}

}  // namespace probewise
