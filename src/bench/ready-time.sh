#!/usr/bin/env bash
# Start to ready: the time from launching `java -jar target/switchboard.jar` (embedded default config, port
# 8080, default JVM settings) in a fresh directory to the first 200 from GET /ready, polled every ~10 ms with
# curl. Runs RUNS times (default 5), a fresh directory and JVM each, and prints each time and the median in ms.
# Build the jar first (mvn -q -o -DskipTests package). Port 8080 must be free.
#
# JAVA_EXTRA adds JVM flags (e.g. -XX:SharedArchiveFile=… for class-data sharing, BENCHMARKS.md).
# usage: RUNS=5 [JAVA_EXTRA=…] src/bench/ready-time.sh
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-5}
times=()
for i in $(seq 1 "$runs"); do
  dir=$(mktemp -d /tmp/sb-ready-XXXX)
  start=$(date +%s%N)
  (cd "$dir" && exec java $(grep -v "^#" "$repo/conf/jvm.options") ${JAVA_EXTRA:-} -jar "$repo/target/switchboard.jar" > server.log 2>&1) &
  server=$!
  ready=""
  for _ in $(seq 1 3000); do
    if [ "$(curl -s -o /dev/null -w '%{http_code}' http://127.0.0.1:8080/ready 2>/dev/null)" = "200" ]; then
      ready=$(date +%s%N)
      break
    fi
    sleep 0.01
  done
  kill -TERM "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  rm -rf "$dir"
  if [ -z "$ready" ]; then
    echo "run $i: not ready within 30 s" >&2
    exit 1
  fi
  ms=$(( (ready - start) / 1000000 ))
  echo "run $i: ${ms} ms"
  times+=("$ms")
  sleep 1
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " ms over " NR " runs (min " a[1] ", max " a[NR] ")"}'
