#!/usr/bin/env bash
# azd post-provision hook (macOS, Linux). infra/hooks/postprovision.ps1 does the same on Windows.
#  1. Grants the managed identity its Microsoft Graph application permission (Bicep cannot).
#  2. Creates each agent's shared secret in Key Vault when it is missing.
#  3. Deletes the Relay namespace's automatic RootManageSharedAccessKey rule (Manage, Send and Listen
#     on every hybrid connection): the app sends with its identity, each agent listens with its own
#     connection's Listen rule, and nothing needs it. Deleting an absent rule succeeds (204):
#     https://learn.microsoft.com/rest/api/relay/controlplane-stable/namespaces/delete-authorization-rule
#  4. Prints, for each hybrid connection, how to fetch what its agent needs.
#  5. Creates the API's app registration with its app roles (infra/hooks/api-app-registration.sh).
#  6. Service providers (PPO_SERVICE_PROVIDER=true): creates the multi-tenant application and its
#     federated credential trusting the managed identity, and sets PPO_PROVIDER_APP_ID
#     (infra/hooks/provider-app-registration.sh).
# Idempotent: run it again at any time (`azd hooks run postprovision`). It never prints a secret.
# Manual alternative and the rights it needs: docs/deploy.md, docs/permissions.md.
#
# Reads azd's environment (main.bicep outputs) and, optionally:
#   PPO_GRAPH_PERMISSION  ReadWriteAll (default): Application.ReadWrite.All, for the first-party
#                         service principal key target.
#                         OwnedBy: Application.ReadWrite.OwnedBy, and the identity becomes an owner
#                         of the application PPO_KEY_TARGET_APP_ID (the dedicated hybrid app).
#                         none: skip; an administrator grants it by hand.
#   PPO_KEY_TARGET_APP_ID appId of the dedicated application (OwnedBy only).
#   PPO_SERVICE_PROVIDER  true: step 6 (one deployment for many customers' directories).
set -euo pipefail

GRAPH_APP_ID='00000003-0000-0000-c000-000000000000'
SECRET_NAME_PATTERN='^[A-Za-z0-9-]+$'

fail() {
  echo "postprovision: $*" >&2
  exit 1
}

for name in AZURE_RESOURCE_GROUP AZURE_KEY_VAULT_NAME AZURE_IDENTITY_PRINCIPAL_ID \
  PPO_RELAY_NAMESPACE PPO_RELAY_NAMESPACE_NAME PPO_RELAY_LISTEN_RULE PPO_AGENT_SECRET_PREFIX; do
  [ -n "${!name:-}" ] || fail "$name is not set: run this through azd (azd provision) or export it."
done

cloud="${PPO_CLOUD:-global}"
permission="${PPO_GRAPH_PERMISSION:-ReadWriteAll}"
identity="$AZURE_IDENTITY_PRINCIPAL_ID"
vault="$AZURE_KEY_VAULT_NAME"

case "$cloud" in
  global) graph_base='https://graph.microsoft.com' ;;
  usGovHigh) graph_base='https://graph.microsoft.us' ;;
  usGovDoD) graph_base='https://dod-graph.microsoft.us' ;;
  china) graph_base='https://microsoftgraph.chinacloudapi.cn' ;;
  *) fail "PPO_CLOUD must be global, usGovHigh, usGovDoD or china, not '$cloud'." ;;
esac

# New identities and role assignments take minutes to reach Entra ID and Key Vault.
with_retries() {
  local attempt=1
  until "$@"; do
    [ "$attempt" -lt 8 ] || return 1
    echo "postprovision: not yet visible, retrying in 20 s ($attempt/7)..." >&2
    sleep 20
    attempt=$((attempt + 1))
  done
}

graph() {
  local method="$1" path="$2"
  shift 2
  az rest --method "$method" --url "$graph_base/v1.0/$path" --resource "$graph_base" "$@"
}

grant_graph_app_role() {
  local role_value="$1" graph_sp role_id granted
  graph_sp=$(graph get "servicePrincipals(appId='$GRAPH_APP_ID')?\$select=id" --query id -o tsv)
  role_id=$(graph get "servicePrincipals/$graph_sp?\$select=appRoles" \
    --query "appRoles[?value=='$role_value' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  [ -n "$role_id" ] || fail "Microsoft Graph has no application permission $role_value in this tenant."
  granted=$(with_retries graph get "servicePrincipals/$identity/appRoleAssignments" \
    --query "length(value[?appRoleId=='$role_id' && resourceId=='$graph_sp'])" -o tsv)
  if [ "$granted" != "0" ]; then
    echo "Graph: $role_value already granted to the managed identity."
    return
  fi
  graph post "servicePrincipals/$identity/appRoleAssignments" \
    --headers 'Content-Type=application/json' \
    --body "{\"principalId\":\"$identity\",\"resourceId\":\"$graph_sp\",\"appRoleId\":\"$role_id\"}" -o none
  echo "Graph: granted $role_value to the managed identity."
}

add_identity_as_owner() {
  local app_id="$1" app_object_id owned
  app_object_id=$(graph get "applications(appId='$app_id')?\$select=id" --query id -o tsv)
  owned=$(graph get "applications/$app_object_id/owners?\$select=id" --query "length(value[?id=='$identity'])" -o tsv)
  if [ "$owned" != "0" ]; then
    echo "Graph: the managed identity already owns application $app_id."
    return
  fi
  graph post "applications/$app_object_id/owners/\$ref" \
    --headers 'Content-Type=application/json' \
    --body "{\"@odata.id\":\"$graph_base/v1.0/directoryObjects/$identity\"}" -o none
  echo "Graph: the managed identity now owns application $app_id."
}

grant_graph_permission() {
  case "$permission" in
    ReadWriteAll)
      grant_graph_app_role 'Application.ReadWrite.All'
      ;;
    OwnedBy)
      [ -n "${PPO_KEY_TARGET_APP_ID:-}" ] || fail "PPO_GRAPH_PERMISSION=OwnedBy needs PPO_KEY_TARGET_APP_ID (appId of the dedicated application)."
      grant_graph_app_role 'Application.ReadWrite.OwnedBy'
      add_identity_as_owner "$PPO_KEY_TARGET_APP_ID"
      ;;
    none)
      echo "Graph: skipped (PPO_GRAPH_PERMISSION=none). An administrator must grant it: docs/permissions.md."
      ;;
    *)
      fail "PPO_GRAPH_PERMISSION must be ReadWriteAll, OwnedBy or none, not '$permission'."
      ;;
  esac
}

