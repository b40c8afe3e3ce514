#!/usr/bin/env bash
# The Azure Table raw click store against a plain Azure.Data.Tables loop, on a fresh Azurite started here
# (free port, random account key, data in a temp folder), killed at the end.
# usage: Benchmarks/run-raw-store.sh [extra raw-store options, e.g. --count 20000 --ads 50 --duplicates 0.1]
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d /tmp/adclicks-raw-store.XXXX)
[ -x node_modules/.bin/azurite-table ] || { echo "node_modules/.bin/azurite-table is missing: run npm ci" >&2; exit 1; }

dotnet build -c Release -v q Benchmarks >/dev/null

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
account=devstoreaccount1
key=$(head -c 64 /dev/urandom | base64 -w0)
AZURITE_ACCOUNTS="$account:$key" node_modules/.bin/azurite-table --silent --skipApiVersionCheck --loose --disableProductStyleUrl \
  --location "$work" --tableHost 127.0.0.1 --tablePort "$port" > "$work/azurite.log" 2>&1 &
azurite=$!
cleanup() { kill "$azurite" 2>/dev/null || true; wait "$azurite" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break; sleep 0.1; done

dotnet run -c Release --no-build --project Benchmarks -- raw-store \
  --connection-string "DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;TableEndpoint=http://127.0.0.1:$port/$account;" "$@"
