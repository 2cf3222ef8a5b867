// SPDX-License-Identifier: GPL-2.0-or-later
// check_probewise from several vantages (SPEC 1.7): the check's steps once
// per vantage, all on one ConcurrentProber (check/prober_steps.h, as the
// collectd plugin drives its endpoints) within the one -t budget, each
// judged on its own, then combined by compare/vantages.h. The state of each
// vantage and of the combination is remembered for change detection.
#pragma once

#include <ctime>
#include <vector>

#include "check/check_run.h"
#include "compare/vantage_result.h"
#include "http/vantage.h"

namespace probewise {

// The request from each vantage: `base` (credentials on it already) leaving
// as the vantage says, with its proxy's credentials read from their file
// and registered with `secrets` (when given). The error names the vantage
// and the file, never the content.
Expected<std::vector<RequestSpec>> vantage_requests(const RequestSpec& base,
                                                    const std::vector<Vantage>& vantages,
                                                    SecretRegistry* secrets = nullptr);

// Runs `requests` (from vantage_requests()) concurrently within the job's
// budget, judges each with job.policy and combines them.
VantagesResult run_vantages(const CheckJob& job, const std::vector<Vantage>& vantages,
                            const std::vector<RequestSpec>& requests, const VantageRule& rule);

// What the rule reads from one vantage's check (`asked`: its request): its
// verdict, and whether the vantage itself could not probe (its proxy failed
// or refused to forward, its source address or interface is not usable
// here). Pure.
VantageSeen vantage_seen(const Vantage& vantage, const RequestSpec& asked, const ProbeResult& result,
                         const Verdict& verdict);

}  // namespace probewise
