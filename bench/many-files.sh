#!/usr/bin/env bash
# Many-files benchmark (issue 9, batch drops). N small files (20 KB of random bytes each, all different) are
# dropped into the bundle's inbox at once; the time runs until every one of them has been submitted (moved out of
# the inbox to processing/ or archive/). Two baselines, in the same run and against the same standalone sandbox on
# 127.0.0.1, each doing the same VMEG calls per file, one file after the other: md5sum, gen-upload-url, PUT,
# complete, create-async:
#   script: a plain bash script (md5sum and curl per call; the JSON read with bash's own regex matching);
#   client: one python3 process holding its HTTP connection open (no process per call).
# Prints the times, the ratios and the bundle's memory (peak RSS; the heap from its GC log).
#
#   bash bench/many-files.sh            # 1000 files
#   N=200 bash bench/many-files.sh
set -euo pipefail
N=${N:-1000}
. "$(dirname "$0")/common.sh"
now() { date +%s.%N; }

echo "== files: 3 x $N x 20 KB of random bytes (all different: VMEG dedups by MD5)"
mkdir -p "$work/baseline" "$work/client" "$work/drop"
python3 - "$work" "$N" <<'PY'
import os, sys
work, n = sys.argv[1], int(sys.argv[2])
for side in ("baseline", "client", "drop"):
    for i in range(n):
        with open(f"{work}/{side}/f{i:05d}.mp4", "wb") as f:
            f.write(os.urandom(20 * 1024))
PY

start_sandbox 600s

echo "== baseline: a sequential script (md5sum, gen-upload-url, curl PUT, complete, create-async per file)"
post() { curl -s -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -H "X-Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "$2" "$base$1"; }
field() { [[ $gen =~ \"$1\":\"([^\"]*)\" ]] && echo "${BASH_REMATCH[1]}"; }   # of gen-upload-url's compact JSON
t0=$(now)
for f in "$work"/baseline/*.mp4; do
  name=$(basename "$f")
  md5=$(md5sum "$f" | cut -d' ' -f1)
  gen=$(post /openapi/v1/assets/material/upload/gen-upload-url "{\"fileHash\":\"$md5\",\"fileName\":\"$name\"}")
  url=$(field uploadUrl); s3=$(field s3Uri); mid=$(field materialId)
  code=$(curl -s -o /dev/null -w '%{http_code}' -T "$f" "$url")
  [ "$code" = 200 ] || { echo "baseline PUT failed: $code"; exit 1; }
  post /openapi/v1/assets/material/upload/complete \
    "{\"s3Uri\":\"$s3\",\"fileName\":\"$name\",\"materialId\":\"$mid\",\"fileHash\":\"$md5\"}" > /dev/null
  post /openapi/v1/task/media-translation/create-async "{\"taskType\":\"vt\",\"source\":{\"materialId\":\"$mid\"},\
\"language\":{\"source\":\"auto\",\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}" | grep -q '"taskId"'
done
t1=$(now)
baseline=$(echo "$t1 - $t0" | bc)

echo "== baseline: one python3 process, its connection kept open, the same calls per file"
t0=$(now)
python3 - "$base" "$work/client" <<'PY'
import hashlib, http.client, json, os, sys, urllib.parse, uuid
base, folder = urllib.parse.urlsplit(sys.argv[1]), sys.argv[2]
api = http.client.HTTPConnection(base.hostname, base.port)
def call(method, url, body, headers):
    u = urllib.parse.urlsplit(url)
    conn = api if (u.hostname, u.port) == (base.hostname, base.port) else http.client.HTTPConnection(u.hostname, u.port)
    conn.request(method, u.path + ("?" + u.query if u.query else ""), body, headers)
    r = conn.getresponse(); data = r.read()
    if r.status != 200: sys.exit(f"{method} {u.path}: {r.status} {data[:200]}")
    return data
def post(path, doc):
    return json.loads(call("POST", sys.argv[1] + path, json.dumps(doc), {"Authorization": "Bearer bench-key",
        "Content-Type": "application/json", "X-Idempotency-Key": str(uuid.uuid4())}))["data"]
for name in sorted(os.listdir(folder)):
    with open(os.path.join(folder, name), "rb") as f: body = f.read()
    md5 = hashlib.md5(body).hexdigest()
    gen = post("/openapi/v1/assets/material/upload/gen-upload-url", {"fileHash": md5, "fileName": name})
    call("PUT", gen["uploadUrl"], body, {"Content-Length": str(len(body))})
    post("/openapi/v1/assets/material/upload/complete", {"s3Uri": gen["s3Uri"], "fileName": name,
        "materialId": gen["materialId"], "fileHash": md5})
    task = post("/openapi/v1/task/media-translation/create-async", {"taskType": "vt", "source": {"materialId":
        gen["materialId"]}, "language": {"source": "auto", "target": "de-DE"}, "options": {"voiceClone": {}}})
    assert task["taskId"]
PY
t1=$(now)
client=$(echo "$t1 - $t0" | bc)

echo "== bundle: java -Xmx256m -jar vmeg-camel.jar (sandbox off, VMEG_BASE_URL=$base), defaults otherwise"
mkdir -p "$work/run/inbox"
(cd "$work/run" && VMEG_SANDBOX=false VMEG_BASE_URL=$base VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
  VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp \
  exec java -Xmx256m "$GC_LOG" -jar "$jar" > bundle.log 2>&1) &   # exec: the pid is java's, so cleanup stops it
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
printf '%-40s %8s s   %6.1f files/s\n' "baseline (sequential client):" "$(printf '%.2f' "$client")" "$(echo "$N / $client" | bc -l)"
printf '%-40s %8s s   %6.1f files/s\n' "bundle (defaults):" "$(printf '%.2f' "$bundle")" "$(echo "$N / $bundle" | bc -l)"
printf '%-40s %8.2f  (bundle time / script time)\n' "ratio:" "$(echo "$bundle / $baseline" | bc -l)"
printf '%-40s %8.2f  (bundle time / client time)\n' "ratio to the client:" "$(echo "$bundle / $client" | bc -l)"
printf '%-40s %8s MiB\n' "bundle peak RSS (VmHWM):" "$hwm"
printf '%-40s %s MiB (-Xmx256m)\n' "bundle heap, in use / live after GC:" "$(gc_heap "$work/run")"
printf '%-40s %8s (one per file)\n' "bundle create-async answers logged:" "$creates"
