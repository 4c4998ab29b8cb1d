#!/usr/bin/env bash
# Build SitMap's one-folder bundle (no Python needed to run it) with PyInstaller and pack it as
# dist/SitMap-<version>-<os>-<arch>.tar.gz with install.sh (installs under ~/.local, no root).
#   bash scripts/bundle.sh
# Environment: SITMAP_PYTHON  a Python that has SitMap's dependencies (default: set up .venv)
#              BUNDLE_OUT     where the bundle and the archive go (default: dist)
#              BUNDLE_WORK    PyInstaller's work folder (default: build/bundle)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -n "${SITMAP_PYTHON:-}" ]; then
  py=$SITMAP_PYTHON
else
  bash scripts/setup.sh
  py=$root/.venv/bin/python
fi
"$py" -c "import PyInstaller" 2>/dev/null || "$py" -m pip install -q "pyinstaller>=6.10"
out=$(mkdir -p "${BUNDLE_OUT:-dist}" && cd "${BUNDLE_OUT:-dist}" && pwd)
work=$(mkdir -p "${BUNDLE_WORK:-build/bundle}" && cd "${BUNDLE_WORK:-build/bundle}" && pwd)
version=$("$py" -c "import sys; sys.path.insert(0, '.'); import viewer; print(viewer.__version__)")
os=$(uname -s | tr '[:upper:]' '[:lower:]')
arch=$(uname -m)
name="SitMap-$version-$os-$arch"

start=$(date +%s)
rm -rf "$out/SitMap" "$out/$name"
"$py" -m PyInstaller --noconfirm --log-level WARN --distpath "$out" --workpath "$work" packaging/sitmap.spec
built=$(date +%s)

# The archive: SitMap-<version>-<os>-<arch>/{SitMap/, install.sh, README.txt}
stage="$work/stage/$name"
rm -rf "$work/stage"
mkdir -p "$stage"
cp -a "$out/SitMap" "$stage/SitMap"
cp packaging/install.sh "$stage/install.sh"
chmod 755 "$stage/install.sh"
cat > "$stage/README.txt" <<TXT
SitMap $version ($os $arch): an offline situation-map viewer. No Python needed.

  ./install.sh              installs into ~/.local (menu entry, icon, *.sitmap.geojson opens in SitMap)
  ./install.sh --uninstall  removes it again
  SitMap/sitmap [FILE]      runs it from this folder without installing
TXT
tar -C "$work/stage" -czf "$out/$name.tar.gz" "$name"
rm -rf "$work/stage"
packed=$(du -sb "$out/$name.tar.gz" | cut -f1)
unpacked=$(du -sb "$out/SitMap" | cut -f1)
echo "bundle: $out/SitMap (unpacked $((unpacked / 1048576)) MiB)"
echo "archive: $out/$name.tar.gz (packed $((packed / 1048576)) MiB)"
echo "build time: $((built - start)) s (PyInstaller), $(( $(date +%s) - start )) s with packing"
