// SPDX-License-Identifier: GPL-2.0-or-later
// A TCP socket of a test, bound to 127.0.0.1 on a port the kernel picks.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace probewise::testing {

// Returns the socket (-1 on failure) and sets `port`.
inline int bind_loopback(int& port) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    if (fd >= 0) close(fd);
    port = 0;
    return -1;
  }
  port = ntohs(a.sin_port);
  return fd;
}

}  // namespace probewise::testing
