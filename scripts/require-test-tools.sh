#!/usr/bin/env bash
# The machine tools `npm test` needs beyond Node, Java and Maven: Chromium (admin console browser tests),
# promtool and Prometheus, amtool and Alertmanager (alert rule and alerting tests) and kubectl (renders deploy/k8s), all Debian packages. Installed when running as root with apt-get
# (INSTALL_TEST_TOOLS=never turns that off); otherwise stops naming what to install.
set -euo pipefail
missing=()
command -v "${CHROMIUM_PATH:-chromium}" >/dev/null 2>&1 || missing+=(chromium)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus) # Debian's prometheus package ships promtool
command -v amtool >/dev/null 2>&1 && command -v prometheus-alertmanager >/dev/null 2>&1 || missing+=(prometheus-alertmanager)
command -v kubectl >/dev/null 2>&1 || missing+=(kubernetes-client)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "${INSTALL_TEST_TOOLS:-auto}" != never ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "test tools: installing ${missing[*]} (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
echo "npm test needs the Debian packages: ${missing[*]} (chromium: browser tests; prometheus: promtool; prometheus-alertmanager: amtool and Alertmanager; kubernetes-client: kubectl)." >&2
echo "Install them, e.g.: sudo apt-get install -y ${missing[*]}" >&2
exit 1
