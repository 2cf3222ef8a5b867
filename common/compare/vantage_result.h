// SPDX-License-Identifier: GPL-2.0-or-later
// What a run from several vantages found (SPEC 1.7), for the renderers
// (output/render.h): each vantage's own result and verdict, what the rule
// read from it, and the combined verdict with its change (SPEC 1.4).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compare/vantages.h"
#include "http/probe_result.h"
#include "judge/verdict.h"
#include "memory/change.h"

namespace probewise {

struct VantageResult {
  VantageSeen seen;
  std::string definition;  // as given: "source:192.0.2.10", "via:http://proxy:3128", "direct"
  ProbeResult result;
  Verdict verdict;  // the vantage's own, with its change
};

struct VantagesResult {
  std::vector<VantageResult> vantages;
  CombinedVerdict combined;
  std::optional<Change> change;  // of the combined verdict
  std::vector<std::string> notes;
  std::optional<std::time_t> token_expires_at;  // the monitor's own token
};

}  // namespace probewise
