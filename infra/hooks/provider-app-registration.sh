# Sourced by postprovision.sh (needs its graph(), fail(), with_retries(), GRAPH_APP_ID and cloud).
# Service providers only (PPO_SERVICE_PROVIDER=true): the multi-tenant application through which the
# deployment reaches its customers' directories with no secret (README, "Service providers"):
#  - the application, upserted by uniqueName ppo-provider-<env> (PATCH applications(uniqueName=...) with
#    Prefer: create-if-missing: https://learn.microsoft.com/graph/api/application-upsert), multi-tenant
#    (AzureADMultipleOrgs), declaring the Graph application permission onboarding writes with
#    (Application.ReadWrite.All, lib/graph/graph-errors.ts) so that each customer's admin consent grants it;
#  - its only credential, a federated identity credential trusting the app's user-assigned managed
#    identity, upserted by name (https://learn.microsoft.com/graph/api/federatedidentitycredential-upsert),
#    so a rerun never adds a second one: issuer <login host>/<tenant>/v2.0, subject the identity's
#    object (principal) id, audience per cloud ("Configure an application to trust a managed identity",
#    https://learn.microsoft.com/entra/workload-id/workload-identity-federation-config-app-trust-managed-identity;
#    the same audiences as lib/identity/token-exchange.ts);
#  - PPO_PROVIDER_APP_ID on the Function App now, and in the azd environment for every later provision.
PROVIDER_CREDENTIAL_NAME='ppo-managed-identity'

ensure_provider_app_registration() {
  [ "${PPO_SERVICE_PROVIDER:-false}" = true ] || return 0
  local unique="ppo-provider-${AZURE_ENV_NAME:?}" login audience role_id app_id app_object tenant
  tenant="${AZURE_TENANT_ID:?AZURE_TENANT_ID is not set: run this through azd (azd provision) or export it.}"
  case "$cloud" in
    global) login='https://login.microsoftonline.com' audience='api://AzureADTokenExchange' ;;
    usGovHigh | usGovDoD) login='https://login.microsoftonline.us' audience='api://AzureADTokenExchangeUSGov' ;;
    china) login='https://login.chinacloudapi.cn' audience='api://AzureADTokenExchangeChina' ;;
  esac
  role_id=$(graph get "servicePrincipals(appId='$GRAPH_APP_ID')?\$select=appRoles" \
    --query "appRoles[?value=='Application.ReadWrite.All' && contains(allowedMemberTypes, 'Application')].id | [0]" -o tsv)
  [ -n "$role_id" ] || fail "Microsoft Graph has no application permission Application.ReadWrite.All in this tenant."
  graph patch "applications(uniqueName='$unique')" --headers 'Content-Type=application/json' 'Prefer=create-if-missing' \
    --body "{\"displayName\":\"push-proxy-orchestrator provider ($AZURE_ENV_NAME)\",\"signInAudience\":\"AzureADMultipleOrgs\",\"requiredResourceAccess\":[{\"resourceAppId\":\"$GRAPH_APP_ID\",\"resourceAccess\":[{\"id\":\"$role_id\",\"type\":\"Role\"}]}]}" -o none
  app_id=$(with_retries graph get "applications(uniqueName='$unique')?\$select=appId" --query appId -o tsv)
  app_object=$(graph get "applications(uniqueName='$unique')?\$select=id" --query id -o tsv)
  # Prefer as for the application upsert; a server that does not need it ignores it (RFC 7240).
  graph patch "applications/$app_object/federatedIdentityCredentials(name='$PROVIDER_CREDENTIAL_NAME')" \
    --headers 'Content-Type=application/json' 'Prefer=create-if-missing' \
    --body "{\"issuer\":\"$login/$tenant/v2.0\",\"subject\":\"$identity\",\"audiences\":[\"$audience\"],\"description\":\"The push-proxy-orchestrator Function App's managed identity\"}" -o none
  echo "Entra ID: provider application $app_id (multi-tenant), trusting the managed identity $identity; no secret."
  if [ "${PPO_PROVIDER_APP_ID:-}" != "$app_id" ]; then
    azd env set PPO_PROVIDER_APP_ID "$app_id"
    az functionapp config appsettings set --name "${AZURE_FUNCTION_APP_NAME:?}" --resource-group "$AZURE_RESOURCE_GROUP" \
      --settings "PPO_PROVIDER_APP_ID=$app_id" 'PPO_DIRECTORIES=multiTenant' -o none
    echo "Function App: PPO_PROVIDER_APP_ID=$app_id, PPO_DIRECTORIES=multiTenant (and in the azd environment for the next azd provision)."
  fi
  echo "Each customer's Global Administrator consents once: $login/<their tenant>/adminconsent?client_id=$app_id (GET /api/tenants/{domain}/consent gives the link)."
}
