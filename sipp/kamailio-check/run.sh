#!/usr/bin/env bash
# Proof of the Callpark Kamailio front (kamailio-cfg/): starts kamailio-ctl on
# free ports in a temp run dir, plays phones and app nodes with SIPp, prints
# PASS/FAIL per check, stops everything it started (by pid) and exits non-zero
# on any failure.
#
# Usage: sipp/kamailio-check/run.sh
# Env:   KEEP_RUN_DIR=1  keep the temp dir (logs, SIPp message traces) afterwards
#        SIPP_TIMEOUT    seconds one SIPp run may take (default 15)
#
# Phase 1 (dispatcher probing off): registration, digest auth, trust of app
# node requests by their X-Callpark-Auth seal (not by address), NOTIFY forking,
# feature-code routing sealed with the authenticated caller, record-route (UDP
# and TCP), tenant check, sealed JSON-RPC, kamailio-ctl commands, the TLS port (TLS 1.2+,
# the configured certificate, a mismatched key refused).
# Phase 2 (restart, probing every 1 s, first app node dead): failover to the
# next node, probing marks the dead node inactive, and active again once it
# answers OPTIONS; an impostor on that address whose replies carry no seal is
# not heard (the call fails over). fake_app.py plays the sealing app nodes.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
CTL=$ROOT/kamailio-cfg/kamailio-ctl
SIPP_TIMEOUT=${SIPP_TIMEOUT:-15}

for tool in sipp kamailio sqlite3 ss timeout openssl; do
	command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done

RUN=$(mktemp -d /tmp/kamailio-check.XXXXXX)
# shared by Kamailio and the (fake) app nodes; never a real deployment's
export CALLPARK_SIP_SECRET=kamailio-check-secret-$RANDOM$RANDOM-0123456789
export KAM_RUN_DIR=$RUN/kam
BG_PIDS=()
PASSED=0
FAILED=0

cleanup() {
	local p
	for p in "${BG_PIDS[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${BG_PIDS[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	"$CTL" stop >/dev/null 2>&1 || true
	if [[ ${KEEP_RUN_DIR:-0} == 1 || $FAILED -gt 0 ]]; then
		echo "run dir kept: $RUN"
	else
		rm -rf "$RUN"
	fi
}
trap cleanup EXIT

# ---------- helpers ----------
USED_PORTS=" "
free_port() {
	local p i
	for i in $(seq 1 50); do
		# below the kernel's ephemeral range (32768-60999) and the nodes' RTP range (20000-29999): a port
		# picked there could be taken by any socket the tests open meanwhile (seen: Kamailio's bind failed)
		p=$((12000 + RANDOM % 8000))
		[[ $USED_PORTS == *" $p "* ]] && continue
		# every socket in any state, connected UDP ones too (ss -l lists only unconnected)
		[[ -n $(ss -Hanu "sport = :$p") || -n $(ss -Hant "sport = :$p") ]] && continue
		USED_PORTS+="$p "
		echo "$p"
		return 0
	done
	echo "no free port" >&2
	return 1
}

