/** Every activity, by its catalogue name, with the module that implements it (imported on the activity's first call). */
import { registerActivity } from './register-activity';

registerActivity('agentInventory', () => import('./agent-inventory.js'));
registerActivity('agentInstallCertificate', () => import('./agent-install-certificate.js'));
registerActivity('agentSetAuthConfig', () => import('./agent-set-auth-config.js'));
registerActivity('agentEnsureAuthServer', () => import('./agent-ensure-auth-server.js'));
registerActivity('agentEnablePushProxy', () => import('./agent-enable-push-proxy.js'));
registerActivity('agentRestartHealthManager', () => import('./agent-restart-health-manager.js'));
registerActivity('agentRestartAuthServices', () => import('./agent-restart-auth-services.js'));
registerActivity('agentInvokeProbe', () => import('./agent-invoke-probe.js'));
registerActivity('registrySaveTenant', () => import('./registry-save-tenant.js'));
registerActivity('registryRecordRun', () => import('./registry-record-run.js'));
registerActivity('registryListTenants', () => import('./registry-list-tenants.js'));
registerActivity('durableRunsInProgress', () => import('./durable-runs-in-progress.js'), { durableClient: true });
registerActivity('keyVaultStartCertificate', () => import('./key-vault-start-certificate.js'));
registerActivity('keyVaultCheckCertificate', () => import('./key-vault-check-certificate.js'));
registerActivity('keyVaultGetCertificate', () => import('./key-vault-get-certificate.js'));
registerActivity('graphGetKeyTarget', () => import('./graph-get-key-target.js'));
registerActivity('graphApplyKeyChanges', () => import('./graph-apply-key-changes.js'));
