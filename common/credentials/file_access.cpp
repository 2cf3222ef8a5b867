// SPDX-License-Identifier: GPL-2.0-or-later
#include "credentials/file_access.h"

#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace probewise {
namespace {

std::string user_name(uid_t uid) {
  char buf[4096];
  passwd pw{};
  passwd* found = nullptr;
  if (getpwuid_r(uid, &pw, buf, sizeof buf, &found) == 0 && found) return found->pw_name;
  return "uid " + std::to_string(uid);
}

std::string group_name(gid_t gid) {
  char buf[4096];
  group gr{};
  group* found = nullptr;
  if (getgrgid_r(gid, &gr, buf, sizeof buf, &found) == 0 && found) return found->gr_name;
  return "gid " + std::to_string(gid);
}

// The path as a shell word, for a command the user may paste.
std::string shell_word(const std::string& path) {
  const bool plain = !path.empty() && std::all_of(path.begin(), path.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '/' ||
           c == '.' || c == '_' || c == '-' || c == '+' || c == ',' || c == ':' || c == '@';
  });
  if (plain) return path;
  std::string out = "'";
  for (char c : path) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace

std::string credential_file_note(const std::string& path) {
  struct stat st {};
  if (path.empty() || stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  const bool group = st.st_mode & S_IRGRP;
  const bool others = st.st_mode & S_IROTH;
  if (!group && !others) return "";
  const std::string who = group && others ? "its group (" + group_name(st.st_gid) + ") and others"
                          : group         ? "its group (" + group_name(st.st_gid) + ")"
                                          : "others";
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  std::string fix = "chmod 600 " + shell_word(path);
  // A group-readable file may be how the monitoring user reads it: after the
  // chmod it must own the file.
  if (st.st_uid != geteuid()) fix += " and chown " + user_name(geteuid()) + " " + shell_word(path);
  return "credential file " + path + " can be read by " + who + ": " + fix + "; it is " + mode + ", owner " +
         user_name(st.st_uid);
}

std::vector<std::string> credential_file_notes(const CredentialOptions& files,
                                               const std::optional<OAuth2Config>& oauth2) {
  std::vector<std::string> paths{files.bearer_token_file, files.basic_auth_file, files.header_file};
  if (oauth2) paths.push_back(oauth2->client_secret_file);
  std::vector<std::string> notes;
  for (std::size_t i = 0; i < paths.size(); ++i) {
    if (std::find(paths.begin(), paths.begin() + static_cast<long>(i), paths[i]) !=
        paths.begin() + static_cast<long>(i))
      continue;  // the same file twice: one note
    if (std::string note = credential_file_note(paths[i]); !note.empty()) notes.push_back(std::move(note));
  }
  return notes;
}

}  // namespace probewise
