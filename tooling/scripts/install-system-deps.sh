#!/usr/bin/env bash
# System packages the test suite uses, from Debian's own registry (idempotent; needs root, as on CI machines):
# - Mesa 25 Vulkan drivers from bookworm-backports: Dawn (the `webgpu` package) finds a software adapter with
#   them, so the tfjs WebGPU path is selected and tested (Debian 12's Mesa 22 is rejected by Dawn).
# - Chromium: report.html rendering tests drive it with playwright-core.
set -euo pipefail
if [ "$(id -u)" != "0" ]; then
  echo "install-system-deps: not root; skipping (WebGPU and browser tests will report themselves as skipped)"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
needs_update=0
if ! grep -rqs "bookworm-backports" /etc/apt/sources.list /etc/apt/sources.list.d/; then
  echo "deb http://deb.debian.org/debian bookworm-backports main" > /etc/apt/sources.list.d/bookworm-backports.list
  needs_update=1
fi
installed_mesa=$(dpkg-query -W -f='${Version}' mesa-vulkan-drivers 2>/dev/null || true)
if [ "${installed_mesa%%.*}" != "25" ] || ! dpkg-query -W chromium >/dev/null 2>&1; then needs_update=1; fi
if [ "$needs_update" = "1" ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends -t bookworm-backports mesa-vulkan-drivers libvulkan1 >/dev/null
  apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
echo "mesa-vulkan-drivers $(dpkg-query -W -f='${Version}' mesa-vulkan-drivers), chromium $(dpkg-query -W -f='${Version}' chromium)"
