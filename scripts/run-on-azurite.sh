#!/usr/bin/env bash
# Runs the whole app against Azurite (Azure Storage emulator) on its default ports:
# clustering, grain state, reminders, the click stream (Azure queues) and raw clicks in Azure Storage.
# Azurite keeps its data in Api/data/azurite; the Api keeps DuckDB aggregates in Api/data.
# With Azure Storage configured the Api generates no secrets (several instances would each make their
# own), so this script generates them once into Api/data (which git ignores), in the files the embedded
# profile uses, and passes them as configuration: `cat Api/data/admin.key` gives the admin key either way.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x node_modules/.bin/azurite ] || npm ci --no-audit --no-fund
data=Api/data
mkdir -p "$data/azurite"

random_base64() { head -c 32 /dev/urandom | base64 | tr -d '\n'; }
secret() { # file, generator: creates the file (owner-only) unless it exists, prints its first line
  [ -s "$data/$1" ] || (umask 077 && "$2" >"$data/$1")
  head -n 1 "$data/$1" | tr -d '\r\n'
}
admin_key() { echo "admin_$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"; }
signing_key() { echo "k1:$(random_base64)"; }
mac_key() { random_base64; }

export AdClicks__Auth__AdminKey="$(secret admin.key admin_key)"
export AdClicks__Auth__ApiKeyMacKey="$(secret api-key-mac.key mac_key)"
secret signing-keys.txt signing_key >/dev/null
i=0 # every saved signing key, in order: the first signs, all verify
while IFS= read -r line || [ -n "$line" ]; do
  line=${line%$'\r'}
  [ -z "$line" ] && continue
  export "AdClicks__Tokens__SigningKeys__$i=$line"
  i=$((i + 1))
done <"$data/signing-keys.txt"

node_modules/.bin/azurite --silent --skipApiVersionCheck --location "$data/azurite" &
azurite=$!
trap 'kill $azurite 2>/dev/null || true' EXIT
ConnectionStrings__AzureStorage=UseDevelopmentStorage=true dotnet run --project Api "$@"
