// SPDX-License-Identifier: GPL-2.0-or-later
// collectd_plugin/report and dispatch: the values and notifications one
// finished check becomes, from real verdicts (classify() on recorded or
// made-up answers), and what collectd's dispatch functions receive.
#include "report.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "collectd_plugin/collectd_stubs.h"
#include "dispatch.h"
#include "support/recorded.h"

namespace probewise {
namespace {

constexpr std::time_t kNow = 1795824000;  // 2026-11-28T00:00:00Z
constexpr std::time_t kDay = 86400;

struct Probe {
  EndpointConfig endpoint;
  CheckOutcome outcome;
  std::optional<StoredState> previous;

  Probe(const std::string& url, ProbeResult r, std::optional<StoredState> before = std::nullopt,
        const SentAuth& sent = {}) {
    endpoint.name = "api";
    endpoint.url = url;
    EndpointSettings settings;
    settings.interval_s = 30;
    endpoint.settings = std::make_shared<const EndpointSettings>(settings);
    previous = std::move(before);
    Context c;
    c.now = kNow;
    c.previous = previous;
    c.sent = sent;
    outcome.sent = sent;
    outcome.verdict = classify(r, endpoint.job().policy, c);
    outcome.result = std::move(r);
  }
  EndpointReport report() const { return EndpointReport{endpoint, outcome, previous, kNow + 0.25}; }
  Dispatch dispatch() const { return describe(report()); }
};

ProbeResult answer(int status, const std::string& headers = "", long new_connections = 1) {
  ProbeResult r;
  r.status = status;
  r.http_version = "HTTP/1.1";
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.headers = parse_header_block(headers);
  r.new_connections = new_connections;
  r.timings.dns_us = 1000;
  r.timings.connect_us = 2000;
  r.timings.tls_us = 3000;
  r.timings.ttfb_us = 4000;
  r.timings.total_us = 12000;
  return r;
}

StoredState was(int status, const std::string& reason, State state, std::time_t since) {
  StoredState s;
  s.status = status;
  s.status_text = status ? std::to_string(status) : "";
  s.reason = reason;
  s.state = state;
  s.since = since;
  s.checked = kNow - 30;
  return s;
}

std::map<std::string, double> by_name(const Dispatch& d) {
  std::map<std::string, double> out;
  for (const auto& v : d.values)
    out[v.type + (v.type_instance.empty() ? "" : "-" + v.type_instance)] = v.value;
  return out;
}

std::string meta(const NotificationRecord& n, const std::string& name) {
  for (const auto& [k, v] : n.text_meta)
    if (k == name) return v;
  for (const auto& [k, v] : n.number_meta)
    if (k == name) return std::to_string(v);
  return "<none>";
}

// SPEC 2's values for a healthy HTTP endpoint on a new connection.
TEST(CollectdReport, HealthyValues) {
  Probe p("http://127.0.0.1/", answer(200), was(200, "ok", State::ok, kNow - kDay));
  Dispatch d = p.dispatch();
  EXPECT_EQ(d.plugin_instance, "api");
  EXPECT_EQ(d.time, kNow + 0.25);
  EXPECT_EQ(d.interval, 30);
  auto v = by_name(d);
  EXPECT_EQ(v.size(), 7u) << "no TLS values over plain HTTP, no token value without a token";
  EXPECT_DOUBLE_EQ(v["response_time"], 0.012);
  EXPECT_DOUBLE_EQ(v["duration-dns"], 0.001);
  EXPECT_DOUBLE_EQ(v["duration-connect"], 0.002);
  EXPECT_DOUBLE_EQ(v["duration-ttfb"], 0.004);
  EXPECT_EQ(v["response_code"], 200);
  EXPECT_EQ(v["bool-up"], 1);
  EXPECT_EQ(v["gauge-state"], 0);
  EXPECT_FALSE(d.notification) << "nothing changed";
}

// Values (the endpoint's choice) leaves the others out; the notification stays.
TEST(CollectdReport, OnlyTheChosenValues) {
  Probe p("http://127.0.0.1/", answer(401), was(200, "ok", State::ok, kNow - kDay));
  EndpointSettings chosen = *p.endpoint.settings;
  chosen.values = 0;
  for (const char* wanted : {"response_code", "gauge-state"})
    chosen.values |= std::uint32_t{1} << value_index(wanted).value();
  p.endpoint.settings = std::make_shared<const EndpointSettings>(chosen);
  Dispatch d = p.dispatch();
  auto v = by_name(d);
  EXPECT_EQ(v.size(), 2u);
  EXPECT_EQ(v["response_code"], 401);
  EXPECT_EQ(v["gauge-state"], 1);
  EXPECT_TRUE(d.notification) << "200 -> 401 is announced whatever the values";
}

// A reused connection made no DNS lookup, no TCP or TLS handshake: those
// phases are left out, rather than reported as 0.
TEST(CollectdReport, ReusedConnectionLeavesSetupPhasesOut) {
  ProbeResult r = answer(200, "", 0);
  Certificate cert;
  cert.not_after = kNow + 41 * kDay;
  r.certificate = cert;
  Probe p("https://127.0.0.1/", r);
  auto v = by_name(p.dispatch());
  EXPECT_EQ(v.count("duration-dns"), 0u);
  EXPECT_EQ(v.count("duration-connect"), 0u);
  EXPECT_EQ(v.count("duration-tls"), 0u);
  EXPECT_DOUBLE_EQ(v["duration-ttfb"], 0.004);
  EXPECT_NEAR(v["timeleft-tls"], 41 * kDay - 0.25, 1e-6);
}

TEST(CollectdReport, TokenTimeLeftNeverNegative) {
  SentAuth sent;
  sent.sent = true;
  sent.kind = "access token";
  sent.expires_at = kNow + 3600;
  Probe fine("http://127.0.0.1/", answer(200), std::nullopt, sent);
  EXPECT_NEAR(by_name(fine.dispatch())["timeleft-token"], 3600 - 0.25, 1e-6);
  sent.expires_at = kNow - 2 * kDay;
  Probe expired("http://127.0.0.1/", answer(200), std::nullopt, sent);
  EXPECT_EQ(by_name(expired.dispatch())["timeleft-token"], 0) << "types.db: timeleft is 0:U";
}

// A target that is down is data: up 0, state 2, no answer values.
TEST(CollectdReport, DownIsData) {
  auto refused = testing::load_recorded(PROBEWISE_TEST_DATA "/responses/refused.txt");
  Probe p("http://127.0.0.1:8080/", refused.result, was(200, "ok", State::ok, kNow - 3 * kDay));
  Dispatch d = p.dispatch();
  auto v = by_name(d);
  EXPECT_EQ(v["bool-up"], 0);
  EXPECT_EQ(v["gauge-state"], 2);
  EXPECT_TRUE(std::isnan(v["response_time"]));
  EXPECT_TRUE(std::isnan(v["response_code"]));
  EXPECT_TRUE(std::isnan(v["duration-ttfb"]));
  ASSERT_TRUE(d.notification);
  EXPECT_EQ(d.notification->severity, Severity::failure);
  EXPECT_EQ(d.notification->message.rfind(
                "api: 200 -> no answer (net.refused): connection refused: Failed to connect", 0),
            0u)
      << d.notification->message;
}

// SPEC 2's example: "api: 200 -> 401 (auth.expired_credentials): the access token expired 2 days ago".
TEST(CollectdReport, ChangeToExpiredCredentials) {
  SentAuth sent;
  sent.sent = true;
  sent.kind = "access token";
  sent.expires_at = kNow - 2 * kDay;
  sent.fingerprint = "f1";
  Probe p("http://127.0.0.1/",
          answer(401,
                 "WWW-Authenticate: Bearer realm=\"api\", error=\"invalid_token\", "
                 "error_description=\"The access token expired\"\r\n"),
          was(200, "ok", State::ok, kNow - 3 * kDay), sent);
  ASSERT_EQ(p.outcome.verdict.reason, "auth.expired_credentials");
  auto n = p.dispatch().notification;
  ASSERT_TRUE(n);
  EXPECT_EQ(n->severity, Severity::warning);
  EXPECT_EQ(
      n->message,
      "api: 200 -> 401 (auth.expired_credentials): expired credentials: the access token expired 2d ago");
  EXPECT_EQ(meta(*n, "reason"), "auth.expired_credentials");
  EXPECT_EQ(meta(*n, "basis"), "local") << "the check knows the token it sent expired";
  EXPECT_EQ(meta(*n, "old_status"), "200");
  EXPECT_EQ(meta(*n, "new_status"), "401");
  EXPECT_EQ(meta(*n, "old_reason"), "ok");
  EXPECT_EQ(meta(*n, "state"), "WARNING");
  EXPECT_EQ(meta(*n, "old_state"), "OK");
  EXPECT_EQ(meta(*n, "url"), "http://127.0.0.1/");
  EXPECT_NE(meta(*n, "change").find("changed from 200 (for 3d, since"), std::string::npos)
      << meta(*n, "change");
  EXPECT_NE(meta(*n, "hint"), "<none>");
}

TEST(CollectdReport, RecoveryIsOkay) {
  Probe p("http://127.0.0.1/", answer(200), was(401, "auth.invalid_credentials", State::warning, kNow - 600));
  auto n = p.dispatch().notification;
  ASSERT_TRUE(n);
  EXPECT_EQ(n->severity, Severity::okay);
  EXPECT_EQ(n->message, "api: 401 -> 200 (ok): OK again after 10m of auth.invalid_credentials");
}

// Same status, another reason: a change too (a 403 from permissions to a WAF).
TEST(CollectdReport, ReasonChangeAlone) {
  ProbeResult r = answer(403,
                         "Server: cloudflare\r\nCF-RAY: 8c0ffee0ddba11ed-FRA\r\n"
                         "Content-Type: text/html; charset=UTF-8\r\n");
  r.body =
      "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
      "<body><h1>Sorry, you have been blocked</h1></body></html>";
  r.body_bytes = r.body.size();
  Probe p("http://127.0.0.1/", r, was(403, "forbidden.permission", State::warning, kNow - 600));
  ASSERT_EQ(p.outcome.verdict.reason, "forbidden.waf");
  auto n = p.dispatch().notification;
  ASSERT_TRUE(n);
  EXPECT_EQ(n->message.rfind("api: 403 -> 403 (forbidden.waf): blocked by a WAF rule", 0), 0u) << n->message;
  EXPECT_EQ(meta(*n, "old_reason"), "forbidden.permission");
}

TEST(CollectdReport, FirstProbe) {
  Probe ok("http://127.0.0.1/", answer(200));
  EXPECT_FALSE(ok.dispatch().notification) << "nothing to say about a healthy start";
  Probe bad("http://127.0.0.1/", answer(503));
  auto n = bad.dispatch().notification;
  ASSERT_TRUE(n);
  EXPECT_EQ(n->severity, Severity::failure);
  EXPECT_EQ(n->message.rfind("api: 503 (http.server_error)", 0), 0u) << n->message;
  EXPECT_EQ(meta(*n, "old_status"), "<none>");
}

TEST(CollectdReport, NoChangeNoNotification) {
  Probe p("http://127.0.0.1/", answer(503), was(503, "http.server_error", State::critical, kNow - 600));
  EXPECT_FALSE(p.dispatch().notification);
}

TEST(CollectdReport, ClipUtf8) {
  EXPECT_EQ(clip_utf8("short", 10), "short");
  EXPECT_EQ(clip_utf8("abcdefghij", 8), "abcde...");
  // "é" is two bytes: the cut never splits it.
  EXPECT_EQ(clip_utf8("abcd\xC3\xA9xyz", 8), "abcd...");
  EXPECT_EQ(clip_utf8(std::string(300, 'x'), kMaxMessageBytes).size(), kMaxMessageBytes);
}

// What collectd receives: one value list per value, names in the fields,
// collectd's time units, the host left to collectd; the notification with
// the host filled in and its meta data freed afterwards.
TEST(CollectdDispatch, ValueListsAndNotification) {
  testing::reset_seen();
  Probe p("http://127.0.0.1/", answer(401), was(200, "ok", State::ok, kNow - kDay));
  Dispatch d = p.dispatch();
  EXPECT_EQ(dispatch_to_collectd(d), 0);
  const auto& s = testing::seen();
  ASSERT_EQ(s.values.size(), d.values.size());
  for (std::size_t i = 0; i < d.values.size(); ++i) {
    const auto& v = s.values[i];
    EXPECT_EQ(v.host, "") << "collectd fills in its Hostname";
    EXPECT_EQ(v.plugin, "probewise");
    EXPECT_EQ(v.plugin_instance, "api");
    EXPECT_EQ(v.type, d.values[i].type);
    EXPECT_EQ(v.type_instance, d.values[i].type_instance);
    EXPECT_EQ(v.values_len, 1u);
    EXPECT_EQ(v.time, static_cast<std::uint64_t>((kNow + 0.25) * 1073741824.0));
    EXPECT_EQ(v.interval, std::uint64_t{30} << 30);
  }
  ASSERT_EQ(s.notifications.size(), 1u);
  const auto& n = s.notifications[0];
  EXPECT_EQ(n.severity, 2);  // NOTIF_WARNING
  EXPECT_EQ(n.host, "stub-host");
  EXPECT_EQ(n.plugin, "probewise");
  EXPECT_EQ(n.plugin_instance, "api");
  EXPECT_EQ(n.message, d.notification->message);
  EXPECT_FALSE(n.meta.empty());
  EXPECT_EQ(s.meta_alive, 0) << "meta data freed after dispatch";
}

TEST(CollectdDispatch, LongNamesAreCut) {
  testing::reset_seen();
  Dispatch d;
  d.plugin_instance = std::string(300, 'n');
  d.time = kNow;
  d.interval = 10;
  d.values.push_back({"gauge", "state", 0});
  dispatch_to_collectd(d);
  ASSERT_EQ(testing::seen().values.size(), 1u);
  EXPECT_EQ(testing::seen().values[0].plugin_instance.size(), 127u);
}

// Batches flush when old enough, when full, or at once when they hold a
// notification; they say how long the thread may sleep before the next
// flush. At shutdown only the notifications still go out.
TEST(CollectdDispatch, Batches) {
  std::vector<std::pair<std::string, bool>> sent;
  DispatchBatch batch([&](const Dispatch& d, bool values) {
    sent.emplace_back(d.plugin_instance, values);
    return 0;
  });
  EXPECT_EQ(batch.maybe_flush(), -1) << "empty: no deadline";
  auto at = DispatchBatch::Clock::now();
  Dispatch d;
  d.plugin_instance = "a";
  batch.add(d);
  const int due = batch.maybe_flush(at);
  EXPECT_TRUE(sent.empty()) << "the batch is young";
  EXPECT_GT(due, 0);
  EXPECT_LE(due, DispatchBatch::kMaxDelay.count() + 1);
  EXPECT_EQ(batch.maybe_flush(at + DispatchBatch::kMaxDelay + std::chrono::milliseconds(5)), -1);
  EXPECT_EQ(sent.size(), 1u) << "old enough";
  Dispatch changed = d;
  changed.plugin_instance = "b";
  changed.notification = NotificationRecord{};
  batch.add(d);
  batch.add(changed);
  batch.maybe_flush(DispatchBatch::Clock::now());
  ASSERT_EQ(sent.size(), 3u) << "a notification goes out at once, after the values before it";
  EXPECT_EQ(sent[1].first, "a");
  EXPECT_EQ(sent[2].first, "b");
  batch.add(d);
  batch.maybe_flush(DispatchBatch::Clock::now());
  EXPECT_EQ(sent.size(), 3u) << "values alone wait again";
  batch.flush();
  for (std::size_t i = 0; i < DispatchBatch::kMaxPending; ++i) batch.add(d);
  batch.maybe_flush(DispatchBatch::Clock::now());
  EXPECT_EQ(sent.size(), 4u + DispatchBatch::kMaxPending) << "full";
  batch.add(d);
  batch.flush(false);
  EXPECT_FALSE(sent.back().second) << "notifications only";
  EXPECT_EQ(batch.size(), 0u);
}

TEST(CollectdDispatch, LogPrefix) {
  testing::reset_seen();
  log_to_collectd(LogLevel::error, "100% sure: %s is not a format");
  ASSERT_EQ(testing::seen().log.size(), 1u);
  EXPECT_EQ(testing::seen().log[0].second, "probewise plugin: 100% sure: %s is not a format");
}

// SPEC 1.6: what leaves for collectd (notification text and meta data, log
// lines) shows URL secrets as [redacted], whatever put them there.
TEST(CollectdDispatch, UrlSecretsRedacted) {
  testing::reset_seen();
  Dispatch d;
  d.plugin_instance = "api";
  d.time = kNow;
  d.interval = 10;
  NotificationRecord n;
  n.message = "api: 200 -> 401 at https://u:pw@h/x?access_token=tok1";
  n.text_meta.emplace_back("url", "https://h/x?api_key=key2&page=1");
  d.notification = n;
  dispatch_to_collectd(d);
  log_to_collectd(LogLevel::warning, "<Endpoint> URL \"https://h/?sig=sig3\"");
  const auto& s = testing::seen();
  ASSERT_EQ(s.notifications.size(), 1u);
  EXPECT_EQ(s.notifications[0].message, "api: 200 -> 401 at https://[redacted]@h/x?access_token=[redacted]");
  bool url_seen = false;
  for (const auto& [name, text] : s.notifications[0].meta)
    if (name == "url") {
      url_seen = true;
      EXPECT_EQ(text, "https://h/x?api_key=[redacted]&page=1");
    }
  EXPECT_TRUE(url_seen);
  ASSERT_EQ(s.log.size(), 1u);
  EXPECT_EQ(s.log[0].second, "probewise plugin: <Endpoint> URL \"https://h/?sig=[redacted]\"");
}

}  // namespace
}  // namespace probewise
