// SPDX-License-Identifier: GPL-2.0-or-later
// Secrets by value (SPEC 1.6). Every secret the check or the plugin holds is
// registered where it is read (a credential file or variable, -a, -b, -k,
// a header file, the OAuth client secret and each token fetched, a cookie),
// with the forms a server may repeat it in; redact() then shows each of
// them as [redacted] in whatever is written (status line, long output,
// JSON, traces, state files, collectd's log and notifications), and after
// them the URL secrets the check cannot know by value (secrets/redact.h).
//
// A secret shorter than 4 characters is not redacted by value (it cannot be
// told from ordinary text); one shorter than 8 only where it stands as a
// word of its own. A secret cut short by an excerpt ("d41d8cd98f00...")
// is redacted as far as it goes when at least 8 characters of it show.
//
// Thread-safe: the collectd plugin registers on its probing thread and
// writes its log on collectd's threads too. Costs nothing while empty.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace probewise {

class SecretRegistry {
 public:
  // What `source` holds now (e.g. "--bearer-token-file /etc/x.token",
  // "OAuth token https://idp/token mon"): whatever it held before is
  // forgotten (a rotated file, a fresh token), so that a long-running
  // plugin holds only the secrets in use. Registering the same secrets
  // again costs a comparison. Linear in the number of secrets: the index
  // is rebuilt once, when next used.
  void put(const std::string& source, std::vector<std::string> secrets);
  // Adds to what `source` holds (the -k headers, one by one).
  void add(const std::string& source, std::vector<std::string> secrets);

  // `text` with every registered secret, in each of its forms, shown as
  // [redacted], then the URL secrets by shape (redact_text).
  std::string redact(std::string_view text) const;

  bool empty() const;

 private:
  struct Pattern {
    std::string folded;       // ASCII lower case
    bool whole_word = false;  // a short secret: only where it stands alone
  };
  void store(const std::string& source, std::vector<std::string> secrets, bool replace);
  void rebuild() const;  // with mutex_ held
  std::string by_value(std::string_view text) const;

  mutable std::mutex mutex_;
  // Each source's secrets, and the patterns (the secrets' forms) they give.
  std::map<std::string, std::pair<std::vector<std::string>, std::vector<Pattern>>> sources_;
  // The index over every source's patterns, rebuilt after a change when
  // next used: sorted by their first four (folded) bytes, longest first,
  // with a bit set per hash of those four bytes to skip most positions.
  mutable bool stale_ = false;
  mutable std::vector<Pattern> patterns_;
  mutable std::vector<std::uint32_t> keys_;
  mutable std::vector<std::uint64_t> filter_;
};

// The one redaction every writer applies: secrets->redact(text), or the URL
// secrets by shape alone without a registry.
std::string redact(std::string_view text, const SecretRegistry* secrets);

// The parts of a credential a server may repeat, for put()/add().
// "user:password" (Basic, -a, -b, a URL's userinfo): the password,
// user:password and its base64.
std::vector<std::string> basic_secrets(std::string_view user_password);
// "Name: value": the value, the credential after an auth scheme ("Bearer
// x" -> x), a Basic value's decoded user:password and password, and each
// parameter's value ("a=1; session=x", "Digest response=\"x\"").
std::vector<std::string> header_secrets(std::string_view line);
// The values of the credential-named fields of a form body (-P
// "username=mon&password=x" -> x; is_secret_query_name), decoded.
std::vector<std::string> form_secrets(std::string_view body);
// The userinfo of an absolute URL ("http://user:pw@host/"), decoded, as
// basic_secrets(); none when it has none.
std::vector<std::string> userinfo_secrets(std::string_view url);

}  // namespace probewise
