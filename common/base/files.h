// SPDX-License-Identifier: GPL-2.0-or-later
// Reading a small file without ever waiting on it (SPEC 1.6): opened with
// O_NONBLOCK (a FIFO opens at once instead of waiting for a writer), looked
// at with fstat, read only if it is a regular file. For credential files,
// state and token-cache files, --extra-opts files, collectd's config.
#pragma once

#include <cstddef>
#include <ctime>
#include <string>

namespace probewise {

struct FileRead {
  enum class Problem {
    none,         // `text` holds the file (up to the limit)
    missing,      // no such file
    unreadable,   // cannot be opened: `why` says why (permissions, a link with no_follow...)
    not_regular,  // a FIFO, device, socket or directory: `why` names which, e.g. "is a FIFO"
    too_large,    // over the limit: nothing read
  };
  Problem problem = Problem::none;
  std::string text;
  std::string why;           // "" when fine
  std::time_t modified = 0;  // st_mtime
  unsigned owner = 0;        // st_uid
};

// `no_follow`: refuse a symbolic link (files in our own directories); a
// credential file the administrator named may well be one.
FileRead read_regular_file(const std::string& path, std::size_t max_bytes, bool no_follow);

// "is a FIFO", "is a directory", "is a character device", ... for st_mode.
std::string file_kind_problem(unsigned mode);

}  // namespace probewise
