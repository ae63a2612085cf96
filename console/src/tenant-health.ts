import type { TenantView } from './api-types';

const DAY_MS = 86_400_000;
/** A certificate expiring within this many days needs attention even before its rotation is due. */
export const EXPIRY_WARNING_DAYS = 30;

/** Why a tenant needs an operator's attention; empty when it does not. */
export function attentionReasons(tenant: TenantView, nowMs: number): string[] {
    const reasons: string[] = [];
    const outcome = tenant.lastVerification?.outcome;
    if (outcome === 'drifted') reasons.push('drifted');
    if (outcome === 'failed') reasons.push('last verification failed');
    if (tenant.partial) reasons.push(`partially onboarded (${tenant.partial.error.step} failed)`);
    const notAfter = Date.parse(tenant.certificate.notAfter);
    if (notAfter <= nowMs) reasons.push('certificate expired');
    else if (notAfter <= nowMs + EXPIRY_WARNING_DAYS * DAY_MS || Date.parse(tenant.rotationDueAt) <= nowMs) reasons.push('certificate expiring');
    return reasons;
}

export function formatDate(iso: string | undefined | null): string {
    if (!iso) return '—';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatDay(iso: string): string {
    return new Date(iso).toISOString().slice(0, 10);
}

export function daysFrom(nowMs: number, iso: string): number {
    return Math.round((Date.parse(iso) - nowMs) / DAY_MS);
}
