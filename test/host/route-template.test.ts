import { describe, expect, it } from 'vitest';
import { comparePrecedence, compileRouteTemplate } from '../../local/host/http/route-template';

describe('HTTP route templates', () => {
    it.each([
        ['hello/{name}', '/hello/ana', { name: 'ana' }],
        ['hello/{name}', '/HELLO/Ana%20Maria/', { name: 'Ana Maria' }],
        ['hello/{name}', '/hello/a%zz%E9%41%', { name: 'a%zz%E9A%' }],
        ['hello/{name}', '/hello/%ED%A0%80%C3%A9%C3', { name: '%ED%A0%80\u00e9%C3' }],
        ['items/{id:int}', '/items/-42', { id: '-42' }],
        ['items/{id:int}', '/items/4x', undefined],
        ['tenants/{tenant}/steps/{step?}', '/tenants/contoso/steps', { tenant: 'contoso' }],
        ['tenants/{tenant}/steps/{step?}', '/tenants/contoso', undefined],
        ['tenants/{tenant}/steps/{step?}', '/tenants/contoso/steps/preflight', { tenant: 'contoso', step: 'preflight' }],
        ['files/{*path}', '/files/a/b/c.txt', { path: 'a/b/c.txt' }],
        ['files/{name}.{ext}', '/files/report.pdf', { name: 'report', ext: 'pdf' }],
        ['pages/{page=1}', '/pages', { page: '1' }],
        ['flags/{on:bool}', '/flags/maybe', undefined],
        ['', '/', {}],
    ])('matches "%s" against %s', (template, path, expected) => {
        // Act
        const values = compileRouteTemplate(template).match(path);

        // Assess
        expect(values).toEqual(expected);
    });

    it('orders literal segments before parameters and catch-alls last', () => {
        // Prepare
        const templates = ['items/{*rest}', 'items/{id}', 'items/new', 'items/{id:int}'].map(compileRouteTemplate);

        // Act
        const ordered = [...templates].sort(comparePrecedence).map((route) => route.template);

        // Assess
        expect(ordered).toEqual(['items/new', 'items/{id:int}', 'items/{id}', 'items/{*rest}']);
    });

    it('tries a longer template before the shorter one it extends, as the Functions host does, so that an optional segment can match', () => {
        // Prepare
        const templates = ['items/{id}', 'items', 'items/{id}/{view?}'].map(compileRouteTemplate);

        // Act
        const ordered = [...templates].sort(comparePrecedence);
        const first = ordered.find((route) => route.match('/items/7') !== undefined);

        // Assess
        expect(ordered.map((route) => route.template)).toEqual(['items/{id}/{view?}', 'items/{id}', 'items']);
        expect(first?.template).toBe('items/{id}/{view?}');
    });

    it('rejects a constraint it does not know', () => {
        // Act
        const compile = () => compileRouteTemplate('items/{id:regex(^a$)}');

        // Assess
        expect(compile).toThrow(/does not support/);
    });
});
