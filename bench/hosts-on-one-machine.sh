#!/usr/bin/env bash
# Separate hosts on this one machine, to try --load-hosts without other machines: network namespaces
# "elserver", "elg1", "elg2", each joined to the bridge "elbr" by a veth pair on 10.212.0.0/24 (this
# machine 10.212.0.1, the server host .10, the generator hosts .11 and .12), each generator host with an
# sshd of its own and a key made here; an ssh_config names them g1 and g2. The same hosts LoadHostsIT builds.
#
#   bench/hosts-on-one-machine.sh up DIR     # build them; keys, configs and logs in DIR
#   ip netns exec elserver ./echolab serve selector --host 10.212.0.10 --port 7007 &
#   ./echolab load --host 10.212.0.10 --port 7007 --load-hosts g1,g2 --ssh-config DIR/ssh_config ...
#   bench/hosts-on-one-machine.sh down DIR   # remove them, and their sshd
#
# Needs root, iproute2 and openssh-server. Traffic stays between these namespaces and this machine.
set -euo pipefail
action="${1:-}"; dir="${2:-}"
[[ "$action" == up || "$action" == down ]] && [[ -n "$dir" ]] || { echo "usage: $0 up|down DIR" >&2; exit 2; }
[[ $EUID -eq 0 ]] || { echo "$0: needs root (network namespaces, sshd)" >&2; exit 2; }
net=10.212.0

down() {
  for pidfile in "$dir"/sshd-*.pid; do [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true; done
  for ns in elserver elg1 elg2; do
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 || true
    ip netns del "$ns" 2>/dev/null || true
  done
  ip link del elbr 2>/dev/null || true
}

if [[ "$action" == down ]]; then down; exit 0; fi

mkdir -p "$dir" /run/sshd
dir="$(cd "$dir" && pwd)"
trap 'echo "$0: failed; removing what was built" >&2; down' ERR
ip link add elbr type bridge
ip addr add "$net.1/24" dev elbr
ip link set elbr up
host() {   # host NAME N: a namespace with address net.N
  ip netns add "el$1"
  ip link add "el$2o" type veth peer name "el$2i"
  ip link set "el$2i" netns "el$1"
  ip link set "el$2o" master elbr up
  ip netns exec "el$1" ip addr add "$net.$2/24" dev "el$2i"
  ip netns exec "el$1" ip link set "el$2i" up
  ip netns exec "el$1" ip link set lo up
}
host server 10
[[ -f "$dir/id" ]] || ssh-keygen -q -t ed25519 -N '' -f "$dir/id"
[[ -f "$dir/hostkey" ]] || ssh-keygen -q -t ed25519 -N '' -f "$dir/hostkey"
cp "$dir/id.pub" "$dir/authorized_keys"
: > "$dir/ssh_config"
for g in 1 2; do
  n=$((10 + g))
  host "g$g" "$n"
  cat > "$dir/sshd-g$g.conf" <<EOF
ListenAddress $net.$n
Port 22
HostKey $dir/hostkey
PidFile $dir/sshd-g$g.pid
AuthorizedKeysFile $dir/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOF
  ip netns exec "elg$g" /usr/sbin/sshd -f "$dir/sshd-g$g.conf" -E "$dir/sshd-g$g.log"
  cat >> "$dir/ssh_config" <<EOF
Host g$g
  HostName $net.$n
  User root
  IdentityFile $dir/id
  IdentitiesOnly yes
  UserKnownHostsFile $dir/known_hosts
  StrictHostKeyChecking accept-new
  LogLevel ERROR
EOF
done
for g in 1 2; do
  for _ in $(seq 100); do ssh -F "$dir/ssh_config" -o BatchMode=yes -o ConnectTimeout=2 "g$g" true 2>/dev/null && break; sleep 0.1; done
done
echo "hosts up: server $net.10 (namespace elserver), g1 $net.11, g2 $net.12; ssh config $dir/ssh_config"