# 32 random bytes as 64 hex characters: safe in JSON, PowerShell and Key Vault alike.
new_shared_secret() {
  od -An -v -t x1 -N 32 /dev/urandom | tr -d ' \n'
}

workdir=$(mktemp -d)
chmod 700 "$workdir"
phase=start
on_exit() {
  local status=$?
  rm -rf "$workdir"
  if [ "$status" -ne 0 ] && [ "$phase" = graph ]; then
    echo "postprovision: the Graph step failed. Granting an application permission needs Privileged Role Administrator (or Global Administrator) in Entra ID; making the identity an owner needs Application Administrator or an existing owner. Sign in as such and run 'azd hooks run postprovision', or set PPO_GRAPH_PERMISSION=none and follow docs/permissions.md." >&2
  fi
}
trap on_exit EXIT

ensure_shared_secret() {
  local secret_name="$1" existing="$2" deleted="$3"
  if printf '%s\n' "$existing" | grep -qxF -- "$secret_name"; then
    echo "Key Vault: $secret_name exists, kept."
  elif printf '%s\n' "$deleted" | grep -qxF -- "$secret_name"; then
    az keyvault secret recover --vault-name "$vault" --name "$secret_name" -o none
    echo "Key Vault: $secret_name was soft-deleted, recovered."
  else
    # Through a private file, never a command-line argument (visible to other local users).
    new_shared_secret >"$workdir/value"
    az keyvault secret set --vault-name "$vault" --name "$secret_name" --file "$workdir/value" \
      --content-type 'push-proxy agent shared secret' -o none
    rm -f "$workdir/value"
    echo "Key Vault: $secret_name created."
  fi
}

print_agent_instructions() {
  local hc="$1" secret_name="$2"
  cat <<EOF

Agent for hybrid connection '$hc':
  relay namespace  $PPO_RELAY_NAMESPACE
  hybrid connection $hc
  Listen rule      $PPO_RELAY_LISTEN_RULE
  Listen key       az relay hyco authorization-rule keys list --resource-group $AZURE_RESOURCE_GROUP --namespace-name $PPO_RELAY_NAMESPACE_NAME --hybrid-connection-name $hc --name $PPO_RELAY_LISTEN_RULE --query primaryKey -o tsv
  shared secret    az keyvault secret show --vault-name $vault --name $secret_name --query value -o tsv
Put both into the agent's configuration file, then protect it with agent/install-service.ps1.
EOF
}

phase=graph
grant_graph_permission
# shellcheck source=api-app-registration.sh
. "$(dirname "$0")/api-app-registration.sh"
ensure_api_app_registration
# shellcheck source=provider-app-registration.sh
. "$(dirname "$0")/provider-app-registration.sh"
ensure_provider_app_registration
phase=relay
az relay namespace authorization-rule delete --resource-group "$AZURE_RESOURCE_GROUP" \
  --namespace-name "$PPO_RELAY_NAMESPACE_NAME" --name RootManageSharedAccessKey -o none
echo "Relay: RootManageSharedAccessKey deleted (or already absent)."
phase=secrets

IFS=',' read -r -a hybrid_connections <<<"${PPO_HYBRID_CONNECTION_NAMES:-}"
if [ "${#hybrid_connections[@]}" -eq 0 ]; then
  echo "No hybrid connections yet: azd env set PPO_HYBRID_CONNECTIONS '[\"contoso\"]', then azd provision."
  exit 0
fi
for hc in "${hybrid_connections[@]}"; do
  [[ "$hc" =~ $SECRET_NAME_PATTERN ]] || fail "hybrid connection '$hc': use letters, digits and hyphens only (it is part of a Key Vault secret name)."
done

existing=$(with_retries az keyvault secret list --vault-name "$vault" --query '[].name' -o tsv) ||
  fail "cannot list the secrets of $vault: the signed-in account needs Key Vault Secrets Officer on it (main.bicep grants it to AZURE_PRINCIPAL_ID)."
deleted=$(az keyvault secret list-deleted --vault-name "$vault" --query '[].name' -o tsv)
for hc in "${hybrid_connections[@]}"; do
  ensure_shared_secret "$PPO_AGENT_SECRET_PREFIX$hc" "$existing" "$deleted"
done
for hc in "${hybrid_connections[@]}"; do
  print_agent_instructions "$hc" "$PPO_AGENT_SECRET_PREFIX$hc"
done
