export * from './simulated-exchange';
export * from './scenario-certificates';
export * from './scenario-entra-key-view';
export * from './probe';
export * from './pkcs12';
export type { CommandRecord } from './organization';
