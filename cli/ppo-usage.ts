export type CommandName = 'onboard' | 'verify' | 'status' | 'tenants' | 'tenant' | 'org';

const CONNECTION = `Connection (every command):
  --api-url <url>             the Function App, e.g. https://<app>.azurewebsites.net (default: env PPO_API_URL)
  --sign-in <method>          cli (default: your az login), device-code, browser, or client-secret
                              (automation: PPO_CLIENT_ID and PPO_CLIENT_SECRET); the token is for
                              env PPO_API_APP_ID_URI, in tenant PPO_TENANT_ID
  --json                      print the API's JSON on stdout; progress goes to stderr
  -h, --help                  this help
`;

const COMMANDS: Readonly<Record<CommandName, string>> = {
    onboard: `Usage: ppo onboard <tenantDomain> --hybrid-connection <name> [options]

Starts onboarding the tenant and follows the run until it ends, showing the step table.
Exits 0 when it succeeded (or the dry run listed its planned changes), 1 when it failed.

  --hybrid-connection <name>   the Azure Relay hybrid connection the on-premises agent listens on (required)
  --tenant-id <guid>           the Entra tenant id (default: the domain names the tenant)
  --cloud <name>               global, usGovHigh, usGovDoD or china (default global)
  --key-target <kind>          firstPartyServicePrincipal (default) or application
  --app-id <guid>              the dedicated hybrid application's client id (with --key-target application)
  --validity-months <n>        certificate validity, 1 to 60 (default 24)
  --key-size <bits>            2048, 3072 or 4096 (default 2048)
  --settle <seconds>           wait after restarting MSExchangeHM before the probe, 0 to 900 (default 120)
  --probe-attempts <n>         1 to 10 (default 3)
  --reverify-mode <mode>       what the daily re-verification does on drift: report (default) or repair
  --dry-run                    change nothing; list what a real run would change
  --no-wait                    print the started run and exit without following it
`,
    verify: `Usage: ppo verify <tenantDomain> [--mode report|repair] [--no-wait]

Re-verifies an onboarded tenant: every check, repairs in repair mode, certificate rotation when due.
Exits 0 when everything is in place (or was repaired), 1 when drift remains or the run failed.

  --mode <mode>   report or repair (default: the tenant's reverify mode)
  --no-wait       print the started run and exit without following it
`,
    status: `Usage: ppo status <instanceId>

Shows a run: its runtime status, its step table, and its result or structured error.
`,
    tenants: `Usage: ppo tenants

Lists every onboarded tenant with its certificate and last verification.
`,
    tenant: `Usage: ppo tenant <tenantDomain>

Shows one tenant's registry record, its verification history and its latest run.
`,
    org: `Usage: ppo org add <name> [--out <file>]
       ppo org remove <name>

add: enrolls an Exchange organization: creates its hybrid connection <name> and Listen rule and
its agent secret, and answers, once, the relay settings and shared secret of its agent's
configuration. With --out they are written to a new file readable only by you (mode 600);
without it they are printed on stdout, this once. Either way they appear in no log.
remove: revokes the organization: its hybrid connection, Listen rule and agent secret go, and
its agent is cut off. Both take the PushProxy.Administrator role.

  --out <file>   write the agent configuration to this new file (refused if it exists)
`,
};

export const PPO_USAGE = `Usage: ppo <command> [arguments] [options]

The administrator's CLI of the push proxy orchestrator: talks to a deployment's HTTP API.

Commands:
  ppo onboard <tenantDomain> --hybrid-connection <name>   onboard a tenant and follow the run
  ppo verify <tenantDomain> [--mode report|repair]        re-verify an onboarded tenant
  ppo status <instanceId>                                 show a run
  ppo tenants                                             list the onboarded tenants
  ppo tenant <tenantDomain>                               show one tenant
  ppo org add <name> [--out <file>]                       enroll an organization: its agent's configuration, once
  ppo org remove <name>                                   revoke an organization

Run ppo <command> --help for its options. Exit codes: 0 done, 1 failed, 2 bad arguments.

${CONNECTION}`;

export function isCommandName(word: string | undefined): word is CommandName {
    return word !== undefined && Object.hasOwn(COMMANDS, word);
}

export function commandUsage(command: CommandName): string {
    return `${COMMANDS[command]}\n${CONNECTION}`;
}
