// SPDX-License-Identifier: GPL-2.0-or-later
// tls_backends: the client's CPU for one request on a new TLS connection,
// as libcurl makes it with the TLS library it was built with (Debian ships
// libcurl with OpenSSL, GnuTLS and NSS under three sonames). Each request
// forbids connection reuse and resumes the TLS session of the last one (a
// share, as probewise.so does per host), the way a collectd node probing
// many endpoints of one host over new connections works. bench/tls_backends.sh
// builds it once per flavour and runs it against a local server.
//
//   tls_backends URL CA_FILE REQUESTS
//
// Prints the TLS library, the requests answered 200 and the CPU (user +
// system) of this process per request in microseconds.
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

static size_t discard(char* data, size_t size, size_t n, void* user) {
  (void)data;
  (void)user;
  return size * n;
}

static double cpu_us(void) {
  struct rusage u;
  getrusage(RUSAGE_SELF, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e6 + u.ru_utime.tv_usec + u.ru_stime.tv_usec;
}

int main(int argc, char** argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s URL CA_FILE REQUESTS\n", argv[0]);
    return 2;
  }
  const char* url = argv[1];
  const char* ca = argv[2];
  long n = strtol(argv[3], NULL, 10);
  curl_global_init(CURL_GLOBAL_DEFAULT);
  CURLSH* share = curl_share_init();
  curl_share_setopt(share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  CURL* h = curl_easy_init();
  curl_easy_setopt(h, CURLOPT_URL, url);
  curl_easy_setopt(h, CURLOPT_CAINFO, ca);
  curl_easy_setopt(h, CURLOPT_SHARE, share);
  curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(h, CURLOPT_TIMEOUT, 10L);
  // One request first: the session to resume and the libraries loaded.
  curl_easy_perform(h);
  long ok = 0;
  double start = cpu_us();
  for (long i = 0; i < n; ++i) {
    long code = 0;
    if (curl_easy_perform(h) == CURLE_OK && curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
        code == 200)
      ++ok;
  }
  double used = cpu_us() - start;
  printf("%-28s %6ld of %6ld requests  %8.1f us of CPU a request\n", curl_version_info(CURLVERSION_NOW)->ssl_version,
         ok, n, used / (n ? n : 1));
  curl_easy_cleanup(h);
  curl_share_cleanup(share);
  curl_global_cleanup();
  return ok == n ? 0 : 1;
}
