#!/usr/bin/env bash
# Installs the TypeScript MCP SDK for the client the SchedCP.Mcp tests run. Offline-safe: an installed tree is kept.
set -euo pipefail
cd "$(dirname "$0")"
if [ -d node_modules/@modelcontextprotocol/sdk ]; then
  exit 0
fi
command -v npm >/dev/null || { echo "npm is missing: run native/install-deps.sh (it installs nodejs npm)" >&2; exit 1; }
npm ci --no-audit --no-fund
