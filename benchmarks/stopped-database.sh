#!/usr/bin/env bash
# A Big Data database that stops answering while the gateway uses it: a throwaway PostgreSQL cluster (Debian's
# postgresql package, as the unit tests use it) is the gateway's jdbc.url; once the Big Data Manager has it open, the
# server and its backends are stopped with SIGSTOP (what a hung server, or one behind a network that drops packets,
# looks like: connections stay open, nothing answers). Then three `betaas:bigdata-info` at once (an operator and
# two web console tabs) and three `GET /bigdata` one after the other are timed; then SIGCONT, and the time until
# betaas:bigdata-info shows no problem again; last, bin/stop with the server stopped again. Each given
# distribution in turn, on the same cluster.
# Usage: benchmarks/stopped-database.sh [TARBALL...]   (default: assembly/target's; needs root or a postgres user)
# A call gets LIMIT seconds (default 300) and is reported as unanswered after that.
set -euo pipefail
cd "$(dirname "$0")/.."
tarballs=("$@")
limit=${LIMIT:-300}
((${#tarballs[@]})) || tarballs=(assembly/target/betaas-gateway-*.tar.gz)
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[[ -x $bin/initdb ]] || { echo "no PostgreSQL server under /usr/lib/postgresql (itests/host/setup installs it)" >&2; exit 2; }
work=$(mktemp -d)
as=(); [[ $(id -u) != 0 ]] || { as=(runuser -u postgres --); chown postgres "$work"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pg_port=$(free_port); ssh_port=$(free_port); http_port=$(free_port)
postmaster() { head -1 "$work/pg/postmaster.pid"; }
signal_pg() { local p; p=$(postmaster); kill -s "$1" "$p" $(pgrep -P "$p") 2>/dev/null || true; }
cleanup() {
  [[ ! -f $work/pg/postmaster.pid ]] || { signal_pg CONT; "${as[@]}" "$bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true; }
  pkill -9 -f "karaf.base=$work" || true
  rm -rf "$work"
}
trap cleanup EXIT
"${as[@]}" "$bin/initdb" -D "$work/pg" -U betaas -A trust -E UTF8 --no-sync >/dev/null
"${as[@]}" "$bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w -o "-p $pg_port -k $work -c listen_addresses=127.0.0.1" start >/dev/null
"${as[@]}" "$bin/psql" -h 127.0.0.1 -p "$pg_port" -U betaas -d postgres -qc 'CREATE DATABASE betaas'

client() { timeout "$limit" "$home/bin/client" -a "$ssh_port" -b 2>/dev/null; }
timed_info() {
  local s rc=0 out
  s=$(date +%s.%N)
  out=$(echo betaas:bigdata-info | client) || rc=$?
  printf '%-34s %6.1f s%s %s\n' "betaas:bigdata-info ($1)" "$(echo "$(date +%s.%N) - $s" | bc)" \
    "$( ((rc != 124)) || echo ': NO ANSWER')" "$(grep -m1 '^Problem:' <<<"$out" | cut -c1-150)"
}

for tarball in "${tarballs[@]}"; do
  rm -rf "$work"/gw && mkdir -p "$work"/gw && tar xzf "$tarball" -C "$work"/gw --strip-components=1
  home="$work/gw"
  sed -i "s|^jdbc.url =.*|jdbc.url = jdbc:postgresql://127.0.0.1:$pg_port/betaas|; s|^jdbc.user =.*|jdbc.user = betaas|" \
    "$home/etc/org.betaas.bigdata.cfg"
  sed -i "s|^sshPort.*|sshPort = $ssh_port|" "$home/etc/org.apache.karaf.shell.cfg"
  echo "org.osgi.service.http.port = $http_port" >> "$home/etc/org.ops4j.pax.web.cfg"
  echo "== $tarball"
  "$home/bin/karaf" daemon >/dev/null 2>&1 &
  booting=$(date +%s)
  # open, and the simulated things' measurements stored in it
  until echo betaas:bigdata-info | client | grep -Eq '^Rows +[1-9]'; do
    (( $(date +%s) - booting < 120 )) || { echo "the Big Data database was not in use 120 s after the start"; exit 1; }
    sleep 0.5
  done
  pid=$(pgrep -f "karaf.base=$home" | head -1)
  signal_pg STOP
  calls=()
  for i in 1 2 3; do timed_info "$i of 3 at once" & calls+=($!); done
  wait "${calls[@]}" # not the gateway: bin/karaf daemon is a child of this script too
  for i in 1 2 3; do
    rc=0; t=$(curl -s -o /dev/null -m "$limit" -w '%{time_total} s, HTTP %{http_code}' -u karaf:karaf \
      "http://127.0.0.1:$http_port/betaas/api/v1/bigdata") || rc=$?
    printf '%-34s %s%s\n' "GET /betaas/api/v1/bigdata ($i)" "$t" "$( ((rc != 28)) || echo ': NO ANSWER')"
  done
  s=$(date +%s.%N)
  signal_pg CONT
  until out=$(echo betaas:bigdata-info | client) && grep -Eq '^Rows +[1-9]' <<<"$out" && ! grep -q '^Problem:' <<<"$out"; do
    (( $(echo "$(date +%s.%N) - $s < $limit" | bc) )) || { echo "still a problem $limit s after SIGCONT: $(grep -m1 '^Problem:' <<<"$out")"; break; }
    sleep 0.5
  done
  printf '%-34s %6.1f s (polled with bin/client)\n' "no problem shown after SIGCONT" "$(echo "$(date +%s.%N) - $s" | bc)"
  # stopping the gateway while the server does not answer
  signal_pg STOP
  s=$(date +%s.%N)
  "$home/bin/stop" >/dev/null 2>&1 || true
  for i in $(seq 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  printf '%-34s %6.1f s%s\n' "bin/stop (server stopped again)" "$(echo "$(date +%s.%N) - $s" | bc)" \
    "$(! kill -0 "$pid" 2>/dev/null || echo ': STILL RUNNING after 120 s, killed')"
  kill -9 "$pid" 2>/dev/null || true
  signal_pg CONT
done
