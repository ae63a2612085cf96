import { describe, expect, it } from 'vitest';
import { nameServers } from '../../orchestrators/server-names';
import { describeInstall } from '../../orchestrators/steps/install-certificate';

const servers = (count: number): string[] => Array.from({ length: count }, (_, i) => `EX${String(i + 1).padStart(3, '0')}`);

describe('servers named in step details and changes', () => {
    it.each([
        { count: 1, named: 'EX001' },
        { count: 6, named: 'EX001, EX002, EX003, EX004, EX005, EX006' },
        { count: 7, named: '7 servers (EX001, EX002, EX003 and 4 more)' },
        { count: 200, named: '200 servers (EX001, EX002, EX003 and 197 more)' },
    ])('names $count server(s) as "$named"', ({ count, named }) => {
        // Act
        const text = nameServers(servers(count));

        // Assess
        expect(text).toBe(named);
    });

    it.each([
        { imported: servers(2), present: [], detail: 'imported on EX001, EX002' },
        { imported: servers(200), present: ['EX900'], detail: 'imported on 200 servers (EX001, EX002, EX003 and 197 more); already on EX900' },
        { imported: [], present: servers(1), detail: 'already on EX001' },
    ])('describes an install as "$detail"', ({ imported, present, detail }) => {
        // Act
        const text = describeInstall({ imported, present });

        // Assess
        expect(text).toBe(detail);
    });
});
