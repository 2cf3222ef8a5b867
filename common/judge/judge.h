// SPDX-License-Identifier: GPL-2.0-or-later
// The steps of classify(), one class with the judgement's state; its members
// are defined by concern: judge/classify.cpp (the sequence and the summing
// up), judge/judge_status.cpp (what failed before an answer, and the
// judgement by status class), judge/judge_expectations.cpp (health, dates,
// strings, regex, size, --check-auth-enforced) and judge/judge_thresholds.cpp
// (response time, the monitor's token). Internal to judge/.
#pragma once

#include <array>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "judge/classify.h"
#include "judge/diagnose.h"

namespace probewise::judge_detail {

// check_curl's default verdict by status class, when no expectation applies.
struct StatusClass {
  int low, high;
  std::string_view reason;
  State state;
  bool redirect;  // the state comes from -f instead
};
const StatusClass* status_class(int status);
std::string_view class_reason(int status);  // the class's reason, or http.unexpected_status
std::string_view transport_reason(Transport t);
std::string shown_search(const std::string& s);  // check_curl cuts search strings of 30+ characters
std::string gmt_stamp(std::time_t t);            // check_curl's "%c %z" in GMT
void add_unique(std::vector<std::string>& list, std::string item);
std::string format(const char* fmt, double a, double b = 0, double c = 0);

class Judge {
 public:
  Judge(const ProbeResult& r, const Policy& p, const Context& c) : r_(r), p_(p), c_(c), now_(c.now) {}
  Verdict run();

 private:
  void add(std::string_view reason, State state, std::string message, Basis basis = Basis::local);

  void oauth_failed();

  // The diagnosis of a denial, as a finding with the state the status gave.
  void status_finding(State state, std::string_view fallback_reason, std::string fallback_message = "");

  void transport();

  void redirect_problem();

  bool certificate_checked(Finding& f);

  void certificate_only();

  void certificate_too();

  // Returns false when the status alone decides (check_curl stops there).
  bool status();

  // --health: read the document once; true when it was read.
  bool health_read();

  void health();

  void auth_enforced();

  void token_expiry();

  void dates();

  void header_string();

  void body_string();

  // The URL messages name: the policy's, else the one asked.
  const std::string& shown_url() const { return p_.display_url.empty() ? r_.url : p_.display_url; }

  void regex();

  void page_size();

  void response_time();

  void finish();

  // Change detection: the change goes on the status line; a flip from
  // success to a denial with the very credentials that worked is a hint of
  // its own.
  void detect();

  void gather_evidence();

  const ProbeResult& r_;
  const Policy& p_;
  const Context& c_;
  std::time_t now_;
  Verdict v_;
  std::optional<Diagnosis> diagnosis_;
  bool health_tried_ = false;
  std::string health_error_;
};

}  // namespace probewise::judge_detail
