#!/usr/bin/env bash
# The delivery benchmark in one command: builds target/switchboard.jar, compiles the bench profile, starts the
# HTTP sink and the server (or the bare forwarder), drives the load, waits until both targets are quiet, stops the
# server and prints the one JSON result line on stdout. Maven's and the benchmark's logs go to stderr.
# Options are those of `LoadGenerator delivery --help`; values must not contain spaces.
#
# usage: src/bench/bench.sh [delivery options]
#   src/bench/bench.sh --conversations 2000 --concurrency 16
#   src/bench/bench.sh --compare --conversations 1000 --concurrency 16
#   src/bench/bench.sh --smoke                     # exits 1 when anything was lost, duplicated or reordered
#   BENCH_MVN_FLAGS=-o src/bench/bench.sh ...      # offline, once ~/.m2 has exec-maven-plugin
set -euo pipefail
cd "$(dirname "$0")/../.."
flags=${BENCH_MVN_FLAGS:-}
result=$(mktemp)
trap 'rm -f "$result"' EXIT
# Maven writes ANSI resets to stdout even with -B, so stdout gets only the clean copy from --result.
# shellcheck disable=SC2086
mvn -B -q $flags -DskipTests package >&2
status=0
# shellcheck disable=SC2086
mvn -B -q $flags -Pbench test-compile exec:exec -Dbench.args="delivery $* --result $result" >&2 || status=$?
cat "$result"
exit "$status"
