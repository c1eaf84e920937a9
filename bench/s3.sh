#!/usr/bin/env bash
# S3 benchmark (issue 8: "large objects stream in both directions"). One large object goes all the way through the
# bundle with the JVM capped at -Xmx128m, inbox and outbox on S3 (moto_server on 127.0.0.1; the AWS CLI for what
# the script itself puts or reads): the bundle takes the object from the inbox prefix into its local spool, uploads
# it to a standalone sandbox on 127.0.0.1 whose "dubbed" result is a copy of the source, downloads the result and
# PUTs it into the outbox prefix, and moves the object to <prefix parent>/archive/. The clock runs from the object
# appearing in the inbox until both the archive object and the result are listed.
# The baseline, in the same run against the same moto and sandbox, is what a script would do: aws s3 cp of an object
# of the same size to disk + md5sum + the VMEG calls of bench/upload.sh with curl + aws s3 cp of the file to the
# outbox bucket. Prints both times, the ratio, the bundle's peak RSS (VmHWM, sampled) and heap (its GC log) and
# moto's peak RSS, and checks that the outbox result has the source's MD5.
# moto holds every object in memory: at 2048 MiB it peaked at 12-17 GiB RSS; mind the machine's memory.
# (Adobe S3Mock's exec jar was not used: its plain-HTTP connector listens on all interfaces, with no setting to
# bind it to 127.0.0.1.)
#
#   bash bench/s3.sh                # 2048 MiB
#   SIZE_MB=256 bash bench/s3.sh
set -euo pipefail
SIZE_MB=${SIZE_MB:-2048}
. "$(dirname "$0")/common.sh"
now() { date +%s.%N; }
json() { python3 -c "import json,sys; print(json.load(sys.stdin)$1)"; }
logs=$root/target/bench-s3   # the logs of the last run are kept here
keep_logs() {
  rm -rf "$logs"; mkdir -p "$logs"
  cp "$work"/run/bundle.log "$work"/sandbox.log "$work"/s3.log "$logs"/ 2>/dev/null || true
}
trap 'keep_logs; cleanup' EXIT
rss() { awk '/VmHWM/ {print int($2/1024)}' "/proc/$1/status" 2>/dev/null || echo 0; }

s3p=$(free_port)
export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1
s3url=http://127.0.0.1:$s3p
aws_() { aws --endpoint-url "$s3url" "$@"; }
# One request per object up and down (S3 allows 5 GiB): moto answers each ranged GET of a multipart download by
# reading the whole object: about 3 s per 8 MiB part of a 2 GiB object, 1.3 GiB after 8 minutes.
export AWS_CONFIG_FILE=$work/aws-config
printf '[default]\ns3 =\n  multipart_threshold = 5GB\n' > "$AWS_CONFIG_FILE"
bucket=vmeg-bench

echo "== files: 2 x $SIZE_MB MiB of random bytes (different content: VMEG dedups by MD5)"
head -c "${SIZE_MB}M" /dev/urandom > "$work/baseline.mp4"
head -c "${SIZE_MB}M" /dev/urandom > "$work/bundle.mp4"
src_md5=$(md5sum "$work/bundle.mp4" | cut -d' ' -f1)

echo "== moto_server on $s3url (objects in memory; the CLI moves them in one request each, see above)"
(cd "$work" && exec moto_server -H 127.0.0.1 -p "$s3p" > "$work/s3.log" 2>&1) &
pids+=($!)
mpid=${pids[-1]}
until curl -s -o /dev/null "$s3url/"; do sleep 0.2; done
aws_ s3 mb "s3://$bucket" > /dev/null
aws_ s3 cp --only-show-errors "$work/baseline.mp4" "s3://$bucket/baseline/in/baseline.mp4"
rm "$work/baseline.mp4"

start_sandbox 1s

echo "== baseline: aws s3 cp + md5sum + curl (VMEG calls) + aws s3 cp to the outbox bucket"
post() { curl -s -X POST -H "Authorization: Bearer bench-key" -H "Content-Type: application/json" \
  -H "X-Idempotency-Key: $(cat /proc/sys/kernel/random/uuid)" -d "$2" "$base$1"; }
t0=$(now)
aws_ s3 cp --only-show-errors "s3://$bucket/baseline/in/baseline.mp4" "$work/baseline.mp4"
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
aws_ s3 cp --only-show-errors "$work/baseline.mp4" "s3://$bucket/baseline/out/baseline.de-DE.mp4"
t1=$(now)
baseline=$(echo "$t1 - $t0" | bc)
rm "$work/baseline.mp4"
aws_ s3 rm --only-show-errors --recursive "s3://$bucket/baseline/"   # frees the S3 server before the bundle's turn

