// SPDX-License-Identifier: GPL-2.0-or-later
// The last result of each check, remembered for change detection (SPEC 1.4).
// One small JSON file per key in a private directory; written to a temporary
// file and renamed, so concurrent runs never leave a torn file; never
// follows a link planted by someone else. Holds no secret, only a
// fingerprint of the credentials.
#pragma once

#include <ctime>
#include <optional>
#include <string>

#include "base/expected.h"
#include "judge/state.h"

namespace probewise {

struct StoredState {
  int status = 0;           // 0 when no HTTP answer
  std::string status_text;  // "200 OK", "refused"
  std::string reason;       // primary reason code
  State state = State::ok;
  std::time_t since = 0;    // when this status began
  std::time_t checked = 0;  // when it was last seen
  std::string credentials;  // fingerprint of what was sent ("" = none)
  // The last success (2xx/3xx answer judged OK), for "same credentials that worked".
  std::time_t last_success = 0;
  std::string success_credentials;
};

std::string serialize_state(const StoredState& s);
Expected<StoredState> parse_state_json(const std::string& text);

class StateStore {
 public:
  // Opens (creating, mode 0700) a directory that must belong to this user
  // and not be writable by others, unless it is a directory the packages
  // made for the monitoring users (group-writable by design, sticky).
  static Expected<StateStore> open(const std::string& dir);
  const std::string& dir() const { return dir_; }

  std::optional<StoredState> load(const std::string& key) const;
  Expected<bool> save(const std::string& key, const StoredState& state) const;

  // Raw files beside the states (the OAuth token cache), same safety rules.
  std::optional<std::string> read_file(const std::string& name) const;
  Expected<bool> write_file(const std::string& name, const std::string& content) const;

 private:
  explicit StateStore(std::string dir) : dir_(std::move(dir)) {}
  std::string dir_;
};

// The default directory (SPEC 1.4): $PROBEWISE_STATE_DIR, else
// /var/lib/probewise when usable (the packages create it), else
// $XDG_STATE_HOME/probewise or ~/.local/state/probewise, else
// /tmp/probewise-<uid>.
std::string default_state_dir();

// A file name for whatever identifies a check: 32 hex digits of SHA-256.
std::string state_key(const std::string& identity);

}  // namespace probewise
