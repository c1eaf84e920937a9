#!/usr/bin/env bash
# Webhook burst benchmark. wrk POSTs signed, distinct VMEG events to the bundle's webhook (java -jar on the
# embedded default: built-in sandbox, H2 ledger; every event verified, journaled durably, answered, then moved
# into the ledger) and, in the same run with the same JVM flags and the same client, to a bare Camel
# platform-http route answering 200
# (bench/BareRoute.java, run from the bundle's jar). A third side, the same route checking each signature and
# parsing each event without storing it ("verifying"), tells the work before the store from the store itself.
# Prints requests/s and p99 of each, the ratio, the ledger's row count against the 2xx answers, and heap and RSS.
#
#   bash bench/webhook.sh
#   DURATION=30 CONNECTIONS=64 JAVA_OPTS=-Xmx256m bash bench/webhook.sh
#   LEDGER=postgres bash bench/webhook.sh   # the ledger on a local PostgreSQL 15 (Debian's, started here; as root)
set -euo pipefail
DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
EVENTS=${EVENTS:-600000}
# distinct warm-up events: a warm-up that ran out would send them again, and the bundle would begin its measured
# run still dropping those duplicates (VMEG does not resend an event thousands of times a second)
WARM_EVENTS=${WARM_EVENTS:-400000}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
LEDGER=${LEDGER:-h2}
case $LEDGER in h2 | postgres) ;; *) echo "LEDGER must be h2 or postgres, not '$LEDGER'"; exit 1 ;; esac
. "$(dirname "$0")/common.sh"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
bp=$(free_port)
secret=bench-webhook-secret

ledger_env=()
if [ "$LEDGER" = postgres ]; then
  # a server of its own in a folder the postgres user owns (initdb refuses root); fsync stays on, as in production
  pgport=$(free_port)
  pgdir=$(mktemp -d /tmp/vmeg-bench-pg.XXXXXX)
  chown postgres:postgres "$pgdir"
  pg() { runuser -u postgres -- "/usr/lib/postgresql/15/bin/$1" -D "$pgdir/data" "${@:2}" > /dev/null; }
  trap 'cleanup; pg pg_ctl -m fast stop 2> /dev/null || true; rm -rf "$pgdir"' EXIT
  echo "== PostgreSQL 15 on 127.0.0.1:$pgport"
  pg initdb -A trust -U postgres
  pg pg_ctl -l "$pgdir/server.log" -w -o "-p $pgport -k $pgdir -c listen_addresses=127.0.0.1" start
  psql -q -h 127.0.0.1 -p "$pgport" -U postgres -c 'CREATE DATABASE vmeg'
  ledger_env=(VMEG_LEDGER_URL="jdbc:postgresql://127.0.0.1:$pgport/vmeg" VMEG_LEDGER_USERNAME=postgres)
fi

echo "== bare route (bench/BareRoute.java) on 127.0.0.1:$bp"
mkdir -p "$work/bare"
javac -d "$work/bare" -cp "$jar" "$root/bench/BareRoute.java"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$jar:$work/bare" BareRoute "$bp" > "$work/bare.log" 2>&1 &
pids+=($!); barepid=$!
vp=$(free_port)
echo "== verifying route (bench/BareRoute.java with the webhook secret: signature and JSON, no store) on 127.0.0.1:$vp"
# shellcheck disable=SC2086
java $JAVA_OPTS -cp "$jar:$work/bare" BareRoute "$vp" "$secret" > "$work/verifying.log" 2>&1 &
pids+=($!); verifyingpid=$!

echo "== bundle: java $JAVA_OPTS -jar vmeg-camel.jar (embedded default: sandbox; ledger $LEDGER) on 127.0.0.1:$hp"
mkdir -p "$work/run"
# shellcheck disable=SC2086
(cd "$work/run" && exec env VMEG_SANDBOX_PORT=$sp VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp \
  VMEG_WEBHOOK_SECRET=$secret "${ledger_env[@]}" java $JAVA_OPTS -jar "$jar" > bundle.log 2>&1) &   # exec: java's pid
pids+=($!); bundlepid=$!
until curl -s -o /dev/null "http://127.0.0.1:$bp/webhooks/vmeg"; do sleep 0.2; done
until curl -s -o /dev/null "http://127.0.0.1:$vp/webhooks/vmeg"; do sleep 0.2; done
await_up "http://127.0.0.1:$mp/observe/health/ready" "$bundlepid" "$work/run/bundle.log"

# Signed events, distinct pipelineKeys and task ids (tasks the ledger does not know: stored, then marked IGNORED
# by the event processor, as a burst of stale or foreign events would be). Timestamps stay within the 300 s window.
sign() { # file prefix count
  python3 - "$1" "$2" "$3" "$secret" <<'PY'
import hashlib, hmac, sys, time
path, prefix, count, secret = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4].encode()
ts = str(int(time.time() * 1000)).encode()
with open(path, "wb") as out:
    for i in range(count):
        key = b"%s-%08d" % (prefix.encode(), i)
        body = (b'{"code":200,"version":"v1","event":"openapi-media-translation","pipelineKey":"' + key +
                b'","message":"","extraData":{},"data":{"taskId":"t_' + key +
                b'","taskType":"vt","status":"finished","createdAt":"2026-11-30T10:00:00Z"}}')
        sig = hmac.new(secret, ts + body, hashlib.sha256).hexdigest().encode()
        out.write(ts + b"\t" + sig + b"\t" + body + b"\n")
