#!/usr/bin/env bash
# Issue 14's realistic load on the embedded profile, in one run: many ads in a few campaigns of one advertiser,
# clicks drawn by Zipf, every request a fresh token minted offline with the Api's signing key or (a tenth) a retry of
# an earlier one, replayed by wrk against the real Api and a bare minimal-API 302 endpoint, alternating, in a
# sustained phase and a burst phase at five times the connections. Beside the load, a probe measures
# click-to-queryable and a poller the advertiser's total (lag when a phase stops); the Api's CPU and memory are read
# from /proc per phase. At the end every token sent must be counted exactly once: exit 1 when not.
# See docs/benchmarks.md ("Realistic load"). Options (defaults):
#   --ads 5000 --campaigns 5 --requests 2000000 --zipf 1 --duplicates 0.1
#   --rounds 2 --connections 64 --burst-factor 5 --sustained 20s --burst 10s --warm-up 10s --think-ms 0 --probe-ms 250 --keep
#   --user-agents Benchmarks/wrk/user-agents.txt (a User-Agent per request from the file; --user-agents '' sends none)
set -euo pipefail
cd "$(dirname "$0")/.."
ads=5000; campaigns=5; requests=2000000; zipf=1; duplicates=0.1
rounds=2; connections=64; burst_factor=5; sustained=20s; burst=10s; warm_up=10s; think_ms=0; probe_ms=250; keep=false
user_agents=Benchmarks/wrk/user-agents.txt
while [ $# -gt 0 ]; do
  case "$1" in
    --ads) ads=$2; shift 2 ;;
    --campaigns) campaigns=$2; shift 2 ;;
    --requests) requests=$2; shift 2 ;;
    --zipf) zipf=$2; shift 2 ;;
    --duplicates) duplicates=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --burst-factor) burst_factor=$2; shift 2 ;;
    --sustained) sustained=$2; shift 2 ;;
    --burst) burst=$2; shift 2 ;;
    --warm-up) warm_up=$2; shift 2 ;;
    --think-ms) think_ms=$2; shift 2 ;;
    --probe-ms) probe_ms=$2; shift 2 ;;
    --user-agents) user_agents=$2; shift 2 ;;
    --keep) keep=true; shift ;;
    *) echo "unknown option $1 (see the head of $0)" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
threads=2
work=$(mktemp -d /tmp/adclicks-realistic.XXXX)
# Free ports, so the run can go beside another Api (the silo's ports too).
free_port() { local p; while :; do p=$((20000 + RANDOM % 40000)); ss -ltn | grep -q ":$p " || { echo "$p"; return; }; done; }
api_url=http://127.0.0.1:$(free_port); bare_url=http://127.0.0.1:$(free_port)

dotnet build -c Release -v q Benchmarks >/dev/null
bench() { dotnet Benchmarks/bin/Release/net10.0/Orleans.AdClicks.Benchmarks.dll "$@"; }
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

# A signing key for this run only, so tokens can be minted offline; limits far above the load, so the limiters
# run on each request but never refuse one client sending everything. The click delay and flood rules are off for
# the same reason (one loopback address clicks at once); the crawler rule runs.
signing_key="bench:$(head -c 32 /dev/urandom | base64 -w0)"
(cd Api && exec env ASPNETCORE_ENVIRONMENT=Production AdClicks__DataDirectory="$work/data" AdClicks__Tokens__SigningKeys__0="$signing_key" \
  AdClicks__Cluster__SiloPort="$(free_port)" AdClicks__Cluster__GatewayPort="$(free_port)" \
  AdClicks__RateLimits__ApiPermitsPerSecond=100000000 AdClicks__RateLimits__ApiBurst=100000000 \
  AdClicks__RateLimits__BeaconPermitsPerSecond=100000000 AdClicks__RateLimits__BeaconBurst=100000000 \
  AdClicks__RateLimits__PlacementPermitsPerSecond=100000000 AdClicks__RateLimits__PlacementBurst=100000000 \
  AdClicks__RateLimits__ApiAddressPermitsPerSecond=100000000 AdClicks__RateLimits__ApiAddressBurst=100000000 \
  AdClicks__InvalidTraffic__MinClickDelay=00:00:00 AdClicks__InvalidTraffic__AdClickLimit=0 AdClicks__InvalidTraffic__CampaignClickLimit=0 \
  dotnet bin/Release/net10.0/Orleans.AdClicks.Api.dll --urls "$api_url") > "$work/api.log" 2>&1 &
