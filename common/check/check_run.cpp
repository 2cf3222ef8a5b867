// SPDX-License-Identifier: GPL-2.0-or-later
#include "check/check_run.h"

#include <unistd.h>

#include <chrono>

#include "credentials/credentials.h"
#include "http/request.h"
#include "memory/state_store.h"

namespace probewise {
namespace {

using Clock = std::chrono::steady_clock;

// Every request of the check shares the one -t budget.
class Budget {
 public:
  explicit Budget(long total_ms) : deadline_(Clock::now() + std::chrono::milliseconds(total_ms)) {}
  long left_ms() const {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()).count();
    return left > 1 ? static_cast<long>(left) : 1;
  }

 private:
  Clock::time_point deadline_;
};

ProbeResult perform_within(RequestSpec spec, const Budget& budget) {
  spec.timeout_ms = budget.left_ms();
  return perform(spec);
}

struct TokenSource {
  std::optional<OAuthToken> token;
  bool from_cache = false;
  std::optional<OAuthFailure> failure;
};

TokenSource obtain_token(const OAuth2Config& config, const RequestSpec& base, const StateStore* store,
                         const std::string& cache_name, bool use_cache, const Budget& budget, std::time_t now,
                         std::vector<std::string>& trace) {
  TokenSource out;
  if (use_cache && store)
    if (auto text = store->read_file(cache_name))
      if (auto cached = parse_token_cache(*text); cached && token_usable(*cached, now)) {
        out.token = cached;
        out.from_cache = true;
        return out;
      }
  auto secret = read_secret_file(config.client_secret_file);
  if (!secret) {
    out.failure = OAuthFailure{"auth.missing_credentials", "the OAuth client secret: " + secret.error(), {}};
    return out;
  }
  ProbeResult answer = perform_within(token_request(config, *secret, base), budget);
  trace.insert(trace.end(), answer.trace.begin(), answer.trace.end());
  OAuthFailure failure;
  auto token = read_token_response(answer, now, failure);
  if (!token) {
    out.failure = failure;
    return out;
  }
  out.token = *token;
  if (store) (void)store->write_file(cache_name, serialize_token(*token));
  return out;
}

}  // namespace

std::string check_identity(const RequestSpec& spec) {
  return std::to_string(geteuid()) + "|" + (spec.method.empty() ? "GET" : spec.method) + "|" + spec.url +
         "|" + spec.connect_host + "|" + std::to_string(spec.connect_port);
}

SentAuth sent_auth_of(const RequestSpec& spec, const std::optional<OAuthToken>& token) {
  SentAuth sent = describe_sent_auth(spec);
  if (token) {
    sent.kind = "OAuth access token";
    if (token->expires_at) sent.expires_at = token->expires_at;
    sent.issued_at = token->obtained_at;
  }
  return sent;
}

CheckOutcome run_check(const CheckJob& job, std::time_t (*clock)(std::time_t*)) {
  CheckOutcome out;
  Context ctx;
  ctx.now = clock(nullptr);
  Budget budget(job.spec.timeout_ms);

  std::optional<StateStore> store;
  std::string key;
  if (job.state.enabled) {
    auto opened = StateStore::open(job.state.dir.empty() ? default_state_dir() : job.state.dir);
    if (opened) {
      store = std::move(opened).value();
      key = state_key(job.state.key.empty() ? check_identity(job.spec) + "|" + job.state.identity
                                            : "key|" + job.state.key);
      ctx.previous = store->load(key);
    } else {
      ctx.notes.push_back("change detection is off: " + opened.error());
    }
  }

  RequestSpec spec = job.spec;
  std::vector<std::string> oauth_trace;
  std::optional<OAuthToken> token;
  bool token_from_cache = false;
  if (job.oauth2) {
    const std::string cache_name =
        "oauth-" + state_key(job.oauth2->token_url + "|" + job.oauth2->client_id + "|" + job.oauth2->scope) +
        ".json";
    auto source = obtain_token(*job.oauth2, spec, store ? &*store : nullptr, cache_name, true, budget,
                               ctx.now, oauth_trace);
    if (!source.token) {
      ctx.oauth_failure = source.failure;
    } else {
      token = source.token;
      token_from_cache = source.from_cache;
      spec.headers.push_back("Authorization: Bearer " + token->access_token);
      out.result = perform_within(spec, budget);
      // A cached token the server no longer takes: fetch a new one, once.
      if (out.result.status == 401 && token_from_cache) {
        auto fresh = obtain_token(*job.oauth2, job.spec, store ? &*store : nullptr, cache_name, false, budget,
                                  ctx.now, oauth_trace);
        if (fresh.token) {
          token = fresh.token;
          spec.headers.back() = "Authorization: Bearer " + token->access_token;
          out.result = perform_within(spec, budget);
        }
      }
    }
  } else {
    out.result = perform_within(spec, budget);
  }
  out.result.trace.insert(out.result.trace.begin(), oauth_trace.begin(), oauth_trace.end());

  out.sent = sent_auth_of(spec, token);
  ctx.sent = out.sent;
  if (job.policy.check_auth_enforced && !ctx.oauth_failure && out.result.has_answer())
    ctx.unauthenticated = perform_within(without_credentials(spec), budget);

  out.verdict = classify(out.result, job.policy, ctx);
  if (store) {
    auto saved =
        store->save(key, next_state(ctx.previous, observe(out.result, out.verdict, out.sent), ctx.now));
    if (!saved) out.verdict.notes.push_back("change detection is off: " + saved.error());
  }
  return out;
}

}  // namespace probewise
