// Errors as values. Nothing is thrown across module boundaries: a fallible function returns
// Result<T>, and each layer that knows more adds context with Error::wrap ("app.tar: layer
// sha256:ab12…: gzip stream truncated"). The CLI maps Error::kind to the documented exit codes.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace distill {

enum class ErrorKind {
  kInput = 2,     // bad input or usage: exit code 2
  kInternal = 3,  // a bug or an environment failure: exit code 3
};

struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::kInput;

  // "ctx: message" — the outer layer names what it was working on.
  Error wrap(std::string_view ctx) const& { return {fmt::format("{}: {}", ctx, message), kind}; }
  Error wrap(std::string_view ctx) && {
    message = fmt::format("{}: {}", ctx, message);
    return std::move(*this);
  }
};

template <typename... Args>
Error Errorf(fmt::format_string<Args...> f, Args&&... args) {
  return Error{fmt::format(f, std::forward<Args>(args)...), ErrorKind::kInput};
}
template <typename... Args>
Error InternalErrorf(fmt::format_string<Args...> f, Args&&... args) {
  return Error{fmt::format(f, std::forward<Args>(args)...), ErrorKind::kInternal};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  Result(Error e) : v_(std::in_place_index<1>, std::move(e)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error e) : err_(std::move(e)), failed_(true) {}
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    assert(failed_);
    return err_;
  }
  Error&& error() && {
    assert(failed_);
    return std::move(err_);
  }

 private:
  Error err_;
  bool failed_ = false;
};

using Status = Result<void>;

}  // namespace distill

// Propagate an error: DISTILL_TRY(auto x, Parse(...)); or DISTILL_TRY_VOID(Check(...));
#define DISTILL_CONCAT_(a, b) a##b
#define DISTILL_CONCAT(a, b) DISTILL_CONCAT_(a, b)
#define DISTILL_TRY_IMPL_(tmp, decl, expr)      \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  decl = std::move(tmp).value()
#define DISTILL_TRY(decl, expr) DISTILL_TRY_IMPL_(DISTILL_CONCAT(try_tmp_, __LINE__), decl, expr)
#define DISTILL_TRY_VOID(expr)                                    \
  do {                                                            \
    auto try_status_ = (expr);                                    \
    if (!try_status_.ok()) return std::move(try_status_).error(); \
  } while (0)
