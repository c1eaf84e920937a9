# Shared by the bench scripts (sourced): the packaged jar (built when missing), a scratch directory removed at
# exit with every process listed in pids, and three free ports on 127.0.0.1 for the sandbox (sp), the business
# port (hp) and the management port (mp).
root=$(cd "$(dirname "$0")/.." && pwd)
jar=$root/target/vmeg-camel.jar
[ -f "$jar" ] || (cd "$root" && mvn -q -B package -DskipTests)
work=$(mktemp -d /tmp/vmeg-bench.XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sp=$(free_port); hp=$(free_port); mp=$(free_port)
base=http://127.0.0.1:$sp
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
# await_up url pid log: returns once url answers 2xx; if the process pid exits first (a bad setting, a port in
# use), prints the end of its log and ends the benchmark instead of waiting forever
await_up() {
  until curl -fs -o /dev/null "$1"; do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "FAIL: the process started for $1 exited; the end of $3:"; tail -20 "$3"; exit 1
    fi
    sleep 0.2
  done
}

# start_sandbox [task duration]: the standalone sandbox on $base (API key bench-key; webhooks signed with
# bench-secret, sent to the bundle's port $hp), its data in $work/sandbox and its log in $work/sandbox.log;
# returns once it answers
start_sandbox() {
  echo "== standalone sandbox on $base"
  env VMEG_SANDBOX_PORT="$sp" VMEG_API_KEY=bench-key VMEG_WEBHOOK_SECRET=bench-secret \
    VMEG_WEBHOOK_URL="http://127.0.0.1:$hp/webhooks/vmeg" VMEG_SANDBOX_DATA_DIR="$work/sandbox" \
    ${1:+VMEG_SANDBOX_TASK_DURATION=$1} java -cp "$jar" io.vmegcamel.sandbox.SandboxMain > "$work/sandbox.log" 2>&1 &
  pids+=($!)
  until curl -s -o /dev/null "$base/openapi/v1/tasks/list"; do sleep 0.2; done
}

# The bundle's heap, from its GC log: start java with "$GC_LOG" (each collection logged to gc.log in its working
# directory); gc_heap <dir> then prints "<most in use before a collection> / <most still live after one>" in MiB
# over the whole run. The second is the heap a file kept: flat when it does not grow with the file.
GC_LOG=-Xlog:gc:file=gc.log
gc_heap() {
  awk 'function mib(v,  u, n) { u = substr(v, length(v)); n = substr(v, 1, length(v) - 1) + 0
                                return u == "K" ? n / 1024 : u == "G" ? n * 1024 : n }
       match($0, /[0-9]+[KMG]->[0-9]+[KMG]\(/) {
         split(substr($0, RSTART, RLENGTH - 1), a, "->")
         if (mib(a[1]) > before) before = mib(a[1]); if (mib(a[2]) > after) after = mib(a[2]) }
       END { printf "%d / %d", before, after }' "$1/gc.log"
}
