#pragma once
/// Owning handles for libcurl, shared by every libcurl user in plancal (the HTTP transport
/// here, the SMTP sender in daemon/mail), so each C handle is freed in exactly one place.

#include <curl/curl.h>

#include <memory>

namespace plancal::http {

struct CurlEasyDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

/// One easy handle: a connection cache and the options of one transfer at a time.
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
/// A list of strings handed to libcurl (request headers, SMTP recipients).
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;

/// libcurl's process-wide set-up, done once before the first handle; throws (a start-up
/// failure) when libcurl cannot initialise.
void curl_global_init_once();

}  // namespace plancal::http
