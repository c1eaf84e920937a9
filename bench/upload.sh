#!/usr/bin/env bash
# Upload benchmark. One large file goes through the bundle's ingest (streamed MD5, then an upload with its
# default settings: multipart from 100 MiB, parts of vmeg.upload.min-part-size (64 MiB; VMEG recommends 8),
# vmeg.upload.part-parallelism PUTs at once; then complete and create-async) with the JVM capped at -Xmx128m.
# Two baselines in the same run, against the same standalone sandbox on 127.0.0.1 (the same sink: it stores and
# hashes every byte), each doing the same VMEG calls with md5sum and curl:
#   multipart: md5sum, initiate, presign-parts (100 a call), the parts PUT by curl PARTS at a time (dd cuts each
#              byte range from the file; the bundle's part size), complete with the ETags, create-async: the
#              bundle's own path;
#   single:    md5sum, gen-upload-url, one curl -T of the whole file, complete, create-async (the issue's wording).
# Neither curl sends Expect: 100-continue (the bundle does not either; the sandbox answers it, as S3 does, but
# the handshake would add a round trip). The bundle runs twice: with its defaults (multipart, resumable) and with
# the multipart threshold above the file's size (one PUT, like the single baseline). Prints the times, the ratios
# and the bundle's memory: peak RSS (VmHWM) and, from its GC log, the heap in use and still live after a collection:
# the file is streamed, never held in memory.
#
#   bash bench/upload.sh            # 1024 MiB
#   SIZE_MB=2048 PARTS=4 bash bench/upload.sh
#   KEEP_LOG=/tmp/bundle.log bash bench/upload.sh   # keep the bundle's logs (/tmp/bundle.log.<run>)
#   VMEG_UPLOAD_MIN_PART_SIZE=0 bash bench/upload.sh  # VMEG's recommended part size, for bundle and baseline
#   WARMUP_MB=256 SIZE_MB=2048 bash bench/upload.sh  # each bundle run first uploads a file of its own, untimed,
#                                                      and waits for its job to finish (its result downloaded):
#                                                      a running service's JIT has compiled its upload path already
set -euo pipefail
SIZE_MB=${SIZE_MB:-1024}
WARMUP_MB=${WARMUP_MB:-0}
PARTS=${PARTS:-4}   # parts in flight, for the bundle (VMEG_UPLOAD_PART_PARALLELISM) and the multipart baseline
export VMEG_UPLOAD_MIN_PART_SIZE=${VMEG_UPLOAD_MIN_PART_SIZE:-67108864}   # the bundle's default floor
. "$(dirname "$0")/common.sh"
now() { date +%s.%N; }
# settle: the page cache's dirty pages written out before each timed section. Four source files and every stored
# upload are written to disk in the background otherwise (the dirty pages stay at the kernel's background limit
# for the whole benchmark), which loads whichever run is being timed, depending on the order of the runs.
settle() { sync; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }

echo "== files: 4 x $SIZE_MB MiB of random bytes (different content: VMEG dedups by MD5)"
for f in multipart single bundle bundle-single; do head -c "${SIZE_MB}M" /dev/urandom > "$work/$f.mp4"; done

start_sandbox

