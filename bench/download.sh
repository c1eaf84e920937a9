#!/usr/bin/env bash
# Download benchmark. One large file goes all the way through the bundle, with the JVM capped at -Xmx128m,
# against a standalone sandbox on 127.0.0.1 whose "dubbed" result is a copy of the source: the bundle then
# downloads it over camel-http into the outbox. Prints the download's time (from the bundle's log), a curl of
# the same kind of link for comparison, and the bundle's memory (peak RSS, VmHWM; the heap from its GC log), which
# shows the body is streamed to disk, never held in memory or in a stream cache.
#
#   bash bench/download.sh            # 1024 MiB
#   SIZE_MB=256 bash bench/download.sh
set -euo pipefail
SIZE_MB=${SIZE_MB:-1024}
. "$(dirname "$0")/common.sh"

echo "== file: $SIZE_MB MiB of random bytes"
mkdir -p "$work/run/inbox"
head -c "${SIZE_MB}M" /dev/urandom > "$work/bundle.mp4"

start_sandbox 1s

echo "== bundle: java -Xmx128m -jar vmeg-camel.jar (sandbox off, VMEG_BASE_URL=$base)"
(cd "$work/run" && VMEG_SANDBOX=false VMEG_BASE_URL=$base VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
  VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp VMEG_INGEST_POLL_MS=100 VMEG_INGEST_STABLE_CHECK_MS=100 \
  VMEG_UPLOAD_MULTIPART_THRESHOLD=$((1024 * 1024 * 1024 * 100)) \
  exec java -Xmx128m "$GC_LOG" -jar "$jar" > bundle.log 2>&1) &   # exec: the pid is java's, so cleanup stops it
pids+=($!)
bpid=${pids[-1]}
await_up "http://127.0.0.1:$mp/observe/health" "$bpid" "$work/run/bundle.log"
mv "$work/bundle.mp4" "$work/run/inbox/bundle.mp4"
until [ -e "$work/run/archive/bundle.mp4" ] || [ -e "$work/run/failed/bundle.mp4" ]; do sleep 0.2; done
[ -e "$work/run/failed/bundle.mp4" ] && { cat "$work/run/failed/bundle.mp4.error.json"; exit 1; }
hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$bpid/status")
out=$(find "$work/run/outbox" -name 'bundle.*.mp4')
cmp -s "$out" "$work/run/archive/bundle.mp4" || { echo "outbox file differs from the source"; exit 1; }
line=$(grep -o 'DeliverableFiles - VMEG GET .* bytes into .* ([0-9]* ms)' "$work/run/bundle.log" | tail -1)
ms=$(echo "$line" | sed -E 's/.*\(([0-9]+) ms\)$/\1/')

echo "== baseline: curl of the result link (from result.json) to a file"
link=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['build']['video']['url'])" \
  "$(dirname "$out")/result.json")
curl_s=$(curl -s -o "$work/curl.mp4" -w '%{time_total}' "$link")

printf '\n%-34s %8.2f s   %6.0f MiB/s\n' "bundle download (-Xmx128m):" "$(echo "$ms / 1000" | bc -l)" \
  "$(echo "$SIZE_MB / ($ms / 1000)" | bc -l)"
printf '%-34s %8.2f s   %6.0f MiB/s\n' "curl of the same link:" "$curl_s" "$(echo "$SIZE_MB / $curl_s" | bc -l)"
printf '%-34s %8s MiB (file: %s MiB; outbox file identical to the source)\n' "bundle peak RSS (VmHWM):" "$hwm" "$SIZE_MB"
printf '%-34s %s MiB (-Xmx128m)\n' "bundle heap, in use / live after GC:" "$(gc_heap "$work/run")"
