//===- Args.cpp - Command-line options of the akida tool ------------------===//

#include "tools/akida/Args.h"

namespace akida::cli {

Args::Args(const std::vector<std::string> &argv,
           const std::map<std::string, std::string> &valued,
           const std::map<std::string, std::string> &flags) {
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string &a = argv[i];
    if (auto it = valued.find(a); it != valued.end()) {
      if (i + 1 >= argv.size())
        throw UsageError("option " + a + " needs a value");
      values[it->second] = argv[++i];
      repeated[it->second].push_back(argv[i]);
    } else if (auto f = flags.find(a); f != flags.end()) {
      values[f->second] = "1";
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      std::string known;
      for (const auto &[k, v] : valued)
        known += (known.empty() ? "" : ", ") + k;
      for (const auto &[k, v] : flags)
        known += (known.empty() ? "" : ", ") + k;
      throw UsageError("unknown option '" + a + "'" +
                       (known.empty() ? "" : "; options: " + known));
    } else {
      positionals.push_back(a);
    }
  }
}

std::optional<std::string> Args::get(const std::string &name) const {
  auto it = values.find(name);
  if (it == values.end())
    return std::nullopt;
  return it->second;
}

std::vector<std::string> Args::getAll(const std::string &name) const {
  auto it = repeated.find(name);
  return it == repeated.end() ? std::vector<std::string>{} : it->second;
}

long long Args::getInt(const std::string &name, long long fallback,
                       long long lo, long long hi) const {
  std::optional<std::string> v = get(name);
  if (!v)
    return fallback;
  size_t used = 0;
  long long n = 0;
  try {
    n = std::stoll(*v, &used);
  } catch (const std::exception &) {
    used = 0;
  }
  if (used != v->size() || v->empty() || n < lo || n > hi)
    throw UsageError("--" + name + " is '" + *v + "' but must be an integer in [" +
                     std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return n;
}

} // namespace akida::cli
