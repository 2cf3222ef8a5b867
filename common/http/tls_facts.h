// SPDX-License-Identifier: GPL-2.0-or-later
// TLS on an easy handle: the spec's TLS wishes (-S, -D, --ca-cert, -J/-K)
// as libcurl options, and the peer certificate's facts after the transfer.
#pragma once

#include <curl/curl.h>

#include <optional>

#include "http/probe_result.h"
#include "http/request_spec.h"

namespace probewise {

void set_tls_options(CURL* h, const RequestSpec& spec);

// The peer certificate (CURLOPT_CERTINFO must have been on), or nullopt.
std::optional<Certificate> read_certificate(CURL* h);

}  // namespace probewise
