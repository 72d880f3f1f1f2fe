#include "serve/store/pg.h"

#include <poll.h>

#include <algorithm>
#include <mutex>

#include "util/dl.h"

namespace distill::serve {

Result<const PqApi*> LoadPq() {
  static PqApi api;
  static std::string error;
  static std::once_flag once;
  std::call_once(once, [] {
    const DlSymbol syms[] = {
        {"PQconnectdb", reinterpret_cast<void**>(&api.connectdb)},
        {"PQstatus", reinterpret_cast<void**>(&api.status)},
        {"PQerrorMessage", reinterpret_cast<void**>(&api.error_message)},
        {"PQfinish", reinterpret_cast<void**>(&api.finish)},
        {"PQreset", reinterpret_cast<void**>(&api.reset)},
        {"PQsetNoticeProcessor", reinterpret_cast<void**>(&api.set_notice_processor)},
        {"PQexec", reinterpret_cast<void**>(&api.exec)},
        {"PQexecParams", reinterpret_cast<void**>(&api.exec_params)},
        {"PQresultStatus", reinterpret_cast<void**>(&api.result_status)},
        {"PQresultErrorField", reinterpret_cast<void**>(&api.result_error_field)},
        {"PQcmdTuples", reinterpret_cast<void**>(&api.cmd_tuples)},
        {"PQntuples", reinterpret_cast<void**>(&api.ntuples)},
        {"PQnfields", reinterpret_cast<void**>(&api.nfields)},
        {"PQgetvalue", reinterpret_cast<void**>(&api.getvalue)},
        {"PQgetlength", reinterpret_cast<void**>(&api.getlength)},
        {"PQgetisnull", reinterpret_cast<void**>(&api.getisnull)},
        {"PQclear", reinterpret_cast<void**>(&api.clear)},
        {"PQbackendPID", reinterpret_cast<void**>(&api.backend_pid)},
        {"PQsocket", reinterpret_cast<void**>(&api.socket)},
        {"PQconsumeInput", reinterpret_cast<void**>(&api.consume_input)},
        {"PQnotifies", reinterpret_cast<void**>(&api.notifies)},
        {"PQfreemem", reinterpret_cast<void**>(&api.freemem)},
    };
    error = LoadLibrarySymbols("libpq.so.5", "libpq5", syms);
  });
  if (!error.empty()) return InternalErrorf("{}", error);
  return &api;
}

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The end of a keyword value starting at `i`: a quoted one ('...', backslash escapes) or up to
// whitespace or '&' (a URL's query).
size_t ValueEnd(std::string_view s, size_t i) {
  if (i < s.size() && s[i] == '\'') {
    for (++i; i < s.size() && s[i] != '\''; ++i) {
      if (s[i] == '\\') ++i;
    }
    return std::min(i + 1, s.size());
  }
  while (i < s.size() && !IsSpace(s[i]) && s[i] != '&') ++i;
  return i;
}

}  // namespace

std::string RedactConnInfo(std::string_view conninfo) {
  std::string out;
  size_t i = 0;
  // URL: postgresql://user:secret@host/db
  for (std::string_view scheme : {"postgresql://", "postgres://"}) {
    if (!conninfo.starts_with(scheme)) continue;
    size_t authority_end = conninfo.find_first_of("/?", scheme.size());
    std::string_view authority = conninfo.substr(
        scheme.size(), authority_end == std::string_view::npos ? std::string_view::npos
                                                               : authority_end - scheme.size());
    size_t at = authority.rfind('@');
    size_t colon = authority.substr(0, at == std::string_view::npos ? 0 : at).find(':');
    if (at != std::string_view::npos && colon != std::string_view::npos) {
      out.append(conninfo.substr(0, scheme.size() + colon + 1)).append("***");
      i = scheme.size() + at;
    }
    break;
  }
  // key=value: password=secret, password = 'se cret'; a URL's query: ?password=secret
  constexpr std::string_view kKey = "password";
  while (i < conninfo.size()) {
    size_t k = conninfo.find(kKey, i);
    if (k == std::string_view::npos) break;
    size_t v = k + kKey.size();
    bool starts =
        k == 0 || IsSpace(conninfo[k - 1]) || conninfo[k - 1] == '?' || conninfo[k - 1] == '&';
    while (v < conninfo.size() && IsSpace(conninfo[v])) ++v;
    if (!starts || v >= conninfo.size() || conninfo[v] != '=') {
      out.append(conninfo.substr(i, k + 1 - i));
      i = k + 1;
      continue;
    }
    for (++v; v < conninfo.size() && IsSpace(conninfo[v]);) ++v;
    out.append(conninfo.substr(i, v - i)).append("***");
    i = ValueEnd(conninfo, v);
  }
  if (i < conninfo.size()) out.append(conninfo.substr(i));
  return out;
}

