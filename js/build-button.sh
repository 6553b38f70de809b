#!/bin/sh
# Rebuild samsung-wallet-button.min.js from samsung-wallet-button.js with the terser build.sh pins.
# Usage: js/build-button.sh [output]   (default: js/samsung-wallet-button.min.js). Commit the result.
# The banner carries the source's SHA-256 so a test can tell a stale build without node.
set -eu
TERSER=terser@5.51.2
cd "$(dirname "$0")"
src=samsung-wallet-button.js
out=${1:-samsung-wallet-button.min.js}
hash=$(node -e "process.stdout.write(require('crypto').createHash('sha256').update(require('fs').readFileSync('$src')).digest('hex'))")
npx --yes "$TERSER" "$src" \
  --compress passes=2 --mangle --ecma 2015 \
  --format "comments=false,preamble='/*! samsung-wallet-button | linkkit | Apache-2.0 | source sha256:$hash */'" \
  --output "$out"
node -e "
const fs = require('fs'), crypto = require('crypto'), zlib = require('zlib')
for (const f of ['$src', '$out', 'samsung-wallet-button.css']) {
  if (!fs.existsSync(f)) continue
  const b = fs.readFileSync(f)
  const sri = 'sha384-' + crypto.createHash('sha384').update(b).digest('base64')
  console.log(f + ': ' + b.length + ' bytes, ' + zlib.gzipSync(b, { level: 9 }).length + ' gzip, ' + sri)
}"
