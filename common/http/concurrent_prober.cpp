// SPDX-License-Identifier: GPL-2.0-or-later
// ConcurrentProber: the multi-handle driver of the redirect walk, event
// driven. libcurl says which sockets it waits on (CURLMOPT_SOCKETFUNCTION)
// and when its next timeout falls (CURLMOPT_TIMERFUNCTION); the sockets sit
// in an epoll set, so that a wake-up costs what became ready, not what is in
// flight (curl_multi_perform walks every transfer and polls each socket). A
// finished 3xx that the walk follows starts the next hop on the multi
// handle, on the same easy handle where it may be reused.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "base/text.h"
#include "http/request.h"
#include "http/transfer.h"

namespace probewise {
namespace {

using Clock = std::chrono::steady_clock;

// Idle easy handles kept for the next transfers: a new handle and its
// buffers cost more than the transfer's own bookkeeping. At most this many
// (each holds libcurl's 16 KiB receive buffer).
constexpr std::size_t kIdleHandles = 128;
// TLS sessions are kept per host in a libcurl share (which holds 8 of
// them), so that a new connection resumes one wherever the server allows;
// beyond this many hosts, hosts share the shares (each keeps its 8 most
// recent sessions).
constexpr std::size_t kMaxShares = 1024;
constexpr int kMaxEvents = 256;

struct ShareDeleter {
  void operator()(CURLSH* s) const { curl_share_cleanup(s); }
};
using Share = std::unique_ptr<CURLSH, ShareDeleter>;

// Which host's TLS sessions an https URL's connection may resume: its
// authority, lower case, without user info ("" for anything else). Only a
// bucket: libcurl itself matches a session to its host and port.
std::string tls_origin(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  if (url.size() <= kScheme.size() || !iequals(url.substr(0, kScheme.size()), kScheme)) return "";
  std::string_view authority = url.substr(kScheme.size());
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) authority.remove_prefix(at + 1);
  return to_lower(authority);
}

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
    std::optional<Transfer> transfer;  // the hop in flight; empty once the result is final
    CURLSH* share = nullptr;           // TLS sessions of its host
  };
  Multi multi{curl_multi_init()};
  int epoll = -1;
  int wakeup = -1;                         // eventfd: wake() from another thread
  std::optional<Clock::time_point> timer;  // when libcurl wants curl_multi_socket_action(TIMEOUT)
  std::vector<std::unique_ptr<Probe>> probes;
  std::vector<CURL*> idle;
  // Every handle is attached to a share before its first transfer, and stays
  // attached to one: libcurl drops a handle's own session cache when it
  // joins a share without freeing it. `plain` serves what is not https.
  Share plain;
  std::unordered_map<std::string, Share> shares;  // by "host:port"
  std::vector<CURLSH*> share_list;                // the same, for hosts beyond kMaxShares
  Done done;

  Impl() {
    epoll = epoll_create1(EPOLL_CLOEXEC);
    wakeup = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll >= 0 && wakeup >= 0) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.fd = wakeup;
      epoll_ctl(epoll, EPOLL_CTL_ADD, wakeup, &ev);
    }
    plain = make_share();
    if (!multi || epoll < 0) return;
    curl_multi_setopt(multi.get(), CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(multi.get(), CURLMOPT_SOCKETDATA, this);
    curl_multi_setopt(multi.get(), CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(multi.get(), CURLMOPT_TIMERDATA, this);
  }

  ~Impl() {
    // The multi handle goes first (it may still tell about sockets), then
    // the handles and shares it used.
    for (auto& p : probes)
      if (p->transfer)
        if (CURL* easy = p->transfer->handle()) curl_multi_remove_handle(multi.get(), easy);
    probes.clear();
    multi.reset();
    for (CURL* easy : idle) curl_easy_cleanup(easy);
    if (epoll >= 0) close(epoll);
    if (wakeup >= 0) close(wakeup);
  }

  // libcurl's socket callback: what to wait for on `s`, into the epoll set.
  static int on_socket(CURL*, curl_socket_t s, int what, void* user, void* assigned) noexcept {
    auto* self = static_cast<Impl*>(user);
    if (what == CURL_POLL_REMOVE) {
      epoll_ctl(self->epoll, EPOLL_CTL_DEL, s, nullptr);  // may be gone already: nothing to do then
      return 0;
    }
    epoll_event ev{};
    ev.data.fd = s;
    if (what == CURL_POLL_IN || what == CURL_POLL_INOUT) ev.events |= EPOLLIN;
    if (what == CURL_POLL_OUT || what == CURL_POLL_INOUT) ev.events |= EPOLLOUT;
    if (!assigned) {
      if (epoll_ctl(self->epoll, EPOLL_CTL_ADD, s, &ev) != 0 && errno == EEXIST)
        epoll_ctl(self->epoll, EPOLL_CTL_MOD, s, &ev);
      // Any non-null value: the socket is in the set (see `assigned` above).
      curl_multi_assign(self->multi.get(), s, self);
    } else if (epoll_ctl(self->epoll, EPOLL_CTL_MOD, s, &ev) != 0 && errno == ENOENT) {
      epoll_ctl(self->epoll, EPOLL_CTL_ADD, s, &ev);
    }
    return 0;
  }

  // libcurl's timer callback: -1 = no timeout, else within timeout_ms.
  static int on_timer(CURLM*, long timeout_ms, void* user) noexcept {
    auto* self = static_cast<Impl*>(user);
    if (timeout_ms < 0)
      self->timer.reset();
    else
      self->timer = Clock::now() + std::chrono::milliseconds(timeout_ms);
    return 0;
  }

  static Share make_share() {
    Share share(curl_share_init());
    if (share && curl_share_setopt(share.get(), CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION) != CURLSHE_OK)
      share.reset();
    return share;
  }

  // The share that keeps the TLS sessions of `url`'s host; `plain` for
  // plain HTTP or when libcurl cannot make another; nullptr only when it
  // could make none (then no handle ever joins one).
  CURLSH* share_for(const std::string& url) {
    if (!plain) return nullptr;
    std::string origin = tls_origin(url);
    if (origin.empty()) return plain.get();
    if (auto found = shares.find(origin); found != shares.end()) return found->second.get();
    if (shares.size() >= kMaxShares) return share_list[std::hash<std::string>()(origin) % share_list.size()];
    Share share = make_share();
    if (!share) return plain.get();
    CURLSH* raw = share.get();
    share_list.push_back(raw);
    shares.emplace(std::move(origin), std::move(share));
    return raw;
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
    p->transfer.emplace(p->spec, p->walk.hop(), p->result, p->walk.cookies());
    CURL* easy = p->transfer->start(left, reuse);
    if (!easy) {
      p->transfer.reset();  // the result says why
      return false;
    }
    curl_easy_setopt(easy, CURLOPT_PRIVATE, p);
    if (p->share) curl_easy_setopt(easy, CURLOPT_SHARE, p->share);  // curl_easy_reset keeps the last one
#if LIBCURL_VERSION_NUM >= 0x075700
    // Stopping a transfer that waits for a name must not wait for the
    // resolver thread (up to resolv.conf's timeout x attempts): collectd's
    // shutdown would hang that long. The thread ends on its own.
    curl_easy_setopt(easy, CURLOPT_QUICK_EXIT, 1L);
#endif
    if (!multi || epoll < 0 || curl_multi_add_handle(multi.get(), easy) != CURLM_OK) {
      p->result.transport = Transport::error;
      p->result.error = "curl_multi_add_handle failed";
      p->transfer.reset();
      return false;
    }
    return true;
  }

  // Ends a probe: its handle leaves the multi handle, its result the list.
  void finish(Probe* p) {
    detach(p, false);
    const std::size_t slot = p->slot;
    std::unique_ptr<Probe> owned = std::move(probes[slot]);
    if (slot + 1 != probes.size()) {
      probes[slot] = std::move(probes.back());
      probes[slot]->slot = slot;
    }
    probes.pop_back();
    done.emplace_back(owned->id, std::move(owned->result));
  }

  // What libcurl finished: the result, or the redirect's next hop.
  void collect() {
    int queued = 0;
    while (CURLMsg* msg = curl_multi_info_read(multi.get(), &queued)) {
      if (msg->msg != CURLMSG_DONE) continue;
      Probe* p = nullptr;
      curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &p);
      const CURLcode code = msg->data.result;
      if (!p || !p->transfer) continue;
      p->transfer->complete(code);
      // A redirect the walk follows: the next hop starts at once; its result
      // comes in a later run(), or in this one when it cannot start.
      if (p->walk.next(p->transfer->redirect_url(), p->result) && start_hop(p, detach(p, true))) continue;
      finish(p);
    }
  }

  // libcurl's timeout, when it is due (new transfers start there).
  void run_timer() {
    for (int rounds = 0; rounds < 8 && timer && *timer <= Clock::now(); ++rounds) {
      timer.reset();
      int running = 0;
      curl_multi_socket_action(multi.get(), CURL_SOCKET_TIMEOUT, 0, &running);
    }
  }

  int ms_until_timer(int wait_ms) const {
    if (!timer) return wait_ms;
    const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*timer - Clock::now()).count();
    // Round up: waking before the timeout would only wait again.
    return static_cast<int>(std::clamp<long long>(until + 1, 0, wait_ms));
  }

  void wait_and_act(int wait_ms) {
    epoll_event events[kMaxEvents];
    const int n = epoll_wait(epoll, events, kMaxEvents, ms_until_timer(wait_ms));
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == wakeup) {
        std::uint64_t count = 0;
        (void)!read(wakeup, &count, sizeof count);
        continue;
      }
      int mask = 0;
      if (events[i].events & EPOLLIN) mask |= CURL_CSELECT_IN;
      if (events[i].events & EPOLLOUT) mask |= CURL_CSELECT_OUT;
      if (events[i].events & (EPOLLERR | EPOLLHUP)) mask |= CURL_CSELECT_ERR;
      int running = 0;
      curl_multi_socket_action(multi.get(), fd, mask, &running);
    }
  }
};

