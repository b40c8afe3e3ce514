#!/usr/bin/env bash
# One hour's reconciliation run against a plain loop over the same stores (see docs/benchmarks.md).
# usage: Benchmarks/run-reconciliation.sh [--azurite] [reconciliation options, e.g. --events 100000 --ads 1000 --rounds 3]
# --azurite runs the Azure Storage profile on a fresh Azurite started here (free ports, random key), killed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet build -c Release -v q Benchmarks >/dev/null

extra=()
if [ "${1:-}" = "--azurite" ]; then
  shift
  [ -x node_modules/.bin/azurite ] || { echo "node_modules/.bin/azurite is missing: run npm ci" >&2; exit 1; }
  work=$(mktemp -d /tmp/adclicks-reconciliation.XXXX)
  free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
  blob=$(free_port); queue=$(free_port); table=$(free_port)
  account=devstoreaccount1
  key=$(head -c 64 /dev/urandom | base64 -w0)
  AZURITE_ACCOUNTS="$account:$key" node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --disableProductStyleUrl --location "$work" \
    --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" > "$work/azurite.log" 2>&1 &
  azurite=$!
  cleanup() { kill "$azurite" 2>/dev/null || true; wait "$azurite" 2>/dev/null || true; rm -rf "$work"; }
  trap cleanup EXIT
  for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && break; sleep 0.1; done
  extra=(--connection-string "DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;")
fi

dotnet run -c Release --no-build --project Benchmarks -- reconciliation "${extra[@]}" "$@"
