//===- Quoted.h - Untrusted strings quoted for messages ---------*- C++ -*-===//
//
// Not part of the .fbz API: shared by the codecs that name untrusted strings
// (layer names, tensor names) in their error messages, the .fbz codec
// (Fbz.cpp) and the device program codec (compiler/program).
//
//===----------------------------------------------------------------------===//
#ifndef AKIDA_COMPILER_FBZ_QUOTED_H
#define AKIDA_COMPILER_FBZ_QUOTED_H

#include <string>

namespace akida::fbz {

/// `s` quoted for a one-line message: control and non-ASCII bytes (and the
/// quote and backslash) escaped as \xNN, strings longer than 64 bytes
/// shortened with "...".
std::string quoted(const std::string &s);

} // namespace akida::fbz

#endif // AKIDA_COMPILER_FBZ_QUOTED_H
