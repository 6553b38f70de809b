#!/bin/sh
# Rebuild spay-s2p.min.js from spay-s2p.js with a pinned terser from the npm registry (via npx).
# Usage: js/build.sh [output]   (default: js/spay-s2p.min.js). Commit the result.
# The banner carries the source's SHA-256 so a test can tell a stale build without node.
set -eu
TERSER=terser@5.51.2
cd "$(dirname "$0")"
out=${1:-spay-s2p.min.js}
hash=$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('spay-s2p.js')).digest('hex'))")
npx --yes "$TERSER" spay-s2p.js \
  --compress passes=2 --mangle --ecma 2015 \
  --format "comments=false,preamble='/*! spay-s2p | linkkit | Apache-2.0 | source sha256:$hash */'" \
  --output "$out"

# What docs/shim.md quotes (tests/test_js_shim_files.py checks the SRI hashes there).
node -e "
const fs = require('fs'), crypto = require('crypto'), zlib = require('zlib')
for (const f of ['spay-s2p.js', 'spay-s2p.min.js', 'spay-s2p.css']) {
  const b = fs.readFileSync(f)
  const sri = 'sha384-' + crypto.createHash('sha384').update(b).digest('base64')
  console.log(f + ': ' + b.length + ' bytes, ' + zlib.gzipSync(b, { level: 9 }).length + ' gzip, ' + sri)
}"
