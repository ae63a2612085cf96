# Sourced by postprovision.sh (needs its graph(), fail() and with_retries()). Bicep cannot create Entra
# app registrations without the Microsoft Graph Bicep extension, so the hook does it:
#  - the API's app registration, upserted by uniqueName (PATCH applications(uniqueName=...) with
#    Prefer: create-if-missing: https://learn.microsoft.com/graph/api/application-upsert), with the
#    app roles PushProxy.Reader, .Operator and .Administrator (fixed ids, so re-runs change nothing),
#    the application ID URI api://<appId>, v2 access tokens (the issuer infra/ configures), and public
#    client flows for ppo's device code and browser sign-ins (redirect http://localhost);
#  - its service principal with "assignment required", so that only users and services assigned a role
#    get a token at all;
#  - PushProxy.Administrator for the deploying principal (AZURE_PRINCIPAL_ID);
#  - PPO_API_CLIENT_ID in the azd environment: the next `azd provision` turns App Service authentication on.
# Roles of other people: README, "Roles" (Entra admin center, Enterprise applications, Users and groups).

ROLE_READER='1e64d99b-40f6-47c6-99c7-d9fe4ba5d7ba'
ROLE_OPERATOR='f5a1bd69-45bd-4508-8b69-873fe2e258d1'
ROLE_ADMINISTRATOR='740e5e60-7b16-4a66-bd4f-18e39740c6e2'
# A delegated scope, so that the Azure CLI (ppo --sign-in cli, az account get-access-token) can be
# pre-authorized: users then get a token without a consent prompt; app roles still decide what they may do.
SCOPE_USER_IMPERSONATION='3c5b0a52-6f0e-4d1c-9a4b-2e7d8f1a6b90'
AZURE_CLI_APP_ID='04b07795-8ddb-461a-bbee-02f9e1bf7b46'

app_role_json() {
  local id="$1" value="$2" name="$3" description="$4"
  printf '{"id":"%s","value":"%s","displayName":"%s","description":"%s","allowedMemberTypes":["User","Application"],"isEnabled":true}' \
    "$id" "$value" "$name" "$description"
}

ensure_api_app_registration() {
  local unique="ppo-api-${AZURE_ENV_NAME:?}" app_id app_object sp roles assigned
  roles="[$(app_role_json "$ROLE_READER" PushProxy.Reader 'Push proxy reader' 'Read tenants, runs and their step tables.'),$(app_role_json "$ROLE_OPERATOR" PushProxy.Operator 'Push proxy operator' 'Reader, and start onboardings, dry runs and re-verifications.'),$(app_role_json "$ROLE_ADMINISTRATOR" PushProxy.Administrator 'Push proxy administrator' 'Operator, and re-bind tenants and change key targets.')]"
  graph patch "applications(uniqueName='$unique')" --headers 'Content-Type=application/json' 'Prefer=create-if-missing' \
    --body "{\"displayName\":\"push-proxy-orchestrator API ($AZURE_ENV_NAME)\",\"signInAudience\":\"AzureADMyOrg\",\"appRoles\":$roles,\"isFallbackPublicClient\":true,\"publicClient\":{\"redirectUris\":[\"http://localhost\"]}}" -o none
  app_id=$(with_retries graph get "applications(uniqueName='$unique')?\$select=appId" --query appId -o tsv)
  app_object=$(graph get "applications(uniqueName='$unique')?\$select=id" --query id -o tsv)
  graph patch "applications/$app_object" --headers 'Content-Type=application/json' --body "{\"identifierUris\":[\"api://$app_id\"],\"api\":{\"requestedAccessTokenVersion\":2,\"oauth2PermissionScopes\":[{\"id\":\"$SCOPE_USER_IMPERSONATION\",\"value\":\"user_impersonation\",\"type\":\"User\",\"isEnabled\":true,\"adminConsentDisplayName\":\"Call the push proxy API\",\"adminConsentDescription\":\"Call the push-proxy-orchestrator API as the signed-in user; app roles decide what the user may do.\",\"userConsentDisplayName\":\"Call the push proxy API\",\"userConsentDescription\":\"Call the push-proxy-orchestrator API as you.\"}]}}" -o none
  # Pre-authorized in a second write: the scope must exist before an application can be pre-authorized
  # for it. The whole api object is sent again, so that no write drops (and Graph refuses to drop) the enabled scope.
  graph patch "applications/$app_object" --headers 'Content-Type=application/json' --body "{\"api\":{\"requestedAccessTokenVersion\":2,\"oauth2PermissionScopes\":[{\"id\":\"$SCOPE_USER_IMPERSONATION\",\"value\":\"user_impersonation\",\"type\":\"User\",\"isEnabled\":true,\"adminConsentDisplayName\":\"Call the push proxy API\",\"adminConsentDescription\":\"Call the push-proxy-orchestrator API as the signed-in user; app roles decide what the user may do.\",\"userConsentDisplayName\":\"Call the push proxy API\",\"userConsentDescription\":\"Call the push-proxy-orchestrator API as you.\"}],\"preAuthorizedApplications\":[{\"appId\":\"$AZURE_CLI_APP_ID\",\"delegatedPermissionIds\":[\"$SCOPE_USER_IMPERSONATION\"]}]}}" -o none
  sp=$(graph get "servicePrincipals(appId='$app_id')?\$select=id" --query id -o tsv 2>/dev/null || true)
  if [ -z "$sp" ]; then
    sp=$(graph post servicePrincipals --headers 'Content-Type=application/json' --body "{\"appId\":\"$app_id\"}" --query id -o tsv)
  fi
  graph patch "servicePrincipals/$sp" --headers 'Content-Type=application/json' --body '{"appRoleAssignmentRequired":true}' -o none
  echo "Entra ID: API app registration $app_id (api://$app_id) with its three app roles."
  if [ -n "${AZURE_PRINCIPAL_ID:-}" ]; then
    assigned=$(with_retries graph get "servicePrincipals/$sp/appRoleAssignedTo" \
      --query "length(value[?principalId=='$AZURE_PRINCIPAL_ID' && appRoleId=='$ROLE_ADMINISTRATOR'])" -o tsv)
    if [ "$assigned" = "0" ]; then
      graph post "servicePrincipals/$sp/appRoleAssignedTo" --headers 'Content-Type=application/json' \
        --body "{\"principalId\":\"$AZURE_PRINCIPAL_ID\",\"resourceId\":\"$sp\",\"appRoleId\":\"$ROLE_ADMINISTRATOR\"}" -o none
      echo "Entra ID: you (AZURE_PRINCIPAL_ID) hold PushProxy.Administrator."
    fi
  fi
  if [ "${PPO_API_CLIENT_ID:-}" != "$app_id" ]; then
    azd env set PPO_API_CLIENT_ID "$app_id"
    echo "App Service authentication is not on yet: run 'azd provision' once more to turn it on with $app_id. Until then the API refuses every caller."
  fi
}
