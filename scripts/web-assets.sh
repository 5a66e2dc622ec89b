#!/usr/bin/env bash
# Installs the web app's front-end packages from npm (package-lock.json pins them) and copies
# GOV.UK Frontend's compiled CSS, JavaScript, fonts and images where the app serves them from.
# Nothing it writes is committed. Needs Node.js and npm (scripts/system-packages.sh node).
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci --no-audit --no-fund --loglevel=error
source=node_modules/govuk-frontend/dist/govuk
target=src/seen/web/static/govuk
rm -rf "$target"
mkdir -p "$target"
cp "$source/govuk-frontend.min.css" "$source/govuk-frontend.min.js" "$target/"
cp -R "$source/assets" "$target/assets"