PY
}
sign "$work/warm.tsv" warm "$WARM_EVENTS"
sign "$work/events.tsv" bench "$EVENTS"

load() { # url file seconds -> wrk output
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${3}s" --latency -s "$root/bench/webhook.lua" "$1" -- "$2" "$THREADS"
}
# each side is warmed up and measured in turn: the bare route first, while the bundle idles (the events of the
# bundle's warm-up are processed after they are stored, and that work must not fall into the bare route's run)
echo "== bare route: ${WARMUP} s warm-up, ${DURATION} s measured, wrk -t$THREADS -c$CONNECTIONS"
load "http://127.0.0.1:$bp" "$work/warm.tsv" "$WARMUP" > /dev/null
load "http://127.0.0.1:$bp" "$work/events.tsv" "$DURATION" | tee "$work/bare.wrk"
echo "== verifying route: ${WARMUP} s warm-up, ${DURATION} s measured, wrk -t$THREADS -c$CONNECTIONS"
load "http://127.0.0.1:$vp" "$work/warm.tsv" "$WARMUP" > /dev/null
load "http://127.0.0.1:$vp" "$work/events.tsv" "$DURATION" | tee "$work/verifying.wrk"
echo "== bundle: ${WARMUP} s warm-up, ${DURATION} s measured, wrk -t$THREADS -c$CONNECTIONS"
load "http://127.0.0.1:$hp" "$work/warm.tsv" "$WARMUP" > /dev/null
load "http://127.0.0.1:$hp" "$work/events.tsv" "$DURATION" | tee "$work/bundle.wrk"

rps() { awk '/^Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1 == "99%" {print $2}' "$1"; }
total() { awk '/requests in/ {print $1}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $NF}' "$1" | grep . || echo 0; }
heap() { jcmd "$1" GC.heap_info 2>/dev/null | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i+1); exit}}'; }
mem() { awk '/VmRSS|VmHWM/ {printf "%s %d MiB  ", $1, $2/1024}' "/proc/$1/status"; }
# every acknowledged event is journaled; wait until the journal has moved them all into the ledger
until [ -z "$(ls "$work/run/data/webhook-journal" | grep '\.journal$' || true)" ]; do sleep 0.2; done
count="SELECT COUNT(*) FROM webhook_event WHERE pipeline_key LIKE 'bench-%'"
if [ "$LEDGER" = postgres ]; then
  rows=$(psql -h 127.0.0.1 -p "$pgport" -U postgres -d vmeg -tAc "$count")
else
  rows=$(java -cp "$jar" org.h2.tools.Shell -url "jdbc:h2:file:$work/run/data/ledger;AUTO_SERVER=TRUE" -user sa \
    -sql "$count" | awk 'NR == 2 {print $1}')
fi
bundle_ok=$(( $(total "$work/bundle.wrk") - $(non2xx "$work/bundle.wrk") ))

printf '\n%-10s %12s %10s %12s %10s   %s\n' "" "requests/s" "p99" "requests" "non-2xx" "heap used / memory"
printf '%-10s %12s %10s %12s %10s   %s %s\n' bare "$(rps "$work/bare.wrk")" "$(p99 "$work/bare.wrk")" \
  "$(total "$work/bare.wrk")" "$(non2xx "$work/bare.wrk")" "$(heap $barepid)" "$(mem $barepid)"
printf '%-10s %12s %10s %12s %10s   %s %s\n' verifying "$(rps "$work/verifying.wrk")" "$(p99 "$work/verifying.wrk")" \
  "$(total "$work/verifying.wrk")" "$(non2xx "$work/verifying.wrk")" "$(heap $verifyingpid)" "$(mem $verifyingpid)"
printf '%-10s %12s %10s %12s %10s   %s %s\n' bundle "$(rps "$work/bundle.wrk")" "$(p99 "$work/bundle.wrk")" \
  "$(total "$work/bundle.wrk")" "$(non2xx "$work/bundle.wrk")" "$(heap $bundlepid)" "$(mem $bundlepid)"
printf 'ratio (bundle / bare requests/s): %.2f\n' "$(echo "$(rps "$work/bundle.wrk") / $(rps "$work/bare.wrk")" | bc -l)"
printf 'verifying route / bare: %.2f; bundle / verifying route: %.2f\n' \
  "$(echo "$(rps "$work/verifying.wrk") / $(rps "$work/bare.wrk")" | bc -l)" \
  "$(echo "$(rps "$work/bundle.wrk") / $(rps "$work/verifying.wrk")" | bc -l)"
echo "ledger rows of the measured run: $rows (2xx answers: $bundle_ok; the file holds $EVENTS distinct events)"
# a wrk thread that ran through its share of the events starts over: the repeats are journaled, then dropped as
# duplicates (no row), so each acknowledged repeat is one acknowledged event fewer that must have a row
repeats=$(awk '/^repeated requests:/ {print $3}' "$work/bundle.wrk")
echo "repeated requests (not distinct events): $repeats"
[ "$rows" -ge "$(( bundle_ok - repeats ))" ] || { echo "FAIL: fewer rows than acknowledged events"; exit 1; }
