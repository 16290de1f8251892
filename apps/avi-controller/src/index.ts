export { startController, StartError, CONTROLLER_VERSION } from './controller.js';
export type { ControllerOptions, RunningController, ControllerState, ObjectChange } from './controller.js';
export { DataCorruptError } from './store/persist.js';
export { SeedError, DEFAULT_VIP_NETWORK, DEFAULT_DNS_DOMAIN } from './seed.js';
export type { SeedFile, SeedObject, VipNetwork } from './seed.js';
export type { FaultConfig } from './faults.js';
export type { DnsRecord } from './dns.js';
export type { Dataplane, DataplaneStatus, ListenerStatus } from './dataplane/dataplane.js';
export type { DnsServer } from './dns-server.js';
