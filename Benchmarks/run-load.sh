#!/usr/bin/env bash
# HTTP load on the click beacon: the real Api (co-hosted silo, embedded stores, every click new)
# against a bare minimal-API 302 endpoint, side by side on this machine, with the same wrk load.
# The Api runs twice: cold (its first clicks activate every ad's grains) and warm (on other tokens, every
# grain active). Then checks that the Api counted each distinct token exactly once.
# usage: Benchmarks/run-load.sh [duration=20s] [connections=64] [tokens=200000] [ads=200]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}; connections=${2:-64}; count=${3:-200000}; ads=${4:-200}
work=$(mktemp -d /tmp/adclicks-load.XXXX)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release -v q Orleans.AdClicks.sln >/dev/null
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

# Limits far above the load, so the limiter is measured but never refuses one client sending everything; the click
# delay and flood rules off for the same reason (one loopback address clicks at once).
ASPNETCORE_ENVIRONMENT=Production AdClicks__DataDirectory="$work/data" \
  AdClicks__RateLimits__ApiPermitsPerSecond=100000000 AdClicks__RateLimits__ApiBurst=100000000 \
  AdClicks__RateLimits__BeaconPermitsPerSecond=100000000 AdClicks__RateLimits__BeaconBurst=100000000 \
  AdClicks__RateLimits__PlacementPermitsPerSecond=100000000 AdClicks__RateLimits__PlacementBurst=100000000 \
  AdClicks__RateLimits__ApiAddressPermitsPerSecond=100000000 AdClicks__RateLimits__ApiAddressBurst=100000000 \
  AdClicks__InvalidTraffic__MinClickDelay=00:00:00 AdClicks__InvalidTraffic__AdClickLimit=0 AdClicks__InvalidTraffic__CampaignClickLimit=0 \
  dotnet run -c Release --no-build --no-launch-profile --project Api --urls http://127.0.0.1:5000 > "$work/api.log" 2>&1 &
dotnet run -c Release --no-build --project Benchmarks -- baseline-server --urls http://127.0.0.1:5100 > "$work/baseline.log" 2>&1 &
for _ in $(seq 1 120); do curl -sf http://127.0.0.1:5000/health/ready >/dev/null && curl -s -o /dev/null http://127.0.0.1:5100/c/x && break; sleep 1; done

dotnet run -c Release --no-build --project Benchmarks -- tokens --api http://127.0.0.1:5000 \
  --admin-key "$(cat "$work/data/admin.key")" --ads "$ads" --count "$((2 * count))" --out "$work/all.txt" | tee "$work/minted.txt"
campaign=$(grep -o 'campaign [0-9a-f-]*' "$work/minted.txt" | cut -d' ' -f2)
head -n "$count" "$work/all.txt" > "$work/tokens.txt"; tail -n +"$((count + 1))" "$work/all.txt" > "$work/warm.txt"

load() {
  echo "== $1"
  wrk -t2 -c"$connections" -d"$duration" --latency -s Benchmarks/wrk/clicks.lua "http://127.0.0.1:$2" -- "${3:-$work/tokens.txt}" \
    | grep -E "Requests/sec|requests in|  50%|  99%|Non-2xx|Socket errors"
}
load "baseline: bare 302 endpoint" 5100
load "Api: GET /c/{token}, new clicks, cold (the first clicks activate every ad's grains)" 5000
load "Api: GET /c/{token}, new clicks, warm (other tokens, every grain active)" 5000 "$work/warm.txt"
load "baseline: bare 302 endpoint (again)" 5100

# Each distinct token clicked counts once; wait for the flush, then compare.
clicked=$((2 * count))
for _ in $(seq 1 30); do
  total=$(curl -s "http://127.0.0.1:5000/api/analytics/campaigns/$campaign?granularity=day" -H "X-Api-Key: $(cat "$work/data/admin.key")" \
    | grep -o '"totals":{"clicks":[0-9]*' | grep -o '[0-9]*$')
  [ "$total" = "$clicked" ] && break
  sleep 1
done
echo "== counted clicks: $total (distinct tokens: $clicked; every token is clicked when the run sends at least that many requests)"