api_pid=$!; pids+=("$api_pid")
(exec dotnet Benchmarks/bin/Release/net10.0/Orleans.AdClicks.Benchmarks.dll baseline-server --urls "$bare_url") > "$work/bare.log" 2>&1 &
bare_pid=$!; pids+=("$bare_pid")
for _ in $(seq 1 120); do
  kill -0 "$api_pid" 2>/dev/null || { echo "the Api stopped; see $work/api.log" >&2; exit 1; }
  curl -sf "$api_url/health/ready" >/dev/null && curl -s -o /dev/null "$bare_url/c/x" && break; sleep 1
done

bench realistic-setup --api "$api_url" --admin-key "$(cat "$work/data/admin.key")" --signing-key "$signing_key" --out "$work" \
  --ads "$ads" --campaigns "$campaigns" --requests "$requests" --zipf "$zipf" --duplicates "$duplicates" --threads "$threads"
# shellcheck disable=SC1091
source "$work/setup.env"
bench realistic-monitor --api "$api_url" --signing-key "$signing_key" --probe-key "$PROBE_KEY" --probe-ads "$PROBE_ADS" \
  --probe-campaign "$PROBE_CAMPAIGN" --advertiser "$ADVERTISER" --advertiser-key "$ADVERTISER_KEY" --interval-ms "$probe_ms" \
  --log "$work/monitor.log" --stop "$work/stop" > "$work/monitor.out" 2>&1 &
monitor_pid=$!; pids+=("$monitor_pid")

now_ms() { date +%s%3N; }
# Every 0.25 s: the time (ms), the process's user + system CPU (clock ticks, /proc/<pid>/stat) and its VmRSS (kB).
sample() {
  local stat rss key value us _
  while :; do
    read -r -a stat < "/proc/$1/stat" || return 0
    rss=0; while read -r key value _; do [ "$key" = VmRSS: ] && rss=$value; done < "/proc/$1/status"
    us=${EPOCHREALTIME/[.,]/}
    echo "$((us / 1000)) $((stat[13] + stat[14])) $rss"
    sleep 0.25
  done
}

# Api runs take the request file's lines in order (offset: the next line unsent); the bare endpoint replays the
# lines the Api takes next, so both get the same kind of load.
offset=0; n=0
phase() { # label server kind round connections duration
  local label=$1 server=$2 kind=$3 round=$4 conns=$5 duration=$6 url pid
  n=$((n + 1))
  if [ "$server" = api ]; then url=$api_url; pid=$api_pid; else url=$bare_url; pid=$bare_pid; fi
  local state="$work/wrk-$n.state" samples="$work/samples-$n" t0 t1
  sample "$pid" > "$samples" & local sampler=$!
  t0=$(now_ms)
  WRK_STATE="$state" wrk -t"$threads" -c"$conns" -d"$duration" --timeout 2s --latency -s Benchmarks/wrk/realistic.lua "$url" \
    -- "$work/requests" "$offset" "$threads" "$think_ms" "$user_agents" > "$work/wrk-$n.txt"
  t1=$(now_ms)
  sleep 0.3; kill "$sampler"; wait "$sampler" 2>/dev/null || true
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$server" "$kind" "$round" "$conns" "$offset" "$t0" "$t1" \
    "$samples" "$(getconf CLK_TCK)" "$state" >> "$work/phases.tsv"
  echo "== $label ($server, $conns connections, $duration): $(grep -E 'Requests/sec' "$work/wrk-$n.txt" | tr -s ' ')"
  if [ "$server" = api ]; then
    offset=$((offset + threads * $(awk '$1 == "thread" { if ($3 > max) max = $3 } END { print max + 0 }' "$state")))
    bench realistic-wait --log "$work/monitor.log" --since "$t1"
  fi
}

burst_connections=$((connections * burst_factor))
phase "warm-up (the first clicks activate the ads' grains)" api warm-up 0 "$connections" "$warm_up"
for round in $(seq 1 "$rounds"); do
  if [ $((round % 2)) = 1 ]; then order="bare api"; else order="api bare"; fi
  for server in $order; do
    phase "round $round sustained" "$server" sustained "$round" "$connections" "$sustained"
    phase "round $round burst (${burst_factor}x connections)" "$server" burst "$round" "$burst_connections" "$burst"
  done
done
touch "$work/stop"; wait "$monitor_pid" || true

status=0
bench realistic-report --api "$api_url" --dir "$work" --advertiser "$ADVERTISER" --advertiser-key "$ADVERTISER_KEY" --threads "$threads" \
  --title "Realistic load, $(date -u +%F): $ads ads in $campaigns campaigns, Zipf s = $zipf, $duplicates retries, wrk -t$threads -c$connections (burst -c$burst_connections), $sustained sustained + $burst burst, $rounds rounds, think $think_ms ms, user agents ${user_agents:-none}" || status=$?
if [ "$keep" = false ]; then rm -rf "$work/data" "$work"/requests.*; fi
echo "logs and summary.md in $work"
exit "$status"
