#!/usr/bin/env bash
# Install the browser libraries from the npm registry (package-lock.json) and copy the files
# the pages use into var/vendor/, which STATICFILES_DIRS serves. Nothing third-party is committed.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v npm >/dev/null || { echo "npm not found: install Node.js (apt-get install nodejs npm)"; exit 1; }
npm ci --no-audit --no-fund --loglevel=error
rm -rf var/vendor
mkdir -p var/vendor/echarts var/vendor/htmx var/vendor/axe-core
cp node_modules/echarts/dist/echarts.min.js var/vendor/echarts/
cp node_modules/echarts/LICENSE var/vendor/echarts/LICENSE.txt
cp node_modules/htmx.org/dist/htmx.min.js var/vendor/htmx/
cp node_modules/htmx.org/LICENSE var/vendor/htmx/LICENSE.txt
cp node_modules/axe-core/axe.min.js var/vendor/axe-core/
cp node_modules/axe-core/LICENSE var/vendor/axe-core/LICENSE.txt
echo "vendor files in var/vendor/"
