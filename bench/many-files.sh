#!/usr/bin/env bash
# Many-files benchmark (issue 9, batch drops). N small files (20 KB of random bytes each, all different) are
# dropped into the bundle's inbox at once; the time runs until every one of them has been submitted (moved out of
# the inbox to processing/ or archive/). The baseline, in the same run and against the same standalone sandbox on
# 127.0.0.1, is a plain sequential script doing the same VMEG calls per file: md5sum, gen-upload-url, PUT (curl),
# complete, create-async. Prints both times, the ratio and the bundle's peak memory.
#
#   bash bench/many-files.sh            # 1000 files
#   N=200 bash bench/many-files.sh
set -euo pipefail
N=${N:-1000}
. "$(dirname "$0")/common.sh"
now() { date +%s.%N; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "== files: 2 x $N x 20 KB of random bytes (all different: VMEG dedups by MD5)"
mkdir -p "$work/baseline" "$work/drop"
python3 - "$work" "$N" <<'PY'
import os, sys
work, n = sys.argv[1], int(sys.argv[2])
for side in ("baseline", "drop"):
    for i in range(n):
        with open(f"{work}/{side}/f{i:05d}.mp4", "wb") as f:
            f.write(os.urandom(20 * 1024))
PY

start_sandbox 600s

echo "== baseline: a sequential script (md5sum, gen-upload-url, curl PUT, complete, create-async per file)"
post() { curl -s -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -H "X-Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "$2" "$base$1"; }
t0=$(now)
for f in "$work"/baseline/*.mp4; do
  name=$(basename "$f")
  md5=$(md5sum "$f" | cut -d' ' -f1)
  gen=$(post /openapi/v1/assets/material/upload/gen-upload-url "{\"fileHash\":\"$md5\",\"fileName\":\"$name\"}")
  read -r url s3 mid < <(echo "$gen" | python3 -c 'import json,sys; d=json.load(sys.stdin)["data"]; print(d["uploadUrl"], d["s3Uri"], d["materialId"])')
  code=$(curl -s -o /dev/null -w '%{http_code}' -T "$f" "$url")
  [ "$code" = 200 ] || { echo "baseline PUT failed: $code"; exit 1; }
  post /openapi/v1/assets/material/upload/complete \
    "{\"s3Uri\":\"$s3\",\"fileName\":\"$name\",\"materialId\":\"$mid\",\"fileHash\":\"$md5\"}" > /dev/null
  post /openapi/v1/task/media-translation/create-async "{\"taskType\":\"vt\",\"source\":{\"materialId\":\"$mid\"},\
\"language\":{\"source\":\"auto\",\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}" | grep -q '"taskId"'
done
t1=$(now)
baseline=$(echo "$t1 - $t0" | bc)

echo "== bundle: java -Xmx256m -jar vmeg-camel.jar (sandbox off, VMEG_BASE_URL=$base), defaults otherwise"
mkdir -p "$work/run/inbox"
(cd "$work/run" && VMEG_SANDBOX=false VMEG_BASE_URL=$base VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
  VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp \
  exec java -Xmx256m -jar "$jar" > bundle.log 2>&1) &   # exec: the pid is java's, so cleanup stops it
pids+=($!)
bpid=${pids[-1]}
await_up "http://127.0.0.1:$mp/observe/health" "$bpid" "$work/run/bundle.log"
t0=$(now)
mv "$work/drop"/*.mp4 "$work/run/inbox/"   # same file system: every file appears complete at once
count() { { find "$work/run/$1" -maxdepth 1 -type f -name '*.mp4' 2>/dev/null || true; } | wc -l; }
until [ $(( $(count processing) + $(count archive) + $(count failed) )) -ge "$N" ]; do sleep 0.2; done
t1=$(now)
failed=$(count failed)
[ "$failed" = 0 ] || { echo "$failed files failed"; ls "$work/run/failed" | head; exit 1; }
bundle=$(echo "$t1 - $t0" | bc)
hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$bpid/status")
creates=$(grep -c 'VMEG task' "$work/run/bundle.log" || true)

printf '\n%-40s %8s s   %6.1f files/s\n' "baseline (sequential script):" "$(printf '%.2f' "$baseline")" "$(echo "$N / $baseline" | bc -l)"
printf '%-40s %8s s   %6.1f files/s\n' "bundle (defaults):" "$(printf '%.2f' "$bundle")" "$(echo "$N / $bundle" | bc -l)"
printf '%-40s %8.2f  (bundle time / baseline time)\n' "ratio:" "$(echo "$bundle / $baseline" | bc -l)"
printf '%-40s %8s MiB\n' "bundle peak RSS (VmHWM):" "$hwm"
printf '%-40s %8s (one per file)\n' "bundle create-async answers logged:" "$creates"
