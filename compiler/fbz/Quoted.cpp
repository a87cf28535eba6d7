//===- Quoted.cpp - Untrusted strings quoted for messages -----------------===//

#include "compiler/fbz/Quoted.h"

#include <cstdio>

namespace akida::fbz {

std::string quoted(const std::string &s) {
  constexpr size_t kMaxShown = 64;
  std::string out = "'";
  for (size_t i = 0; i < s.size() && i < kMaxShown; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    }
  }
  if (s.size() > kMaxShown)
    out += "...";
  return out + "'";
}

} // namespace akida::fbz
