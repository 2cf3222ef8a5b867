// SPDX-License-Identifier: GPL-2.0-or-later
// ConcurrentProber: the multi-handle driver of the redirect walk. A
// finished 3xx that the walk follows starts the next hop on the multi
// handle, on the same easy handle where it may be reused.
#include <memory>
#include <utility>

#include "http/request.h"
#include "http/transfer.h"

namespace probewise {
namespace {

// Idle easy handles kept for the next transfers: a new handle and its
// buffers cost more than the transfer's own bookkeeping. At most this many
// (each holds libcurl's 16 KiB receive buffer).
constexpr std::size_t kIdleHandles = 128;

}  // namespace

struct ConcurrentProber::Impl {
  // One probe in flight; its spec, walk and result live here, at a stable
  // address, for as long as libcurl points at them.
  struct Probe {
    explicit Probe(RequestSpec s) : spec(std::move(s)), walk(spec) {}
    std::uint64_t id = 0;
    std::size_t slot = 0;  // index in `probes`
    RequestSpec spec;
    RedirectWalk walk;
    ProbeResult result;
    std::unique_ptr<Transfer> transfer;  // the hop in flight; null once the result is final
  };
  Multi multi{curl_multi_init()};
  std::vector<std::unique_ptr<Probe>> probes;
  std::vector<CURL*> idle;

  ~Impl() {
    for (CURL* easy : idle) curl_easy_cleanup(easy);
  }

  CURL* reusable() {
    if (idle.empty()) return nullptr;
    CURL* easy = idle.back();
    idle.pop_back();
    return easy;
  }

  // Takes the hop's handle off the multi handle: back to the caller for the
  // next hop, else kept for another transfer or cleaned up with the Transfer.
  CURL* detach(Probe* p, bool for_next_hop) {
    CURL* easy = p->transfer ? p->transfer->handle() : nullptr;
    if (!easy) return nullptr;
    curl_multi_remove_handle(multi.get(), easy);
    CURL* kept = idle.size() < kIdleHandles || for_next_hop ? p->transfer->release() : nullptr;
    if (kept && !for_next_hop) {
      idle.push_back(kept);
      kept = nullptr;
    }
    return kept;
  }

  // Starts the walk's next hop on `reuse` (or a new handle); false when it
  // cannot start, the result then saying why.
  bool start_hop(Probe* p, CURL* reuse) {
    const long left = p->walk.time_left_ms();
    if (left <= 0) {
      if (reuse) curl_easy_cleanup(reuse);
      p->walk.time_out(p->result);
      p->transfer.reset();
      return false;
    }
    p->transfer = std::make_unique<Transfer>(p->spec, p->walk.hop(), p->result, p->walk.cookies());
    CURL* easy = p->transfer->start(left, reuse);
    if (!easy) {
      p->transfer.reset();  // the result says why
      return false;
    }
    curl_easy_setopt(easy, CURLOPT_PRIVATE, p);
#if LIBCURL_VERSION_NUM >= 0x075700
    // Stopping a transfer that waits for a name must not wait for the
    // resolver thread (up to resolv.conf's timeout x attempts): collectd's
    // shutdown would hang that long. The thread ends on its own.
    curl_easy_setopt(easy, CURLOPT_QUICK_EXIT, 1L);
#endif
    if (!multi || curl_multi_add_handle(multi.get(), easy) != CURLM_OK) {
      p->result.transport = Transport::error;
      p->result.error = "curl_multi_add_handle failed";
      p->transfer.reset();
      return false;
    }
    return true;
  }

  // Ends a probe: its handle leaves the multi handle, the probe the list.
  std::unique_ptr<Probe> take(Probe* p) {
    detach(p, false);
    const std::size_t slot = p->slot;
    std::unique_ptr<Probe> owned = std::move(probes[slot]);
    if (slot + 1 != probes.size()) {
      probes[slot] = std::move(probes.back());
      probes[slot]->slot = slot;
    }
    probes.pop_back();
    return owned;
  }
};

ConcurrentProber::ConcurrentProber(int max_connections_per_host, int max_idle_connections)
    : impl_(std::make_unique<Impl>()) {
  if (!impl_->multi) return;
  if (max_connections_per_host > 0)
    curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(max_connections_per_host));
  // libcurl's default keeps 4 idle connections per handle in the multi
  // handle, so that between two rounds most would be closed and made again.
  if (max_idle_connections > 0)
    curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(max_idle_connections));
}

ConcurrentProber::~ConcurrentProber() {
  cancel_all();
}

void ConcurrentProber::start(std::uint64_t id, RequestSpec spec) {
  auto probe = std::make_unique<Impl::Probe>(std::move(spec));
  probe->id = id;
  if (probe->walk.begin(probe->result)) impl_->start_hop(probe.get(), impl_->reusable());
  probe->slot = impl_->probes.size();
  impl_->probes.push_back(std::move(probe));
}

std::vector<std::pair<std::uint64_t, ProbeResult>> ConcurrentProber::run(int wait_ms) {
  std::vector<std::pair<std::uint64_t, ProbeResult>> done;
  auto finish = [&](Impl::Probe* p) {
    std::unique_ptr<Impl::Probe> owned = impl_->take(p);
    done.emplace_back(owned->id, std::move(owned->result));
  };
  // Probes whose result is final without libcurl (a bad URL, no handle, no
  // time left for the next hop).
  for (std::size_t i = 0; i < impl_->probes.size();) {
    Impl::Probe* p = impl_->probes[i].get();
    if (!p->transfer)
      finish(p);  // moves the last probe into slot i
    else
      ++i;
  }
  if (!impl_->multi || impl_->probes.empty()) return done;
  int running = 0;
  curl_multi_perform(impl_->multi.get(), &running);
  if (running > 0) {
    curl_multi_poll(impl_->multi.get(), nullptr, 0, wait_ms, nullptr);
    curl_multi_perform(impl_->multi.get(), &running);
  }
  int queued = 0;
  while (CURLMsg* msg = curl_multi_info_read(impl_->multi.get(), &queued)) {
    if (msg->msg != CURLMSG_DONE) continue;
    Impl::Probe* p = nullptr;
    curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
    const CURLcode code = msg->data.result;
    if (!p) continue;
    p->transfer->complete(code);
    // A redirect the walk follows: the next hop starts at once; its result
    // comes in a later run(), or in this one when it cannot start.
    if (p->walk.next(p->transfer->redirect_url(), p->result) && impl_->start_hop(p, impl_->detach(p, true)))
      continue;
    finish(p);
  }
  return done;
}

std::size_t ConcurrentProber::in_flight() const {
  return impl_->probes.size();
}

void ConcurrentProber::cancel_all() {
  for (auto& p : impl_->probes)
    if (p->transfer)
      if (CURL* easy = p->transfer->handle()) curl_multi_remove_handle(impl_->multi.get(), easy);
  impl_->probes.clear();
}

}  // namespace probewise
