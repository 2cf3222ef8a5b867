// SPDX-License-Identifier: GPL-2.0-or-later
// The data of evidence/vendor_fingerprints.cpp: who is in the path
// (presence markers), their block pages and codes, and the IDs an operator
// can quote. Public documentation of each vendor names these. Tables only.
#pragma once

#include <cstddef>
#include <string_view>

#include "evidence/signals.h"

namespace probewise::vendor_tables {

// Where a marker is looked for.
enum class Where {
  header,  // header `name` is present and, with a needle, its value contains it
  cookie,  // a Set-Cookie whose cookie name starts with the needle
  body,    // the page contains the needle (a find_wording pattern; "" = any page)
};

inline constexpr auto kExplicit = Strength::explicit_;
inline constexpr auto kWording = Strength::wording;

// ---------------------------------------------------------------------------
// Who is in the path. Needles are lower-case (cookie prefixes are compared
// case-insensitively). Public documentation of each vendor names these.

struct Presence {
  std::string_view vendor;
  Where where;
  std::string_view name;    // header name
  std::string_view needle;  // header value part ("" = any), cookie-name prefix, or body wording
  std::string_view detail;  // "" = "<vendor> is in the path"
};

inline constexpr Presence kPresence[] = {
    {"Cloudflare", Where::header, "Server", "cloudflare", ""},
    {"Cloudflare", Where::header, "CF-RAY", "", ""},
    {"Cloudflare", Where::header, "cf-mitigated", "", ""},
    {"Cloudflare", Where::header, "CF-Cache-Status", "", ""},
    {"Cloudflare", Where::cookie, "", "__cf_bm", ""},
    {"Cloudflare", Where::cookie, "", "cf_clearance", ""},
    {"Cloudflare", Where::body, "", "/cdn-cgi/|performance & security by cloudflare|cloudflare ray id", ""},
    {"AWS CloudFront", Where::header, "X-Amz-Cf-Id", "", ""},
    {"AWS CloudFront", Where::header, "X-Amz-Cf-Pop", "", ""},
    {"AWS CloudFront", Where::header, "Server", "cloudfront", ""},
    {"AWS CloudFront", Where::header, "Via", "cloudfront", ""},
    {"AWS CloudFront", Where::header, "X-Cache", "cloudfront", ""},
    {"AWS WAF", Where::header, "x-amzn-waf-action", "", ""},
    {"AWS WAF", Where::cookie, "", "aws-waf-token", ""},
    {"AWS ELB", Where::header, "Server", "awselb", ""},
    {"AWS ELB", Where::cookie, "", "awsalb", ""},
    {"AWS ELB", Where::cookie, "", "awselb", ""},
    {"AWS API Gateway", Where::header, "x-amz-apigw-id", "", ""},
    {"Akamai", Where::header, "Server", "akamaighost", ""},
    {"Akamai", Where::header, "Server", "akamainetstorage", ""},
    {"Akamai", Where::header, "Akamai-GRN", "", ""},
    {"Akamai", Where::header, "Akamai-Cache-Status", "", ""},
    {"Akamai", Where::header, "X-Akamai-Transformed", "", ""},
    {"Akamai", Where::header, "X-Akamai-Request-ID", "", ""},
    {"Akamai", Where::cookie, "", "ak_bmsc", ""},
    {"Akamai", Where::cookie, "", "bm_sz", ""},
    {"Akamai", Where::cookie, "", "_abck", ""},
    {"Akamai", Where::body, "", "errors.edgesuite.net", ""},
    {"Imperva", Where::header, "X-Iinfo", "", ""},
    {"Imperva", Where::header, "X-CDN", "incapsula", ""},
    {"Imperva", Where::header, "X-CDN", "imperva", ""},
    {"Imperva", Where::cookie, "", "visid_incap_", ""},
    {"Imperva", Where::cookie, "", "incap_ses_", ""},
    {"Imperva", Where::cookie, "", "nlbi_", ""},
    {"Sucuri", Where::header, "X-Sucuri-ID", "", ""},
    {"Sucuri", Where::header, "X-Sucuri-Cache", "", ""},
    {"Sucuri", Where::header, "X-Sucuri-Block", "", ""},
    {"Sucuri", Where::header, "Server", "sucuri", ""},
    {"Sucuri", Where::body, "", "sucuri website firewall|sucuri cloudproxy", ""},
    {"Fastly", Where::header, "X-Served-By", "cache-", ""},
    {"Fastly", Where::header, "X-Fastly-Request-ID", "", ""},
    {"Fastly", Where::header, "Fastly-Debug-Digest", "", ""},
    {"Fastly", Where::header, "X-SigSci-RequestID", "", ""},
    {"Azure Front Door", Where::header, "X-Azure-Ref", "", ""},
    {"Azure Front Door", Where::header, "X-MSEdge-Ref", "", ""},
    {"Azure Application Gateway", Where::header, "Server", "microsoft-azure-application-gateway", ""},
    {"Azure Application Gateway", Where::cookie, "", "applicationgatewayaffinity", ""},
    {"Azure Application Gateway", Where::body, "", "microsoft-azure-application-gateway", ""},
    {"F5 BIG-IP", Where::cookie, "", "bigipserver", ""},
    {"F5 BIG-IP", Where::cookie, "", "ts01", ""},
    {"F5 BIG-IP", Where::cookie, "", "mrhsession", ""},
    {"F5 BIG-IP", Where::cookie, "", "f5_", ""},
    {"F5 BIG-IP", Where::header, "Server", "big-ip", ""},
    {"F5 BIG-IP", Where::header, "Server", "bigip", ""},
    {"F5 BIG-IP", Where::header, "X-Cnection", "", ""},
    {"F5 BIG-IP", Where::header, "X-WA-Info", "", ""},
    {"ModSecurity", Where::header, "Server", "mod_security", ""},
    {"ModSecurity", Where::header, "Server", "modsecurity", ""},
    {"Barracuda", Where::cookie, "", "barra_counter_session", ""},
    {"Barracuda", Where::cookie, "", "bni__barracuda_lb_cookie", ""},
    {"Barracuda", Where::cookie, "", "bni_persistence", ""},
    {"Barracuda", Where::header, "Server", "barracuda", ""},
    {"Fortinet FortiWeb", Where::cookie, "", "fortiwafsid", ""},
    {"Fortinet FortiWeb", Where::header, "Server", "fortiweb", ""},
    {"Citrix NetScaler", Where::cookie, "", "citrix_ns_id", ""},
    {"Citrix NetScaler", Where::cookie, "", "nsc_", ""},
    {"Citrix NetScaler", Where::header, "Via", "ns-cache", ""},
    {"Citrix NetScaler", Where::header, "Cneonction", "", ""},
    {"Citrix NetScaler", Where::header, "nnCoection", "", ""},
    {"Wordfence", Where::body, "", "wordfence", ""},
    {"Vercel", Where::header, "Server", "vercel", ""},
    {"Vercel", Where::header, "X-Vercel-Id", "", ""},
    {"Vercel", Where::header, "x-vercel-mitigated", "", ""},
    {"Netlify", Where::header, "Server", "netlify", ""},
    {"Netlify", Where::header, "X-Nf-Request-Id", "", ""},
    {"DataDome", Where::header, "X-DataDome", "", ""},
    {"DataDome", Where::header, "X-DataDome-CID", "", ""},
    {"DataDome", Where::cookie, "", "datadome", ""},
    {"HUMAN (PerimeterX)", Where::cookie, "", "_px", ""},
    // Weak hints: a server's own default error page says the refusal came from
    // its configuration (allow/deny, Require, auth_request, a WAF module), not
    // from the application behind it.
    {"nginx", Where::body, "", "<center>nginx|<center>openresty",
     "nginx refused with its own default page (an allow/deny, auth_request or WAF-module rule in nginx, "
     "not the application)"},
    {"Apache httpd", Where::body, "", "you don't have permission to access this resource|<address>apache",
     "Apache httpd refused with its own default page (a Require/Deny rule, .htaccess or a module such "
     "as ModSecurity, not the application)"},
    {"HAProxy", Where::body, "", "request forbidden by administrative rules",
     "HAProxy refused with its own default page (an http-request deny rule, not the application)"},
};

// ---------------------------------------------------------------------------
// Blocks. Per vendor the first matching row counts, so specific rows (a
// country block) come before general ones (any block page of that vendor).
// The wording any server uses ("your IP address is not allowed", "blocked by
// X") is read by the one table of phrases (evidence/wording.h).

struct Block {
  std::string_view vendor;
  Where where;              // header or body
  std::string_view name;    // header name
  std::string_view needle;  // header value part, or body wording ("" = any page)
  std::string_view also;    // body wording that must appear as well, or ""
  std::string_view needs;   // a vendor whose presence is required, or ""
  int status;               // only for this status, or 0
  std::string_view reason;
  Strength strength;
  std::string_view detail;
};

inline constexpr Block kBlocks[] = {
    // Cloudflare (its numbered errors are read from kCloudflareCodes first).
    {"Cloudflare", Where::header, "cf-mitigated", "challenge", "", "", 0, "forbidden.waf", kExplicit,
     "Cloudflare answered with a challenge page (bot protection or a challenge rule), not the site"},
    {"Cloudflare", Where::body, "", "used cloudflare to restrict access", "", "", 0, "forbidden.waf",
     kExplicit, "Cloudflare's firewall blocked the request"},
    {"Cloudflare", Where::body, "", "sorry, you have been blocked|attention required!*cloudflare", "",
     "Cloudflare", 0, "forbidden.waf", kExplicit, "Cloudflare's firewall (WAF) blocked the request"},
    {"Cloudflare", Where::body, "",
     "just a moment...|checking your browser|/cdn-cgi/challenge-platform/|enable javascript and cookies to "
     "continue",
     "", "Cloudflare", 0, "forbidden.waf", kExplicit,
     "Cloudflare served a JavaScript challenge (bot protection), not the site"},
    // AWS: WAF actions, CloudFront geographic restriction, WAF behind CloudFront or an ALB.
    {"AWS WAF", Where::header, "x-amzn-waf-action", "captcha", "", "", 0, "forbidden.waf", kExplicit,
     "AWS WAF demanded a CAPTCHA (a rule with the CAPTCHA action)"},
    {"AWS WAF", Where::header, "x-amzn-waf-action", "challenge", "", "", 0, "forbidden.waf", kExplicit,
     "AWS WAF served a browser challenge (a rule with the Challenge action)"},
    {"AWS CloudFront", Where::body, "", "configured to block access from your country", "", "", 0,
     "forbidden.geo", kExplicit, "CloudFront's geographic restriction blocks the probe's country"},
    {"AWS WAF", Where::body, "", "request blocked", "cloudfront", "", 0, "forbidden.waf", kExplicit,
     "AWS WAF on CloudFront blocked the request"},
    {"AWS WAF", Where::body, "", "403 forbidden", "", "AWS ELB", 403, "forbidden.waf", kWording,
     "the AWS load balancer refused the request itself, typically an AWS WAF rule on the ALB"},
    // Akamai.
    {"Akamai", Where::body, "", "errors.edgesuite.net|reference #", "access denied", "", 0, "forbidden.waf",
     kExplicit, "Akamai's edge denied the request (WAF, bot manager or an edge rule)"},
    // Imperva (Incapsula).
    {"Imperva", Where::body, "", "incapsula incident id|_incapsula_resource", "", "", 0, "forbidden.waf",
     kExplicit, "Imperva (Incapsula) blocked the request"},
    {"Imperva", Where::body, "", "request unsuccessful|blocked by our security service|powered by imperva",
     "", "Imperva", 0, "forbidden.waf", kExplicit, "Imperva blocked the request"},
    // Sucuri.
    {"Sucuri", Where::body, "", "access from your country was disabled", "", "Sucuri", 0, "forbidden.geo",
     kExplicit, "Sucuri's firewall blocks the probe's country (the site disabled access from it)"},
    {"Sucuri", Where::body, "", "sucuri website firewall", "access denied|blocked", "", 0, "forbidden.waf",
     kExplicit, "Sucuri's website firewall blocked the request"},
    // Fastly Next-Gen WAF (Signal Sciences) blocks with 406 unless configured otherwise.
    {"Fastly", Where::body, "", "", "", "Fastly", 406, "forbidden.waf", kWording,
     "Fastly answered 406, the default block response of the Fastly Next-Gen WAF"},
    // Azure.
    {"Azure Front Door", Where::body, "", "the request is blocked", "", "Azure Front Door", 0,
     "forbidden.waf", kExplicit, "the Azure Front Door WAF blocked the request"},
    {"Azure Application Gateway", Where::body, "", "microsoft-azure-application-gateway", "", "", 403,
     "forbidden.waf", kExplicit, "Azure Application Gateway refused the request itself: its WAF blocked it"},
    // F5 BIG-IP ASM / Advanced WAF default blocking page.
    {"F5 BIG-IP", Where::body, "",
     "the requested url was rejected. please consult with your administrator|your support id is|"
     "request rejected*support id",
     "", "", 0, "forbidden.waf", kExplicit, "F5 BIG-IP ASM / Advanced WAF blocked the request"},
    // ModSecurity (Apache's classic 406 page and the audit wording).
    {"ModSecurity", Where::body, "",
     "generated by mod_security|mod_security rules triggered|modsecurity action", "", "", 0, "forbidden.waf",
     kExplicit, "ModSecurity blocked the request"},
    // Fortinet: FortiWeb in front of the site, FortiGate web filter on the probe's side.
    {"Fortinet FortiWeb", Where::body, "", "attack id", "web page blocked|page cannot be displayed", "", 0,
     "forbidden.waf", kExplicit, "Fortinet FortiWeb blocked the request"},
    {"Fortinet FortiGate", Where::body, "", "fortiguard|fortigate", "web page blocked", "", 0,
     "forbidden.waf", kExplicit,
     "a FortiGate web filter (on the probe's side of the network) blocked the URL"},
    // Citrix NetScaler (ADC) application firewall.
    {"Citrix NetScaler", Where::body, "",
     "ns transaction id|application firewall block page|appfw session id", "", "", 0, "forbidden.waf",
     kExplicit, "the Citrix NetScaler application firewall blocked the request"},
    // Wordfence (WordPress).
    {"Wordfence", Where::body, "", "access from your area has been temporarily limited", "", "", 0,
     "forbidden.geo", kExplicit, "Wordfence country blocking limits access from the probe's area"},
    {"Wordfence", Where::body, "",
     "your access to this site has been limited|generated by wordfence|blocked by wordfence", "", "", 0,
     "forbidden.waf", kExplicit, "the site's Wordfence firewall blocked the request"},
    // Vercel firewall.
    {"Vercel", Where::header, "x-vercel-mitigated", "challenge", "", "", 0, "forbidden.waf", kExplicit,
     "the Vercel firewall served a challenge, not the site"},
    {"Vercel", Where::header, "x-vercel-mitigated", "deny", "", "", 0, "forbidden.waf", kExplicit,
     "the Vercel firewall denied the request"},
    // Bot protection.
    {"DataDome", Where::body, "", "captcha-delivery.com", "", "", 0, "forbidden.waf", kExplicit,
     "DataDome bot protection blocked the request"},
    {"HUMAN (PerimeterX)", Where::body, "", "px-captcha|press & hold", "", "", 0, "forbidden.waf", kExplicit,
     "HUMAN (PerimeterX) bot defender blocked the request"},

};

// Cloudflare's numbered errors (the body says "Error 1020" or "error code: 1020").
struct CloudflareCode {
  int code;
  std::string_view reason;
  std::string_view detail;
};

inline constexpr CloudflareCode kCloudflareCodes[] = {
    {1005, "forbidden.ip", "Cloudflare: the site bans the probe's network (ASN)"},
    {1006, "forbidden.ip", "Cloudflare: the site bans the probe's IP address"},
    {1007, "forbidden.ip", "Cloudflare: the site bans the probe's IP address"},
    {1008, "forbidden.ip", "Cloudflare: the site bans the probe's IP address"},
    {1009, "forbidden.geo", "Cloudflare: the site bans the probe's country or region"},
    {1010, "forbidden.waf", "Cloudflare: blocked on the client's browser signature (bot protection)"},
    {1012, "forbidden.waf", "Cloudflare: access denied by the site's security rules"},
    {1015, "throttled", "Cloudflare: rate-limited by the site's rate limiting rules"},
    {1020, "forbidden.waf", "Cloudflare: a firewall rule blocked the request"},
};

// IDs an operator can quote to the vendor or the site owner. Body labels are
// lower-case text that precedes the ID.
struct IdSource {
  std::string_view vendor;
  Where where;
  std::string_view name;  // header name, or body label
  std::string_view label;
};

inline constexpr IdSource kIds[] = {
    {"Cloudflare", Where::header, "CF-RAY", "Ray ID"},
    {"Cloudflare", Where::body, "ray id:", "Ray ID"},
    {"AWS WAF", Where::header, "X-Amz-Cf-Id", "CloudFront request ID"},
    {"AWS WAF", Where::body, "request id:", "CloudFront request ID"},
    {"AWS WAF", Where::header, "x-amzn-RequestId", "request ID"},
    {"AWS CloudFront", Where::header, "X-Amz-Cf-Id", "CloudFront request ID"},
    {"AWS CloudFront", Where::body, "request id:", "CloudFront request ID"},
    {"Akamai", Where::body, "reference #", "Reference"},
    {"Akamai", Where::body, "errors.edgesuite.net/", "Reference"},
    {"Akamai", Where::header, "X-Reference-Error", "Reference"},
    {"Imperva", Where::body, "incident id:", "incident ID"},
    {"Imperva", Where::body, "incident_id=", "incident ID"},
    {"Imperva", Where::header, "X-Iinfo", "X-Iinfo"},
    {"Sucuri", Where::body, "block id:", "block ID"},
    {"Sucuri", Where::header, "X-Sucuri-ID", "X-Sucuri-ID"},
    {"Fastly", Where::header, "X-Fastly-Request-ID", "request ID"},
    {"Fastly", Where::header, "X-Served-By", "X-Served-By"},
    {"Azure Front Door", Where::header, "X-Azure-Ref", "X-Azure-Ref"},
    {"Azure Front Door", Where::header, "X-MSEdge-Ref", "X-MSEdge-Ref"},
    {"F5 BIG-IP", Where::body, "support id is:", "support ID"},
    {"F5 BIG-IP", Where::body, "support id:", "support ID"},
    {"Fortinet FortiWeb", Where::body, "message id:", "message ID"},
    {"Fortinet FortiWeb", Where::body, "event id:", "event ID"},
    {"Citrix NetScaler", Where::body, "ns transaction id:", "transaction ID"},
    {"Vercel", Where::header, "X-Vercel-Id", "X-Vercel-Id"},
};

// Block pages that their vendors serve with 200 (SPEC 1.3): the page's own
// sentences, unmistakable enough to judge a 2xx by. Presence markers never
// are. A block page is short and says so at its top: the page's text is at
// most kMaxBlockPage200Chars and the sentence starts within its first
// kBlockPage200Top characters; a page that quotes one further down is an
// article about it.
struct BlockPage200 {
  std::string_view vendor;
  std::string_view needle;  // body wording
  std::string_view also;    // body wording that must appear as well
  std::string_view detail;
};

inline constexpr std::size_t kMaxBlockPage200Chars = 1000;
inline constexpr std::size_t kBlockPage200Top = 200;

inline constexpr BlockPage200 kBlockPages200[] = {
    // F5 BIG-IP ASM / Advanced WAF's default blocking response is a 200.
    {"F5 BIG-IP", "the requested url was rejected. please consult with your administrator", "support id",
     "F5 BIG-IP ASM / Advanced WAF blocked the request (its block page, served with 200)"},
    // Imperva (Incapsula) serves its block page in a 200 with an incident ID.
    {"Imperva", "incapsula incident id", "request unsuccessful",
     "Imperva (Incapsula) blocked the request (its block page, served with 200)"},
    // FortiWeb's default block page is a 200 "Web Page Blocked" with an attack ID.
    {"Fortinet FortiWeb", "web page blocked", "attack id",
     "Fortinet FortiWeb blocked the request (its block page, served with 200)"},
    // Citrix NetScaler AppFirewall's block page, by default a 200 or a redirect to it.
    {"Citrix NetScaler", "application firewall block page", "",
     "the Citrix NetScaler application firewall blocked the request (its block page, served with 200)"},
    // Barracuda and Sucuri answer with their block page and 200 when set to.
    {"Sucuri", "sucuri website firewall - access denied", "block id",
     "Sucuri's website firewall blocked the request (its block page, served with 200)"},
};

}  // namespace probewise::vendor_tables
