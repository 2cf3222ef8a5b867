// SPDX-License-Identifier: GPL-2.0-or-later
#include "memory/state_store.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <nlohmann/json.hpp>
#include <random>

#include "base/digest.h"
#include "base/files.h"

namespace probewise {
namespace {

using json = nlohmann::json;

constexpr std::size_t kMaxFile = 64 * 1024;

std::string errno_text() {
  return std::strerror(errno);
}

// The directory must be ours and closed to others, or a sticky shared
// directory made by root for the monitoring group.
Expected<bool> check_directory(const std::string& dir) {
  struct stat st {};
  if (lstat(dir.c_str(), &st) != 0) return Error{"cannot stat " + dir + ": " + errno_text()};
  if (S_ISLNK(st.st_mode)) return Error{dir + " is a symbolic link"};
  if (!S_ISDIR(st.st_mode)) return Error{dir + " is not a directory"};
  const bool ours = st.st_uid == geteuid();
  const bool root_shared = st.st_uid == 0 && (st.st_mode & S_ISVTX) && !(st.st_mode & S_IWOTH);
  if (!ours && !root_shared) return Error{dir + " belongs to another user"};
  if (ours && (st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
    return Error{dir + " is writable by others"};
  if (access(dir.c_str(), W_OK | X_OK) != 0) return Error{"cannot write to " + dir + ": " + errno_text()};
  return true;
}

Expected<bool> make_private_dir(const std::string& dir) {
  // Create each missing component with 0700; only the last must be ours.
  for (std::size_t pos = 1; pos != std::string::npos;) {
    pos = dir.find('/', pos + 1);
    std::string part = dir.substr(0, pos);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      return Error{"cannot create " + part + ": " + errno_text()};
  }
  return check_directory(dir);
}

bool valid_name(const std::string& name) {
  return !name.empty() && name.find('/') == std::string::npos && name[0] != '.';
}

}  // namespace

std::string serialize_state(const StoredState& s, const SecretRegistry* secrets) {
  json j = {{"version", 1},
            {"status", s.status},
            {"status_text", s.status_text},
            {"reason", s.reason},
            {"state", std::string(state_name(s.state))},
            {"since", s.since},
            {"checked", s.checked},
            {"credentials", s.credentials},
            {"last_success", s.last_success},
            {"success_credentials", s.success_credentials}};
  // status_text is the server's wording: nothing it repeats leaves unredacted.
  const std::string text = j.dump(2, ' ', false, json::error_handler_t::replace);
  return redact(text, secrets) + "\n";
}

std::size_t state_meaning(const StoredState& s) {
  std::size_t h = std::hash<std::string>{}(s.status_text + '\n' + s.reason + '\n' + s.credentials + '\n' +
                                           s.success_credentials);
  auto mix = [&h](std::size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  mix(static_cast<std::size_t>(s.status));
  mix(static_cast<std::size_t>(s.state));
  mix(static_cast<std::size_t>(s.since));
  // A success moves last_success with every check: then only "it was a
  // success" is meaning; otherwise the time of the last one is.
  const bool success_now = s.last_success != 0 && s.last_success == s.checked;
  mix(success_now ? 1 : static_cast<std::size_t>(s.last_success) + 2);
  return h;
}

Expected<StoredState> parse_state_json(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Error{"state file is not a JSON object"};
  StoredState s;
  auto num = [&](const char* k) -> long long {
    auto it = j.find(k);
    return it != j.end() && it->is_number_integer() ? it->get<long long>() : 0;
  };
  auto str = [&](const char* k) -> std::string {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : "";
  };
  s.status = static_cast<int>(num("status"));
  s.status_text = str("status_text");
  s.reason = str("reason");
  s.state = parse_state(str("state")).value_or(State::unknown);
  s.since = static_cast<std::time_t>(num("since"));
  s.checked = static_cast<std::time_t>(num("checked"));
  s.credentials = str("credentials");
  s.last_success = static_cast<std::time_t>(num("last_success"));
  s.success_credentials = str("success_credentials");
  if (s.reason.empty() || s.since == 0) return Error{"state file lacks reason or since"};
  return s;
}

Expected<StateStore> StateStore::open(const std::string& dir, const SecretRegistry* secrets) {
  if (dir.empty() || dir.front() != '/')
    return Error{"state directory '" + dir + "' is not an absolute path"};
  auto ok = make_private_dir(dir);
  if (!ok) return Error{ok.error()};
  return StateStore(dir, secrets);
}

std::optional<std::string> StateStore::read_file(const std::string& name, std::string* note) const {
  return read_regular(name, nullptr, note);
}

std::optional<std::string> StateStore::read_regular(const std::string& name, std::time_t* modified,
                                                    std::string* note) const {
  if (!valid_name(name)) return std::nullopt;
  const std::string path = dir_ + "/" + name;
  FileRead f = read_regular_file(path, kMaxFile, true);
  if (f.problem != FileRead::Problem::none) {
    // Missing is the usual first run; anything else in its place is told.
    if (note && f.problem != FileRead::Problem::missing) *note = path + " " + f.why + ": ignored";
    return std::nullopt;
  }
  if (f.owner != geteuid() || f.text.empty()) return std::nullopt;
  if (modified) *modified = f.modified;
  return std::move(f.text);
}

Expected<bool> StateStore::write_file(const std::string& name, const std::string& content) const {
  return write_atomic(name, content, nullptr);
}

Expected<bool> StateStore::write_atomic(const std::string& name, const std::string& content,
                                        const std::time_t* modified) const {
  if (!valid_name(name)) return Error{"invalid state file name"};
  std::random_device rd;
  const std::string final_path = dir_ + "/" + name;
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; attempt < 5 && fd < 0; ++attempt) {
    tmp = final_path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(rd());
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  }
  if (fd < 0) return Error{"cannot create a file in " + dir_ + ": " + errno_text()};
  const char* p = content.data();
  std::size_t left = content.size();
  bool ok = true;
  while (left > 0) {
    ssize_t n = ::write(fd, p, left);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      ok = false;
      break;
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  if (modified) {
    const struct timespec times[2] = {{0, UTIME_OMIT}, {*modified, 0}};
    ok = ::futimens(fd, times) == 0 && ok;
  }
  ok = ::close(fd) == 0 && ok;
  if (!ok || ::rename(tmp.c_str(), final_path.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(tmp.c_str());
    return Error{"cannot write " + final_path + ": " + why};
  }
  return true;
}

bool StateStore::touch(const std::string& name, std::time_t when) const {
  if (!valid_name(name)) return false;
  const struct timespec times[2] = {{0, UTIME_OMIT}, {when, 0}};  // access time as it is
  return ::utimensat(AT_FDCWD, (dir_ + "/" + name).c_str(), times, AT_SYMLINK_NOFOLLOW) == 0;
}

std::optional<StoredState> StateStore::load(const std::string& key, std::string* note) const {
  std::time_t modified = 0;
  auto text = read_regular(key + ".json", &modified, note);
  if (!text) return std::nullopt;
  auto parsed = parse_state_json(*text);
  if (!parsed) return std::nullopt;
  StoredState s = *parsed;
  if (modified > s.checked) {  // touched by record(): seen again, saying the same
    if (s.last_success != 0 && s.last_success == s.checked) s.last_success = modified;
    s.checked = modified;
  }
  return s;
}

Expected<bool> StateStore::save(const std::string& key, const StoredState& state) const {
  // The file's time is when the state was seen: load() takes a later one as
  // a check that found the same (record()).
  return write_atomic(key + ".json", serialize_state(state, secrets_), &state.checked);
}

Expected<bool> StateStore::record(const std::string& key, const StoredState& next,
                                  std::optional<std::size_t> saved) const {
  if (saved == state_meaning(next) && touch(key + ".json", next.checked)) return true;
  return save(key, next);
}

std::string default_state_dir() {
  if (const char* env = std::getenv("PROBEWISE_STATE_DIR"); env && *env) return env;
  std::string shared = "/var/lib/probewise";
  if (check_directory(shared)) return shared;
  std::string home;
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg == '/')
    return std::string(xdg) + "/probewise";
  if (const char* h = std::getenv("HOME"); h && *h == '/') home = h;
  if (home.empty())
    if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_dir) home = pw->pw_dir;
  if (!home.empty() && access(home.c_str(), W_OK) == 0) return home + "/.local/state/probewise";
  return "/tmp/probewise-" + std::to_string(geteuid());
}

std::string state_key(const std::string& identity) {
  return sha256_hex(identity, 32);
}

}  // namespace probewise
