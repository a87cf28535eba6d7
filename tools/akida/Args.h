//===- Args.h - Command-line options of the akida tool ------------*- C++ -*-===//
#ifndef AKIDA_TOOLS_AKIDA_ARGS_H
#define AKIDA_TOOLS_AKIDA_ARGS_H

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace akida::cli {

/// A usage error: printed as "akida <command>: <message>" with exit code 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Options of one subcommand: `-x VALUE` / `--long VALUE` pairs and flags.
class Args {
public:
  /// `valued` maps each option that takes a value (all spellings) to its
  /// canonical name; `flags` likewise for options without value.
  Args(const std::vector<std::string> &argv,
       const std::map<std::string, std::string> &valued,
       const std::map<std::string, std::string> &flags = {});

  /// The last value given for `name`.
  std::optional<std::string> get(const std::string &name) const;
  /// Every value given for `name`, in order (options that may repeat).
  std::vector<std::string> getAll(const std::string &name) const;
  bool has(const std::string &name) const { return values.count(name) > 0; }
  /// An integer option within [lo, hi], or `fallback` when absent.
  long long getInt(const std::string &name, long long fallback, long long lo,
                   long long hi) const;
  const std::vector<std::string> &positional() const { return positionals; }

private:
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::string>> repeated;
  std::vector<std::string> positionals;
};

} // namespace akida::cli

#endif // AKIDA_TOOLS_AKIDA_ARGS_H
