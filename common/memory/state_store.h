// SPDX-License-Identifier: GPL-2.0-or-later
// The last result of each check, remembered for change detection (SPEC 1.4).
// One small JSON file per key in a private directory; written to a temporary
// file and renamed, so concurrent runs never leave a torn file; never
// follows a link planted by someone else. Holds no secret, only a
// fingerprint of the credentials.
#pragma once

#include <cstddef>
#include <ctime>
#include <optional>
#include <string>

#include "base/expected.h"
#include "judge/state.h"
#include "secrets/secret_registry.h"

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

// The JSON of a state file; the server's wording in it (status_text) with
// every secret of `secrets` redacted, and URL secrets by shape.
std::string serialize_state(const StoredState& s, const SecretRegistry* secrets = nullptr);

// What a state says apart from when it was last seen (a digest): while it
// stays the same, the state file is not rewritten, only touched.
std::size_t state_meaning(const StoredState& s);
Expected<StoredState> parse_state_json(const std::string& text);

class StateStore {
 public:
  // Opens (creating, mode 0700) a directory that must belong to this user
  // and not be writable by others, unless it is a directory the packages
  // made for the monitoring users (group-writable by design, sticky).
  // `secrets` (it must outlive the store) redacts what the files say.
  static Expected<StateStore> open(const std::string& dir, const SecretRegistry* secrets = nullptr);
  const std::string& dir() const { return dir_; }

  // The key's state. A file touched since it was written (see record())
  // was checked again at its modification time: that time is `checked`,
  // and `last_success` too when the file was written at a success. Files
  // are opened without waiting: something other than a regular file in
  // the place of one (a FIFO) is no state, and `note` (when given) says so.
  std::optional<StoredState> load(const std::string& key, std::string* note = nullptr) const;
  Expected<bool> save(const std::string& key, const StoredState& state) const;
  // Records `next` for a key whose file says `saved` (the state_meaning()
  // of what load() gave or of what was last saved; nullopt: no file): the
  // file is rewritten when what it says changed, else only its
  // modification time moves to next.checked, so that a steady check
  // creates and frees no file (on ext4 with online discard, every freed
  // file costs a discard).
  Expected<bool> record(const std::string& key, const StoredState& next,
                        std::optional<std::size_t> saved) const;

  // Raw files beside the states (the OAuth token cache), same safety rules.
  std::optional<std::string> read_file(const std::string& name, std::string* note = nullptr) const;
  Expected<bool> write_file(const std::string& name, const std::string& content) const;

 private:
  StateStore(std::string dir, const SecretRegistry* secrets) : dir_(std::move(dir)), secrets_(secrets) {}
  std::optional<std::string> read_regular(const std::string& name, std::time_t* modified,
                                          std::string* note) const;
  Expected<bool> write_atomic(const std::string& name, const std::string& content,
                              const std::time_t* modified) const;
  bool touch(const std::string& name, std::time_t when) const;
  std::string dir_;
  const SecretRegistry* secrets_ = nullptr;
};

// The default directory (SPEC 1.4): $PROBEWISE_STATE_DIR, else
// /var/lib/probewise when usable (the packages create it), else
// $XDG_STATE_HOME/probewise or ~/.local/state/probewise, else
// /tmp/probewise-<uid>.
std::string default_state_dir();

// A file name for whatever identifies a check: 32 hex digits of SHA-256.
std::string state_key(const std::string& identity);

}  // namespace probewise
