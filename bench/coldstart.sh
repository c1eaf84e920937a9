#!/usr/bin/env bash
# Cold start benchmark: time from launching the JVM to the webhook route's first answer, for `java -jar vmeg-camel.jar` on
# the embedded default (first start in an empty directory: sandbox, H2 ledger created and migrated, all routes)
# and for a bare Camel platform-http route (bench/BareRoute.java, run from the same jar with the same JVM flags).
# RUNS alternating runs each; prints every run, the medians and their ratio, classes loaded, heap, RSS and CPU
# time (and the JIT compilers' share of it), and where the bundle's start-up time goes (from its log's timestamps,
# relative to the launch).
#
#   bash bench/coldstart.sh
#   RUNS=5 JAVA_OPTS=-Xmx256m bash bench/coldstart.sh
#   CDS=1 bash bench/coldstart.sh   # each side first writes a class-data archive in a launch of its own
#   RESTART=1 bash bench/coldstart.sh   # the bundle restarted: its ledger and sandbox state already there
set -euo pipefail
RUNS=${RUNS:-3}
JAVA_OPTS=${JAVA_OPTS:--Xmx256m}
CDS=${CDS:-0}
RESTART=${RESTART:-0} # 1: each timed bundle launch is a restart, in the directory of a first start just before
. "$(dirname "$0")/common.sh"
mkdir -p "$work/bare"
javac -d "$work/bare" -cp "$jar" "$root/bench/BareRoute.java"
jar cf "$work/bare.jar" -C "$work/bare" . # a class-data archive takes jars only
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
    awk '/VmRSS/ {printf "RSS %d MiB  ", $2 / 1024}' "/proc/$pid/status"
    # CPU time of the whole JVM so far, and of its JIT compiler threads (clock ticks of utime + stime)
    local tick; tick=$(getconf CLK_TCK)
    local cpu; cpu=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    local jit=0 t
    for t in /proc/"$pid"/task/*; do # field 2 of stat, (comm), may hold spaces: count the fields after it
      [[ "$(cat "$t/comm" 2> /dev/null)" == C[12]\ Compiler* ]] || continue
      jit=$((jit + $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')))
    done
    printf 'CPU %.1f s (JIT compilers %.1f s)' "$(echo "$cpu / $tick" | bc -l)" "$(echo "$jit / $tick" | bc -l)"
  } > "$dir/mem"
  kill "$pid"; wait "$pid" 2> /dev/null || true
  echo $((t1 - t0))
}

# the two launches of run <i> (warm-up: the one that writes the class-data archives), with extra JVM options
bare_opts=(); bundle_opts=()
run() {
  local i=$1
  # four distinct free ports (one socket each, held open together, so none is handed out twice)
  read -r bp hp mp sp < <(python3 -c 'import socket
ss = [socket.socket() for _ in range(4)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
  t=$(launch bare "$work/bare-$i" "http://127.0.0.1:$bp/webhooks/vmeg" \
      java $JAVA_OPTS "${bare_opts[@]}" -cp "$jar:$work/bare.jar" BareRoute "$bp")
  bare_times+=("$t"); echo "run $i bare:   $t ms   $(cat "$work/bare-$i/mem")"
  if [ "$RESTART" = 1 ]; then
    launch bundle "$work/bundle-$i" "http://127.0.0.1:$hp/webhooks/vmeg" \
      env VMEG_SANDBOX_PORT="$sp" VMEG_HTTP_PORT="$hp" VMEG_MANAGEMENT_PORT="$mp" java $JAVA_OPTS -jar "$jar" > /dev/null
  fi
  t=$(launch bundle "$work/bundle-$i" "http://127.0.0.1:$hp/webhooks/vmeg" \
      env VMEG_SANDBOX_PORT="$sp" VMEG_HTTP_PORT="$hp" VMEG_MANAGEMENT_PORT="$mp" \
      java $JAVA_OPTS "${bundle_opts[@]}" -jar "$jar")
  bundle_times+=("$t"); echo "run $i bundle: $t ms   $(cat "$work/bundle-$i/mem")"
}
if [ "$CDS" = 1 ]; then
  bare_opts=(-XX:ArchiveClassesAtExit="$work/bare.jsa"); bundle_opts=(-XX:ArchiveClassesAtExit="$work/bundle.jsa")
  run warm-up > /dev/null
  ls -l "$work/bare.jsa" "$work/bundle.jsa" > /dev/null # both written, or stop here
  echo "class-data archives: bare $(du -m "$work/bare.jsa" | cut -f1) MiB," \
    "bundle $(du -m "$work/bundle.jsa" | cut -f1) MiB"
  bare_opts=(-XX:SharedArchiveFile="$work/bare.jsa"); bundle_opts=(-XX:SharedArchiveFile="$work/bundle.jsa")
fi
bundle_times=(); bare_times=()
for i in $(seq 1 "$RUNS"); do
  run "$i"
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
mark "new ledger copied from the build's template" "from this version's migrated template"
mark "ledger's history found this version's (no Flyway)" "migration history is this version's"
mark "Flyway starts" "FlywayExecutor - Database"
mark "Flyway done" "Successfully applied|Successfully validated|is up to date"
mark "beans wired" "VmegConfiguration - vmeg-camel: inbox"
mark "routes loaded, CamelContext starting" "AbstractCamelContext - Apache Camel .* is starting"
mark "HTTP server listening (404 until the routes start)" "HttpServer started on"
mark "all routes started" "AbstractCamelContext - Apache Camel .* started in"
