export { translate } from './translate.js';
export { createTranslateMemo, type TranslateMemo } from './memo.js';
export type { AmkoConfig, AviFacts, HealthMonitorFact, MemberSnapshot, RawObject, Snapshot, TranslateResult, Verdict, VerdictKind } from './types.js';
export { checksumOf, desiredObject } from './checksum.js';
export { ANN_CONTROLLER_UUID, ANN_TENANT, ANN_VS_UUID_MAP, describeMeta } from './members.js';
export { createdBy, HM_PREFIX, isAmkoHmName, pathHmName, serviceHmName } from './names.js';
