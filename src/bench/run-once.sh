#!/usr/bin/env bash
# One load-generator run against a fresh server: starts target/switchboard.jar on its embedded default config
# (port 8080) in a new working directory DIR, so it writes its own DIR/data/, runs the generator against it,
# appends the result line to DIR/result.jsonl and stops the server with SIGTERM.
# Build the jar first (mvn -q -o -DskipTests package). Other LoadGenerator options pass through.
#
# usage: src/bench/run-once.sh DIR [CONVERSATIONS] [CONCURRENCY] [SEED] [--rate N ...]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
dir=$1
conversations=${2:-2000}
concurrency=${3:-32}
seed=${4:-1}
shift $(( $# < 4 ? $# : 4 ))
if [ -e "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
  echo "run-once: $dir is not empty; give a new directory" >&2
  exit 2
fi
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)

(cd "$dir" && exec java $(grep -v "^#" "$repo/conf/jvm.options") -jar "$repo/target/switchboard.jar" > server.log 2>&1) &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf -o /dev/null http://127.0.0.1:8080/ready && break
  sleep 0.2
done

cd "$repo"
# Maven 3.8 writes ANSI resets to stdout even in batch mode, so the clean copy of the result is --result.
mvn -B -o -q -Pbench test-compile exec:exec -Dbench.args="--url http://127.0.0.1:8080/events \
  --conversations $conversations --concurrency $concurrency --seed $seed --out $dir/data/out/events.jsonl \
  --server-pid $server --result $dir/result.jsonl $*" > /dev/null 2> "$dir/generator.log"
ps -o pid,etime,time,rss,args -p "$server" | cut -c1-100 > "$dir/ps-server.txt"
cat "$dir/result.jsonl"
