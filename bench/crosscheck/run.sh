#!/usr/bin/env bash
# A second opinion on `npm run bench`'s comparison with static @fastify/cors, measured the way
# issue 13's outside run did and sharing no code with the benchmark: corsmesh both ways that run
# measured it, as `npm start` runs it (the launcher: embedded PostgreSQL unless DATABASE_URL is
# set, gateway and admin in one process) and as `npm run start:gateway` does (the gateway alone,
# on the launcher's database), LOG_LEVEL=warn, its tenants imported through the admin API, the peers of
# peer.mjs, Debian's wrk, and each server's CPU time read from /proc/<pid>/stat (utime + stime)
# around each measurement, divided by the requests wrk counted. Servers are measured back to
# back in paired rounds, their order rotated every round; the result is the median over the
# rounds of each round's ratio corsmesh / static (CPU time swings by a quarter between rounds on a
# shared VM; a ratio within one round does not).
#
#   npm run build && bash bench/crosscheck/run.sh
#   CROSSCHECK_ROUNDS=5 CROSSCHECK_DURATION=4 CROSSCHECK_CONNECTIONS=10 bash bench/crosscheck/run.sh
#
# CROSSCHECK_IN_PROCESS=1 measures a fifth server: the static peers inside start:gateway's
# process (in-process-peer.mjs), to tell what the gateway's process costs the same app from what
# the gateway does per request.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${CROSSCHECK_ROUNDS:-5}
DURATION=${CROSSCHECK_DURATION:-4}
CONNECTIONS=${CROSSCHECK_CONNECTIONS:-10}
IN_PROCESS=${CROSSCHECK_IN_PROCESS:-0}
DATA_DIR=${CROSSCHECK_DATA_DIR:-.data/crosscheck}
LAUNCHER_PORT=3300 ADMIN_PORT=3301 BARE_PORT=3302 SIMPLE_PORT=3303 CREDENTIALED_PORT=3304 GATEWAY_PORT=3305 POSTGRES_PORT=54340
IN_PROCESS_SIMPLE_PORT=3307 IN_PROCESS_CREDENTIALED_PORT=3308
CLOCK_TICKS=$(getconf CLK_TCK)

