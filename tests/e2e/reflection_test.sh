#!/usr/bin/env bash
# Reflection alone lets a generic client use the server: `buf curl` (our
# grpcurl) lists the services and makes a unary call with no .proto file.
# Usage: reflection_test.sh FIREFIGHTERD BUF
set -euo pipefail
server="$1"
buf="$2"
if [ ! -x "$buf" ]; then
  echo "FAIL: buf not found ($buf); run: scripts/setup --with-test-tools" >&2
  exit 1
fi
dir=$(mktemp -d)
trap 'kill -9 "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
"$server" --listen 127.0.0.1:0 --db "$dir/ff.db" >"$dir/out" 2>"$dir/err" &
pid=$!
for _ in $(seq 1 100); do
  grep -q "listening on" "$dir/out" 2>/dev/null && break
  sleep 0.1
done
address=$(sed -n 's/^firefighterd listening on //p' "$dir/out")
[ -n "$address" ] || { echo "FAIL: server did not start"; cat "$dir/err"; exit 1; }
url="http://$address"
curl_grpc() { "$buf" curl --protocol grpc --http2-prior-knowledge "$@"; }

services=$(curl_grpc --list-services "$url")
echo "$services"
for s in firefighter.v1.IncidentService grpc.health.v1.Health; do
  grep -qx "$s" <<<"$services" || { echo "FAIL: $s not listed"; exit 1; }
done

opened=$(curl_grpc -d '{"title":"Checkout down","domain":"payment","severity":"SEVERITY_SEV2","reporter":"alice"}' \
  "$url/firefighter.v1.IncidentService/OpenIncident")
echo "$opened"
grep -q '"status": "STATUS_OPEN"' <<<"$opened" || { echo "FAIL: OpenIncident via reflection"; exit 1; }

health=$(curl_grpc -d '{"service":"firefighter.v1.IncidentService"}' "$url/grpc.health.v1.Health/Check")
grep -q '"status": "SERVING"' <<<"$health" || { echo "FAIL: health via reflection: $health"; exit 1; }

if bad=$(curl_grpc -d '{"title":"","domain":"payment","severity":"SEVERITY_SEV2","reporter":"a"}' \
    "$url/firefighter.v1.IncidentService/OpenIncident" 2>&1); then
  echo "FAIL: empty title was accepted"; exit 1
fi
grep -q '"code": "invalid_argument"' <<<"$bad" || { echo "FAIL: wrong error: $bad"; exit 1; }
grep -q 'title is required' <<<"$bad" || { echo "FAIL: wrong message: $bad"; exit 1; }
echo "PASS"
