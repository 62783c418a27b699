#!/usr/bin/env bash
# Builds the tiny test guests that stand in for the real BETaaS VM images in tests (templates *-test-<arch>):
# a Debian kernel plus a busybox initramfs whose /init prints a ready marker and a heartbeat on the serial
# console. Output (not committed):
#   <out>/x86_64/vmlinuz, <out>/x86_64/initrd.img    kernel of linux-image-*-cloud-amd64, busybox-static
#   <out>/aarch64/vmlinuz, <out>/aarch64/initrd.img  netboot kernel of debian-installer-12-netboot-arm64,
#                                                    arm64 busybox + libc taken from its initrd
# Usage: build-test-guests.sh [out-dir]   (default: the build/ folder beside this script, or $BETAAS_GUEST_DIR)
# Needs: apt-get, dpkg-deb, cpio, gzip, busybox-static (itests/host/setup installs them). No root needed except
# that apt-get download must reach the Debian mirror. Idempotent: returns at once when the guests exist.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-${BETAAS_GUEST_DIR:-$here/build}}
mkdir -p "$out"
out=$(cd "$out" && pwd)
# Bump when the guests' content changes, so existing builds are redone.
format=2

if [[ -f $out/.format && $(cat "$out/.format") == "$format" \
      && -s $out/x86_64/vmlinuz && -s $out/x86_64/initrd.img \
      && -s $out/aarch64/vmlinuz && -s $out/aarch64/initrd.img ]]; then
  echo "Test guests already built in $out"
  exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
debs=$out/debs
mkdir -p "$debs"

# apt-get download writes into the current directory; skip packages already fetched.
download() {
  local pkg=$1
  if ! compgen -G "$debs/${pkg}_*.deb" >/dev/null; then
    (cd "$debs" && apt-get download -q "$pkg" >/dev/null 2>&1) \
      || { echo "cannot download $pkg (run apt-get update, check the Debian mirror)" >&2; exit 1; }
  fi
  compgen -G "$debs/${pkg}_*.deb" | head -n1
}

# The /init of every test guest. The kind comes from the kernel command line (betaas.kind=...).
write_init() {
  cat > "$1/init" <<'EOF'
#!/bin/sh
export PATH=/bin
mkdir -p /proc /sys /dev /tmp
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
kind=unknown
for arg in $(cat /proc/cmdline); do
  case $arg in betaas.kind=*) kind=${arg#betaas.kind=} ;; esac
done
# A web application handed over by the host through QEMU's fw_cfg (x86_64 guests carry the module).
# The module finds the device through ACPI (QEMU0002) only: the kernel has no FW_CFG_SYSFS_CMDLINE, so the
# libvirt driver turns ACPI on for a domain that carries a payload.
if [ -f /lib/qemu_fw_cfg.ko ]; then insmod /lib/qemu_fw_cfg.ko 2>/dev/null; fi
app=/sys/firmware/qemu_fw_cfg/by_name/opt/org.betaas/app.war/raw
if [ -r "$app" ]; then
  echo "BETAAS-GUEST-APP bytes=$(wc -c < "$app" | tr -d ' ') sha256=$(sha256sum "$app" | cut -d' ' -f1)"
fi
echo "BETAAS-GUEST-READY kind=$kind arch=$(uname -m) uptime=$(cut -d' ' -f1 /proc/uptime)"
n=0
while true; do
  n=$((n + 1))
  echo "BETAAS-GUEST-HEARTBEAT $n uptime=$(cut -d' ' -f1 /proc/uptime)"
  sleep 2
done
EOF
  chmod 755 "$1/init"
}

# Packs a root folder into a gzip'ed newc initramfs owned by root.
pack() {
  (cd "$1" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -9) > "$2.tmp"
  mv "$2.tmp" "$2"
}

# --- x86_64 ---------------------------------------------------------------------------------------------
meta=$(download linux-image-cloud-amd64)
kpkg=$(dpkg-deb -f "$meta" Depends | tr ',' '\n' | grep -o 'linux-image-[^ ]*-cloud-amd64' | head -n1)
kdeb=$(download "$kpkg")
mkdir -p "$work/kx" "$out/x86_64"
dpkg-deb -x "$kdeb" "$work/kx"
cp "$work"/kx/boot/vmlinuz-* "$out/x86_64/vmlinuz"
root=$work/rootx
mkdir -p "$root/bin" "$root/lib"
cp "$(command -v busybox)" "$root/bin/busybox"
for applet in sh mkdir mount cat cut echo sleep uname insmod sha256sum wc tr; do ln -s busybox "$root/bin/$applet"; done
# fw_cfg driver of the same kernel (uncompressed: busybox insmod cannot read .ko.xz), for the app payload.
fwcfg=$(find "$work/kx/lib/modules" -name 'qemu_fw_cfg.ko*' | head -n1)
[[ -n $fwcfg ]] || { echo "qemu_fw_cfg module missing from $kdeb" >&2; exit 1; }
case $fwcfg in
  *.xz) xz -dc "$fwcfg" > "$root/lib/qemu_fw_cfg.ko" ;;
  *.zst) zstd -dcq "$fwcfg" > "$root/lib/qemu_fw_cfg.ko" ;;
  *) cp "$fwcfg" "$root/lib/qemu_fw_cfg.ko" ;;
esac
write_init "$root"
pack "$root" "$out/x86_64/initrd.img"

# --- aarch64 --------------------------------------------------------------------------------------------
# Debian's arm64 netboot image is an arch:all package: no foreign architecture to configure on the host.
# Its initrd carries an arm64 busybox (dynamically linked) with the libc it needs; we keep only those.
ddeb=$(download debian-installer-12-netboot-arm64)
images=./usr/lib/debian-installer/images/12/arm64/text/debian-installer/arm64
mkdir -p "$work/da" "$out/aarch64"
dpkg-deb --fsys-tarfile "$ddeb" | tar -x -C "$work/da" "$images/linux" "$images/initrd.gz"
cp "$work/da/$images/linux" "$out/aarch64/vmlinuz"
mkdir -p "$work/di"
(cd "$work/di" && zcat "$work/da/$images/initrd.gz" | cpio -id --quiet bin/busybox 'lib/*' 2>/dev/null || true)
root=$work/roota
mkdir -p "$root/bin" "$root/lib/aarch64-linux-gnu"
cp "$work/di/bin/busybox" "$root/bin/busybox"
cp -L "$work/di/lib/ld-linux-aarch64.so.1" "$root/lib/ld-linux-aarch64.so.1"
cp -L "$work/di/lib/aarch64-linux-gnu/libc.so.6" "$root/lib/aarch64-linux-gnu/libc.so.6"
for applet in sh mkdir mount cat cut echo sleep uname; do ln -s busybox "$root/bin/$applet"; done
write_init "$root"
pack "$root" "$out/aarch64/initrd.img"

echo "$format" > "$out/.format"
echo "Test guests built in $out: $(du -sh "$out/x86_64" "$out/aarch64" | awk '{print $2 "=" $1}' | xargs)"