namespace {

void IgnoreNotice(void*, const char*) {}

// libpq's messages end in a newline; ours do not.
std::string Trimmed(const char* s) {
  std::string out = s ? s : "";
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  return out;
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const std::string& conninfo) {
  DISTILL_TRY(const PqApi* api, LoadPq());
  std::string target = RedactConnInfo(conninfo);
  PGconn* conn = api->connectdb(conninfo.c_str());
  if (!conn) return InternalErrorf("PostgreSQL {}: out of memory", target);
  if (api->status(conn) != CONNECTION_OK) {
    std::string why = Trimmed(api->error_message(conn));
    api->finish(conn);
    return Errorf("cannot connect to PostgreSQL {}: {}", target, why);
  }
  api->set_notice_processor(conn, IgnoreNotice, nullptr);
  return std::unique_ptr<PgConnection>(new PgConnection(api, conn, std::move(target)));
}

PgConnection::~PgConnection() { api_->finish(conn_); }

bool PgConnection::broken() const { return api_->status(conn_) != CONNECTION_OK; }

int PgConnection::backend_pid() const { return api_->backend_pid(conn_); }

Status PgConnection::Reset() {
  api_->reset(conn_);
  if (broken()) {
    return Errorf("cannot reconnect to PostgreSQL {}: {}", target_,
                  Trimmed(api_->error_message(conn_)));
  }
  api_->set_notice_processor(conn_, IgnoreNotice, nullptr);
  return {};
}

Result<bool> PgConnection::WaitForNotification(std::chrono::milliseconds timeout) {
  auto drain = [&]() -> Result<bool> {
    if (!api_->consume_input(conn_)) {
      return InternalErrorf("wait for a notification: {}", Trimmed(api_->error_message(conn_)));
    }
    bool any = false;
    while (PGnotify* n = api_->notifies(conn_)) {
      api_->freemem(n);
      any = true;
    }
    return any;
  };
  DISTILL_TRY(bool pending, drain());
  if (pending) return true;
  pollfd p{api_->socket(conn_), POLLIN, 0};
  if (p.fd < 0) return InternalErrorf("wait for a notification: no connection");
  int n = ::poll(&p, 1, static_cast<int>(timeout.count()));
  if (n <= 0) return false;
  return drain();
}

Result<PgRows> PgConnection::Collect(std::string_view step, PGresult* res) {
  ExecStatusType st = res ? api_->result_status(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    const char* primary = res ? api_->result_error_field(res, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
    const char* state_field = res ? api_->result_error_field(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string state = state_field ? state_field : "";  // copied: it lives in `res`
    std::string why = primary ? Trimmed(primary) : Trimmed(api_->error_message(conn_));
    if (res) api_->clear(res);
    if (!state.empty()) return InternalErrorf("{}: {} (SQLSTATE {})", step, why, state);
    return InternalErrorf("{}: {}", step, why);
  }
  PgRows out;
  int n = api_->ntuples(res), cols = api_->nfields(res);
  out.rows.reserve(n);
  for (int r = 0; r < n; ++r) {
    PgRow row(cols);
    for (int c = 0; c < cols; ++c) {
      if (!api_->getisnull(res, r, c)) {
        row[c].emplace(api_->getvalue(res, r, c), api_->getlength(res, r, c));
      }
    }
    out.rows.push_back(std::move(row));
  }
  const char* affected = api_->cmd_tuples(res);
  if (affected && *affected) out.affected = std::strtol(affected, nullptr, 10);
  api_->clear(res);
  return out;
}

Result<PgRows> PgConnection::Exec(std::string_view step, const char* sql,
                                  std::span<const PgParam> params, bool binary_result) {
  std::vector<const char*> values(params.size());
  std::vector<int> lengths(params.size()), formats(params.size());
  for (size_t i = 0; i < params.size(); ++i) {
    if (!params[i].value) continue;
    values[i] = params[i].value->data();
    lengths[i] = static_cast<int>(params[i].value->size());
    formats[i] = params[i].binary ? 1 : 0;
  }
  PGresult* res =
      api_->exec_params(conn_, sql, static_cast<int>(params.size()), nullptr, values.data(),
                        lengths.data(), formats.data(), binary_result ? 1 : 0);
  return Collect(step, res);
}

Status PgConnection::ExecScript(std::string_view step, const char* sql) {
  DISTILL_TRY_VOID(Collect(step, api_->exec(conn_, sql)));
  return {};
}

}  // namespace distill::serve
