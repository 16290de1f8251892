// Fields shared by GlobalDeploymentPolicy and GSLBHostRule.
import * as z from 'zod';
import { int } from '../common.js';

export const gslbAlgorithms = [
  'GSLB_ALGORITHM_CONSISTENT_HASH',
  'GSLB_ALGORITHM_GEO',
  'GSLB_ALGORITHM_ROUND_ROBIN',
  'GSLB_ALGORITHM_TOPOLOGY',
] as const;

export const downResponseTypes = [
  'GSLB_SERVICE_DOWN_RESPONSE_NONE',
  'GSLB_SERVICE_DOWN_RESPONSE_ALL_RECORDS',
  'GSLB_SERVICE_DOWN_RESPONSE_FALLBACK_IP',
  'GSLB_SERVICE_DOWN_RESPONSE_EMPTY',
] as const;

export const poolAlgorithmSettingsSchema = z.lazy(() =>
  z.object({
    lbAlgorithm: z.enum(gslbAlgorithms).optional(),
    hashMask: int(1, 31).optional(),
    geoFallback: z
      .object({
        lbAlgorithm: z.enum(['GSLB_ALGORITHM_ROUND_ROBIN', 'GSLB_ALGORITHM_CONSISTENT_HASH']).optional(),
        hashMask: int(1, 31).optional(),
      })
      .optional(),
  }),
);

export const downResponseSchema = z.lazy(() =>
  z.object({
    type: z.enum(downResponseTypes),
    fallbackIP: z.string().optional(),
  }),
);

export type PoolAlgorithmSettings = z.output<typeof poolAlgorithmSettingsSchema>;
export type DownResponse = z.output<typeof downResponseSchema>;
