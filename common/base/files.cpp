// SPDX-License-Identifier: GPL-2.0-or-later
#include "base/files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace probewise {

std::string file_kind_problem(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG: return "";
    case S_IFIFO: return "is a FIFO";
    case S_IFDIR: return "is a directory";
    case S_IFCHR: return "is a character device";
    case S_IFBLK: return "is a block device";
    case S_IFSOCK: return "is a socket";
    case S_IFLNK: return "is a symbolic link";
    default: return "is not a regular file";
  }
}

FileRead read_regular_file(const std::string& path, std::size_t max_bytes, bool no_follow) {
  FileRead out;
  const int fd =
      ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY | (no_follow ? O_NOFOLLOW : 0));
  if (fd < 0) {
    const int error = errno;
    out.problem = error == ENOENT ? FileRead::Problem::missing : FileRead::Problem::unreadable;
    out.why = error == ELOOP && no_follow ? "is a symbolic link" : std::strerror(error);
    return out;
  }
  struct stat st {};
  if (fstat(fd, &st) != 0) {
    out.problem = FileRead::Problem::unreadable;
    out.why = std::strerror(errno);
  } else if (!S_ISREG(st.st_mode)) {
    out.problem = FileRead::Problem::not_regular;
    out.why = file_kind_problem(st.st_mode);
  } else if (static_cast<std::size_t>(st.st_size) > max_bytes) {
    out.problem = FileRead::Problem::too_large;
    out.why = "is larger than " + std::to_string(max_bytes) + " bytes";
  } else {
    out.modified = st.st_mtime;
    out.owner = st.st_uid;
    out.text.resize(static_cast<std::size_t>(st.st_size));
    std::size_t got = 0;
    while (got < out.text.size()) {
      const ssize_t n = ::read(fd, out.text.data() + got, out.text.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    out.text.resize(got);  // a file that shrank while it was read
  }
  ::close(fd);
  return out;
}

}  // namespace probewise
