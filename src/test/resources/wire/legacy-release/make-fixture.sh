#!/usr/bin/env bash
# Builds the upgrade fixture with the release landed at c6c7efc (JSON values in the caches).
set -euo pipefail
cd /tmp/oldrel
export CALLPARK_VAR=/tmp/oldvar CALLPARK_KAMAILIO_PORT=35060 CALLPARK_SIP_PORT_BASE=35080 CALLPARK_PORT_OFFSET=2000 \
  CALLPARK_CLUSTER=fixture CALLPARK_RTP_PORTS=36000-36999 CALLPARK_API_KEY=fixture-operator-key-0123456789
rm -rf /tmp/oldvar
./callpark up --fresh
API=http://127.0.0.1:10080/callpark/api
k="Authorization: Bearer $CALLPARK_API_KEY"
c() { curl -sS -H "$k" -H 'Content-Type: application/json' "$@"; echo; }
c -X PUT $API/tenants/acme.test -d '{"recallTime":45,"recallAttempts":2,"callsPerExtension":4,"dtmfReturnKey":"0","featureCodes":{"park":"*70","retrieve":"*71","groupPark":"*72"}}'
c -X POST $API/tenants/acme.test/ring-groups -d '{"name":"front","members":["101","102"]}'
c -X PATCH $API/tenants/acme.test -H 'Content-Type: application/merge-patch+json' -d '{"recallDestination":"parker-then-ring-group","ringGroup":"front"}'
c -X POST $API/tenants/acme.test/park-groups -d '{"name":"sales","members":["201","202","203"],"recall":{"recallTime":60,"recallFinal":"100"}}'
c -X POST $API/tenants/acme.test/park-groups -d '{"name":"support","members":["301"]}'
c -X POST $API/tenants/acme.test/keys > /tmp/fx/acme-key.json
c -X POST $API/tenants/acme.test/keys > /tmp/fx/acme-key2.json
c -X POST $API/tenants/acme.test/webhooks -d '{"url":"http://127.0.0.1:39517/acme-hook","events":["parked","retrieved"]}' > /tmp/fx/acme-hook.json
c -X POST $API/tenants/acme.test/webhooks -d '{"url":"http://127.0.0.1:39517/acme-all"}' > /tmp/fx/acme-hook2.json
c -X PUT $API/tenants/globex.test -d '{}'
c -X POST $API/tenants/globex.test/keys > /tmp/fx/globex-key.json
c -X POST $API/tenants/globex.test/ring-groups -d '{"name":"front","members":["500"]}'
echo "--- as stored"
for p in tenants tenants/acme.test tenants/acme.test/ring-groups tenants/acme.test/park-groups tenants/acme.test/keys tenants/acme.test/webhooks tenants/globex.test tenants/globex.test/keys tenants/globex.test/ring-groups; do echo "$p:"; c $API/$p; done > /tmp/fx/as-stored.txt
./callpark down
