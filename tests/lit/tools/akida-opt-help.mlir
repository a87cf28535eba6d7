// akida-opt registers the akida dialect (and the func dialect holding models).
// RUN: akida-opt --show-dialects | FileCheck %s --check-prefix=DIALECTS
// RUN: akida-opt --help | FileCheck %s --check-prefix=HELP

// DIALECTS: Available Dialects:
// DIALECTS-SAME: akida
// DIALECTS-SAME: func

// HELP: Akida graph compiler driver
// HELP: Available Dialects: akida
