#!/usr/bin/env bash
# Assembles docs/dialect/Akida.md from the documentation mlir-tblgen generates
# out of the ODS records (build it first). With --check, fails when the
# committed file differs from what the current ODS would give.
set -euo pipefail
cd "$(dirname "$0")/.."
gen=${BUILD_DIR:-build}/dialect
out=docs/dialect/Akida.md

assemble() {
  echo "<!-- Generated from dialect/*.td by scripts/gen-docs.sh; do not edit. -->"
  echo "# The \`akida\` dialect"
  echo
  # The dialect page starts with its own title; keep its body only.
  sed '1,/^# /d; /^\[TOC\]$/d' "$gen/AkidaDialect.md" | sed '0,/^$/{/^$/d}' | sed '1{s/$/\n/}'
  echo
  echo "## Attributes"
  echo
  sed '1d; s/^### /### /' "$gen/AkidaAttrs.md"
  for group in CommonOps:"Layers of both IP versions" V1Ops:"Akida 1.0 layers" \
               V2ConvOps:"Akida 2.0 weighted layers" V2MergeOps:"Akida 2.0 unweighted layers"; do
    echo
    echo "## ${group#*:}"
    echo
    sed '1d' "$gen/Akida${group%%:*}.md"
  done
}

passes() {
  echo "<!-- Generated from compiler/passes/Passes.td by scripts/gen-docs.sh; do not edit. -->"
  echo "# Passes of akida-opt"
  echo
  echo "The \`akida-map{device=... mode=... hw-only=...}\` pipeline runs them in this"
  echo "order: attach-target, check-constraints, split-sequences, allocate-nps,"
  echo "emit-programs."
  echo
  sed '1d' "${BUILD_DIR:-build}/compiler/passes/AkidaPasses.md"
}
passes_out=docs/passes.md

if [ "${1:-}" = "--check" ]; then
  if ! diff -u "$out" <(assemble) >/dev/null || ! diff -u "$passes_out" <(passes) >/dev/null; then
    echo "docs: $out or $passes_out is stale; run scripts/gen-docs.sh and commit them" >&2
    exit 1
  fi
  exit 0
fi
mkdir -p "$(dirname "$out")"
assemble > "$out"
passes > "$passes_out"
echo "wrote $out and $passes_out"
