// SPDX-License-Identifier: GPL-2.0-or-later
/* The floor for any libcurl-based check: global init, one GET, discard the
 * body, clean up. check_bench.sh compiles this and measures it beside the
 * plugins, so the gap between it and check_probewise is what the plugin adds.
 *
 * usage: bare_get URL [CA_FILE | -]
 *   without CA_FILE, TLS peer and host verification are off (check_curl's
 *   default without -D); with it, both are on and the CA comes from CA_FILE,
 *   or from libcurl's built-in default (the system bundle) for "-".
 * exit: 0 for a 2xx/3xx answer, 2 otherwise (a Nagios-ish CRITICAL). */
#include <curl/curl.h>
#include <stdio.h>
#include <string.h>

static size_t discard(char *data, size_t size, size_t nmemb, void *user)
{
  (void)data;
  (void)user;
  return size * nmemb;
}

int main(int argc, char **argv)
{
  if(argc < 2 || argc > 3) {
    fprintf(stderr, "usage: %s URL [CA_FILE]\n", argv[0]);
    return 3;
  }
  if(curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return 3;
  CURL *h = curl_easy_init();
  if(!h)
    return 3;
  curl_easy_setopt(h, CURLOPT_URL, argv[1]);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  if(argc == 3) {
    if(strcmp(argv[2], "-") != 0)
      curl_easy_setopt(h, CURLOPT_CAINFO, argv[2]);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
  }
  else {
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  if(rc != CURLE_OK)
    printf("bare_get: %s\n", curl_easy_strerror(rc));
  else
    printf("bare_get: HTTP %ld\n", status);
  curl_easy_cleanup(h);
  curl_global_cleanup();
  return (rc == CURLE_OK && status >= 200 && status < 400) ? 0 : 2;
}
