#!/usr/bin/env bash
# A gateway whose OpenStack cloud hangs (accepts connections, never answers: what a cloud behind a dead WAN link
# often does): boots each given distribution with its cloud at such an endpoint on 127.0.0.1 (requestTimeoutSeconds
# as shipped) and joined to an instance on a local mosquitto, then times the shell and REST calls that look at the
# cloud and counts the gateway's statuses on the instance bus (peers take a gateway for offline after 15 s without).
# Usage: benchmarks/unreachable-cloud.sh [TARBALL...]   (default: the distribution built in assembly/target)
set -euo pipefail
cd "$(dirname "$0")/.."
tarballs=("$@")
((${#tarballs[@]})) || tarballs=(assembly/target/betaas-gateway-*.tar.gz)
work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cloud_port=$(free_port); bus_port=$(free_port); ssh_port=$(free_port); http_port=$(free_port)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(100)
held = []
while True:
    held.append(s.accept()[0])  # accepted, never answered
' "$cloud_port" &
silent=$!
trap 'pkill -9 -f "karaf.base=$work" || true; kill $silent 2>/dev/null || true; rm -rf "$work"' EXIT

for tarball in "${tarballs[@]}"; do
  rm -rf "$work"/gw && mkdir -p "$work"/gw && tar xzf "$tarball" -C "$work"/gw --strip-components=1
  home="$work/gw"
  sed -i "s|^authUrl =.*|authUrl = http://127.0.0.1:$cloud_port/v3|; s|^user =.*|user = demo|;
          s|^password =.*|password = secret|; s|^project =.*|project = demo|" "$home/etc/org.betaas.vm.openstack.cfg"
  sed -i "s|^broker.url =.*|broker.url = tcp://127.0.0.1:$bus_port|;
          s|^instance.key =.*|instance.key = unreachable-cloud-benchmark|" "$home/etc/org.betaas.instance.cfg"
  sed -i "s|^sshPort.*|sshPort = $ssh_port|" "$home/etc/org.apache.karaf.shell.cfg"
  echo "org.osgi.service.http.port = $http_port" >> "$home/etc/org.ops4j.pax.web.cfg"
  mosquitto -p "$bus_port" >/dev/null 2>&1 &
  broker=$!
  sleep 0.5
  stdbuf -oL mosquitto_sub -p "$bus_port" -t 'betaas/+/gateways/+/status' -F '%U' > "$work/statuses" &
  sub=$!
  "$home/bin/karaf" daemon >/dev/null 2>&1 &
  until echo betaas:gateway-info | "$home/bin/client" -a "$ssh_port" -b 2>/dev/null | grep -q '^Gateway '; do sleep 0.5; done
  started=$(date +%s)
  echo "== $tarball"
  for c in 'betaas:gateway-info' 'betaas:cloud-info' 'betaas:placement-explain service' 'betaas:vm-list'; do
    s=$(date +%s.%N); echo "$c" | "$home/bin/client" -a "$ssh_port" -b >/dev/null 2>&1 || true; e=$(date +%s.%N)
    printf '%-36s %6.1f s (bin/client included)\n' "$c" "$(echo "$e - $s" | bc)"
  done
  for p in gateway vms; do
    printf '%-36s %6.2f s\n' "GET /betaas/api/v1/$p" "$(curl -s -o /dev/null -m 900 -w '%{time_total}' -u karaf:karaf \
      "http://127.0.0.1:$http_port/betaas/api/v1/$p")"
  done
  sleep 60
  kill $sub
  awk -v t=$(( $(date +%s) - started )) 'NR>1{g=$1-p; if(g>m)m=g} {p=$1}
    END{printf "instance statuses published            %d in %d s, longest gap %.1f s\n", NR, t, m}' "$work/statuses"
  pid=$(pgrep -f "karaf.base=$home" | head -1)
  "$home/bin/stop" >/dev/null 2>&1 || true
  for i in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  kill $broker
done