pass() { PASSED=$((PASSED + 1)); printf 'PASS  %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'FAIL  %s%s\n' "$1" "${2:+ ($2)}"; }

# sipp_args NAME SCENARIO IP PORT [sipp args...]: fills SIPP_ARGS; files go to $RUN/NAME.*
sipp_args() {
	local name=$1 scen=$2 ip=$3 port=$4
	shift 4
	SIPP_ARGS=(timeout $((SIPP_TIMEOUT + 5)) sipp -sf "$HERE/$scen" -nostdin
		-timeout "$SIPP_TIMEOUT" -timeout_error -i "$ip" -p "$port"
		-trace_logs -log_file "$RUN/$name.log" -trace_msg -message_file "$RUN/$name.msg"
		-trace_err -error_file "$RUN/$name.err" "$@")
}

# sipp_fg NAME SCENARIO IP PORT [args...]: run to completion, return SIPp's exit code
sipp_fg() {
	local rc=0
	sipp_args "$@"
	(cd "$RUN" && "${SIPP_ARGS[@]}" </dev/null >"$RUN/$1.out" 2>&1) || rc=$?
	return $rc
}

# sipp_bg NAME SCENARIO IP PORT [args...]: start in background, pid in $BG_PID
sipp_bg() {
	sipp_args "$@"
	(cd "$RUN" && exec "${SIPP_ARGS[@]}" </dev/null >"$RUN/$1.out" 2>&1) &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
	sleep 0.3
}

# fake_app NAME PORT [--no-seal]: a fake app node on 127.0.0.1:PORT in the background (pid in $BG_PID,
# requests logged to $RUN/NAME.log), returns once its socket is bound
fake_app() {
	local name=$1 port=$2
	shift 2
	python3 "$HERE/fake_app.py" 127.0.0.1 "$port" "$RUN/$name.log" --seconds $((SIPP_TIMEOUT * 6)) "$@" \
		>"$RUN/$name.out" 2>&1 &
	BG_PID=$!
	BG_PIDS+=("$BG_PID")
	local i
	for i in $(seq 1 50); do
		[[ -n $(ss -Hlun "sport = :$port") ]] && return 0
		kill -0 "$BG_PID" 2>/dev/null || break
		sleep 0.1
	done
	echo "fake app $name did not bind 127.0.0.1:$port" >&2
	return 1
}

# fake_request NAME METHOD N: the Nth request METHOD a fake app node logged, with its SEAL line
fake_request() {
	awk -v want="$2 " -v nth="${3:-1}" '
		/^----$/ { if (hit) exit; blk = 0; next }
		blk == 0 && index($0, want) == 1 { n++; if (n == nth) hit = 1 }
		{ blk = 1 }
		hit { print }
	' "$RUN/$1.log" 2>/dev/null || true
}

# seal KIND CALLID CSEQ FROMTAG CLAIMS: the X-Callpark-Auth digest an app node or Kamailio computes
seal() { printf '%s' "$CALLPARK_SIP_SECRET|$1|$2|$3|$4|$5|$CALLPARK_SIP_SECRET" | sha256sum | cut -d' ' -f1; }

# wait_bg PID: exit code of a background SIPp (bounded by its timeout wrapper)
wait_bg() { local rc=0; wait "$1" || rc=$?; return $rc; }

# final NAME: the "FINAL <code>" a scenario logged
final() { sed -n 's/^FINAL \([0-9]*\).*/\1/p' "$RUN/$1.log" 2>/dev/null | tail -1; }

# received NAME WHAT: the first received message (tr -d \r) whose first line starts with WHAT
received() { # NAME WHAT
	awk -v want="$2" '
		/message received/ { inmsg = 1; first = ""; buf = ""; next }
		/^-----------------------------------------------/ {
			if (inmsg && index(first, want) == 1) { printf "%s", buf; found = 1; exit }
			inmsg = 0; next
		}
		inmsg && first == "" && NF == 0 { next }
		inmsg { if (first == "") first = $0; buf = buf $0 "\n" }
		END { if (!found && inmsg && index(first, want) == 1) printf "%s", buf }
	' "$RUN/$1.msg" 2>/dev/null | tr -d '\r' || true
}

# register NAME USER DOMAIN CONTACT_IP CONTACT_PORT AUTHUSER PASSWORD [sipp args]
register() {
	local name=$1 user=$2 domain=$3 cip=$4 cport=$5 au=$6 ap=$7
	shift 7
	sipp_fg "$name" register.xml "$cip" "$(free_port)" -m 1 \
		-key user "$user" -key domain "$domain" -key contact_host "$cip" \
		-key contact_port "$cport" -key expires 600 -au "$au" -ap "$ap" "$@" "$KAM"
}

# call NAME USER DOMAIN PASSWORD TARGET TARGET_DOMAIN IP [sipp args]
call() {
	local name=$1 user=$2 domain=$3 pw=$4 target=$5 tdomain=$6 ip=$7
	shift 7
	sipp_fg "$name" invite.xml "$ip" "$(free_port)" -m 1 \
		-key user "$user" -key domain "$domain" -key target "$target" \
		-key target_domain "$tdomain" -au "$user" -ap "$pw" "$@" "$KAM"
}

# dispatcher_flags URI-PREFIX: FLAGS of that app node from dispatcher.list
dispatcher_flags() {
	"$CTL" rpc dispatcher.list 2>/dev/null |
		awk -v u="$1" '/URI:/ { hit = index($2, u) == 1 } /FLAGS:/ && hit { print $2; exit }'
}

# ---------- phase 1: functional checks ----------
KAM_PORT=$(free_port)
APP1=$(free_port)
export KAM_ADDR=127.0.0.1 KAM_PORT KAM_APP_NODES="127.0.0.1:$APP1" KAM_DS_PING_INTERVAL=0
KAM=127.0.0.1:$KAM_PORT
# SIP over TLS for phones, with a self-signed certificate made here
KAM_TLS_PORT=$(free_port)
mkdir -p "$RUN/tls"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 2 -subj /CN=kamailio-check \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$RUN/tls/key.pem" -out "$RUN/tls/cert.pem" 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other -keyout "$RUN/tls/other-key.pem" \
	-out "$RUN/tls/other-cert.pem" 2>/dev/null
export KAM_TLS_PORT KAM_TLS_CERT=$RUN/tls/cert.pem KAM_TLS_KEY=$RUN/tls/key.pem

echo "== phase 1: kamailio on udp+tcp $KAM, app node 127.0.0.1:$APP1, run dir $RUN"
if ! "$CTL" start >"$RUN/start1.out" 2>&1; then
	cat "$RUN/start1.out"
	fail "kamailio-ctl start"
	exit 1
fi
pass "kamailio-ctl start (answers SIP OPTIONS on $KAM)"

for s in 101@acme.test:pw101 102@acme.test:pw102 103@acme.test:pw103 104@acme.test:pw104 \
	201@globex.test:pw201; do
	"$CTL" subscriber-add "${s%%:*}" "${s#*:}" >/dev/null
done

# 1. REGISTER without credentials -> 401, with credentials -> 200
C101=$(free_port)
rc=0; register reg101 101 acme.test 127.0.0.2 "$C101" 101 pw101 || rc=$?
first=$(received reg101 "SIP/2.0" | head -1)
if [[ $rc == 0 && $first == "SIP/2.0 401"* && $(final reg101) == 200 ]]; then
	pass "REGISTER 101@acme.test: no auth -> 401, with auth -> 200"
else
	fail "REGISTER 101@acme.test: no auth -> 401, with auth -> 200" "rc=$rc first='$first' final=$(final reg101)"
fi

# 2. wrong password -> 403
rc=0; register reg102bad 102 acme.test 127.0.0.2 "$(free_port)" 102 wrong || rc=$?
if [[ $rc == 0 && $(final reg102bad) == 403 ]]; then
	pass "REGISTER 102@acme.test wrong password: 401 then 403"
else
	fail "REGISTER 102@acme.test wrong password: 401 then 403" "rc=$rc final=$(final reg102bad)"
fi

# 3. credentials of another user -> 403 (identity must match From)
rc=0; register reg102as101 102 acme.test 127.0.0.2 "$(free_port)" 101 pw101 || rc=$?
if [[ $rc == 0 && $(final reg102as101) == 403 ]]; then
	pass "REGISTER 102@acme.test with 101's credentials: 403"
else
	fail "REGISTER 102@acme.test with 101's credentials: 403" "rc=$rc final=$(final reg102as101)"
fi

# 4. two contacts of 103 both receive the app node's NOTIFY
N1=$(free_port); N2=$(free_port)
rc1=0; register reg103a 103 acme.test 127.0.0.2 "$N1" 103 pw103 || rc1=$?
rc2=0; register reg103b 103 acme.test 127.0.0.3 "$N2" 103 pw103 || rc2=$?
sipp_bg uas103a notify_uas.xml 127.0.0.2 "$N1" -m 1; P1=$BG_PID
sipp_bg uas103b notify_uas.xml 127.0.0.3 "$N2" -m 1; P2=$BG_PID
# notify NAME PORT CALLID SEAL_HEADER_LINE: the app node's NOTIFY to 103@acme.test, from 127.0.0.1:PORT
notify() {
	sipp_fg "$1" notify.xml 127.0.0.1 "$2" -m 1 -key user 103 -key domain acme.test -cid_str "$3" \
		-key fromtag "t-$3" -key seal "$4" "$KAM"
}
CID=n1-$RANDOM@check
rc=0; notify notify_app "$APP1" "$CID" "X-Callpark-Auth: $(seal NOTIFY "$CID" 1 "t-$CID" "")" || rc=$?
ra=0; wait_bg "$P1" || ra=$?
rb=0; wait_bg "$P2" || rb=$?
if [[ $rc1$rc2 == 00 && $rc == 0 && $(final notify_app) == 200 && $ra == 0 && $rb == 0 ]]; then
	pass "sealed NOTIFY sip:103@acme.test from an app node forked to both contacts"
else
	fail "sealed NOTIFY sip:103@acme.test from an app node forked to both contacts" \
		"reg=$rc1/$rc2 app rc=$rc final=$(final notify_app) uas rc=$ra/$rb"
fi

# 5. an attacker on the app node's own address (its very IP and UDP port) without the seal is a phone like any
CID=n2-$RANDOM@check
rc=0; notify notify_unsealed "$APP1" "$CID" "X-Unsealed: 1" || rc=$?
if [[ $rc == 0 && $(final notify_unsealed) == 407 ]]; then
	pass "unsealed NOTIFY from the app node's own 127.0.0.1:$APP1 challenged with 407"
else
	fail "unsealed NOTIFY from the app node's address challenged with 407" "rc=$rc final=$(final notify_unsealed)"
fi

# 5b. ... and a seal made with another secret, or copied from another request, is refused
CID=n3-$RANDOM@check
wrong=$(CALLPARK_SIP_SECRET=guessed-secret-0123456789abcdef seal NOTIFY "$CID" 1 "t-$CID" "")
rc=0; notify notify_wrong "$(free_port)" "$CID" "X-Callpark-Auth: $wrong" || rc=$?
CID2=n4-$RANDOM@check
rc2=0; notify notify_copied "$(free_port)" "$CID2" "X-Callpark-Auth: $(seal NOTIFY "$CID" 1 "t-$CID" "")" || rc2=$?
reason=$(received notify_wrong "SIP/2.0 403" | head -1)
if [[ $rc$rc2 == 00 && $(final notify_wrong)$(final notify_copied) == 403403 &&
	$reason == "SIP/2.0 403 Forbidden: wrong app node seal" ]]; then
	pass "NOTIFY sealed with a guessed secret or with another request's seal: 403 Forbidden: wrong app node seal"
else
	fail "wrong or copied seal refused with 403" "rc=$rc/$rc2 final=$(final notify_wrong)/$(final notify_copied) '$reason'"
fi

# 6. *68<ext> with an unknown extension -> 404 before the app
rc=0; call park999 101 acme.test pw101 '*68999' acme.test 127.0.0.2 || rc=$?
reason=$(received park999 "SIP/2.0 404" | head -1)
if [[ $rc == 0 && $(final park999) == 404 && $reason == "SIP/2.0 404 Extension Not Found" ]]; then
	pass "INVITE *68999@acme.test (no such subscriber): 404 Extension Not Found"
else
	fail "INVITE *68999@acme.test: 404 Extension Not Found" "rc=$rc final=$(final park999) '$reason'"
fi

# check_app_invite NAME ID: the app node got the INVITE sealed by Kamailio with the authenticated id=ID and the
# caller's address, no P-Asserted-Identity (the phone's forged one is stripped), and our Record-Route
check_app_invite() {
	local inv sl pai rr
	inv=$(fake_request "$1" INVITE)
	sl=$(grep '^SEAL ' <<<"$inv" || true)
	pai=$(grep -i '^P-Asserted-Identity:' <<<"$inv" || true)
	rr=$(grep -i '^Record-Route:' <<<"$inv" || true)
	APP_DETAIL="$sl PAI='$pai' RR='$rr'"
	[[ $sl == "SEAL ok id=$2;src=127.0.0."*:* && -z $pai && $rr == *"sip:$KAM;"*lr* ]]
}

# stop_bg PID: end a background helper of ours
stop_bg() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# 7. *68103 reaches the app node sealed with the caller's identity and Record-Route; ACK/BYE follow the route
fake_app app_park "$APP1"; PA=$BG_PID
rc=0; call park103 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc=$?
stop_bg "$PA"
bye=$(fake_request app_park BYE)
bye_via=$(grep -i '^Via:' <<<"$bye" | head -1)
if [[ $rc == 0 && $(final park103) == 200 ]] && check_app_invite app_park 101@acme.test &&
	[[ $bye_via == *"127.0.0.1:$KAM_PORT"* && $bye == *"SEAL ok src=127.0.0.2:"* ]]; then
	pass "INVITE *68103@acme.test reached app node: $APP_DETAIL; BYE via Kamailio, sealed"
else
	fail "INVITE *68103@acme.test reached app node sealed, with Record-Route" \
		"rc=$rc final=$(final park103) ${APP_DETAIL:-} bye='$(tr '\n' '|' <<<"$bye")'"
fi

# 8. retrieve / group park in a foreign tenant -> 403
rc=0; call globex88 201 globex.test pw201 '*88103' acme.test 127.0.0.4 || rc=$?
reason=$(received globex88 "SIP/2.0 403" | head -1)
rc2=0; call globex58 201 globex.test pw201 '*58' acme.test 127.0.0.4 || rc2=$?
reason2=$(received globex58 "SIP/2.0 403" | head -1)
if [[ $rc$rc2 == 00 && $reason == "SIP/2.0 403 Forbidden: not your tenant" && $reason2 == "$reason" ]]; then
	pass "INVITE *88103@acme.test and *58@acme.test from 201@globex.test: 403 Forbidden: not your tenant"
else
	fail "INVITE *88103 / *58 @acme.test from globex.test: 403" \
		"rc=$rc/$rc2 final=$(final globex88)/$(final globex58) '$reason' '$reason2'"
fi

# 9. retrieve in the own tenant reaches the app node
fake_app app_retrieve "$APP1"; PA=$BG_PID
rc=0; call retr103 102 acme.test pw102 '*88103' acme.test 127.0.0.2 || rc=$?
stop_bg "$PA"; ra=0
if [[ $rc == 0 && $(final retr103) == 200 ]] && check_app_invite app_retrieve 102@acme.test; then
	pass "INVITE *88103@acme.test from 102@acme.test reached app node ($APP_DETAIL)"
else
	fail "INVITE *88103@acme.test from 102@acme.test reached app node" \
		"rc=$rc final=$(final retr103) app rc=$ra ${APP_DETAIL:-}"
fi

# 9b. the other feature-code forms pass to the app node untouched: *68 alone, *88*<park id>, *58
fake_app app_forms "$APP1"; PA=$BG_PID
rc=0; finals=""; i=0
for fc in '*68' '*88*4711' '*58'; do
	i=$((i + 1))
	r=0; call "form$i" 101 acme.test pw101 "$fc" acme.test 127.0.0.2 || r=$?
	rc=$((rc + r)); finals+="$fc=$(final "form$i") "
done
stop_bg "$PA"; ra=0
seen=$(grep -c '^INVITE sip:\(\*68\|\*88\*4711\|\*58\)@acme.test SIP/2.0' "$RUN/app_forms.log" || true)
if [[ $rc == 0 && $finals == "*68=200 *88*4711=200 *58=200 " && $ra == 0 && $seen -ge 3 ]]; then
	pass "INVITE *68, *88*4711, *58 @acme.test from 101@acme.test reached the app node"
else
	fail "INVITE *68 / *88*<id> / *58 reach the app node" "rc=$rc $finals app rc=$ra seen=$seen"
fi

# 10. phone to phone via location (101's contact from check 1)
sipp_bg phone101 app_uas.xml 127.0.0.2 "$C101" -m 1; PA=$BG_PID
rc=0; call p2p 102 acme.test pw102 101 acme.test 127.0.0.3 || rc=$?
ra=0; wait_bg "$PA" || ra=$?
rr=$(received phone101 INVITE | grep -i '^Record-Route:' || true)
if [[ $rc == 0 && $(final p2p) == 200 && $ra == 0 && $rr == *"sip:$KAM;"* ]]; then
	pass "INVITE 102 -> sip:101@acme.test delivered to 101's contact, record-routed"
else
	fail "INVITE 102 -> sip:101@acme.test" "rc=$rc final=$(final p2p) phone rc=$ra rr='$rr'"
fi

# 11. not registered -> 480, unknown user -> 404 (a number that is no user goes to the app nodes, which know the
#     tenant's parking lots: ParkingLotIT)
rc1=0; call to104 101 acme.test pw101 104 acme.test 127.0.0.2 || rc1=$?
rc2=0; call tonobody 101 acme.test pw101 nobody acme.test 127.0.0.2 || rc2=$?
if [[ $rc1$rc2 == 00 && $(final to104) == 480 && $(final tonobody) == 404 ]]; then
	pass "INVITE to unregistered 104@acme.test: 480; to unknown nobody@acme.test: 404"
else
	fail "INVITE to 104 -> 480 / nobody -> 404" "rc=$rc1/$rc2 final=$(final to104)/$(final tonobody)"
fi

# 12. a TCP caller reaches the UDP app node: double Record-Route, BYE over TCP follows it
fake_app app_tcp "$APP1"; PA=$BG_PID
rc=0; call park103tcp 101 acme.test pw101 '*68103' acme.test 127.0.0.2 -t t1 || rc=$?
stop_bg "$PA"; ra=0
rrs=$(fake_request app_tcp INVITE | grep -ci '^Record-Route:' || true)
rrtcp=$(fake_request app_tcp INVITE | grep -i '^Record-Route:' | grep -c 'transport=tcp' || true)
if [[ $rc == 0 && $(final park103tcp) == 200 && $ra == 0 && $rrs == 2 && $rrtcp == 1 ]]; then
	pass "INVITE *68103 over TCP -> app node over UDP: 2 Record-Route (one transport=tcp), BYE routed"
else
	fail "INVITE over TCP -> app node over UDP with double Record-Route" \
		"rc=$rc final=$(final park103tcp) app rc=$ra rr=$rrs tcp=$rrtcp"
fi

# 13. kamailio-ctl subscriber commands: validation (exit 2) and live effect (no restart)
ok=1; detail=""
for bad in 'bad user@acme.test' "x'1@acme.test" '105@bad_domain' '105' '105@acme..test'; do
	rc=0; "$CTL" subscriber-add "$bad" pw >/dev/null 2>&1 || rc=$?
	[[ $rc == 2 ]] || { ok=0; detail+="'$bad' rc=$rc; "; }
done
rc=0; "$CTL" subscriber-add 105@acme.test >/dev/null <<<"pw'105" || rc=$?
[[ $rc == 0 ]] || { ok=0; detail+="add rc=$rc; "; }
# the password came on stdin; only its digest HA1 values are stored, in a file its service alone reads
stored=$(sqlite3 "$KAM_RUN_DIR/callpark.db" "SELECT password || '|' || length(ha1) FROM subscriber WHERE username = '105';")
[[ $stored == "|32" ]] || { ok=0; detail+="stored '$stored' (want no password, a 32-hex ha1); "; }
! grep -q "pw'105" "$KAM_RUN_DIR/callpark.db" || { ok=0; detail+="password in the db file; "; }
mode=$(stat -c %a "$KAM_RUN_DIR/callpark.db")
[[ $mode == 600 ]] || { ok=0; detail+="db mode $mode; "; }
rc=0; register reg105 105 acme.test 127.0.0.2 "$(free_port)" 105 "pw'105" || rc=$?
[[ $rc == 0 && $(final reg105) == 200 ]] || { ok=0; detail+="register new=$(final reg105); "; }
"$CTL" subscriber-list | grep -qx '105@acme.test' || { ok=0; detail+="not listed; "; }
"$CTL" subscriber-remove 105@acme.test >/dev/null || { ok=0; detail+="remove failed; "; }
rc=0; register reg105gone 105 acme.test 127.0.0.2 "$(free_port)" 105 "pw'105" || rc=$?
[[ $(final reg105gone) == 403 ]] || { ok=0; detail+="register removed=$(final reg105gone); "; }
if ((ok)); then
	pass "kamailio-ctl subscriber-add/-list/-remove: bad input exit 2, password on stdin, HA1 only, db 600, live"
else
	fail "kamailio-ctl subscriber commands" "$detail"
fi

# 14. kamailio-ctl status, and start refuses while running
st=$("$CTL" status 2>&1 || true)
rc=0; "$CTL" start >/dev/null 2>&1 || rc=$?
contacts=$(sed -n 's/^registered contacts: //p' <<<"$st")
if [[ $st == *"running (pid $(cat "$KAM_RUN_DIR/kamailio.pid"))"* && $st == *"udp+tcp $KAM"* &&
	$contacts =~ ^[0-9]+$ && $contacts -ge 3 && $st == *"sip:127.0.0.1:$APP1;transport=udp A"* && $rc != 0 ]]; then
	pass "kamailio-ctl status ($contacts contacts, app node listed); second start refused (rc=$rc)"
else
	fail "kamailio-ctl status / second start refused" "rc=$rc status: $(tr '\n' '|' <<<"$st")"
fi

# 14b. JSON-RPC over HTTP answers a sealed request (101 is registered, in no call) from any address, and
# nothing else: not the app node's address without the seal, not a sealed command other than the two
rpc_post() { # SOURCE-IP BODY [SEAL]
	curl -s -m 5 --interface "$1" -X POST -H 'Content-Type: application/json' \
		${3:+-H "X-Callpark-Auth: $3"} -d "$2" -w '\n%{http_code}' "http://$KAM/RPC"
}
rpc_seal() { printf '%s' "$CALLPARK_SIP_SECRET|RPC|$(printf '%s' "$1" | sha256sum | cut -d' ' -f1)|$CALLPARK_SIP_SECRET" | sha256sum | cut -d' ' -f1; }
q1='{"jsonrpc":"2.0","method":"ul.lookup","params":["location","101@acme.test"],"id":1}'
q2='{"jsonrpc":"2.0","method":"dlg.profile_get_size","params":["busy","101@acme.test"],"id":2}'
q3='{"jsonrpc":"2.0","method":"ul.dump","id":3}'
looked=$(rpc_post 127.0.0.5 "$q1" "$(rpc_seal "$q1")")
busy=$(rpc_post 127.0.0.5 "$q2" "$(rpc_seal "$q2")")
unsealed=$(rpc_post 127.0.0.1 "$q1" | tail -1)
dump=$(rpc_post 127.0.0.1 "$q3" "$(rpc_seal "$q3")" | tail -1)
if [[ $looked == *'"result"'*'101@acme.test'*200 && $busy == *'"result"'*0*200 && $unsealed == 403 && $dump == 403 ]]; then
	pass "JSON-RPC over HTTP: sealed ul.lookup and dlg.profile_get_size answered; unsealed 403, sealed ul.dump 403"
else
	fail "JSON-RPC over HTTP for sealed app node requests only" "lookup '$(tr -d '\n\t' <<<"$looked")' busy '$(tr -d '\n\t' <<<"$busy")' unsealed $unsealed dump $dump"
fi

# 14e. the control interface from another local user (nobody): its UNIX sockets answer every command, so they are
# Kamailio's user's alone (600) and refuse nobody even where it can reach them (the dirs opened for the check);
# over HTTP, nobody gets 403 unsealed and for a sealed command other than the two, and an answer only sealed
if (( EUID == 0 )); then
	as_nobody() { setpriv --reuid=nobody --regid=nogroup --clear-groups env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }
	modes="$(stat -c '%a %U' "$KAM_RUN_DIR/kamailio_ctl") / $(stat -c '%a %U' "$KAM_RUN_DIR/kamailio_rpc.sock")"
	chmod 711 "$RUN" "$KAM_RUN_DIR"
	ctl=$(as_nobody kamcmd -s "unix:$KAM_RUN_DIR/kamailio_ctl" core.uptime 2>&1 || true)
	dgram=$(as_nobody python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    s.sendto(b"{\"jsonrpc\":\"2.0\",\"method\":\"core.uptime\",\"id\":1}", sys.argv[1]); print("sent")
except OSError as e:
    print(e.strerror)' "$KAM_RUN_DIR/kamailio_rpc.sock" 2>&1 || true)
	chmod 700 "$RUN" "$KAM_RUN_DIR"
	rpc_as_nobody() { # BODY [SEAL]
		as_nobody curl -s -m 5 -X POST -H 'Content-Type: application/json' ${2:+-H "X-Callpark-Auth: $2"} -d "$1" \
			-w '\n%{http_code}' "http://$KAM/RPC"
	}
	unsealed=$(rpc_as_nobody "$q3" | tail -1)
	dump=$(rpc_as_nobody "$q3" "$(rpc_seal "$q3")" | tail -1)
	looked=$(rpc_as_nobody "$q1" "$(rpc_seal "$q1")" | tail -1)
	me=$(id -un)
	if [[ $modes == "600 $me / 600 $me" && $ctl == *"Permission denied"* && $dgram == "Permission denied" &&
		$unsealed == 403 && $dump == 403 && $looked == 200 ]]; then
		pass "control sockets 600 $me: nobody gets permission denied (binrpc, JSON-RPC datagram); over HTTP 403 unsealed and for sealed ul.dump, 200 only sealed ul.lookup"
	else
		fail "control interface from another local user" "modes '$modes' ctl '$(tr '\n' ' ' <<<"$ctl")' dgram '$dgram' http unsealed $unsealed dump $dump lookup $looked"
	fi
else
	echo "SKIP  control interface from another local user (needs root to act as nobody)"
fi

# 14c. password guessing: wrong digests from one source (any users) and it is refused for a while, even with
# the right password; another source is not. Bounded: KAM_AUTH_MAX_FAILS attempts.
guesses=0; codes=""
for u in 101 102 103 104 101 102 103 104 101 102; do
	guesses=$((guesses + 1))
	rc=0; register "guess$guesses" "$u" acme.test 127.0.0.7 "$(free_port)" "$u" "guess-$guesses" || rc=$?
	codes+="$(final "guess$guesses") "
done
rc=0; register guessright 101 acme.test 127.0.0.7 "$(free_port)" 101 pw101 || rc=$?
banned=$(received guessright "SIP/2.0 403" | head -1)
rc2=0; register otherright 101 acme.test 127.0.0.8 "$(free_port)" 101 pw101 || rc2=$?
if [[ $codes == "$(printf '403 %.0s' $(seq 1 10))" && $banned == "SIP/2.0 403 Forbidden: too many failed attempts, try later" &&
	$(final otherright) == 200 ]] && grep -q "127.0.0.7 refused for 300 s after 10 wrong digests" "$KAM_RUN_DIR/kamailio.log"; then
	pass "10 wrong digests from 127.0.0.7: refused (even the right password), 127.0.0.8 still registers"
else
	fail "password guessing refused at the edge" "guesses '$codes' then '$banned' other=$(final otherright)"
fi

# 14d. a flood from one source (400 OPTIONS at 400/s, bounded) is dropped past KAM_FLOOD_REQS in 2 s; a phone on
# another address registers meanwhile
sipp_bg flood "../../kamailio-cfg/options-ping.xml" 127.0.0.9 "$(free_port)" -m 400 -r 400 -timeout 10 "$KAM"; PF=$BG_PID
rc=0; register duringflood 102 acme.test 127.0.0.10 "$(free_port)" 102 pw102 || rc=$?
rf=0; wait_bg "$PF" || rf=$?
answered=$(sed -n 's/^ *Successful call *| *[0-9]* *| *\([0-9]*\).*/\1/p' "$RUN/flood.out" | tail -1)
if [[ $rc == 0 && $(final duringflood) == 200 && -n $answered && $answered -lt 200 ]] &&
	grep -q 'flood from 127.0.0.9' "$KAM_RUN_DIR/kamailio.log"; then
	pass "flood of 400 OPTIONS from 127.0.0.9: $answered answered, the rest dropped; 127.0.0.10 registered meanwhile"
else
	fail "one source's flood is dropped, other phones go on" "register=$(final duringflood) answered='$answered' sipp rc=$rf"
fi

# 14f. the TLS port: a TLS 1.2 handshake verifies against the configured certificate, TLS 1.1 is refused;
# tls-check refuses a key that is not the certificate's (exit 2)
tls12=$(echo | timeout 5 openssl s_client -connect "127.0.0.1:$KAM_TLS_PORT" -tls1_2 -CAfile "$KAM_TLS_CERT" \
	-verify_return_error 2>&1 || true)
tls11=$(echo | timeout 5 openssl s_client -connect "127.0.0.1:$KAM_TLS_PORT" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' \
	2>&1 || true)
rc=0; mismatch=$(KAM_TLS_KEY=$RUN/tls/other-key.pem "$CTL" tls-check 2>&1) || rc=$?
if [[ $tls12 == *"Verify return code: 0 (ok)"* && $tls12 == *"Protocol  : TLSv1.2"* &&
	$tls11 == *"alert protocol version"* && $tls11 == *"Cipher is (NONE)"* &&
	$rc == 2 && $mismatch == *"is not the key of the certificate"* ]]; then
	pass "TLS port 127.0.0.1:$KAM_TLS_PORT: TLS 1.2 with the configured certificate, TLS 1.1 refused, a mismatched key refused"
else
	fail "TLS port" "tls1.2: $(grep -E 'Verify return|Protocol  :' <<<"$tls12" | tr '\n' '|') tls1.1: $(grep -E 'Cipher is|alert' <<<"$tls11" | tr '\n' '|') tls-check rc=$rc $mismatch"
fi

# 15. stop by pid file
pid=$(cat "$KAM_RUN_DIR/kamailio.pid")
"$CTL" stop >/dev/null
if ! kill -0 "$pid" 2>/dev/null && [[ ! -e $KAM_RUN_DIR/kamailio.pid ]]; then
	pass "kamailio-ctl stop: pid $pid gone, pid file removed"
else
	fail "kamailio-ctl stop" "pid $pid still alive or pid file left"
fi

# ---------- phase 2: failover and probing ----------
DEAD=$(free_port)
APP2=$(free_port)
export KAM_APP_NODES="127.0.0.1:$DEAD 127.0.0.1:$APP2" KAM_DS_PING_INTERVAL=1 KAM_APP_TIMEOUT_MS=1000
echo "== phase 2: app nodes 127.0.0.1:$DEAD (nothing listening) and 127.0.0.1:$APP2, probing every 1 s"
if ! "$CTL" start >"$RUN/start2.out" 2>&1; then
	cat "$RUN/start2.out"
	fail "kamailio-ctl start (phase 2)"
	exit 1
fi

# 16. round robin sends one of two calls to the dead node first: it fails over to the live one
# (the fake node answers the OPTIONS probes too; it runs until the end of the phase)
fake_app app2 "$APP2"; PA2=$BG_PID
rc1=0; call fo1 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc1=$?
rc2=0; call fo2 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc2=$?
fo=$(grep -c "failover of \*68103@acme.test to app node sip:127.0.0.1:$APP2" "$KAM_RUN_DIR/kamailio.log" || true)
ra=$(grep -c '^INVITE sip:\*68103@acme.test' "$RUN/app2.log" || true)
if [[ $rc1$rc2 == 00 && $(final fo1)$(final fo2) == 200200 && $fo -ge 1 ]]; then
	pass "app node 127.0.0.1:$DEAD silent: failover to 127.0.0.1:$APP2 after ${KAM_APP_TIMEOUT_MS} ms (both calls 200)"
else
	fail "failover to the next app node" "rc=$rc1/$rc2 final=$(final fo1)/$(final fo2) INVITEs at app=$ra failovers=$fo"
fi

# 17. not trigger-happy: one unanswered request leaves the node selectable ("trying"), the live node active
# (the first failed probe of the dead node can only end after fr_timer, 5 s after start)
fd=$(dispatcher_flags "sip:127.0.0.1:$DEAD")
fl=$(dispatcher_flags "sip:127.0.0.1:$APP2")
if [[ $fd == T* && $fl == A* ]]; then
	pass "after one timeout 127.0.0.1:$DEAD is only trying (flags $fd), 127.0.0.1:$APP2 active ($fl)"
else
	fail "one timeout marks the node trying, not inactive" "dead=$fd live=$fl"
fi

# 18. OPTIONS probing marks the dead node inactive (bounded wait)
flags=""
for _ in $(seq 1 40); do
	flags=$(dispatcher_flags "sip:127.0.0.1:$DEAD")
	[[ $flags == I* ]] && break
	sleep 0.5
done
if [[ $flags == I* ]]; then
	pass "probing marked 127.0.0.1:$DEAD inactive (flags $flags)"
else
	fail "probing marks the dead node inactive" "flags '$flags' after 20 s"
fi

# 19. once it answers OPTIONS, probing marks it active again (bounded wait); what answers there now is a
# SIPp that does not seal its replies: an impostor that took a stopped node's port
sipp_bg revived app_uas.xml 127.0.0.1 "$DEAD" -aa
REVIVED=$BG_PID
flags=""
for _ in $(seq 1 30); do
	flags=$(dispatcher_flags "sip:127.0.0.1:$DEAD")
	[[ $flags == A* ]] && break
	sleep 0.5
done
if [[ $flags == A* ]]; then
	pass "node 127.0.0.1:$DEAD answers OPTIONS again: marked active (flags $flags)"
else
	fail "probing marks a revived node active" "flags '$flags' after 15 s"
fi

# 20. the impostor on the stopped node's address is not heard: its unsealed 200 OK is dropped, the call fails
# over to the sealing node (round robin gives the impostor one of two calls)
rc1=0; call imp1 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc1=$?
rc2=0; call imp2 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc2=$?
dropped=$(grep -c "200 reply from 127.0.0.1:$DEAD dropped: no valid app node seal" "$KAM_RUN_DIR/kamailio.log" || true)
heard=$(grep -c '^INVITE sip:\*68103@acme.test' "$RUN/revived.msg" || true)
if [[ $rc1$rc2 == 00 && $(final imp1)$(final imp2) == 200200 && $dropped -ge 1 && $heard -ge 1 ]]; then
	pass "impostor on 127.0.0.1:$DEAD answered $heard INVITE(s) unsealed: dropped ($dropped), both calls 200 from the real node"
else
	fail "an unsealed reply from a node's address is dropped and the call fails over" \
		"rc=$rc1/$rc2 final=$(final imp1)/$(final imp2) dropped=$dropped impostor INVITEs=$heard"
fi

# 21. a node at its media capacity answers a park 503 with Retry-After: Kamailio tries the next node, the
# caller never sees the 503 (round robin gives the full node one of two calls)
kill "$REVIVED" 2>/dev/null; wait "$REVIVED" 2>/dev/null
before=$(grep -c "failover of \*68103@acme.test to app node sip:127.0.0.1:$APP2" "$KAM_RUN_DIR/kamailio.log" || true)
fake_app full "$DEAD" --full
rc1=0; call full1 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc1=$?
rc2=0; call full2 101 acme.test pw101 '*68103' acme.test 127.0.0.2 || rc2=$?
after=$(grep -c "failover of \*68103@acme.test to app node sip:127.0.0.1:$APP2" "$KAM_RUN_DIR/kamailio.log" || true)
refused=$(grep -c '^INVITE sip:\*68103@acme.test' "$RUN/full.log" || true)
if [[ $rc1$rc2 == 00 && $(final full1)$(final full2) == 200200 && $refused -ge 1 && $after -gt $before ]]; then
	pass "a full node answered $refused park(s) 503: failed over to 127.0.0.1:$APP2, both calls 200"
else
	fail "a node's 503 sends the park to the next node" \
		"rc=$rc1/$rc2 final=$(final full1)/$(final full2) INVITEs at the full node=$refused failovers $before->$after"
fi

"$CTL" stop >/dev/null
echo "== $PASSED passed, $FAILED failed"
((FAILED == 0))
