#include "runtime/daemon/config.h"

#include <arpa/inet.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <functional>
#include <set>
#include <string>
#include <utility>

#include <yaml-cpp/yaml.h>

#include "runtime/daemon/duration.h"
#include "runtime/daemon/http_url.h"

namespace questline::daemon {
namespace {

// Walks the YAML tree, recording every problem with the file and line of the
// key it concerns, so an operator can go straight to it.
class Checker {
 public:
  Checker(const std::string& file, std::vector<std::string>* errors, std::map<std::string, int>* lines)
      : file_(file), errors_(errors), lines_(lines) {}

  // Runs the handler of each key of `map`; `where` names the map in messages.
  using Handler = std::function<void(const YAML::Node& value, const std::string& key, int line)>;
  void Map(const YAML::Node& map, const std::string& where, int line,
           const std::vector<std::pair<std::string, Handler>>& keys) {
    if (!map.IsMap()) return Error(line, where.empty() ? "(top level)" : where, "expects a mapping of keys");
    for (auto it = map.begin(); it != map.end(); ++it) {
      const std::string key = it->first.Scalar();
      const int key_line = int(it->first.Mark().line) + 1;
      const std::string path = where.empty() ? key : where + "." + key;
      (*lines_)[path] = key_line;
      const Handler* handler = nullptr;
      for (const auto& [name, h] : keys)
        if (name == key) handler = &h;
      if (handler) (*handler)(it->second, path, key_line);
      else Error(key_line, path, "unknown key" + Known(keys));
    }
  }

  void String(const YAML::Node& v, const std::string& key, int line, std::string* out) {
    if (!v.IsScalar() || v.Scalar().empty()) return Error(line, key, "expects a non-empty string");
    *out = v.Scalar();
  }

  void Choice(const YAML::Node& v, const std::string& key, int line, const std::vector<std::string>& allowed,
              std::string* out) {
    if (!v.IsScalar()) return Error(line, key, "expects one of" + List(allowed));
    for (const std::string& a : allowed)
      if (v.Scalar() == a) {
        *out = a;
        return;
      }
    Error(line, key, "'" + v.Scalar() + "' is not one of" + List(allowed));
  }

