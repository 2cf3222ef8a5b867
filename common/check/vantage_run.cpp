// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/vantage_run.h"

#include <chrono>
#include <memory>
#include <utility>

#include "base/text.h"
#include "check/prober_steps.h"
#include "credentials/credentials.h"
#include "evidence/proxy_answer.h"
#include "http/request.h"
#include "memory/remember.h"

namespace probewise {
namespace {

using Clock = std::chrono::steady_clock;

// How long one turn of the prober may wait for activity: the transfers' own
// timeouts end the run.
constexpr int kWaitMs = 1000;

// Why the way out failed, in words that name the vantage's own part.
std::string egress_words(const Vantage& v, const RequestSpec& asked, const ProbeResult& r) {
  if (asked.proxy.empty()) {
    const char* what = v.kind == Vantage::Kind::interface ? "its interface " : "its source address ";
    const std::string where = v.kind == Vantage::Kind::direct ? asked.interface : v.value;
    return what + where + " cannot be used on this host: " + r.error;
  }
  const std::string proxy = "its proxy " + asked.proxy;
  switch (r.transport) {
    case Transport::refused: return proxy + " refused the connection";
    case Transport::dns: return proxy + " does not resolve: " + r.error;
    case Transport::timeout: return proxy + " did not answer in time";
    case Transport::unreachable: return proxy + " is unreachable: " + r.error;
    case Transport::tls_handshake:
    case Transport::tls_untrusted: return "the TLS handshake with " + proxy + " failed: " + r.error;
    case Transport::ok:
    case Transport::error: break;
  }
  return proxy + " failed: " + r.error;
}

// Server text (a reason phrase) as it may stand in a status line: no '|'
// (which would start perfdata), no control characters.
std::string printable(std::string text) {
  for (char& c : text)
    if (c == '|' || static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return text;
}

// The words of the vantage's own finding, for the long output and notifications.
std::string finding_words(const Verdict& v) {
  for (const auto& f : v.findings)
    if (f.reason == v.reason && !f.message.empty()) return f.message;
  return v.headline;
}

}  // namespace

Expected<std::vector<RequestSpec>> vantage_requests(const RequestSpec& base,
                                                    const std::vector<Vantage>& vantages,
                                                    SecretRegistry* secrets) {
  std::vector<RequestSpec> out;
  out.reserve(vantages.size());
  for (const auto& v : vantages) {
    RequestSpec spec = from_vantage(base, v);
    if (secrets) secrets->put("--vantage " + v.name + " proxy", userinfo_secrets(spec.proxy));
    if (!v.proxy_auth_file.empty()) {
      auto auth = read_secret_file(v.proxy_auth_file);
      if (!auth) return Error{"--vantage " + v.name + ": proxy-auth-file: " + auth.error()};
      if (breaks_line(*auth))
        return Error{"--vantage " + v.name + ": proxy-auth-file: the credentials in '" + v.proxy_auth_file +
                     "' contain a line break (CR or LF) or NUL: no request carries them"};
      if (secrets) secrets->put("--vantage " + v.name + " proxy-auth-file", basic_secrets(*auth));
      spec.proxy_auth = *auth;
    }
    out.push_back(std::move(spec));
  }
  return out;
}

VantageSeen vantage_seen(const Vantage& vantage, const RequestSpec& asked, const ProbeResult& result,
                         const Verdict& verdict) {
  VantageSeen s;
  s.name = vantage.name;
  s.via = vantage_via(vantage);
  s.state = verdict.state;
  s.reason = verdict.reason;
  s.basis = verdict.basis;
  s.status = result.status;
  if (result.has_answer())
    s.status_text = std::to_string(result.status) +
                    (result.reason_phrase.empty() ? "" : " " + printable(result.reason_phrase));
  s.total_ms = static_cast<double>(result.timings.total_us) / 1000.0;
  s.detail = printable(finding_words(verdict));
  // What the endpoint saw; through a proxy, the proxy's own outgoing address is not known here.
  if (asked.proxy.empty()) s.address = result.local_ip;
  if (result.egress_failed) {
    s.ran = false;
    s.why_not = egress_words(vantage, asked, result);
    return s;
  }
  // An answer the vantage's proxy made itself: a refusal (its rules, its
  // credentials) is the vantage's problem; a 5xx says the proxy could not
  // get an answer from the target, a network failure seen from there.
  if (!asked.proxy.empty() && result.has_answer() && result.status >= 400) {
    const std::string by = proxy_origin(result.headers);
    if (result.status == 407 || (result.status == 403 && !by.empty())) {
      s.ran = false;
      s.why_not = "its proxy " + asked.proxy + " refused the request (" + s.status_text + ")";
    } else if (result.status >= 500 && !by.empty()) {
      s.reason = "net.error";
      s.basis = Basis::local;
      s.detail = by + " answered " + s.status_text + " itself: it could not reach the target";
      s.status = 0;  // no answer from the target
      s.status_text.clear();
    }
  }
  return s;
}

VantagesResult run_vantages(const CheckJob& job, const std::vector<Vantage>& vantages,
                            const std::vector<RequestSpec>& requests, const VantageRule& rule) {
  const std::time_t now = std::time(nullptr);
  const Clock::time_point start = Clock::now();
  auto elapsed_ms = [start] {
    return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
  };
  VantagesResult out;
  StateSlot state = open_state(job, out.notes);
  StateStore* store = state.store ? &*state.store : nullptr;
  std::optional<TokenDesk> tokens;
  if (job.oauth2) tokens.emplace(*job.oauth2, job.spec, store, job.secrets.get(), out.notes);

  struct Running {
    std::string key;
    std::optional<StoredState> previous;
    std::unique_ptr<CheckSteps> steps;
  };
  std::vector<Running> run(vantages.size());
  for (std::size_t i = 0; i < vantages.size(); ++i) {
    Context ctx;
    ctx.now = now;
    if (store) {
      run[i].key =
          state_key(state.identity + "|vantage|" + vantages[i].name + "=" + vantage_definition(vantages[i]));
      run[i].previous = state.load(run[i].key, out.notes);
      ctx.previous = run[i].previous;
    }
    run[i].steps =
        std::make_unique<CheckSteps>(requests[i], job.policy, job.oauth2.has_value(), std::move(ctx), 0);
  }

  // The collectd plugin's way (check/prober_steps.h): every check's steps on
  // one prober, the token fetched on it once for all.
  ConcurrentProber prober;
  auto advance = [&](std::size_t i) {
    CheckSteps& steps = *run[i].steps;
    for (;;) {
      switch (steps.next()) {
        case CheckSteps::Next::request: prober.start(i, steps.request(elapsed_ms())); return;
        case CheckSteps::Next::token:
          if (take_token(steps, tokens->broker(), tokens->slot(), i, prober, now, elapsed_ms())) continue;
          return;
        case CheckSteps::Next::done: return;
      }
    }
  };
  for (std::size_t i = 0; i < run.size(); ++i) advance(i);
  while (prober.in_flight() > 0) {
    for (auto& [id, result] : prober.run(kWaitMs)) {
      if (id >= kTokenFetchIdBase) {
        auto fetched =
            token_fetched(tokens->broker(), static_cast<std::size_t>(id - kTokenFetchIdBase), result, now,
                          [&](std::size_t i) { return i < run.size() ? run[i].steps.get() : nullptr; });
        if (fetched.token) tokens->remember(*fetched.token);
        for (std::size_t i : fetched.waiters) advance(i);
      } else if (id < run.size()) {
        run[id].steps->answer(std::move(result));
        advance(static_cast<std::size_t>(id));
      }
    }
  }

  std::vector<VantageSeen> seen;
  std::string credentials;
  bool note_failed_save = true;
  for (std::size_t i = 0; i < vantages.size(); ++i) {
    CheckOutcome o = run[i].steps->outcome();
    VantageResult v;
    v.definition = vantage_definition(vantages[i]);
    v.seen = vantage_seen(vantages[i], requests[i], o.result, o.verdict);
    if (i == 0) {
      credentials = o.sent.fingerprint;
      out.token_expires_at = o.verdict.token_expires_at;
    }
    if (store) {
      const auto& previous = run[i].previous;
      auto saved = store->record(run[i].key, next_state(previous, observe(o.result, o.verdict, o.sent), now),
                                 previous ? std::optional(state_meaning(*previous)) : std::nullopt);
      if (!saved && note_failed_save) {
        out.notes.push_back("change detection is off: " + saved.error());
        note_failed_save = false;
      }
    }
    v.result = std::move(o.result);
    v.verdict = std::move(o.verdict);
    seen.push_back(v.seen);
    out.vantages.push_back(std::move(v));
  }
  out.combined = combine_vantages(seen, rule);

  if (store) {
    std::string all;
    for (const auto& v : vantages) all += v.name + "=" + vantage_definition(v) + ";";
    const std::string key = state_key(state.identity + "|vantages|" + all);
    Remembered r = remember(*store, key, observe_combined(out.combined, credentials), now);
    if (!r.load_note.empty()) out.notes.push_back("state file " + r.load_note);
    out.change = std::move(r.change);
    if (!r.error.empty() && note_failed_save) out.notes.push_back("change detection is off: " + r.error);
  }
  return out;
}

}  // namespace probewise
