import { describe, expect, it } from 'vitest';
import { describeProxy, proxyFor, resolveProxyPolicy } from '../../agent/relay/outbound-proxy';
import { ConfigurationError } from '../../lib/errors';

describe('agent proxy policy', () => {
    it.each([
        { name: 'no setting and no variable: direct', configured: undefined, env: {}, expected: 'none (direct connection)' },
        { name: 'HTTPS_PROXY', configured: undefined, env: { HTTPS_PROXY: 'http://proxy.corp:3128' }, expected: 'http://proxy.corp:3128 (from HTTPS_PROXY)' },
        { name: 'lower-case https_proxy without scheme', configured: undefined, env: { https_proxy: 'proxy.corp:8080' }, expected: 'http://proxy.corp:8080 (from https_proxy)' },
        { name: 'credentials in HTTPS_PROXY are masked', configured: undefined, env: { HTTPS_PROXY: 'http://CORP%5Csvc:p%40ss@proxy.corp:3128' }, expected: 'http://CORP%5Csvc:****@proxy.corp:3128 (from HTTPS_PROXY)' },
        { name: 'ALL_PROXY when HTTPS_PROXY is absent', configured: undefined, env: { ALL_PROXY: 'http://all.corp:1' }, expected: 'http://all.corp:1 (from ALL_PROXY)' },
        { name: 'configuration wins over HTTPS_PROXY', configured: { url: 'http://cfg.corp:8080', username: 'svc', password: 'x' }, env: { HTTPS_PROXY: 'http://env.corp:1' }, expected: 'http://svc:****@cfg.corp:8080 (from configuration (relay.proxy))' },
        { name: '"direct" ignores HTTPS_PROXY', configured: 'direct' as const, env: { HTTPS_PROXY: 'http://env.corp:1' }, expected: 'none (direct connection)' },
    ])('$name', ({ configured, env, expected }) => {
        // Act
        const policy = resolveProxyPolicy(configured, env);

        // Assess
        expect(describeProxy(policy)).toBe(expected);
    });

    it('decodes credentials given in the proxy URL', () => {
        // Act
        const policy = resolveProxyPolicy(undefined, { HTTPS_PROXY: 'http://CORP%5Csvc:p%40ss@proxy.corp:3128' });

        // Assess
        expect(policy.server).toMatchObject({ host: 'proxy.corp', port: 3128, username: 'CORP\\svc', password: 'p@ss' });
    });

    it('refuses an https:// proxy URL, naming where it came from and not its password', () => {
        // Act
        const resolve = () => resolveProxyPolicy(undefined, { HTTPS_PROXY: 'https://svc:secret-pw@proxy.corp:443' });

        // Assess
        expect(resolve).toThrow(ConfigurationError);
        expect(resolve).toThrow(/HTTPS_PROXY/);
        expect(resolve).not.toThrow(/secret-pw/);
    });

    it.each([
        { host: 'contoso.servicebus.windows.net', port: 443, noProxy: '', proxied: true },
        { host: 'contoso.servicebus.windows.net', port: 443, noProxy: '*', proxied: false },
        { host: 'contoso.servicebus.windows.net', port: 443, noProxy: 'servicebus.windows.net', proxied: false },
        { host: 'contoso.servicebus.windows.net', port: 443, noProxy: '.servicebus.windows.net', proxied: false },
        { host: 'g3-prod-am3-010-sb.servicebus.windows.net', port: 443, noProxy: 'localhost, .servicebus.windows.net', proxied: false },
        { host: 'notservicebus.windows.net', port: 443, noProxy: 'servicebus.windows.net', proxied: true },
        { host: 'contoso.servicebus.windows.net', port: 443, noProxy: 'servicebus.windows.net:8443', proxied: true },
        { host: '127.0.0.1', port: 4443, noProxy: '127.0.0.1', proxied: false },
        { host: '127.0.0.1', port: 4443, noProxy: '127.0.0.1:4443', proxied: false },
        { host: '127.0.0.10', port: 4443, noProxy: '127.0.0.1', proxied: true },
    ])('NO_PROXY "$noProxy" for $host:$port: proxied $proxied', ({ host, port, noProxy, proxied }) => {
        // Prepare
        const policy = resolveProxyPolicy(undefined, { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: noProxy });

        // Act
        const server = proxyFor(policy, host, port);

        // Assess
        expect(server !== undefined).toBe(proxied);
    });
});
