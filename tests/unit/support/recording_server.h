// SPDX-License-Identifier: GPL-2.0-or-later
// A keep-alive HTTP/1.1 server of a test on 127.0.0.1 that records every
// request (head and body). It answers 200 "ok", or what the test's route
// returns for a request head: a whole response, e.g. a redirect.
#pragma once

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "support/loopback.h"

namespace probewise::testing {

class RecordingServer {
 public:
  // The full response to a request head ("" = 200 "ok").
  using Route = std::function<std::string(const std::string& head)>;

  explicit RecordingServer(Route route = {}) : route_(std::move(route)) {
    listener_ = bind_loopback(port_);
    listen(listener_, 64);
    thread_ = std::thread([this] { serve(); });
  }
  ~RecordingServer() {
    stop_ = true;
    thread_.join();
    for (int fd : clients_)
      if (fd >= 0) close(fd);
    close(listener_);
  }
  RecordingServer(const RecordingServer&) = delete;
  RecordingServer& operator=(const RecordingServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<std::string> heads() {
    std::lock_guard<std::mutex> lock(mutex_);
    return heads_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }
  // Connections accepted so far.
  std::size_t connections() {
    std::lock_guard<std::mutex> lock(mutex_);
    return clients_.size();
  }

  static std::string redirect(int status, const std::string& location, const std::string& extra = "") {
    return "HTTP/1.1 " + std::to_string(status) + " Moved\r\nLocation: " + location + "\r\n" + extra +
           "Content-Length: 0\r\n\r\n";
  }

 private:
  static std::size_t content_length(const std::string& head) {
    auto cl = head.find("Content-Length: ");
    return cl == std::string::npos ? 0 : std::stoul(head.substr(cl + 16));
  }

  // Answers every whole request in `in` (head and body arrived).
  void answer(int fd, std::string& in) {
    for (auto end = in.find("\r\n\r\n"); end != std::string::npos; end = in.find("\r\n\r\n")) {
      const std::string head = in.substr(0, end + 4);
      const std::size_t length = content_length(head);
      if (in.size() < end + 4 + length) return;  // the body is still on its way
      const std::string body = in.substr(end + 4, length);
      in.erase(0, end + 4 + length);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        heads_.push_back(head);
        bodies_.push_back(body);
      }
      std::string response = route_ ? route_(head) : "";
      if (response.empty()) response = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
      (void)!write(fd, response.data(), response.size());
    }
  }

  void serve() {
    std::vector<std::string> pending;
    while (!stop_) {
      std::vector<pollfd> fds{{listener_, POLLIN, 0}};
      for (int fd : clients_) fds.push_back({fd, POLLIN, 0});
      if (poll(fds.data(), fds.size(), 20) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        int fd = accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (fd >= 0) {
          std::lock_guard<std::mutex> lock(mutex_);
          clients_.push_back(fd);
          pending.emplace_back();
        }
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & POLLIN)) continue;
        char buf[4096];
        ssize_t n = read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {  // closed by the client: poll it no more (a negative fd is skipped)
          std::lock_guard<std::mutex> lock(mutex_);
          close(fds[i].fd);
          clients_[i - 1] = -1;
          continue;
        }
        pending[i - 1].append(buf, static_cast<std::size_t>(n));
        answer(fds[i].fd, pending[i - 1]);
      }
    }
  }

  Route route_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::vector<int> clients_;
  std::vector<std::string> heads_;
  std::vector<std::string> bodies_;
  std::thread thread_;
};

}  // namespace probewise::testing
