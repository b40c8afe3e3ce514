#!/usr/bin/env bash
# The click beacon with the Kafka click log (the Event Hubs producer against librdkafka's mock cluster, in the
# Api's process) beside the embedded click log (Orleans memory stream) and the bare 302 baseline, same machine,
# same run: one connection (the latency the acknowledgement adds to a beacon), then N connections (requests/s).
# Both Apis are the real Program (co-hosted silo, embedded stores), hosted by `Benchmarks -- api`.
# usage: Benchmarks/run-kafka-load.sh [duration=20s] [connections=64] [tokens=200000] [ads=200]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}; connections=${2:-64}; count=${3:-200000}; ads=${4:-200}
work=$(mktemp -d /tmp/adclicks-kafka-load.XXXX)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

dotnet build -c Release -v q Orleans.AdClicks.sln >/dev/null
cleanup() { kill $(jobs -p) 2>/dev/null || true; wait 2>/dev/null || true; }
trap cleanup EXIT

bench() { dotnet run -c Release --no-build --project Benchmarks -- "$@"; }
bench api --click-log embedded --port 5000 --data "$work/embedded" --silo-port 11211 --gateway-port 30100 > "$work/embedded.log" 2>&1 &
bench api --click-log kafka --port 5200 --data "$work/kafka" --silo-port 11212 --gateway-port 30101 > "$work/kafka.log" 2>&1 &
bench baseline-server --urls http://127.0.0.1:5100 > "$work/baseline.log" 2>&1 &
ready=
for _ in $(seq 1 180); do
  curl -sf http://127.0.0.1:5000/health/ready >/dev/null && curl -sf http://127.0.0.1:5200/health/ready >/dev/null \
    && curl -s -o /dev/null http://127.0.0.1:5100/c/x && ready=1 && break
  sleep 1
done
[ -n "$ready" ] || { echo "the servers did not become ready; logs in $work" >&2; tail -n 20 "$work"/*.log >&2; exit 1; }
head -3 "$work/kafka.log"

# Separate tokens for each Api and each load, so every click is new in both.
for api in embedded:5000 kafka:5200; do
  name=${api%%:*}; port=${api##*:}
  for load in latency throughput; do
    bench tokens --api "http://127.0.0.1:$port" --admin-key "$(cat "$work/$name/admin.key")" \
      --ads "$ads" --count "$count" --out "$work/$name-$load.txt" >/dev/null
  done
done

load() {
  echo "== $1 ($2 connections)"
  wrk -t"$(( $2 < 2 ? 1 : 2 ))" -c"$2" -d"$duration" --latency -s Benchmarks/wrk/clicks.lua "http://127.0.0.1:$3" -- "$4" \
    | grep -E "Requests/sec|requests in|  50%|  90%|  99%|Non-2xx|Socket errors"
}
load "baseline: bare 302 endpoint" "$connections" 5100 "$work/embedded-throughput.txt"
load "Api, embedded click log" 1 5000 "$work/embedded-latency.txt"
load "Api, Kafka click log (mock cluster)" 1 5200 "$work/kafka-latency.txt"
load "Api, embedded click log" "$connections" 5000 "$work/embedded-throughput.txt"
load "Api, Kafka click log (mock cluster)" "$connections" 5200 "$work/kafka-throughput.txt"
load "baseline: bare 302 endpoint (again)" "$connections" 5100 "$work/embedded-throughput.txt"
grep -iE "warn|fail|error" "$work/kafka.log" | head -5 || true
