#!/usr/bin/env bash
# Upload benchmark. One large file goes through the bundle's ingest (streamed MD5, gen-upload-url, streamed PUT,
# complete, create-async) with the JVM capped at -Xmx128m, against a baseline doing the same calls with
# md5sum + curl, both against the same standalone sandbox on 127.0.0.1. Prints both times, the ratio and the
# bundle's peak memory (VmHWM), which shows the file is streamed, never held in memory.
#
#   bash bench/upload.sh            # 1024 MiB
#   SIZE_MB=256 bash bench/upload.sh
set -euo pipefail
SIZE_MB=${SIZE_MB:-1024}
. "$(dirname "$0")/common.sh"
now() { date +%s.%N; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "== files: 2 x $SIZE_MB MiB of random bytes (different content: VMEG dedups by MD5)"
head -c "${SIZE_MB}M" /dev/urandom > "$work/baseline.mp4"
head -c "${SIZE_MB}M" /dev/urandom > "$work/bundle.mp4"

echo "== standalone sandbox on $base"
VMEG_SANDBOX_PORT=$sp VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
  VMEG_WEBHOOK_URL=http://127.0.0.1:$hp/webhooks/vmeg VMEG_SANDBOX_DATA_DIR=$work/sandbox \
  java -cp "$jar" io.vmegcamel.sandbox.SandboxMain > "$work/sandbox.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null "$base/openapi/v1/tasks/list"; do sleep 0.2; done

echo "== baseline: md5sum + curl"
post() { curl -s -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -H "X-Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "$2" "$base$1"; }
t0=$(now)
md5=$(md5sum "$work/baseline.mp4" | cut -d' ' -f1)
gen=$(post /openapi/v1/assets/material/upload/gen-upload-url "{\"fileHash\":\"$md5\",\"fileName\":\"baseline.mp4\"}")
url=$(echo "$gen" | json '["data"]["uploadUrl"]')
s3=$(echo "$gen" | json '["data"]["s3Uri"]')
mid=$(echo "$gen" | json '["data"]["materialId"]')
code=$(curl -s -o /dev/null -w '%{http_code}' -T "$work/baseline.mp4" "$url")
[ "$code" = 200 ] || { echo "baseline PUT failed: $code"; exit 1; }
post /openapi/v1/assets/material/upload/complete \
  "{\"s3Uri\":\"$s3\",\"fileName\":\"baseline.mp4\",\"materialId\":\"$mid\",\"fileHash\":\"$md5\"}" > /dev/null
post /openapi/v1/task/media-translation/create-async "{\"taskType\":\"vt\",\"source\":{\"materialId\":\"$mid\"},\
\"language\":{\"source\":\"auto\",\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}" | grep -q '"taskId"'
t1=$(now)
baseline=$(echo "$t1 - $t0" | bc)

echo "== bundle: java -Xmx128m -jar vmeg-camel.jar (sandbox off, VMEG_BASE_URL=$base)"
mkdir -p "$work/run/inbox"
(cd "$work/run" && VMEG_SANDBOX=false VMEG_BASE_URL=$base VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
  VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp VMEG_INGEST_POLL_MS=100 VMEG_INGEST_STABLE_CHECK_MS=100 \
  VMEG_UPLOAD_MULTIPART_THRESHOLD=$((1024 * 1024 * 1024 * 100)) \
  exec java -Xmx128m -jar "$jar" > bundle.log 2>&1) &   # exec: the pid is java's, so cleanup stops it
pids+=($!)
until curl -fs -o /dev/null "http://127.0.0.1:$mp/observe/health"; do sleep 0.2; done
bpid=${pids[-1]}
t0=$(now)
mv "$work/bundle.mp4" "$work/run/inbox/bundle.mp4"   # same file system: the file appears complete at once
until [ -e "$work/run/processing/bundle.mp4" ] || [ -e "$work/run/archive/bundle.mp4" ] || [ -e "$work/run/failed/bundle.mp4" ]; do
  sleep 0.05
done
t1=$(now)
[ -e "$work/run/failed/bundle.mp4" ] && { cat "$work/run/failed/bundle.mp4.error.json"; exit 1; }
bundle=$(echo "$t1 - $t0" | bc)
hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$bpid/status")

printf '\n%-34s %8s s   %6.0f MiB/s\n' "baseline (md5sum + curl):" "$(printf '%.2f' "$baseline")" "$(echo "$SIZE_MB / $baseline" | bc -l)"
printf '%-34s %8s s   %6.0f MiB/s\n' "bundle (-Xmx128m):" "$(printf '%.2f' "$bundle")" "$(echo "$SIZE_MB / $bundle" | bc -l)"
printf '%-34s %8.2f  (bundle time / baseline time)\n' "ratio:" "$(echo "$bundle / $baseline" | bc -l)"
printf '%-34s %8s MiB (file: %s MiB)\n' "bundle peak RSS (VmHWM):" "$hwm" "$SIZE_MB"