command -v wrk > /dev/null || { echo "crosscheck: wrk is missing (apt-get install wrk)" >&2; exit 1; }
[ -f dist/apps/launcher/src/main.js ] || { echo "crosscheck: no build (run npm run build first)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
stop_servers() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2> /dev/null || true; done
  pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT

# Waits until a URL answers at all (any status), for at most $2 seconds.
wait_for() {
  for _ in $(seq $(($2 * 10))); do
    curl -s -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "crosscheck: nothing answered at $1 within $2 s" >&2
  return 1
}

# Every server in a new process each round: V8 compiles some of Node's own HTTP code into a
# slow form in some processes and not others, for minutes (bench/README.md, "V8's slow state"),
# so processes kept for the whole run would compare one draw of that lottery per server.
start_servers() {
  DATA_DIR=$DATA_DIR PORT=$LAUNCHER_PORT ADMIN_PORT=$ADMIN_PORT EMBEDDED_POSTGRES_PORT=$POSTGRES_PORT LOG_LEVEL=warn \
    node dist/apps/launcher/src/main.js > "$work/corsmesh.log" 2>&1 &
  launcher=$!
  node bench/crosscheck/peer.mjs $BARE_PORT bare & bare=$!
  node bench/crosscheck/peer.mjs $SIMPLE_PORT simple & static_simple=$!
  node bench/crosscheck/peer.mjs $CREDENTIALED_PORT credentialed & static_credentialed=$!
  pids+=("$launcher" "$bare" "$static_simple" "$static_credentialed")
  wait_for "http://127.0.0.1:$ADMIN_PORT/api/v1/tenants" 180 || { cat "$work/corsmesh.log" >&2; exit 1; }
  for port in $LAUNCHER_PORT $BARE_PORT $SIMPLE_PORT $CREDENTIALED_PORT; do wait_for "http://127.0.0.1:$port/" 30; done
  local database_url=${DATABASE_URL:-$(node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    console.log(`postgresql://${encodeURIComponent(r.user)}:${encodeURIComponent(r.password)}@127.0.0.1:${process.argv[2]}/corsmesh`)' \
    "$DATA_DIR/embedded-postgres.json" $POSTGRES_PORT)}
  local in_process=()
  [ "$IN_PROCESS" = 1 ] && in_process=(--import ./bench/crosscheck/in-process-peer.mjs)
  DATABASE_URL=$database_url PORT=$GATEWAY_PORT LOG_LEVEL=warn \
    CROSSCHECK_IN_PROCESS_PEERS=$IN_PROCESS_SIMPLE_PORT:simple,$IN_PROCESS_CREDENTIALED_PORT:credentialed \
    node "${in_process[@]}" dist/apps/gateway/src/main.js > "$work/gateway.log" 2>&1 &
  gateway=$!
  pids+=("$gateway")
  wait_for "http://127.0.0.1:$GATEWAY_PORT/" 60 || { cat "$work/gateway.log" >&2; exit 1; }
  STATIC_PID=([simple]=$static_simple [credentialed]=$static_credentialed)
}

echo "starting corsmesh (data in $DATA_DIR) and the peers"
declare -A STATIC_PID
start_servers
echo "importing bench/crosscheck/tenants.yaml through the admin API"
curl -sS --fail-with-body -o "$work/import.json" -X POST "http://127.0.0.1:$ADMIN_PORT/api/v1/import?format=corsmesh&dryRun=false" \
  -H "authorization: Bearer $(cat "$DATA_DIR/admin-token")" -H 'content-type: application/yaml' \
  --data-binary @bench/crosscheck/tenants.yaml || { cat "$work/import.json" >&2; exit 1; }

# policy → origin sent, preflight method and headers, static peer's port
declare -A ORIGIN=([simple]=https://app.simple.example.com [credentialed]=https://app.example.com)
declare -A PREFLIGHT_METHOD=([simple]=POST [credentialed]=PUT)
declare -A STATIC_PORT=([simple]=$SIMPLE_PORT [credentialed]=$CREDENTIALED_PORT)
declare -A IN_PROCESS_PORT=([simple]=$IN_PROCESS_SIMPLE_PORT [credentialed]=$IN_PROCESS_CREDENTIALED_PORT)

# The curl (or wrk) arguments of one request: policy, kind (actual | preflight), port.
request_args() {
  local args=(-H "Origin: ${ORIGIN[$1]}")
  [ "$2" = preflight ] && args+=(-H "Access-Control-Request-Method: ${PREFLIGHT_METHOD[$1]}" -H 'Access-Control-Request-Headers: content-type')
  printf '%s\n' "${args[@]}" "http://127.0.0.1:$3/t/crosscheck-$1/echo"
}

# The CORS answer of both sides must be the same before their costs are compared.
echo "the CORS headers each side sends (static, then corsmesh's gateway)"
for policy in simple credentialed; do
  for kind in actual preflight; do
    method=GET; [ "$kind" = preflight ] && method=OPTIONS
    for port in ${STATIC_PORT[$policy]} $LAUNCHER_PORT; do
      mapfile -t args < <(request_args "$policy" "$kind" "$port")
      curl -s -o /dev/null -D - -X $method "${args[@]}" | tr -d '\r' | grep -i '^access-control-\|^HTTP/' | sort | tr '\n' ' ' > "$work/answer-$port"
      echo "  $policy $kind: $(cat "$work/answer-$port")"
    done
    if ! diff -q <(grep -io 'access-control-allow-origin: [^ ]*' "$work/answer-${STATIC_PORT[$policy]}") \
                 <(grep -io 'access-control-allow-origin: [^ ]*' "$work/answer-$LAUNCHER_PORT") > /dev/null; then
      echo "crosscheck: the two sides disagree on $policy $kind" >&2
      exit 1
    fi
  done
done

cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk's load on one server: policy, kind, port, seconds; wrk's report on stdout.
load() {
  local script=() args
  [ "$2" = preflight ] && script=(-s bench/crosscheck/options.lua)
  mapfile -t args < <(request_args "$1" "$2" "$3")
  wrk -t1 -c"$CONNECTIONS" -d"$4s" "${script[@]}" "${args[@]}"
}

# One measurement: prints "<req/s> <server CPU µs per request> <wrk's CPU share of both>".
measure() {
  local policy=$1 kind=$2 port=$3 pid=$4 before after
  load "$policy" "$kind" "$port" 1 > /dev/null # warm-up, not counted
  before=$(cpu_ticks "$pid")
  TIMEFORMAT='%U %S'
  { time load "$policy" "$kind" "$port" "$DURATION" > "$work/wrk.out"; } 2> "$work/wrk.time"
  after=$(cpu_ticks "$pid")
  if grep -q 'Non-2xx\|Socket errors' "$work/wrk.out"; then
    echo "crosscheck: $policy $kind on port $port: $(grep 'Non-2xx\|Socket errors' "$work/wrk.out")" >&2
    exit 1
  fi
  awk -v before="$before" -v after="$after" -v ticks="$CLOCK_TICKS" -v wrk_time="$(cat "$work/wrk.time")" '
    / requests in / { requests = $1 }
    /^Requests\/sec:/ { rps = $2 }
    END {
      split(wrk_time, t, " "); server = (after - before) / ticks; generator = t[1] + t[2]
      printf "%.0f %.1f %.1f\n", rps, server * 1e6 / requests, 100 * generator / (server + generator)
    }' "$work/wrk.out"
}

echo "$ROUNDS paired rounds of ${DURATION} s per server, $CONNECTIONS connections, every server started anew each round"
servers=(bare static npm-start start-gateway)
[ "$IN_PROCESS" = 1 ] && servers+=(static-in-gateway)
: > "$work/results"
for round in $(seq "$ROUNDS"); do
  [ "$round" = 1 ] || { stop_servers; start_servers; }
  # New processes: every server runs every case once first, uncounted, for the JIT.
  for policy in simple credentialed; do
    for kind in actual preflight; do
      ports=($BARE_PORT ${STATIC_PORT[$policy]} $LAUNCHER_PORT $GATEWAY_PORT)
      [ "$IN_PROCESS" = 1 ] && ports+=(${IN_PROCESS_PORT[$policy]})
      for port in "${ports[@]}"; do load "$policy" "$kind" "$port" 1 > /dev/null; done
    done
  done
  for policy in simple credentialed; do
    for kind in actual preflight; do
      for index in "${!servers[@]}"; do
        server=${servers[$(((index + round) % ${#servers[@]}))]}
        case $server in
          bare) port=$BARE_PORT pid=$bare ;;
          static) port=${STATIC_PORT[$policy]} pid=${STATIC_PID[$policy]} ;;
          npm-start) port=$LAUNCHER_PORT pid=$launcher ;;
          start-gateway) port=$GATEWAY_PORT pid=$gateway ;;
          static-in-gateway) port=${IN_PROCESS_PORT[$policy]} pid=$gateway ;;
        esac
        result=$(measure "$policy" "$kind" "$port" "$pid")
        read -r rps cpu share <<< "$result"
        echo "$round $policy $kind $server $rps $cpu $share" >> "$work/results"
      done
      echo "  round $round, $policy $kind: $(awk -v r="$round" -v p="$policy" -v k="$kind" '$1 == r && $2 == p && $3 == k { printf "%s %s req/s %s µs  ", $4, $5, $6 }' "$work/results")"
    done
  done
done

echo
# Each row: one server against another, median over the rounds of the per-round ratio.
pairs="npm-start:static start-gateway:static"
[ "$IN_PROCESS" = 1 ] && pairs+=" static-in-gateway:static start-gateway:static-in-gateway"
printf '%-24s %-36s %9s %10s %10s %10s %12s %12s %14s\n' case 'measured ÷ reference' 'bare µs' 'ref. µs' 'meas. µs' 'CPU ratio' '(rounds)' 'req/s ratio' 'wrk CPU share'
awk -v pairs="$pairs" -v servers=${#servers[@]} '
  function median(list, n,   sorted, i, j, tmp) {
    for (i = 1; i <= n; i++) sorted[i] = list[i]
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (sorted[j] < sorted[i]) { tmp = sorted[i]; sorted[i] = sorted[j]; sorted[j] = tmp }
    return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
  }
  { key = $2 " " $3; rps[key, $4, $1] = $5; cpu[key, $4, $1] = $6; share[key] += $7; seen[key] = 1; if ($1 > rounds) rounds = $1 }
  END {
    count = split(pairs, pair, " ")
    for (key in seen) for (p = 1; p <= count; p++) {
      split(pair[p], side, ":"); measured = side[1]; reference = side[2]
      lowest = 1e9; highest = 0
      for (r = 1; r <= rounds; r++) {
        ratios[r] = cpu[key, measured, r] / cpu[key, reference, r]; rates[r] = rps[key, measured, r] / rps[key, reference, r]
        if (ratios[r] < lowest) lowest = ratios[r]; if (ratios[r] > highest) highest = ratios[r]
        b[r] = cpu[key, "bare", r]; ref[r] = cpu[key, reference, r]; m[r] = cpu[key, measured, r]
      }
      printf "%-24s %-36s %9.1f %10.1f %10.1f %9.3f× %5.2f–%.2f %11.3f× %13.1f%%\n", key, measured " ÷ " reference, median(b, rounds), median(ref, rounds), median(m, rounds),
        median(ratios, rounds), lowest, highest, median(rates, rounds), share[key] / (servers * rounds)
    }
  }' "$work/results" | sort
