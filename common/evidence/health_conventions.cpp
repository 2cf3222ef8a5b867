// SPDX-License-Identifier: GPL-2.0-or-later
// SPEC 1.2.1: the health conventions of widespread libraries and products
// beyond the named formats: terminus / NestJS, Elasticsearch cluster health,
// etcd, Consul, Vault, plain text, and the generic status/state/health
// vocabulary with nested components. Shapes for detection and readers.
#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "evidence/health_detail.h"

namespace probewise::health_detail {
namespace {

// The generic vocabulary (case-insensitive), with the words of the
// conventions that use it: Elasticsearch's colours, etcd's "true"/"false",
// django-health-check's "working".
constexpr StatusWord kVocabulary[] = {
    {"ok", HealthStatus::pass},
    {"up", HealthStatus::pass},
    {"pass", HealthStatus::pass},
    {"passing", HealthStatus::pass},
    {"healthy", HealthStatus::pass},
    {"green", HealthStatus::pass},
    {"true", HealthStatus::pass},
    {"working", HealthStatus::pass},
    {"alive", HealthStatus::pass},
    {"ready", HealthStatus::pass},
    {"warn", HealthStatus::warn},
    {"warning", HealthStatus::warn},
    {"degraded", HealthStatus::warn},
    {"yellow", HealthStatus::warn},
    {"fail", HealthStatus::fail},
    {"failing", HealthStatus::fail},
    {"failed", HealthStatus::fail},
    {"down", HealthStatus::fail},
    {"error", HealthStatus::fail},
    {"red", HealthStatus::fail},
    {"unhealthy", HealthStatus::fail},
    {"false", HealthStatus::fail},
    {"critical", HealthStatus::fail},
    {"unavailable", HealthStatus::fail},
    {"shutting_down", HealthStatus::fail},
    // Other vocabularies in use: good/bad, online/offline, gRPC's
    // SERVING/NOT_SERVING, status pages' operational/outage.
    {"good", HealthStatus::pass},
    {"online", HealthStatus::pass},
    {"serving", HealthStatus::pass},
    {"operational", HealthStatus::pass},
    {"available", HealthStatus::pass},
    {"passed", HealthStatus::pass},
    {"running", HealthStatus::pass},
    {"partial_outage", HealthStatus::warn},
    {"degraded_performance", HealthStatus::warn},
    {"bad", HealthStatus::fail},
    {"offline", HealthStatus::fail},
    {"not_serving", HealthStatus::fail},
    {"outage", HealthStatus::fail},
    {"major_outage", HealthStatus::fail},
    {"stopped", HealthStatus::fail},
};
const Dialect kVocabularyDialect{
    words_of(kVocabulary),
    {},
    false,
    "ok, up, pass, good, healthy, green, true; warn, degraded, yellow; fail, down, "
    "error, bad, red, unhealthy, false, critical"};

// The status member's names, in any case ("Status", "STATE"); "healthy"
// holds a boolean (Dropwizard's health checks).
constexpr std::string_view kStatusKeys[] = {"status", "state", "health", "healthy", "overall_status", "ok"};
// Where documents keep their components, by name (a map) or in a list.
constexpr std::string_view kComponentKeys[] = {"checks",  "details",  "components",   "entries",
                                               "results", "services", "dependencies", "probes"};
constexpr int kMaxNesting = 8;

std::optional<HealthStatus> word(std::string_view raw) {
  return lookup(words_of(kVocabulary), trim(raw));
}

template <std::size_t N>
bool is_one_of(std::string_view key, const std::string_view (&keys)[N]) {
  return std::any_of(std::begin(keys), std::end(keys), [&](std::string_view k) { return iequals(k, key); });
}

// The status member of an object: "status", "state", "health" or "healthy"
// in any case, when it holds a word of the vocabulary (a string or a boolean).
const json* status_member(const json& obj) {
  if (!obj.is_object()) return nullptr;
  for (std::string_view k : kStatusKeys) {
    std::size_t n = 0;
    for (const auto& item : obj.items()) {
      if (++n > 256) break;
      const json& v = item.value();
      if (!iequals(item.key(), k)) continue;
      if (v.is_boolean() || (k != "ok" && v.is_string() && word(v.get_ref<const std::string&>()))) return &v;
    }
  }
  return nullptr;
}

// "unavailable: Database error" -> fail (django-health-check), "ok" -> pass.
std::optional<HealthStatus> leading_word(std::string_view s) {
  s = trim(s);
  std::size_t n = 0;
  while (n < s.size() && (std::isalpha(static_cast<unsigned char>(s[n])) != 0 || s[n] == '_')) ++n;
  return n == 0 ? std::nullopt : word(s.substr(0, n));
}

// ---------------------------------------------------------------------------
// Generic: {"status": "<word>", "<component>": {"status": "<word>", ...}, ...}

void add_object_component(const std::string& name, const json& v, const json* s, HealthReport& r) {
  HealthComponent c;
  c.name = capped(name);
  set_component_status(c, s, kVocabularyDialect);
  c.output = message_of(&v);
  add_component(r, std::move(c));
}

// A component of a collection given as a plain word ({"checks": {"db": "GOOD"}}).
void add_word_component(const std::string& name, const std::string& said, HealthReport& r) {
  auto status = word(said);
  if (!status) return;
  HealthComponent c;
  c.name = capped(name);
  c.raw_status = capped(said);
  c.status = *status;
  add_component(r, std::move(c));
}

void generic_components(const json& obj, const std::string& prefix, int depth, HealthReport& r);

// A collection under one of kComponentKeys: a map of components (objects
// with a status, or plain words) or a list of objects that name themselves.
// Its key is no part of the components' names.
void collection_components(const json& v, const std::string& prefix, int depth, HealthReport& r) {
  auto join = [&](const std::string& name) { return prefix.empty() ? name : prefix + "/" + name; };
  if (v.is_object()) {
    for (const auto& item : v.items()) {
      const json& c = item.value();
      if (c.is_string()) add_word_component(join(item.key()), c.get_ref<const std::string&>(), r);
      if (!c.is_object()) continue;
      if (const json* s = status_member(c)) add_object_component(join(item.key()), c, s, r);
      generic_components(c, join(item.key()), depth + 1, r);
    }
    return;
  }
  if (!v.is_array()) return;
  std::size_t n = 0;
  for (const auto& c : v) {
    ++n;
    const json* s = c.is_object() ? status_member(c) : nullptr;
    if (!s) continue;
    std::string name = text_of(first_member(c, {"name", "componentId", "component", "id", "check", "key"}));
    add_object_component(join(name.empty() ? "#" + std::to_string(n) : name), c, s, r);
  }
}

void generic_components(const json& obj, const std::string& prefix, int depth, HealthReport& r) {
  if (depth > kMaxNesting) return;
  for (const auto& item : obj.items()) {
    const json& v = item.value();
    if (is_one_of(item.key(), kComponentKeys) && (v.is_object() || v.is_array())) {
      collection_components(v, prefix, depth + 1, r);
      continue;
    }
    std::string name = prefix.empty() ? item.key() : prefix + "/" + item.key();
    if (v.is_object()) {
      if (const json* s = status_member(v)) add_object_component(name, v, s, r);
      generic_components(v, name, depth + 1, r);  // nested components of the same shape
    }
  }
}

bool has_collection(const json& doc) {
  HealthReport probe;
  for (const auto& item : doc.items())
    if (is_one_of(item.key(), kComponentKeys)) collection_components(item.value(), "", 1, probe);
  return !probe.components.empty();
}

// Dropwizard's /healthcheck: the document is the map of components.
bool is_component_map(const json& doc) {
  return std::any_of(doc.begin(), doc.end(), [](const json& v) { return status_member(v) != nullptr; });
}

bool generic_shape(const json& doc) {
  return status_member(doc) != nullptr || has_collection(doc) || is_component_map(doc);
}

Expected<HealthReport> parse_generic(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::generic;
  generic_components(doc, "", 0, r);
  if (auto e = judge_overall(status_member(doc), kVocabularyDialect, r)) return *e;
  r.output = capped(text_of(first_member(doc, {"message", "reason", "output", "description"})));
  return r;
}

// ---------------------------------------------------------------------------
// A map of components to plain strings, without an overall status:
// django-health-check's {"DatabaseBackend": "working", "Cache": "unavailable: ..."}.

bool component_map_shape(const json& doc) {
  if (doc.empty() || member(doc, "status")) return false;
  bool any_word = false;
  for (const auto& v : doc) {
    if (!v.is_string()) return false;
    any_word = any_word || word(v.get_ref<const std::string&>());
  }
  return any_word;
}

// A value that reads as a status: a word of the vocabulary, or one at the
// start of a message ("unavailable: Database error"). Others ("version":
// "10.2.3", "commit": "abc123", as Grafana's /api/health has) are no components.
std::optional<HealthStatus> status_of_value(std::string_view said) {
  if (auto w = word(said)) return w;
  return leading_word(said);
}

Expected<HealthReport> parse_component_map(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::generic;
  for (const auto& item : doc.items()) {
    const std::string& said = item.value().get_ref<const std::string&>();
    auto status = status_of_value(said);
    if (!status) continue;
    HealthComponent c;
    c.name = capped(item.key());
    c.raw_status = capped(said);
    c.status = *status;
    if (!word(said)) c.output = capped(said);
    add_component(r, std::move(c));
  }
  r.status = worst_of(r.components);
  return r;
}

// ---------------------------------------------------------------------------
// terminus (Node) and @nestjs/terminus: {"status": "ok"|"error"|"shutting_down",
// "info": {...}, "error": {...}, "details": {...}}; a component is an object
// with "status" up/down or, with terminus, any value (a plain string).

constexpr StatusWord kTerminusWords[] = {
    {"ok", HealthStatus::pass}, {"error", HealthStatus::fail}, {"shutting_down", HealthStatus::fail}};
const Dialect kTerminusDialect{words_of(kTerminusWords), {}, false, "ok, error or shutting_down"};

bool terminus_shape(const json& doc) {
  const json* s = member(doc, "status");
  if (!s || !s->is_string() || !lookup(words_of(kTerminusWords), s->get_ref<const std::string&>()))
    return false;
  if (object_member(doc, "info") || object_member(doc, "error")) return true;
  const json* details = object_member(doc, "details");  // not health+json's early "details" (arrays)
  return details &&
         std::none_of(details->begin(), details->end(), [](const json& v) { return v.is_array(); });
}

HealthComponent terminus_component(const std::string& name, const json& v, bool in_error) {
  HealthComponent c;
  c.name = capped(name);
  c.status = in_error ? HealthStatus::fail : HealthStatus::pass;
  c.raw_status = in_error ? "error" : "ok";
  if (const json* s = v.is_object() ? status_member(v) : nullptr) {
    set_component_status(c, s, kVocabularyDialect);
    if (in_error && c.status == HealthStatus::pass) c.status = HealthStatus::fail;
    c.output = message_of(&v);
  } else if (!v.is_object()) {
    c.output = capped(text_of(&v));  // terminus: the check's value or error, as given
  }
  return c;
}

Expected<HealthReport> parse_terminus(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::terminus;
  const json* error = object_member(doc, "error");
  const json* all = object_member(doc, "details");
  const json* info = object_member(doc, "info");
  auto failing = [&](const std::string& name) { return error && error->contains(name); };
  for (const json* group : {all ? all : info, all ? nullptr : error}) {
    if (!group) continue;
    for (const auto& item : group->items())
      add_component(r, terminus_component(item.key(), item.value(), failing(item.key())));
  }
  if (auto e = judge_overall(member(doc, "status"), kTerminusDialect, r)) return *e;
  return r;
}

// ---------------------------------------------------------------------------
// Elasticsearch / OpenSearch _cluster/health: {"cluster_name", "status":
// "green"|"yellow"|"red", "unassigned_shards", ...}.

bool elasticsearch_shape(const json& doc) {
  return member(doc, "cluster_name") && member(doc, "status") && member(doc, "number_of_nodes");
}

Expected<HealthReport> parse_elasticsearch(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::elasticsearch;
  if (auto e = judge_overall(member(doc, "status"), kVocabularyDialect, r)) return *e;
  std::string out;
  for (const char* k : {"number_of_nodes", "unassigned_shards", "initializing_shards", "relocating_shards"}) {
    auto n = number_of(member(doc, k));
    if (n && (*n > 0 || std::string_view(k) == "number_of_nodes"))
      out += (out.empty() ? "" : ", ") + std::string(k) + " " + text_of(member(doc, k));
  }
  r.output = capped(out);
  return r;
}

// ---------------------------------------------------------------------------
// etcd /health: {"health": "true", "reason": ""} (served as text/plain).

bool etcd_shape(const json& doc) {
  const json* h = member(doc, "health");
  if (!h) return false;
  std::string t = text_of(h);
  return (t == "true" || t == "false") &&
         std::all_of(doc.items().begin(), doc.items().end(),
                     [](const auto& item) { return item.key() == "health" || item.key() == "reason"; });
}

Expected<HealthReport> parse_etcd(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::etcd;
  if (auto e = judge_overall(member(doc, "health"), kVocabularyDialect, r)) return *e;
  r.output = capped(text_of(member(doc, "reason")));
  return r;
}

// ---------------------------------------------------------------------------
// Consul checks: /v1/health/node/<node>, /v1/health/checks/<service> (an
// array) and /v1/agent/checks (a map by CheckID), each check with "Status"
// passing / warning / critical and "Output".

constexpr StatusWord kConsulWords[] = {{"passing", HealthStatus::pass},
                                       {"warning", HealthStatus::warn},
                                       {"critical", HealthStatus::fail},
                                       {"maintenance", HealthStatus::warn}};
const Dialect kConsulDialect{words_of(kConsulWords), {}, false, "passing, warning or critical"};

bool is_consul_check(const json& v) {
  const json* s = member(v, "Status");
  return s && s->is_string() && lookup(words_of(kConsulWords), s->get_ref<const std::string&>()) &&
         (member(v, "CheckID") || member(v, "Name"));
}

bool consul_shape(const json& doc) {
  if (doc.empty()) return false;
  return std::all_of(doc.begin(), doc.end(), is_consul_check);
}

// Consul's /v1/status/leader: the leader's address as a JSON string, "" when
// the cluster has none; /v1/status/peers: a list of addresses.
// "10.0.0.1:8300", "[::1]:8300", "consul-0:8300"
bool is_host_port(const json& v) {
  if (!v.is_string()) return false;
  const std::string& s = v.get_ref<const std::string&>();
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == s.size() || s.size() > 300) return false;
  return std::all_of(s.begin() + static_cast<std::ptrdiff_t>(colon) + 1, s.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

bool consul_status_shape(const json& doc) {
  if (doc.is_string()) return doc.get_ref<const std::string&>().empty() || is_host_port(doc);
  return doc.is_array() && !doc.empty() && std::all_of(doc.begin(), doc.end(), is_host_port);
}

Expected<HealthReport> parse_consul_status(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::consul;
  const bool leader = doc.is_string();
  const bool known = leader ? !doc.get_ref<const std::string&>().empty() : !doc.empty();
  r.status = known ? HealthStatus::pass : HealthStatus::fail;
  r.raw_status = leader ? (known ? "leader " + capped(doc.get_ref<const std::string&>()) : "no leader")
                        : std::to_string(doc.size()) + " peers";
  r.output = r.raw_status;
  return r;
}

Expected<HealthReport> parse_consul(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::consul;
  for (const auto& check : doc) {
    HealthComponent c;
    std::string name = text_of(first_member(check, {"Name", "CheckID"}));
    std::string service = text_of(member(check, "ServiceName"));
    c.name = capped(service.empty() ? name : service + ": " + name);
    set_component_status(c, member(check, "Status"), kConsulDialect);
    c.output = capped(text_of(member(check, "Output")));
    add_component(r, std::move(c));
  }
  r.status = worst_of(r.components);
  return r;
}

// ---------------------------------------------------------------------------
// Vault /v1/sys/health: {"initialized", "sealed", "standby", ...}.

bool vault_shape(const json& doc) {
  const json* sealed = member(doc, "sealed");
  const json* initialized = member(doc, "initialized");
  return sealed && sealed->is_boolean() && initialized && initialized->is_boolean() && member(doc, "standby");
}

Expected<HealthReport> parse_vault(const json& doc) {
  HealthReport r;
  r.format = HealthFormat::vault;
  const bool sealed = member(doc, "sealed")->get<bool>();
  const bool initialized = member(doc, "initialized")->get<bool>();
  const json* standby = member(doc, "standby");
  const bool is_standby = standby && standby->is_boolean() && standby->get<bool>();
  r.status = sealed || !initialized ? HealthStatus::fail : HealthStatus::pass;
  r.raw_status = !initialized ? "not initialized" : sealed ? "sealed" : is_standby ? "standby" : "active";
  r.output = r.raw_status;
  return r;
}

// ---------------------------------------------------------------------------
// Plain text: "OK", "healthy", "UP", "Prometheus Server is Healthy.", "not
// ready". A few words on one or two lines, one status word among them.

constexpr std::size_t kMaxTextWords = 8;

Expected<HealthReport> read_text(std::string_view text) {
  auto lines = text_lines(text);
  if (text.size() > 200 || lines.empty() || lines.size() > 2)
    return Error{"plain text " + quoted_excerpt(text)};
  std::vector<std::string> words;
  std::string current;
  for (char ch : to_lower(text)) {
    if (std::isalpha(static_cast<unsigned char>(ch)) != 0 || ch == '_') {
      current += ch;
    } else if (!current.empty()) {
      words.push_back(current);
      current.clear();
    }
  }
  if (!current.empty()) words.push_back(current);
  std::optional<HealthStatus> found;
  bool negated = false;
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto w = word(words[i]);
    if (!w) continue;
    if (found && *found != *w) return Error{"plain text " + quoted_excerpt(text) + " (more than one status)"};
    found = w;
    negated = negated || (i > 0 && (words[i - 1] == "not" || words[i - 1] == "no"));
  }
  if (!found || words.size() > kMaxTextWords) return Error{"plain text " + quoted_excerpt(text)};
  HealthReport r;
  r.format = HealthFormat::text;
  r.status = negated && *found == HealthStatus::pass ? HealthStatus::fail : *found;
  r.raw_status = capped(trim(text));
  return r;
}

}  // namespace

const std::vector<Convention>& conventions() {
  // In this order: the specific shapes first, the generic vocabulary last.
  static const std::vector<Convention> list{
      {HealthFormat::terminus, terminus_shape, parse_terminus},
      {HealthFormat::elasticsearch, elasticsearch_shape, parse_elasticsearch},
      {HealthFormat::etcd, etcd_shape, parse_etcd},
      {HealthFormat::vault, vault_shape, parse_vault},
      {HealthFormat::generic, generic_shape, parse_generic},
      {HealthFormat::generic, component_map_shape, parse_component_map},
  };
  return list;
}

std::optional<HealthFormat> detect_convention(const json& doc, bool before_named) {
  if (!before_named && (doc.is_array() || doc.is_object()) && consul_shape(doc)) return HealthFormat::consul;
  if (!before_named && consul_status_shape(doc)) return HealthFormat::consul;
  if (!doc.is_object()) return std::nullopt;
  for (const auto& c : conventions()) {
    // terminus answers {"status":"ok",...}, which health+json would also take.
    bool early = c.format == HealthFormat::terminus;
    if (early == before_named && c.shape(doc)) return c.format;
  }
  return std::nullopt;
}

Expected<HealthReport> read_convention(HealthFormat f, const json& doc) {
  if (f == HealthFormat::consul) {
    if (consul_status_shape(doc)) return parse_consul_status(doc);
    if (!consul_shape(doc)) return Error{"JSON that is not a list or map of Consul checks"};
    return parse_consul(doc);
  }
  if (!doc.is_object()) return Error{"JSON that is " + std::string(json_type_phrase(doc))};
  for (const auto& c : conventions())
    if (c.format == f && c.shape(doc)) return c.read(doc);
  for (const auto& c : conventions())
    if (c.format == f) return c.read(doc);
  return Error{"a document of another format"};
}

Expected<HealthReport> read_plain_text(std::string_view text) {
  return read_text(text);
}

}  // namespace probewise::health_detail
