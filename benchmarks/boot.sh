#!/usr/bin/env bash
# Measures the built distribution: seconds from `bin/karaf server` to `betaas:gateway-info` answering over
# bin/client, and the JVM's resident memory 30 s after that. Runs N times (default 3) on a fresh unpack.
# Usage: benchmarks/boot.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
tarball=$(ls assembly/target/betaas-gateway-*.tar.gz)
work=$(mktemp -d)
trap 'pkill -f "karaf.base=$work" || true; rm -rf "$work"' EXIT
for run in $(seq 1 "$runs"); do
  rm -rf "$work"/* && tar xzf "$tarball" -C "$work"
  home=$(ls -d "$work"/betaas-gateway-*)
  start=$(date +%s.%N)
  "$home/bin/karaf" server >/dev/null 2>&1 &
  until echo betaas:gateway-info | "$home/bin/client" -b 2>/dev/null | grep -q '^Gateway '; do sleep 0.1; done
  answered=$(date +%s.%N)
  sleep 30
  pid=$(pgrep -f "karaf.base=$home" | tail -1)
  rss=$(ps -o rss= -p "$pid")
  printf 'run %d: gateway-info answered after %.1f s, RSS 30 s later %d MiB\n' "$run" "$(echo "$answered - $start" | bc)" $((rss / 1024))
  "$home/bin/stop" >/dev/null 2>&1 || kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done
done
