#!/usr/bin/env bash
# Runs the whole app against Azurite (Azure Storage emulator) on its default ports:
# clustering, grain state, reminders, the click stream (Azure queues) and raw clicks in Azure Storage.
# Azurite keeps its data in Api/data/azurite; the Api keeps DuckDB aggregates and keys in Api/data.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
mkdir -p Api/data/azurite
node_modules/.bin/azurite --silent --skipApiVersionCheck --location Api/data/azurite &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT
ConnectionStrings__AzureStorage=UseDevelopmentStorage=true dotnet run --project Api "$@"
