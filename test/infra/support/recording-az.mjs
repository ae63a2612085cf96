#!/usr/bin/env node
// A recording fake of the Azure CLI (`az`) and the Azure Developer CLI (`azd`) for the post-provision
// hooks' tests: each call is appended to $RECORDING_AZ_DIR/calls.jsonl with its arguments and its JSON
// body (read from --body @file at once, since the hooks delete the file). It keeps the Entra objects
// the provider step writes in $RECORDING_AZ_DIR/state.json, so a second run sees the first one's work,
// as Graph would (application upsert by uniqueName, federated credential upsert by name). Anything it
// does not model answers nothing and succeeds. Usage: recording-az.mjs <az|azd> <arguments...>
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import process from 'node:process';

const [tool, ...args] = process.argv.slice(2);
const dir = process.env.RECORDING_AZ_DIR;
const statePath = join(dir, 'state.json');
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : { applications: {}, credentials: {} };
const option = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
};
const bodyText = option('--body');
const body = bodyText === undefined ? undefined : JSON.parse(bodyText.startsWith('@') ? readFileSync(bodyText.slice(1), 'utf8') : bodyText);
appendFileSync(join(dir, 'calls.jsonl'), `${JSON.stringify({ tool, args, ...(body === undefined ? {} : { body }) })}\n`);

const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
// Application.ReadWrite.All's app role id in Microsoft Graph (https://learn.microsoft.com/graph/permissions-reference).
const APPLICATION_READWRITE_ALL = '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9';
const out = (text) => process.stdout.write(`${text}\n`);
const save = () => writeFileSync(statePath, JSON.stringify(state));

if (tool === 'az' && args[0] === 'rest') {
    const method = option('--method');
    const url = decodeURIComponent(option('--url') ?? '');
    const query = option('--query') ?? '';
    const path = url.replace(/^https:\/\/[^/]+\/v1\.0\//, '').split('?')[0];
    const byUniqueName = /^applications\(uniqueName='([^']+)'\)$/.exec(path);
    const credential = /^applications\/([^/]+)\/federatedIdentityCredentials\(name='([^']+)'\)$/.exec(path);
    if (byUniqueName && method === 'patch') {
        const unique = byUniqueName[1];
        const n = Object.keys(state.applications).length + 1;
        state.applications[unique] = { ...(state.applications[unique] ?? { appId: `0000000${n}-aaaa-4aaa-8aaa-00000000000${n}`, id: `object-${n}` }), ...body };
        save();
    } else if (byUniqueName && method === 'get') {
        const app = state.applications[byUniqueName[1]];
        if (app === undefined) {
            process.stderr.write('Request_ResourceNotFound\n');
            process.exit(1);
        }
        out(query === 'appId' ? app.appId : app.id);
    } else if (credential && method === 'patch') {
        const key = `${credential[1]}/${credential[2]}`;
        state.credentials[key] = { ...(state.credentials[key] ?? {}), ...body };
        save();
    } else if (path === `servicePrincipals(appId='${GRAPH_APP_ID}')` && query.includes("value=='Application.ReadWrite.All'")) {
        out(APPLICATION_READWRITE_ALL);
    } else if (/^servicePrincipals\(appId='[^']+'\)$/.test(path) && method === 'get') {
        out('service-principal');
    } else if (path === 'servicePrincipals' && method === 'post') {
        out(JSON.stringify({ id: 'service-principal' }));
    }
}
