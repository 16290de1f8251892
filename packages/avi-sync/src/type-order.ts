/**
 * AKO's dependency order of Avi types (referenced first), spec ako.md §4.3 / §10.5: VsVip, certificates, pools,
 * pool groups, string groups, HTTP policy sets, datascripts, L4 policy sets, then virtual services.
 * Only a tie-breaker for plan(); refs inside bodies decide the real order.
 */
export const AKO_TYPE_ORDER: readonly string[] = [
  'vsvip',
  'pkiprofile',
  'sslkeyandcertificate',
  'pool',
  'poolgroup',
  'stringgroup',
  'httppolicyset',
  'vsdatascriptset',
  'l4policyset',
  'virtualservice',
];