ConcurrentProber::ConcurrentProber(int max_connections_per_host, int max_idle_connections)
    : impl_(std::make_unique<Impl>()) {
  if (!impl_->multi) return;
  if (max_connections_per_host > 0)
    curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(max_connections_per_host));
  set_max_idle_connections(max_idle_connections);
}

ConcurrentProber::~ConcurrentProber() = default;

void ConcurrentProber::set_max_idle_connections(int n) {
  // libcurl's default keeps 4 idle connections per handle in the multi
  // handle, so that between two rounds most would be closed and made again.
  if (impl_->multi && n > 0)
    curl_multi_setopt(impl_->multi.get(), CURLMOPT_MAXCONNECTS, static_cast<long>(n));
}

void ConcurrentProber::start(std::uint64_t id, RequestSpec spec) {
  auto probe = std::make_unique<Impl::Probe>(std::move(spec));
  probe->id = id;
  probe->share = impl_->share_for(probe->spec.url);
  if (probe->walk.begin(probe->result)) impl_->start_hop(probe.get(), impl_->reusable());
  probe->slot = impl_->probes.size();
  impl_->probes.push_back(std::move(probe));
}

ConcurrentProber::Done ConcurrentProber::run(int wait_ms) {
  Done out;
  run(wait_ms, out);
  return out;
}

void ConcurrentProber::run(int wait_ms, Done& done) {
  Impl& m = *impl_;
  m.done.swap(done);
  m.done.clear();
  // Probes whose result is final without libcurl (a bad URL, no handle, no
  // time left for the next hop).
  for (std::size_t i = 0; i < m.probes.size();) {
    Impl::Probe* p = m.probes[i].get();
    if (!p->transfer)
      m.finish(p);  // moves the last probe into slot i
    else
      ++i;
  }
  if (m.multi && m.epoll >= 0 && !m.probes.empty()) {
    m.run_timer();  // transfers added since the last run start here
    m.collect();
    m.wait_and_act(m.done.empty() ? std::max(0, wait_ms) : 0);
    m.run_timer();
    m.collect();
  }
  m.done.swap(done);
}

void ConcurrentProber::wake() {
  if (impl_->wakeup < 0) return;
  const std::uint64_t one = 1;
  (void)!write(impl_->wakeup, &one, sizeof one);
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
