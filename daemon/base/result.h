#pragma once
/// Result<T>: the value of an operation that can fail in an expected way (bad input, a remote
/// error), or the error that says why. Exceptions are kept for bugs and start-up failures.

#include <string>
#include <utility>
#include <variant>

namespace plancal {

/// What went wrong, written for the person who has to act on it.
struct Error {
  std::string message;
};

/// `E` is the error type: Error for most layers; a protocol layer may carry a richer one
/// (e.g. caldav::DavError with a failure kind the sync engine acts on).
template <class T, class E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  Result(E error) : state_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  [[nodiscard]] bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  [[nodiscard]] T& value() & { return std::get<T>(state_); }
  [[nodiscard]] const T& value() const& { return std::get<T>(state_); }
  [[nodiscard]] T&& value() && { return std::get<T>(std::move(state_)); }
  [[nodiscard]] const E& error() const { return std::get<E>(state_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, E> state_;
};

/// For operations that produce nothing but can fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace plancal
