# Copied from /work/shared/reference/emulator-fidelity-audit/repro.sh (the fidelity audit's reproductions); changed: R9 prints the refusal's type, code and message with .get, since after the fix the bare confirm is Stripe's "missing a payment method" 400, not a decline (the original's e['decline_code'] raised KeyError), and B defaults to $SPT_EMULATOR_URL. Run: bash scripts/fidelity-repro.sh (docs/emulator.md).
W=${W:-$(mktemp -d)}
B=${B:-${SPT_EMULATOR_URL:-http://127.0.0.1:12111}}
K=sk_test_repro_$RANDOM
j() { python3 -c "import sys,json
t=sys.stdin.read()
try:
  d=json.loads(t)
except Exception:
  print(t[:300]); sys.exit()
keys=sys.argv[1:]
if 'error' in d: e=d['error']; print(json.dumps({k:e.get(k) for k in ['type','code','param','message'] if k in e}))
else: print(json.dumps({k:d.get(k) for k in keys}))" "$@"; }
grant() { curl -s $B/v1/test_helpers/shared_payment/granted_tokens -u $K: -d payment_method=$1 -d "usage_limits[currency]"=usd -d "usage_limits[max_amount]"=$2 | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])'; }
echo "## R1 refunds (seed: refunds behave as if the PM were given directly)"
T=$(grant pm_card_visa 5000); PI=$(curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
echo "\$ curl \$B/v1/refunds -u $K: -d payment_intent=$PI"; curl -s -o /dev/stderr -w "HTTP %{http_code}\n" $B/v1/refunds -u $K: -d payment_intent=$PI 2>/dev/null; curl -s $B/v1/refunds -u $K: -d payment_intent=$PI | j
echo "## R2 cloned PM reusable after the SPT is consumed (limits bypassed)"
T=$(grant pm_card_visa 1000); PM=$(curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true | python3 -c 'import sys,json;print(json.load(sys.stdin)["payment_method"])')
echo "token: $(curl -s $B/v1/shared_payment/granted_tokens/$T -u $K: | python3 -c 'import sys,json;print(json.load(sys.stdin)["deactivated_reason"])')"
echo "\$ curl \$B/v1/payment_intents -u $K: -d amount=50000 -d currency=eur -d payment_method=$PM -d confirm=true"; curl -s $B/v1/payment_intents -u $K: -d amount=50000 -d currency=eur -d payment_method=$PM -d confirm=true | j status amount currency payment_method
echo "## R3 2026-08-26.preview params"
for p in "payment_method_types[]=card" "allowed_payment_method_types[]=card" "excluded_payment_method_types[]=link" "customer=cus_123" "setup_future_usage=off_session" "receipt_email=a@example.com" "statement_descriptor_suffix=ORDER42" "error_on_requires_action=true"; do
  echo "\$ curl \$B/v1/payment_intents -u $K: -H 'Stripe-Version: 2026-08-26.preview' -d amount=1000 -d currency=usd -d '$p'"; curl -s $B/v1/payment_intents -u $K: -H 'Stripe-Version: 2026-08-26.preview' -d amount=1000 -d currency=usd -d "$p" | j status payment_method_types; done
echo "## R4 defaults: automatic_payment_methods / capture_method / return_url"
T=$(grant pm_card_visa 5000)
echo "\$ curl \$B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d payment_method_data[shared_payment_granted_token]=$T -d confirm=true"
curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true | j status automatic_payment_methods capture_method payment_method_types payment_method_options
echo "\$ ... -d automatic_payment_methods[enabled]=true (no return_url, no allow_redirects=never)"
curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true -d "automatic_payment_methods[enabled]=true" | j status automatic_payment_methods
echo "\$ ... -d automatic_payment_methods[enabled]=true -d payment_method_types[]=card"
curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true -d "automatic_payment_methods[enabled]=true" -d "payment_method_types[]=card" | j status
echo "\$ ... -d payment_method_types[]=us_bank_account (card SPT)"
curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true -d "payment_method_types[]=us_bank_account" | j status payment_method_types
echo "## R5 missing PI endpoints"
for m in "GET /v1/payment_intents" "POST /v1/payment_intents/$PI" "GET /v1/charges" "POST /v1/customers" "GET /v1/payment_methods" "GET /v1/balance_transactions" "POST /v1/setup_intents"; do set -- $m; echo "\$ curl -X $1 \$B$2 -u $K:"; curl -s -X $1 $B$2 -u $K: | j; done
echo "## R6 Stripe-Account ignored"
T=$(grant pm_card_visa 1000); echo "\$ curl \$B/v1/shared_payment/granted_tokens/$T -u $K: -H 'Stripe-Account: acct_doesnotexist'"; curl -s -w "  HTTP %{http_code}\n" -o $W/r6.json $B/v1/shared_payment/granted_tokens/$T -u $K: -H 'Stripe-Account: acct_doesnotexist'; j id object < $W/r6.json
echo "## R7 Stripe-Version not validated against real versions"
for v in 2099-01-01 2026-08-27.basil 2026-13-45.preview "2026-08-26; shared_payment_beta=v1"; do echo "\$ curl \$B/v1/events -u $K: -H 'Stripe-Version: $v'"; curl -s -D $W/h.txt -o $W/b.json $B/v1/events -u $K: -H "Stripe-Version: $v"; head -1 $W/h.txt | tr -d '\r'; grep -i '^stripe-version' $W/h.txt | tr -d '\r'; j object < $W/b.json; done
echo "## R8 event api_version follows the request, not the endpoint/account"
T=$(grant pm_card_visa 1000); curl -s -o /dev/null $B/v1/test_helpers/shared_payment/granted_tokens/$T/revoke -u $K: -X POST -H 'Stripe-Version: 2024-06-20'
echo "\$ curl '\$B/v1/events?limit=1' -u $K:"; curl -s "$B/v1/events?limit=1" -u $K: | python3 -c "import sys,json;e=json.load(sys.stdin)['data'][0];print(json.dumps({'type':e['type'],'api_version':e['api_version']}))"
echo "## R9 decline, then confirm with no payment method: the SPT is silently reused"
T=$(grant pm_card_visa_chargeDeclined 5000)
PI=$(curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true | python3 -c 'import sys,json;print(json.load(sys.stdin)["error"]["payment_intent"]["id"])')
echo "\$ curl -X POST \$B/v1/payment_intents/$PI/confirm -u $K:"; curl -s -X POST $B/v1/payment_intents/$PI/confirm -u $K: | python3 -c "import sys,json;e=json.load(sys.stdin)['error'];print(json.dumps({k:e.get(k) for k in ['type','code','decline_code','charge','message'] if k in e}))"
echo "## R10 3DS card off_session / return_url"
T=$(grant pm_card_authenticationRequired 5000)
echo "\$ ... -d off_session=true"; curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true -d off_session=true | python3 -c "import sys,json;d=json.load(sys.stdin);print(json.dumps(d.get('error') and {k:d['error'].get(k) for k in ['type','code']} or {'status':d['status'],'next_action.type':d['next_action']['type']}))"
T=$(grant pm_card_authenticationRequired 5000)
echo "\$ ... -d return_url=https://example.com/r"; curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true -d return_url=https://example.com/r | python3 -c "import sys,json;d=json.load(sys.stdin);print(json.dumps({'status':d['status'],'next_action.type':d['next_action']['type']}))"
echo "## R11 test PaymentMethods from docs.stripe.com/testing that are refused"
for pm in pm_card_chargeDeclined pm_card_chargeDeclinedInsufficientFunds pm_card_chargeDeclinedFraudulent pm_card_chargeDeclinedProcessingError pm_card_visa_chargeDeclinedVelocityLimitExceeded pm_card_discover pm_card_mastercard_prepaid pm_card_threeDSecureOptional pm_card_authenticationRequiredOnSetup pm_card_radarBlock pm_card_createDispute pm_card_refundFail; do printf "%-50s" $pm; curl -s $B/v1/test_helpers/shared_payment/granted_tokens -u $K: -d payment_method=$pm -d "usage_limits[currency]"=usd -d "usage_limits[max_amount]"=1000 | j id; done
echo "## R12 expand"
T=$(grant pm_card_visa 5000); PI=$(curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d "payment_method_data[shared_payment_granted_token]=$T" -d confirm=true | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
echo "\$ curl -g '\$B/v1/payment_intents/$PI?expand[]=latest_charge.balance_transaction' -u $K:"; curl -sg "$B/v1/payment_intents/$PI?expand[]=latest_charge.balance_transaction" -u $K: | python3 -c "import sys,json;d=json.load(sys.stdin);print('latest_charge is', type(d['latest_charge']).__name__, d['latest_charge'] if isinstance(d['latest_charge'],str) else '')"
echo "\$ curl -g '\$B/v1/shared_payment/granted_tokens/$T?expand[]=bogus' -u $K:"; curl -sg "$B/v1/shared_payment/granted_tokens/$T?expand[]=bogus" -u $K: | j id
echo "## R13 publishable key"
echo "\$ curl \$B/v1/shared_payment/granted_tokens/spt_x -u pk_test_abc123:"; curl -s $B/v1/shared_payment/granted_tokens/spt_x -u pk_test_abc123: | j
echo "## R14 enum / length errors carry code parameter_invalid_string_blank"
echo "\$ curl \$B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d capture_method=later"; curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd -d capture_method=later | j
echo "## R15 multiple unknown params, and no payment_intent in PI errors"
echo "\$ curl \$B/v1/payment_intents/$PI/cancel -u $K: -d amount=1 -d currency=usd"; curl -s $B/v1/payment_intents/$PI/cancel -u $K: -d amount=1 -d currency=usd | python3 -c "import sys,json;e=json.load(sys.stdin)['error'];print(json.dumps({'message':e['message'],'param':e['param'],'has payment_intent':'payment_intent' in e}))"
echo "\$ curl -X POST \$B/v1/payment_intents/$PI/cancel -u $K:"; curl -s -X POST $B/v1/payment_intents/$PI/cancel -u $K: | python3 -c "import sys,json;e=json.load(sys.stdin)['error'];print(json.dumps({'code':e.get('code'),'has payment_intent':'payment_intent' in e,'message':e['message']}))"
echo "## R16 webhook endpoint: unknown event names accepted, description cannot be unset"
echo "\$ curl \$B/v1/webhook_endpoints -u $K: -d url=https://example.com/h -d 'enabled_events[]=payment_intent.succeded'"; curl -s $B/v1/webhook_endpoints -u $K: -d url=https://example.com/h -d "enabled_events[]=payment_intent.succeded" | j id enabled_events status
WE=$(curl -s $B/v1/webhook_endpoints -u $K: -d url=https://example.com/h -d "enabled_events[]=*" -d description=x | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
echo "\$ curl \$B/v1/webhook_endpoints/$WE -u $K: -d description="; curl -s $B/v1/webhook_endpoints/$WE -u $K: -d description= | j
echo "## R17 legacy seller_details on the test helper and top-level SPT under 2026-08-26.preview"
echo "\$ curl \$B/v1/test_helpers/shared_payment/granted_tokens -u $K: -H 'Stripe-Version: 2026-08-26.preview' -d payment_method=pm_card_visa -d usage_limits[currency]=usd -d usage_limits[max_amount]=100 -d seller_details[network_id]=internal"
curl -s $B/v1/test_helpers/shared_payment/granted_tokens -u $K: -H 'Stripe-Version: 2026-08-26.preview' -d payment_method=pm_card_visa -d "usage_limits[currency]"=usd -d "usage_limits[max_amount]"=100 -d "seller_details[network_id]"=internal | j id object
echo "## R18 metadata: 51 keys accepted"
args=""; for i in $(seq 1 51); do args="$args -d metadata[k$i]=v"; done
curl -s $B/v1/payment_intents -u $K: -d amount=1000 -d currency=usd $args | python3 -c "import sys,json;d=json.load(sys.stdin);print(d.get('error',{}).get('message') or ('200, metadata keys: %d' % len(d['metadata'])))"
echo "## R19 issued token seller_details nulls vs OpenAPI (strings required)"
curl -s $B/v1/shared_payment/issued_tokens -u sk_test_repro_agent: -d payment_method=pm_card_visa -d "seller_details[external_id]=cart_1" -d "usage_limits[currency]"=usd -d "usage_limits[max_amount]"=1000 | j seller_details
echo "## R20 seller test-helper revoke revokes an agent-issued token"
SP=$(curl -s $B/_emulator/account -u $K: | python3 -c 'import sys,json;print(json.load(sys.stdin)["business_profile"])')
IT=$(curl -s $B/v1/shared_payment/issued_tokens -u sk_test_repro_agent: -d payment_method=pm_card_visa -d "seller_details[network_business_profile]=$SP" -d "usage_limits[currency]"=usd -d "usage_limits[max_amount]"=1000 | python3 -c 'import sys,json;print(json.load(sys.stdin)["id"])')
curl -s -X POST $B/v1/test_helpers/shared_payment/granted_tokens/$IT/revoke -u $K: | j id deactivated_reason
curl -s $B/v1/shared_payment/issued_tokens/$IT -u sk_test_repro_agent: | j status deactivated_reason