  void Integer(const YAML::Node& v, const std::string& key, int line, int64_t min, int64_t max, int64_t* out) {
    const std::string& text = v.IsScalar() ? v.Scalar() : std::string();
    int64_t n = 0;
    bool ok = !text.empty() && text.size() <= 18;
    for (char c : text) ok &= c >= '0' && c <= '9';
    if (ok) n = std::stoll(text);
    if (!ok || n < min || n > max)
      return Error(line, key, "expects a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    *out = n;
  }

  void Duration(const YAML::Node& v, const std::string& key, int line, int64_t* out) {
    if (!v.IsScalar() || !ParseDurationMs(v.Scalar(), out))
      Error(line, key, "expects a duration such as 7d, 12h, 30s or 500ms (at most 100 years)");
  }

  // "HOST:PORT", HOST an IP literal ([::1] for IPv6) or localhost.
  void Address(const YAML::Node& v, const std::string& key, int line, ListenAddress* out) {
    const std::string text = v.IsScalar() ? v.Scalar() : std::string();
    const size_t colon = text.rfind(':');
    std::string host = colon == std::string::npos ? "" : text.substr(0, colon);
    const std::string port = colon == std::string::npos ? "" : text.substr(colon + 1);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    unsigned char buf[16];
    const bool host_ok = host == "localhost" || inet_pton(AF_INET, host.c_str(), buf) == 1 ||
                         inet_pton(AF_INET6, host.c_str(), buf) == 1;
    bool port_ok = !port.empty() && port.size() <= 5;
    for (char c : port) port_ok &= c >= '0' && c <= '9';
    if (!host_ok || !port_ok || std::stoi(port) > 65535)
      return Error(line, key, "expects HOST:PORT with an IP address or localhost, e.g. \"127.0.0.1:8080\"");
    out->host = host == "localhost" ? "127.0.0.1" : host;
    out->port = uint16_t(std::stoi(port));
    out->enabled = true;
  }

  void Error(int line, const std::string& key, const std::string& what) {
    errors_->push_back(file_ + ":" + std::to_string(line) + ": " + key + ": " + what);
  }

 private:
  static std::string List(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? " " : ", ") + n;
    return out;
  }
  static std::string Known(const std::vector<std::pair<std::string, Handler>>& keys) {
    std::vector<std::string> names;
    for (const auto& k : keys) names.push_back(k.first);
    return " (known keys:" + List(names) + ")";
  }
  const std::string& file_;
  std::vector<std::string>* errors_;
  std::map<std::string, int>* lines_;
};

// A package folder or file, or a bundle, that this process can read.
bool ReadableRules(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || ::access(path.c_str(), R_OK) != 0) return false;
  return S_ISDIR(st.st_mode) || S_ISREG(st.st_mode);
}

void ReadSink(Checker& c, const YAML::Node& node, const std::string& where, int line, SinkConfig* sink) {
  using H = Checker::Handler;
  auto whole = [&](int64_t min, int64_t max, int64_t* out) {
    return H([&c, min, max, out](auto& v, auto& k, int l) { c.Integer(v, k, l, min, max, out); });
  };
  auto duration = [&](int64_t* out) { return H([&c, out](auto& v, auto& k, int l) { c.Duration(v, k, l, out); }); };
  int url_line = 0;
  c.Map(node, where, line,
        {{"type", H([&](auto& v, auto& k, int l) { c.Choice(v, k, l, {"file", "webhook"}, &sink->type); })},
         {"path", H([&](auto& v, auto& k, int l) { c.String(v, k, l, &sink->path); })},
         {"name", H([&](auto& v, auto& k, int l) {
            c.String(v, k, l, &sink->name);
            for (char ch : sink->name)
              if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_' && ch != '-')
                return c.Error(l, k, "expects letters, digits, _ and - only (it names a file)");
          })},
         {"url", H([&](auto& v, auto& k, int l) {
            c.String(v, k, l, &sink->url);
            url_line = l;
          })},
         {"batch", whole(1, 100'000, &sink->batch_max)},
         {"batch_max", whole(1, 100'000, &sink->batch_max)},
         {"timeout", duration(&sink->timeout_ms)},
         {"max_attempts", whole(1, 1'000'000, &sink->max_attempts)},
         {"backoff_initial", duration(&sink->backoff_initial_ms)},
         {"backoff_max", duration(&sink->backoff_max_ms)},
         {"queue_max", whole(1, 100'000'000, &sink->queue_max)},
         {"backlog_wait", duration(&sink->backlog_wait_ms)},
         {"dead_letter", H([&](auto& v, auto& k, int l) { c.String(v, k, l, &sink->dead_letter); })},
         {"retry", H([&](auto& v, auto& k, int l) {
            c.Choice(v, k, l, {"none", "fixed", "exponential"}, &sink->retry);
          })}});
  if (!node.IsMap()) return;
  if (sink->type.empty() && !node["type"]) c.Error(line, where, "needs a type (file or webhook)");
  if (sink->type == "file" && sink->path.empty()) c.Error(line, where, "a file sink needs a path");
  if (sink->type == "webhook" && sink->url.empty() && !node["url"]) c.Error(line, where, "a webhook sink needs a url");
  HttpUrl url;
  std::string why;
  if (sink->type == "webhook" && !sink->url.empty() && !ParseHttpUrl(sink->url, &url, &why))
    c.Error(url_line, where + ".url", why);
  if (sink->backoff_initial_ms > sink->backoff_max_ms)
    c.Error(line, where, "backoff_initial is longer than backoff_max");
}

void ReadSource(Checker& c, const YAML::Node& node, int line, Config* config) {
  KafkaSourceConfig& k = config->kafka;
  std::string type;
  using H = Checker::Handler;
  auto text = [&](std::string* out) { return H([&c, out](auto& v, auto& key, int l) { c.String(v, key, l, out); }); };
  auto count = [&](int64_t min, int64_t max, int64_t* out) {
    return H([&c, min, max, out](auto& v, auto& key, int l) { c.Integer(v, key, l, min, max, out); });
  };
  c.Map(node, "source", line,
        {{"type", H([&](auto& v, auto& key, int l) { c.Choice(v, key, l, {"kafka"}, &type); })},
         {"brokers", text(&k.brokers)}, {"topic", text(&k.topic)}, {"group", text(&k.group)},
         {"actions_topic", text(&k.actions_topic)}, {"changelog_topic", text(&k.changelog_topic)},
         {"repartition_topic", text(&k.repartition_topic)},
         {"security_protocol", H([&](auto& v, auto& key, int l) {
            c.Choice(v, key, l, {"plaintext", "ssl", "sasl_plaintext", "sasl_ssl"}, &k.security_protocol);
          })},
         {"sasl_mechanism", text(&k.sasl_mechanism)}, {"sasl_username", text(&k.sasl_username)},
         {"sasl_password_env", text(&k.sasl_password_env)}, {"ssl_ca_location", text(&k.ssl_ca_location)},
         {"checkpoint_every", count(1, int64_t(1) << 40, &k.checkpoint_every)},
         {"max_batch", count(1, 1'000'000, &k.max_batch)},
         {"max_held", count(1, int64_t(1) << 32, &k.max_held)},
         {"session_timeout", H([&](auto& v, auto& key, int l) { c.Duration(v, key, l, &k.session_timeout_ms); })},
         {"fetch_wait", H([&](auto& v, auto& key, int l) { c.Duration(v, key, l, &k.fetch_wait_ms); })},
         {"redis", text(&k.redis)}, {"redis_prefix", text(&k.redis_prefix)}});
  if (!node.IsMap()) return;
  if (type.empty() && !node["type"]) c.Error(line, "source", "needs a type (kafka)");
  k.enabled = type == "kafka";
  if (k.enabled && k.brokers.empty()) c.Error(line, "source.brokers", "is required: the bootstrap servers, host:port");
  for (const auto& [key, value] : {std::pair{"topic", &k.topic}, std::pair{"group", &k.group},
                                   std::pair{"actions_topic", &k.actions_topic},
                                   std::pair{"changelog_topic", &k.changelog_topic},
                                   std::pair{"repartition_topic", &k.repartition_topic}})
    if (value->empty()) c.Error(line, std::string("source.") + key, "must not be empty");
  const std::set<std::string> topics = {k.topic, k.actions_topic, k.changelog_topic, k.repartition_topic};
  if (k.enabled && topics.size() != 4)
    c.Error(line, "source", "topic, actions_topic, changelog_topic and repartition_topic must be four different topics");
  if (k.session_timeout_ms < 1000 || k.session_timeout_ms > 300'000)
    c.Error(line, "source.session_timeout", "must be between 1s and 300s");
  if (k.fetch_wait_ms < 1 || k.fetch_wait_ms > 10'000)
    c.Error(line, "source.fetch_wait", "must be between 1ms and 10s");
}

}  // namespace

bool LoadConfig(const std::string& path, Config* config, std::vector<std::string>* errors) {
  Config c;
  c.file = path;
  const size_t errors_before = errors->size();
  Checker check(path, errors, &c.lines);
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const YAML::BadFile&) {
    errors->push_back(path + ": cannot read the configuration file");
    return false;
  } catch (const YAML::ParserException& e) {
    check.Error(int(e.mark.line) + 1, "yaml", e.msg);
    return false;
  }
  using H = Checker::Handler;
  check.Map(
      root, "", 1,
      {{"rules", H([&](auto& v, auto& k, int l) { check.String(v, k, l, &c.rules); })},
       {"data_dir", H([&](auto& v, auto& k, int l) { check.String(v, k, l, &c.data_dir); })},
       {"listen", H([&](auto& v, auto& k, int l) {
          check.Map(v, k, l,
                    {{"http", H([&](auto& v2, auto& k2, int l2) { check.Address(v2, k2, l2, &c.http); })},
                     {"tcp", H([&](auto& v2, auto& k2, int l2) { check.Address(v2, k2, l2, &c.tcp); })}});
        })},
       {"engine", H([&](auto& v, auto& k, int l) { check.Choice(v, k, l, {"jit", "interp"}, &c.engine); })},
       {"durability", H([&](auto& v, auto& k, int l) {
          check.Map(v, k, l,
                    {{"fsync", H([&](auto& v2, auto& k2, int l2) {
                        check.Choice(v2, k2, l2, {"none", "group", "always"}, &c.fsync);
                      })},
                     {"snapshot_every_events", H([&](auto& v2, auto& k2, int l2) {
                        check.Integer(v2, k2, l2, 1, int64_t(1) << 40, &c.snapshot_every_events);
                      })}});
        })},
       {"sinks", H([&](auto& v, auto& k, int l) {
          if (!v.IsSequence()) return check.Error(l, k, "expects a list of sinks");
          for (size_t i = 0; i < v.size(); ++i) {
            c.sinks.emplace_back();
            const int item_line = int(v[i].Mark().line) + 1;
            c.lines[k + "[" + std::to_string(i) + "]"] = item_line;
            ReadSink(check, v[i], k + "[" + std::to_string(i) + "]", item_line, &c.sinks.back());
          }
        })},
       {"auth", H([&](auto& v, auto& k, int l) {
          check.Map(v, k, l,
                    {{"token_env", H([&](auto& v2, auto& k2, int l2) { check.String(v2, k2, l2, &c.token_env); })}});
        })},
       {"limits", H([&](auto& v, auto& k, int l) {
          Limits& m = c.limits;
          auto bytes = [&](int64_t min, int64_t max, int64_t* out) {
            return H([&check, min, max, out](auto& v2, auto& k2, int l2) { check.Integer(v2, k2, l2, min, max, out); });
          };
          check.Map(v, k, l,
                    {{"max_event_bytes", bytes(64, 64 << 20, &m.max_event_bytes)},
                     {"max_batch_events", bytes(1, 10'000'000, &m.max_batch_events)},
                     {"max_body_bytes", bytes(1024, int64_t(1) << 32, &m.max_body_bytes)},
                     {"max_header_bytes", bytes(1024, 1 << 20, &m.max_header_bytes)},
                     {"max_connections", bytes(1, 1'000'000, &m.max_connections)},
                     {"read_timeout", H([&](auto& v2, auto& k2, int l2) {
                        check.Duration(v2, k2, l2, &m.read_timeout_ms);
                      })},
                     {"max_future", H([&](auto& v2, auto& k2, int l2) {
                        check.Duration(v2, k2, l2, &m.max_future_ms);
                      })}});
        })},
       {"clock", H([&](auto& v, auto& k, int l) {
          std::string clock;
          check.Choice(v, k, l, {"event", "wall"}, &clock);
          c.wall_clock = clock == "wall";
        })},
       {"partitions", H([&](auto& v, auto& k, int l) { check.Integer(v, k, l, 1, 256, &c.partitions); })},
       {"dedup_window", H([&](auto& v, auto& k, int l) { check.Duration(v, k, l, &c.dedup_window_ms); })},
       {"log_level", H([&](auto& v, auto& k, int l) {
          check.Choice(v, k, l, {"error", "warn", "info", "debug"}, &c.log_level);
        })},
       {"source", H([&](auto& v, auto& k, int l) { ReadSource(check, v, l, &c); })}});

  // Each webhook's name picks its ack file: two sharing one would each
  // believe the other's acknowledgements.
  for (size_t i = 0; i < c.sinks.size(); ++i) {
    SinkConfig& sink = c.sinks[i];
    if (sink.type != "webhook") continue;
    if (sink.name.empty()) sink.name = std::to_string(i);
    if (sink.dead_letter.empty()) sink.dead_letter = c.data_dir + "/dead-letter-" + sink.name + ".ndjson";
    if (sink.retry == "none") sink.max_attempts = 1;
    for (size_t j = 0; j < i; ++j)
      if (c.sinks[j].type == "webhook" && c.sinks[j].name == sink.name)
        check.Error(c.Line("sinks[" + std::to_string(i) + "]"), "sinks[" + std::to_string(i) + "].name",
                    "'" + sink.name + "' is the name of sinks[" + std::to_string(j) + "] too");
  }
  if (root.IsMap()) {
    if (!root["rules"]) check.Error(1, "rules", "is required: a package folder or a .qlb bundle");
    else if (!c.rules.empty() && !ReadableRules(c.rules))
      check.Error(c.Line("rules"), "rules", "cannot read '" + c.rules + "' (a package folder, a .quest file or a .qlb)");
    if (!c.http.enabled && !c.tcp.enabled && !c.kafka.enabled)
      check.Error(1, "listen", "needs at least one of http or tcp");
  }
  if (errors->size() != errors_before) return false;
  *config = std::move(c);
  return true;
}

}  // namespace questline::daemon
