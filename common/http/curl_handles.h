// SPDX-License-Identifier: GPL-2.0-or-later
// One owner per libcurl handle (easy, multi, list, URL), for the files of
// http/ that talk to libcurl.
#pragma once

#include <curl/curl.h>

#include <memory>
#include <string>

namespace probewise {

struct EasyDeleter {
  void operator()(CURL* h) const { curl_easy_cleanup(h); }
};
struct MultiDeleter {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct SlistDeleter {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct UrlDeleter {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};
using Easy = std::unique_ptr<CURL, EasyDeleter>;
using Multi = std::unique_ptr<CURLM, MultiDeleter>;
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;
using Url = std::unique_ptr<CURLU, UrlDeleter>;

// Appends a copy of `item`; on failure (out of memory) the list stays as it was.
inline void append(Slist& list, const std::string& item) {
  curl_slist* grown = curl_slist_append(list.get(), item.c_str());
  if (grown) {
    (void)list.release();
    list.reset(grown);
  }
}

// A list appended to in constant time (curl_slist_append walks the whole
// list first: tens of thousands of -k headers would cost their square).
class SlistBuilder {
 public:
  void append(const std::string& item) {
    curl_slist* node = curl_slist_append(nullptr, item.c_str());
    if (!node) return;  // out of memory: the list stays as it was
    if (tail_)
      tail_->next = node;
    else
      head_.reset(node);
    tail_ = node;
  }
  curl_slist* get() const { return head_.get(); }
  explicit operator bool() const { return head_ != nullptr; }

 private:
  Slist head_;
  curl_slist* tail_ = nullptr;
};

}  // namespace probewise
