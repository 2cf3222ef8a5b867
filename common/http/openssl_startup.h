// SPDX-License-Identifier: GPL-2.0-or-later
// What a check spares OpenSSL at start-up. Inside curl_global_init(),
// OpenSSL reads openssl.cnf and loads every library's error strings into a
// hash table: about 0.8 M and 0.9 M instructions, the largest costs of a
// check after the dynamic loader's, and a plain HTTP check uses neither.
#pragma once

#include <string>

namespace probewise {

// Call before curl_global_init(), and only from a process that owns OpenSSL
// (the check), never from a plugin inside another program (collectd): what
// it turns off stays off for everyone in the process.
// - The error strings are not loaded; name_tls_error_codes() loads them when
//   a message needs them (nothing is deferred where this OpenSSL cannot load
//   them later: built without its 3.0 API).
// - Without `tls_possible`, openssl.cnf is not read either: its settings
//   (protocols, ciphers, providers) only matter for TLS.
void lighten_openssl_startup(bool tls_possible);

// `message` with the text of every OpenSSL error code that lacks it: libcurl
// writes "error:0A00010B:lib(20)::reason(267)" while the strings are not
// loaded; this gives "error:0A00010B:SSL routines::wrong version number".
std::string name_tls_error_codes(std::string message);

}  // namespace probewise
