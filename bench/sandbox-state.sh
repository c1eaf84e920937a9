#!/usr/bin/env bash
# Sandbox state benchmark: what the built-in sandbox's saved state costs as finished tasks pile up. A standalone
# sandbox (webhooks off, 100 ms tasks) gets one audio material and N media-translation tasks (one curl each, one
# after another); once all finished, prints the size of state.json (rewritten whole after every change, at most
# every 200 ms), of the results directory (each finished task's result written once), and the CPU time of the
# thread that writes the state, with the time the N tasks took. Run it on two builds to compare.
#
#   bash bench/sandbox-state.sh        # N=500
#   N=1000 bash bench/sandbox-state.sh
set -euo pipefail
N=${N:-500}
. "$(dirname "$0")/common.sh"
VMEG_SANDBOX_WEBHOOKS_ENABLED=false start_sandbox 100ms
pid=${pids[-1]}
post() { curl -s -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -H "X-Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "$2" "$base$1"; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

python3 -c "
import struct, sys
n = 16000 * 2 * 30  # 30 s of silence, 16 kHz mono
sys.stdout.buffer.write(b'RIFF' + struct.pack('<I', 36 + n) + b'WAVEfmt '
    + struct.pack('<IHHIIHH', 16, 1, 1, 16000, 32000, 2, 16) + b'data' + struct.pack('<I', n) + bytes(n))" \
  > "$work/talk.wav"
md5=$(md5sum "$work/talk.wav" | cut -d' ' -f1)
gen=$(post /openapi/v1/assets/material/upload/gen-upload-url "{\"fileHash\":\"$md5\",\"fileName\":\"talk.wav\"}")
mid=$(echo "$gen" | json '["data"]["materialId"]')
curl -s -f -o /dev/null -H 'Expect:' -T "$work/talk.wav" "$(echo "$gen" | json '["data"]["uploadUrl"]')"
post /openapi/v1/assets/material/upload/complete "{\"s3Uri\":\"$(echo "$gen" | json '["data"]["s3Uri"]')\",\
\"fileName\":\"talk.wav\",\"materialId\":\"$mid\",\"fileHash\":\"$md5\"}" | grep -q '"code":200'

echo "== $N tasks, one after another"
t0=$(date +%s%N)
for ((i = 0; i < N; i++)); do
  post /openapi/v1/task/media-translation/create-async "{\"taskType\":\"at\",\"source\":{\"materialId\":\"$mid\"},\
\"language\":{\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}" | grep -q '"taskId"'
done
state=$work/sandbox/state.json
until [ "$(grep -c '"status" : "finished"' "$state")" = "$N" ] && ! grep -q '"status" : "running"' "$state"; do
  sleep 0.2
done
t1=$(date +%s%N)
sleep 0.5   # the write after the last change
tid=$(grep -l '^vmeg-sandbox-st' /proc/"$pid"/task/*/comm | head -1 | cut -d/ -f5)
printf 'finished tasks:        %s (created and finished in %s ms)\n' "$N" "$(( (t1 - t0) / 1000000 ))"
printf 'state.json:            %s bytes\n' "$(stat -c %s "$state")"
printf 'results directory:     %s bytes in %s files\n' \
  "$(find "$work/sandbox/results" -type f -printf '%s\n' 2>/dev/null | awk '{s += $1} END {print s + 0}')" \
  "$(find "$work/sandbox/results" -type f 2>/dev/null | wc -l)"
printf 'state writer CPU time: %s ms\n' "$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' \
  "/proc/$pid/task/$tid/stat")"
