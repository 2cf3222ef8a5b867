// SPDX-License-Identifier: GPL-2.0-or-later
// Made-up answers for the tests that drive the check sequence and the token
// broker without a network.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <string>
#include <utility>

#include "credentials/oauth2.h"
#include "http/header_map.h"
#include "http/probe_result.h"

namespace probewise::testing {

constexpr std::time_t kMadeUpNow = 1795824000;  // 2026-11-28T00:00:00Z

inline ProbeResult made_up_answer(int status, std::string body = "", const std::string& headers = "") {
  ProbeResult r;
  r.status = status;
  r.http_version = "HTTP/1.1";
  r.status_line = "HTTP/1.1 " + std::to_string(status);
  r.body = std::move(body);
  r.body_bytes = r.body.size();
  r.new_connections = 1;
  if (!headers.empty()) r.headers = parse_header_block(headers);
  return r;
}

// A token endpoint's answer with `token`, valid for an hour.
inline ProbeResult token_answer(const std::string& token) {
  ProbeResult r = made_up_answer(
      200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}",
      "Content-Type: application/json\r\n");
  r.url = "http://127.0.0.1/token";
  return r;
}

inline OAuthToken made_up_token(const std::string& value) {
  OAuthToken t;
  t.access_token = value;
  t.token_type = "Bearer";
  t.obtained_at = kMadeUpNow;
  t.expires_at = kMadeUpNow + 3600;
  return t;
}

// An OAuth client secret in a temporary file, removed with the object.
class SecretFile {
 public:
  SecretFile() {
    char name[] = "/tmp/probewise-secret-XXXXXX";
    const int fd = mkstemp(name);
    if (fd >= 0) {
      const ssize_t written = write(fd, "s3cret\n", 7);
      (void)written;
      close(fd);
      path_ = name;
    }
  }
  ~SecretFile() {
    if (!path_.empty()) std::remove(path_.c_str());
  }
  SecretFile(const SecretFile&) = delete;
  SecretFile& operator=(const SecretFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace probewise::testing
