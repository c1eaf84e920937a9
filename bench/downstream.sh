#!/usr/bin/env bash
# Downstream dispatch benchmark: boots the bundle (built-in sandbox) with one local HTTP receiver as endpoint and
# prints (1) the latency from webhook intake to the delivered task.finished event over FILES source files and
# (2) events dispatched per second for EVENTS events committed at once. Result also in target/bench-downstream.txt.
# Usage: FILES=20 EVENTS=3000 POLL_MS=100 BATCH=500 THREADS=8 bash bench/downstream.sh
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -o test -Dtest=DownstreamBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.files="${FILES:-20}" -Dbench.events="${EVENTS:-3000}" -Dbench.poll-ms="${POLL_MS:-100}" \
  -Dbench.batch="${BATCH:-500}" -Dbench.threads="${THREADS:-8}"
cat target/bench-downstream.txt
