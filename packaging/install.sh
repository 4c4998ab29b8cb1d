#!/bin/sh
# Install SitMap from this unpacked archive into your home folder (no root needed):
#   ~/.local/lib/sitmap/SitMap/   the program (PREFIX/lib/sitmap with PREFIX=... to choose)
#   ~/.local/bin/sitmap           a link to start it from a terminal
#   the menu entry, icons and the *.sitmap.geojson file type (sitmap --install-desktop)
# ./install.sh --uninstall removes all of it again.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=${PREFIX:-$HOME/.local}
lib="$prefix/lib/sitmap"
bin="$prefix/bin"

if [ "${1:-}" = "--uninstall" ]; then
  if [ -x "$lib/SitMap/sitmap" ]; then
    "$lib/SitMap/sitmap" --uninstall-desktop || true
  fi
  if [ -L "$bin/sitmap" ] && [ "$(readlink "$bin/sitmap")" = "$lib/SitMap/sitmap" ]; then
    rm -f "$bin/sitmap"
  fi
  rm -rf "$lib"
  echo "SitMap removed from $prefix."
  exit 0
fi

if [ ! -x "$here/SitMap/sitmap" ]; then
  echo "install.sh: $here/SitMap/sitmap not found; run install.sh from the unpacked archive" >&2
  exit 1
fi
mkdir -p "$lib" "$bin"
rm -rf "$lib/SitMap.new"
cp -a "$here/SitMap" "$lib/SitMap.new"
rm -rf "$lib/SitMap"
mv "$lib/SitMap.new" "$lib/SitMap"
ln -sfn "$lib/SitMap/sitmap" "$bin/sitmap"
"$lib/SitMap/sitmap" --install-desktop
echo "SitMap installed: start it from the applications menu, or run $bin/sitmap"
case ":$PATH:" in
  *":$bin:"*) ;;
  *) echo "(add $bin to PATH to start it by typing sitmap)" ;;
esac