post() { curl -s -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -H "X-Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "$2" "$base$1"; }
create() { post /openapi/v1/task/media-translation/create-async "{\"taskType\":\"vt\",\"source\":{\"materialId\":\"$1\"},\
\"language\":{\"source\":\"auto\",\"target\":\"de-DE\"},\"options\":{\"voiceClone\":{}}}" | grep -q '"taskId"'; }

# one part: its byte range of the file streamed (dd | curl -T -) with an exact Content-Length, not chunked;
# prints "<n> <ETag>"
put_part() {
  local n=$1 url=$2 off=$(( ($1 - 1) * part_size )) len
  len=$(( size - off < part_size ? size - off : part_size ))
  dd if="$file" bs=1M skip="$off" count="$len" iflag=skip_bytes,count_bytes status=none \
    | curl -s -f -T - -H "Content-Length: $len" -H 'Transfer-Encoding:' -H 'Expect:' -D - -o /dev/null "$url" \
    | tr -d '\r"' | awk -v n="$n" 'tolower($1) == "etag:" {print n, $2}'
}
export -f put_part

echo "== baseline multipart: md5sum + curl, $PARTS parts at a time"
file=$work/multipart.mp4; size=$(stat -c %s "$file")
settle; t0=$(now)
md5=$(md5sum "$file" | cut -d' ' -f1)
init=$(post /openapi/v1/assets/material/upload/multipart/initiate "{\"fileHash\":\"$md5\",\"fileName\":\"multipart.mp4\"}")
mid=$(echo "$init" | json '["data"]["materialId"]'); upl=$(echo "$init" | json '["data"]["uploadId"]')
part_size=$(echo "$init" | json '["data"]["recommendedPartSize"]')
part_size=$(( part_size > VMEG_UPLOAD_MIN_PART_SIZE ? part_size : VMEG_UPLOAD_MIN_PART_SIZE ))   # as the bundle
count=$(( (size + part_size - 1) / part_size ))
ref="\"materialId\":\"$mid\",\"uploadId\":\"$upl\",\"fileHash\":\"$md5\",\"fileName\":\"multipart.mp4\""
export file size part_size
: > "$work/etags"
for ((first = 1; first <= count; first += 100)); do
  last=$(( first + 99 < count ? first + 99 : count ))
  post /openapi/v1/assets/material/upload/multipart/presign-parts "{$ref,\"partNumbers\":[$(seq -s, "$first" "$last")]}" \
    | python3 -c 'import json,sys; [print(u["partNumber"], u["url"]) for u in json.load(sys.stdin)["data"]["urls"]]' \
    | xargs -n 2 -P "$PARTS" bash -c 'put_part "$@"' _ >> "$work/etags"
done
[ "$(wc -l < "$work/etags")" = "$count" ] || { echo "baseline: $(wc -l < "$work/etags") of $count parts stored"; exit 1; }
parts=$(sort -n "$work/etags" | awk '{printf "%s{\"partNumber\":%s,\"eTag\":\"%s\"}", (NR > 1 ? "," : ""), $1, $2}')
post /openapi/v1/assets/material/upload/multipart/complete "{$ref,\"parts\":[$parts]}" | grep -q '"code":200'
create "$mid"
t1=$(now)
multipart=$(echo "$t1 - $t0" | bc)

echo "== baseline single: md5sum + curl -T"
file=$work/single.mp4
settle; t0=$(now)
md5=$(md5sum "$file" | cut -d' ' -f1)
gen=$(post /openapi/v1/assets/material/upload/gen-upload-url "{\"fileHash\":\"$md5\",\"fileName\":\"single.mp4\"}")
url=$(echo "$gen" | json '["data"]["uploadUrl"]')
s3=$(echo "$gen" | json '["data"]["s3Uri"]')
mid=$(echo "$gen" | json '["data"]["materialId"]')
code=$(curl -s -o /dev/null -w '%{http_code}' -H 'Expect:' -T "$file" "$url")
[ "$code" = 200 ] || { echo "baseline PUT failed: $code"; exit 1; }
post /openapi/v1/assets/material/upload/complete \
  "{\"s3Uri\":\"$s3\",\"fileName\":\"single.mp4\",\"materialId\":\"$mid\",\"fileHash\":\"$md5\"}" > /dev/null
create "$mid"
t1=$(now)
single=$(echo "$t1 - $t0" | bc)

# one run of the bundle (java -Xmx128m -jar, sandbox off, pointed at the standalone sandbox) on file $1 with
# multipart threshold $2; sets bundle (seconds), hwm (peak RSS, MiB), heap (gc_heap) and bparts (part PUTs)
run_bundle() {
  local name=$1 threshold=$2 dir=$work/run-$1
  echo "== bundle: java -Xmx128m -jar vmeg-camel.jar (sandbox off, VMEG_BASE_URL=$base, multipart threshold $threshold)"
  mkdir -p "$dir/inbox"
  (cd "$dir" && VMEG_SANDBOX=false VMEG_BASE_URL=$base VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
    VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp VMEG_INGEST_POLL_MS=100 VMEG_INGEST_STABLE_CHECK_MS=100 \
    VMEG_UPLOAD_PART_PARALLELISM=$PARTS VMEG_UPLOAD_MULTIPART_THRESHOLD=$threshold \
    exec java -Xmx128m "$GC_LOG" -jar "$jar" > bundle.log 2>&1) &   # exec: the pid is java's, so cleanup stops it
  local bpid=$!
  pids+=("$bpid")
  await_up "http://127.0.0.1:$mp/observe/health" "$bpid" "$dir/bundle.log"
  if [ "$WARMUP_MB" -gt 0 ]; then
    head -c "${WARMUP_MB}M" /dev/urandom > "$work/$name-warmup.mp4"
    drop "$dir" "$name-warmup" archive   # its result downloaded: that must not overlap the timed upload
  fi
  local logged t0 t1
  logged=$(wc -l < "$dir/bundle.log")
  settle; t0=$(now)
  drop "$dir" "$name"
  t1=$(now)
  bundle=$(echo "$t1 - $t0" | bc)
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' "/proc/$bpid/status")
  heap=$(gc_heap "$dir")
  bparts=$(tail -n +$((logged + 1)) "$dir/bundle.log" | grep -c 'VMEG PUT .* -> 200' || true)
  [ -z "${KEEP_LOG:-}" ] || cp "$dir/bundle.log" "$KEEP_LOG.$name"   # the scratch dir is removed at exit
  kill "$bpid"; wait "$bpid" 2>/dev/null || true
}
# drop <dir> <name> [archive]: moves $work/<name>.mp4 into the bundle's inbox and returns once it is submitted
# (or, with archive, once its job is done); fails the benchmark if it lands in failed/
drop() {
  mv "$work/$2.mp4" "$1/inbox/$2.mp4"   # same file system: the file appears complete at once
  until [ -e "$1/${3:-processing}/$2.mp4" ] || [ -e "$1/archive/$2.mp4" ] || [ -e "$1/failed/$2.mp4" ]; do
    sleep 0.05
  done
  [ ! -e "$1/failed/$2.mp4" ] || { cat "$1/failed/$2.mp4.error.json"; exit 1; }
}
run_bundle bundle 104857600            # the default: multipart from 100 MiB
multi_bundle=$bundle; multi_hwm=$hwm; multi_heap=$heap; multi_parts=$bparts
run_bundle bundle-single $(( size + 1 ))   # a threshold above the file's size: one PUT
single_bundle=$bundle; single_hwm=$hwm; single_heap=$heap

rate() { echo "$SIZE_MB / $1" | bc -l; }
printf '\n%-40s %8s s   %6.0f MiB/s\n' "baseline multipart ($PARTS curl at a time):" "$(printf '%.2f' "$multipart")" "$(rate "$multipart")"
printf '%-40s %8s s   %6.0f MiB/s\n' "baseline single (curl -T):" "$(printf '%.2f' "$single")" "$(rate "$single")"
printf '%-40s %8s s   %6.0f MiB/s   (%s part PUTs)\n' "bundle multipart (default, $PARTS at a time):" "$(printf '%.2f' "$multi_bundle")" "$(rate "$multi_bundle")" "$multi_parts"
printf '%-40s %8s s   %6.0f MiB/s\n' "bundle single PUT (threshold > size):" "$(printf '%.2f' "$single_bundle")" "$(rate "$single_bundle")"
printf '%-40s %8.2f\n' "ratio bundle multipart / baseline multipart:" "$(echo "$multi_bundle / $multipart" | bc -l)"
printf '%-40s %8.2f\n' "ratio bundle multipart / baseline single:" "$(echo "$multi_bundle / $single" | bc -l)"
printf '%-40s %8.2f\n' "ratio bundle single / baseline single:" "$(echo "$single_bundle / $single" | bc -l)"
printf '%-40s %8s / %s MiB (file: %s MiB)\n' "bundle peak RSS (VmHWM), multipart / single:" "$multi_hwm" "$single_hwm" "$SIZE_MB"
printf '%-40s %s | %s MiB (-Xmx128m)\n' "bundle heap, in use / live after GC:" "$multi_heap" "$single_heap"
