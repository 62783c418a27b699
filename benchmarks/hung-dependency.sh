#!/usr/bin/env bash
# A gateway whose cloud or hypervisor hangs: boots each given distribution joined to an instance on a local
# mosquitto, makes the dependency hang, times the shell and REST calls that look at it (one after the other) and
# counts the gateway's statuses on the instance bus (its peers take it for offline after 15 s without one).
#   cloud     the OpenStack cloud at an endpoint on 127.0.0.1 that accepts connections and never answers (a cloud
#             behind a dead WAN link), requestTimeoutSeconds as shipped
#   libvirtd  this host's libvirtd (qemu:///system) stopped with SIGSTOP once the gateway runs (a hung libvirtd);
#             needs root, and resumes it (SIGCONT) at the end, timing how soon the gateway sees the hypervisor again
#   postgres  the Big Data database (jdbc.url) a PostgreSQL URL at that silent endpoint from the start (a hung
#             server, or a proxy whose backend is gone); also lists the components that did not come up
# Usage: benchmarks/hung-dependency.sh cloud|libvirtd|postgres [TARBALL...]   (default: assembly/target's)
# A call gets LIMIT seconds (default 900) and is reported as unanswered after that.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:?usage: benchmarks/hung-dependency.sh cloud|libvirtd|postgres [TARBALL...]}
shift
[[ $mode =~ ^(cloud|libvirtd|postgres)$ ]] || { echo "mode must be cloud, libvirtd or postgres, not '$mode'" >&2; exit 2; }
tarballs=("$@")
limit=${LIMIT:-900}
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
resume_libvirtd() { [[ $mode != libvirtd ]] || pkill -CONT -x libvirtd || true; }
trap 'resume_libvirtd; pkill -9 -f "karaf.base=$work" || true; kill $silent 2>/dev/null || true; rm -rf "$work"' EXIT
if [[ $mode == libvirtd ]]; then
  pgrep -x libvirtd >/dev/null || { echo "libvirtd does not run (itests/host/setup starts it)" >&2; exit 2; }
fi

shell() { echo "$1" | "$home/bin/client" -a "$ssh_port" -b 2>/dev/null; }

for tarball in "${tarballs[@]}"; do
  rm -rf "$work"/gw && mkdir -p "$work"/gw && tar xzf "$tarball" -C "$work"/gw --strip-components=1
  home="$work/gw"
  if [[ $mode == cloud ]]; then
    sed -i "s|^authUrl =.*|authUrl = http://127.0.0.1:$cloud_port/v3|; s|^user =.*|user = demo|;
            s|^password =.*|password = secret|; s|^project =.*|project = demo|" "$home/etc/org.betaas.vm.openstack.cfg"
  fi
  if [[ $mode == postgres ]]; then
    sed -i "s|^jdbc.url =.*|jdbc.url = jdbc:postgresql://127.0.0.1:$cloud_port/betaas|; s|^jdbc.user =.*|jdbc.user = betaas|;
            s|^jdbc.password =.*|jdbc.password = secret|" "$home/etc/org.betaas.bigdata.cfg"
  fi
  sed -i "s|^broker.url =.*|broker.url = tcp://127.0.0.1:$bus_port|;
          s|^instance.key =.*|instance.key = hung-dependency-benchmark|" "$home/etc/org.betaas.instance.cfg"
  sed -i "s|^sshPort.*|sshPort = $ssh_port|" "$home/etc/org.apache.karaf.shell.cfg"
  echo "org.osgi.service.http.port = $http_port" >> "$home/etc/org.ops4j.pax.web.cfg"
  echo "== $tarball ($mode hangs)"
  mosquitto -p "$bus_port" >/dev/null 2>&1 &
  broker=$!
  sleep 0.5
  "$home/bin/karaf" daemon >/dev/null 2>&1 &
  booting=$(date +%s)
  until shell betaas:gateway-info | grep -q '^Gateway '; do
    if (( $(date +%s) - booting > 120 )); then
      echo "betaas:gateway-info did not answer in 120 s after the start: $(shell betaas:gateway-info | grep -v JAVA_HOME | head -1)"
      break
    fi
    sleep 0.5
  done
  pid=$(pgrep -f "karaf.base=$home" | head -1)
  [[ $mode != libvirtd ]] || pkill -STOP -x libvirtd
  stdbuf -oL mosquitto_sub -R -p "$bus_port" -t 'betaas/+/gateways/+/status' -F '%U' > "$work/statuses" &
  sub=$!
  started=$(date +%s)
  for c in 'betaas:gateway-info' 'betaas:cloud-info' 'betaas:placement-explain service' 'betaas:vm-list'; do
    s=$(date +%s.%N); rc=0
    timeout "$limit" bash -c "echo '$c' | '$home/bin/client' -a $ssh_port -b" >/dev/null 2>&1 || rc=$?
    printf '%-36s %6.1f s (bin/client included)%s\n' "$c" "$(echo "$(date +%s.%N) - $s" | bc)" \
      "$( ((rc != 124)) || echo ': NO ANSWER')"
  done
  for p in gateway vms; do
    rc=0; t=$(curl -s -o /dev/null -m "$limit" -w '%{time_total} s, HTTP %{http_code}' -u karaf:karaf \
      "http://127.0.0.1:$http_port/betaas/api/v1/$p") || rc=$?
    printf '%-36s %s%s\n' "GET /betaas/api/v1/$p" "$t" "$( ((rc != 28)) || echo ': NO ANSWER')"
  done
  if [[ $mode == postgres ]]; then
    s=$(date +%s.%N); rc=0
    timeout "$limit" bash -c "echo betaas:bigdata-info | '$home/bin/client' -a $ssh_port -b" >/dev/null 2>&1 || rc=$?
    printf '%-36s %6.1f s (bin/client included)%s\n' "betaas:bigdata-info" "$(echo "$(date +%s.%N) - $s" | bc)" \
      "$( ((rc != 124)) || echo ': NO ANSWER')"
    echo "BETaaS bundles not Active: $(shell bundle:list | awk -F' *[|] *' '/BETaaS/ && !/Hosts:/ && $2 != "Active" {print $5}' \
      | sed 's/^BETaaS :: //' | paste -sd, -)"
  fi
  sleep 60
  kill $sub
  # the retained status the subscription starts with was published before the hang: not counted
  awk -v t=$(( $(date +%s) - started )) -v s="$started" '$1>=s{n++; if(p)g=$1-p; else g=$1-s; if(g>m)m=g; p=$1}
    END{printf "instance statuses published            %d in %d s", n, t; if(n) printf ", longest gap %.1f s", m; print ""}' \
    "$work/statuses"
  if [[ $mode == libvirtd ]]; then
    s=$(date +%s.%N); pkill -CONT -x libvirtd
    until timeout "$limit" bash -c "echo betaas:gateway-info | '$home/bin/client' -a $ssh_port -b 2>/dev/null" \
        | grep -q 'libvirt.*: reachable'; do
      kill -0 "$pid" 2>/dev/null || { cp "$home"/hs_err* . 2>/dev/null; echo "THE GATEWAY DIED (crash log: ./hs_err*)"; exit 1; }
      sleep 0.5
    done
    printf '%-36s %6.1f s (polled with bin/client)\n' "libvirt reachable again after SIGCONT" \
      "$(echo "$(date +%s.%N) - $s" | bc)"
  fi
  "$home/bin/stop" >/dev/null 2>&1 || true
  for i in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
  kill $broker
done
