// The roles a fresh controller ships, with their privileges over every permission resource of the Role model.

import { DEFINITIONS } from '@avi-k8s/avi-sdk/models';
import type { SeedObject } from './seed.js';

const ALL: readonly string[] = DEFINITIONS.Permission?.fields.resource?.enum ?? [];

/** What an application team manages: virtual services and everything they are built from. */
const APPLICATION = new Set(
  [
    'VIRTUALSERVICE', 'POOL', 'POOLGROUP', 'HTTPPOLICYSET', 'VSDATASCRIPTSET', 'STRINGGROUP', 'IPADDRGROUP',
    'SSLKEYANDCERTIFICATE', 'SSLPROFILE', 'HEALTHMONITOR', 'APPLICATIONPROFILE', 'NETWORKPROFILE',
    'APPLICATIONPERSISTENCEPROFILE', 'ANALYTICSPROFILE', 'PKIPROFILE', 'L4POLICYSET', 'ERRORPAGEPROFILE',
    'ERRORPAGEBODY', 'NETWORKSECURITYPOLICY', 'WAFPOLICY', 'WAFPROFILE', 'PRIORITYLABELS', 'POOLGROUPDEPLOYMENTPOLICY',
    'MICROSERVICEGROUP', 'TRAFFICCLONEPROFILE', 'SECURITYPOLICY', 'PROTOCOLPARSER', 'SSOPOLICY', 'AUTHPROFILE', 'ICAP',
    'BOTDETECTIONPOLICY', 'GSLBSERVICE', 'VIRTUALSERVICE_MAINTENANCE', 'POOL_MAINTENANCE', 'TRAFFIC_CAPTURE',
  ].map((r) => `PERMISSION_${r}`),
);
/** Controller-wide resources a tenant administrator cannot change. */
const SYSTEM = new Set(['CONTROLLER', 'SYSTEMCONFIGURATION', 'UPGRADE', 'REBOOT', 'UPGRADE_OPS', 'LICENSING', 'INTERNAL'].map((r) => `PERMISSION_${r}`));
const MAINTENANCE = new Set(['PERMISSION_VIRTUALSERVICE_MAINTENANCE', 'PERMISSION_POOL_MAINTENANCE']);

type Level = 'NO_ACCESS' | 'READ_ACCESS' | 'WRITE_ACCESS';

function role(name: string, levelOf: (resource: string) => Level): SeedObject {
  return { type: 'role', data: { name, privileges: ALL.map((resource) => ({ resource, type: levelOf(resource) })) } };
}

export const ROLE_NAMES = ['System-Admin', 'Tenant-Admin', 'Application-Admin', 'Application-Operator', 'Read-Only'] as const;

export function defaultRoles(): SeedObject[] {
  return [
    role('System-Admin', () => 'WRITE_ACCESS'),
    role('Tenant-Admin', (r) => (SYSTEM.has(r) ? 'READ_ACCESS' : 'WRITE_ACCESS')),
    role('Application-Admin', (r) => (APPLICATION.has(r) ? 'WRITE_ACCESS' : 'READ_ACCESS')),
    role('Application-Operator', (r) => (MAINTENANCE.has(r) ? 'WRITE_ACCESS' : 'READ_ACCESS')),
    role('Read-Only', () => 'READ_ACCESS'),
  ];
}
