// PostgreSQL through libpq, loaded on first use with dlopen (as util/libcurl.h does for libcurl):
// only `distill serve` talks to PostgreSQL, and no other command should map libpq and its
// dependencies (GSSAPI, LDAP, OpenSSL) at start-up. The table names every function distill calls;
// the types come from libpq-fe.h so a mismatch cannot compile.
//
// PgConnection is one session: statements with parameters in text format (bytea as binary
// parameters), results as rows of optional strings, errors as values naming the step and
// PostgreSQL's message, never the connection string's password.
#pragma once

#include <postgresql/libpq-fe.h>

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "util/result.h"

namespace distill::serve {

struct PqApi {
  decltype(&PQconnectdb) connectdb;
  decltype(&PQstatus) status;
  decltype(&PQerrorMessage) error_message;
  decltype(&PQfinish) finish;
  decltype(&PQreset) reset;
  decltype(&PQsetNoticeProcessor) set_notice_processor;
  decltype(&PQexec) exec;
  decltype(&PQexecParams) exec_params;
  decltype(&PQresultStatus) result_status;
  decltype(&PQresultErrorField) result_error_field;
  decltype(&PQcmdTuples) cmd_tuples;
  decltype(&PQntuples) ntuples;
  decltype(&PQnfields) nfields;
  decltype(&PQgetvalue) getvalue;
  decltype(&PQgetlength) getlength;
  decltype(&PQgetisnull) getisnull;
  decltype(&PQclear) clear;
  decltype(&PQbackendPID) backend_pid;
};

// Loads libpq.so.5 once (thread-safe); the error names the Debian package to install.
Result<const PqApi*> LoadPq();

// A statement parameter: text (or NULL), or raw bytes for a bytea column.
struct PgParam {
  std::optional<std::string> value;
  bool binary = false;
};
inline PgParam PgText(std::string s) { return {std::move(s), false}; }
inline PgParam PgBytes(std::string s) { return {std::move(s), true}; }
inline PgParam PgNull() { return {}; }

using PgRow = std::vector<std::optional<std::string>>;  // nullopt = SQL NULL
struct PgRows {
  std::vector<PgRow> rows;
  long affected = 0;  // rows an INSERT/UPDATE/DELETE touched
};

// The connection string with any password replaced by "***" (URL or key=value form), for messages.
std::string RedactConnInfo(std::string_view conninfo);

class PgConnection {
 public:
  // Connects (and silences server notices); the error names the redacted target.
  static Result<std::unique_ptr<PgConnection>> Connect(const std::string& conninfo);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  // One statement. Results in text format, or binary (raw bytes for bytea and text columns:
  // only for statements whose columns are all of those types). Errors read
  // "<step>: <PostgreSQL's message> (SQLSTATE xxxxx)".
  Result<PgRows> Exec(std::string_view step, const char* sql, std::span<const PgParam> params = {},
                      bool binary_result = false);
  Result<PgRows> Exec(std::string_view step, const char* sql, std::initializer_list<PgParam> params,
                      bool binary_result = false) {
    return Exec(step, sql, std::span<const PgParam>(params.begin(), params.size()), binary_result);
  }
  // Several statements without parameters (a migration's script).
  Status ExecScript(std::string_view step, const char* sql);

  // Whether the session is gone (server restarted, network cut): a statement failed for that.
  bool broken() const;
  // Reconnects with the same parameters; session state (advisory locks) is lost.
  Status Reset();
  int backend_pid() const;

 private:
  PgConnection(const PqApi* api, PGconn* conn, std::string target)
      : api_(api), conn_(conn), target_(std::move(target)) {}
  Result<PgRows> Collect(std::string_view step, PGresult* res);
  const PqApi* api_;
  PGconn* conn_;
  std::string target_;  // redacted, for messages
};

}  // namespace distill::serve