echo "== bundle: java -Xmx128m -jar vmeg-camel.jar (sandbox off, VMEG_BASE_URL=$base, inbox and outbox on S3)"
mkdir -p "$work/run"
(cd "$work/run" && VMEG_SANDBOX=false VMEG_BASE_URL=$base VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
  VMEG_HTTP_PORT=$hp VMEG_MANAGEMENT_PORT=$mp VMEG_INGEST_POLL_MS=100 VMEG_INGEST_STABLE_CHECK_MS=100 \
  VMEG_UPLOAD_MULTIPART_THRESHOLD=$((1024 * 1024 * 1024 * 100)) \
  VMEG_INBOX=s3://$bucket/drop/inbox VMEG_OUTBOX=s3://$bucket/out VMEG_S3_ENDPOINT=$s3url VMEG_S3_REGION=us-east-1 \
  VMEG_STORAGE_POLL_MS=100 VMEG_STORAGE_FOLLOW_MS=500 \
  exec java -Xmx128m "$GC_LOG" -jar "$jar" > bundle.log 2>&1) &   # exec: the pid is java's, so cleanup stops it
pids+=($!)
bpid=${pids[-1]}
await_up "http://127.0.0.1:$mp/observe/health" "$bpid" "$work/run/bundle.log"
# The object appears in the inbox whole, when the CLI's multipart upload completes; the clock starts then.
aws_ s3 cp --only-show-errors "$work/bundle.mp4" "s3://$bucket/drop/inbox/bundle.mp4"
t0=$(now)
rm "$work/bundle.mp4"
hwm=0; s3_hwm=0; archived=; result=
while :; do
  keys=$(aws_ s3api list-objects-v2 --bucket "$bucket" --query 'Contents[].Key' --output text)
  hwm=$(rss "$bpid"); s3_hwm=$(rss "$mpid")
  grep -qw 'drop/failed/bundle.mp4' <<< "$keys" && { aws_ s3 cp "s3://$bucket/drop/failed/bundle.mp4.error.json" -; exit 1; }
  [ -n "$archived" ] || ! grep -qw 'drop/archive/bundle.mp4' <<< "$keys" || archived=$(now)
  [ -n "$result" ] || result=$(tr '\t' '\n' <<< "$keys" | grep -E '^out/.*\.mp4$' | head -1 || true)
  [ -n "$archived" ] && [ -n "$result" ] && break
  kill -0 "$bpid" 2>/dev/null || { echo "bundle exited"; tail -50 "$work/run/bundle.log"; exit 1; }
  sleep 0.5
done
t1=$(now)
bundle=$(echo "$t1 - $t0" | bc)
ls_out=$(aws_ s3 ls --recursive "s3://$bucket/")
mkdir -p "$work/check"
aws_ s3 cp --only-show-errors "s3://$bucket/$result" "$work/check/result.mp4"
out_md5=$(md5sum "$work/check/result.mp4" | cut -d' ' -f1)
grep -c "\" 206 " "$work/s3.log" | sed "s/^/ranged GETs served by moto: /" || true
rm -f "$work/check/result.mp4"
[ "$out_md5" = "$src_md5" ] || { echo "outbox result MD5 $out_md5 differs from the source's $src_md5"; exit 1; }
echo "$ls_out"
grep -E 'S3 GET|S3 PUT|VMEG GET .* bytes into|uploaded|archive' "$work/run/bundle.log" | grep -v DEBUG | tail -8 || true
echo "-- WARN/ERROR lines of the bundle's log (first 15):"
grep -E ' (WARN|ERROR) ' "$work/run/bundle.log" | cut -c1-400 | head -15 || true
if grep -qE 'OutOfMemoryError|Java heap space' "$work/run/bundle.log"; then
  echo "!! the bundle's log mentions OutOfMemoryError:"; grep -nE -B2 -A5 'OutOfMemoryError|Java heap space' "$work/run/bundle.log" | head -40
fi

printf '\n%-36s %8s s   %6.0f MiB/s\n' "baseline (aws s3 cp + md5sum + curl):" "$(printf '%.2f' "$baseline")" \
  "$(echo "$SIZE_MB / $baseline" | bc -l)"
printf '%-36s %8s s   %6.0f MiB/s\n' "bundle (-Xmx128m), S3 to S3:" "$(printf '%.2f' "$bundle")" "$(echo "$SIZE_MB / $bundle" | bc -l)"
printf '%-36s %8.2f  (bundle time / baseline time)\n' "ratio:" "$(echo "$bundle / $baseline" | bc -l)"
printf '%-36s %8s MiB (object: %s MiB; outbox result MD5 = source MD5 %s)\n' "bundle peak RSS (VmHWM):" "$hwm" \
  "$SIZE_MB" "$src_md5"
printf '%-36s %s MiB (-Xmx128m)\n' "bundle heap, in use / live after GC:" "$(gc_heap "$work/run")"
printf '%-36s %8s MiB\n' "moto_server peak RSS (VmHWM):" "$s3_hwm"
printf '%-36s %8s (1 expected; moto log, 500s included)\n' "PUTs of the result to the outbox:" \
  "$(grep -c "\"PUT /$bucket/$result " "$work/s3.log" || true)"
printf '%-36s %8s (1 expected)\n' "result downloads by the bundle:" \
  "$(grep -c 'DeliverableFiles - VMEG GET .* bytes into' "$work/run/bundle.log" || true)"
