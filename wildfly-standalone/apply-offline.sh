#!/usr/bin/env bash
# Applies a CLI script to a WildFly installation that is NOT running
# (jboss-cli embed-server on standalone-ha.xml). Used by `mvn package` on
# target/wildfly; an operator can use it the same way on a stopped server.
#
#   apply-offline.sh JBOSS_HOME [CLI_FILE] [SERVER_CONFIG]
#     CLI_FILE       default: configure-callpark.cli next to this script
#     SERVER_CONFIG  default: standalone-ha.xml
#
# Idempotent: a marker in standalone/configuration records the SHA-256 of the
# script last applied. Same script -> nothing to do. Changed script -> the
# config saved before the first run (SERVER_CONFIG.stock) is restored and the
# new script is applied to it, so a build never applies a script twice to one
# config. (That restore is meant for configure scripts; it drops any other
# change made to the config since the first run.)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
jboss_home=${1:?usage: apply-offline.sh JBOSS_HOME [CLI_FILE] [SERVER_CONFIG]}
cli_file=${2:-$here/configure-callpark.cli}
server_config=${3:-standalone-ha.xml}

config_dir=$jboss_home/standalone/configuration
config=$config_dir/$server_config
stock=$config.stock
marker=$config_dir/.$server_config.$(basename "$cli_file").applied

[[ -f $config ]] || { echo "apply-offline: no $config" >&2; exit 1; }
sum=$(sha256sum "$cli_file" | cut -d' ' -f1)

if [[ -f $marker ]]; then
    if [[ $(cat "$marker") == "$sum" ]]; then
        echo "apply-offline: $(basename "$cli_file") already applied to $server_config"
        exit 0
    fi
    [[ -f $stock ]] || { echo "apply-offline: script changed but $stock is missing; start from a fresh server" >&2; exit 1; }
    echo "apply-offline: $(basename "$cli_file") changed; re-applying to the stock $server_config"
    cp "$stock" "$config"
else
    [[ -f $stock ]] || cp "$config" "$stock"
fi

# embed-server + the script + stop, as one CLI file
tmp=$(mktemp --suffix=.cli)
trap 'rm -f "$tmp"' EXIT
{
    echo "embed-server --server-config=$server_config --std-out=discard"
    cat "$cli_file"
    echo
    echo "stop-embedded-server"
} >"$tmp"

# jboss-cli.sh needs JAVA_HOME or java on the PATH. Elytron resolves a credential-reference's expression
# when it is added; the configuration keeps the expression, the real HTTPS key store password is in the
# server's environment at run time only: here any value resolves it.
CALLPARK_HTTPS_KEYSTORE_PASSWORD=offline-placeholder "$jboss_home/bin/jboss-cli.sh" --file="$tmp"
# only the last script applied counts (configure, remove, configure again works)
rm -f "$config_dir/.$server_config."*.applied
echo "$sum" >"$marker"
echo "apply-offline: applied $(basename "$cli_file") to $config"
