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

if [ "${1:-}" = "--check" ]; then
  if ! diff -u "$out" <(assemble) >/dev/null; then
    echo "docs: $out is stale; run scripts/gen-docs.sh and commit it" >&2
    exit 1
  fi
  exit 0
fi
mkdir -p "$(dirname "$out")"
assemble > "$out"
echo "wrote $out"
