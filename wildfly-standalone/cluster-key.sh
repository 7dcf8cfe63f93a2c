#!/usr/bin/env bash
# cluster-key.sh DIR - the key the nodes' JGroups traffic is encrypted with (configure-callpark.cli):
# DIR/cluster.p12, a PKCS12 keystore holding one AES-256 secret key (alias "cluster"), and
# DIR/cluster.pass, its password. Made once: when both exist they are checked and kept.
#   DIR is made 0700, both files 0600. The password goes to keytool through a file
#   (-storepass:file), never on a command line. CALLPARK_CLUSTER_PASSWORD, when set, is the password
#   of a new key (the test build fixes it; the key itself is new each time).
# Exit 0: DIR holds a usable key. Exit 1 with a message on stderr: it does not (half of it missing,
# unreadable, wrong password, not an AES key).
set -euo pipefail

dir=${1:?usage: cluster-key.sh DIR}
store=$dir/cluster.p12
pass=$dir/cluster.pass
keytool=${JAVA_HOME:+$JAVA_HOME/bin/}keytool

fail() { echo "cluster key: $*" >&2; exit 1; }

if [[ ! -e $store && ! -e $pass ]]; then
	(umask 077 && mkdir -p "$dir")
	chmod 700 "$dir"
	(
		umask 077
		if [[ -n ${CALLPARK_CLUSTER_PASSWORD:-} ]]; then
			printf '%s\n' "$CALLPARK_CLUSTER_PASSWORD" >"$pass"
		else
			head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$pass"
			echo >>"$pass"
		fi
		"$keytool" -genseckey -alias cluster -keyalg AES -keysize 256 -storetype PKCS12 \
			-keystore "$store" -storepass:file "$pass" -keypass:file "$pass" >/dev/null 2>&1 ||
			{ rm -f "$store" "$pass"; fail "keytool could not make $store"; }
	)
	echo "cluster key: made $store (AES-256) and its password $pass; every node of this cluster needs both"
fi

[[ -e $store ]] || fail "$store is missing but $pass exists: copy both from a node of this cluster"
[[ -e $pass ]] || fail "$pass is missing but $store exists: copy both from a node of this cluster"
[[ -r $store && -r $pass ]] || fail "$store or $pass cannot be read by $(id -un)"
[[ -s $pass ]] || fail "$pass is empty"
listing=$("$keytool" -list -storetype PKCS12 -keystore "$store" -storepass:file "$pass" -alias cluster 2>&1) ||
	fail "$store cannot be opened with the password in $pass: ${listing//$'\n'/ }"
grep -q 'SecretKeyEntry' <<<"$listing" || fail "$store holds no secret key named cluster"
for f in "$store" "$pass"; do
	[[ $(stat -c %a "$f") == 600 ]] || chmod 600 "$f"
done
