#!/usr/bin/env bash
# Cold start benchmark: time from launching the JVM to the webhook route's first answer, for `java -jar vmeg-camel.jar` on
# the embedded default (first start in an empty directory: sandbox, H2 ledger created and migrated, all routes)
# and for a bare Camel platform-http route (bench/BareRoute.java, run from the same jar with the same JVM flags).
# RUNS alternating runs each; prints every run, the medians and their ratio, classes loaded, heap and RSS, and
# where the bundle's start-up time goes (from its log's timestamps, relative to the launch).
#
#   bash bench/coldstart.sh
#   RUNS=5 JAVA_OPTS=-Xmx256m bash bench/coldstart.sh
set -euo pipefail
RUNS=${RUNS:-3}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
. "$(dirname "$0")/common.sh"
mkdir -p "$work/bare"
javac -d "$work/bare" -cp "$jar" "$root/bench/BareRoute.java"
ms() { date +%s%3N; }

# launch <name> <dir> <url> <command...>: prints the ms from launch to the route's first answer on url,
# then stops the JVM, after recording classes loaded, heap and RSS
launch() {
  local name=$1 dir=$2 url=$3; shift 3
  mkdir -p "$dir"
  local t0; t0=$(ms)
  (cd "$dir" && exec "$@" > "$dir/log" 2>&1) &
  local pid=$!
  # the route's own answer (bare 200, bundle 401 to an unsigned POST), not the 404 of a server whose routes
  # are still starting
  until [[ ! "$(curl -s -o /dev/null -w '%{http_code}' -X POST "$url" || true)" =~ ^(000|404)$ ]]; do
    if ! kill -0 "$pid" 2> /dev/null || grep -q 'Exception in thread "main"' "$dir/log"; then
      echo "$name failed to start: $(grep -m1 -E 'Exception|Error' "$dir/log")" >&2; kill "$pid" 2> /dev/null; exit 1
    fi
    sleep 0.02
  done
  local t1; t1=$(ms)
  echo "$t0" > "$dir/launched"
  {
    jstat -class "$pid" | awk 'NR == 2 {printf "classes %s  ", $1}'
    jcmd "$pid" GC.heap_info 2> /dev/null | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {printf "heap used %s  ", $(i+1); exit}}'
    awk '/VmRSS/ {printf "RSS %d MiB", $2 / 1024}' "/proc/$pid/status"
  } > "$dir/mem"
  kill "$pid"; wait "$pid" 2> /dev/null || true
  echo $((t1 - t0))
}

bundle_times=(); bare_times=()
for i in $(seq 1 "$RUNS"); do
  # four distinct free ports (one socket each, held open together, so none is handed out twice)
  read -r bp hp mp sp < <(python3 -c 'import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
  t=$(launch bare "$work/bare-$i" "http://127.0.0.1:$bp/webhooks/vmeg" \
      java $JAVA_OPTS -cp "$jar:$work/bare" BareRoute "$bp")
  bare_times+=("$t"); echo "run $i bare:   $t ms   $(cat "$work/bare-$i/mem")"
  t=$(launch bundle "$work/bundle-$i" "http://127.0.0.1:$hp/webhooks/vmeg" \
      env VMEG_SANDBOX_PORT="$sp" VMEG_HTTP_PORT="$hp" VMEG_MANAGEMENT_PORT="$mp" java $JAVA_OPTS -jar "$jar")
  bundle_times+=("$t"); echo "run $i bundle: $t ms   $(cat "$work/bundle-$i/mem")"
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
mb=$(median "${bundle_times[@]}"); mr=$(median "${bare_times[@]}")
printf '\nmedian to first HTTP answer: bundle %s ms, bare %s ms, ratio %.2f\n' "$mb" "$mr" "$(echo "$mb / $mr" | bc -l)"

echo; echo "where the bundle's time goes (last run; ms after launch, from its log):"
dir=$work/bundle-$RUNS; t0=$(cat "$dir/launched")
mark() { # label, pattern: the first log line matching it
  local line; line=$(grep -m1 -E "$2" "$dir/log" || true)
  [ -n "$line" ] || return 0
  local hms=${line%% *}
  local at; at=$(date -d "$(date +%F) $hms" +%s%3N)
  printf '  %6d  %s\n' $((at - t0)) "$1"
}
mark "Camel Main starts (JVM up, logging ready)" "MainSupport - Apache Camel .* is starting"
mark "sandbox listening (the bundle's wiring runs from here)" "VMEG sandbox listening"
mark "ledger pool starting (H2 opens)" "ledger - Starting"
mark "Flyway starts" "FlywayExecutor - Database"
mark "Flyway done" "Successfully applied|Successfully validated|is up to date"
mark "beans wired" "VmegConfiguration - vmeg-camel: inbox"
mark "routes loaded, CamelContext starting" "AbstractCamelContext - Apache Camel .* is starting"
mark "HTTP server listening (404 until the routes start)" "HttpServer started on"
mark "all routes started" "AbstractCamelContext - Apache Camel .* started in"
