/** The bad-input corpus: every category, seeded. Pure: the same context and seed give the same cases. */
import { annotationCases } from './annotations.js';
import { collisionCases } from './collisions.js';
import { duplicateCases } from './duplicates.js';
import { hostCases } from './hosts.js';
import { nameCases } from './names.js';
import { pathCases } from './paths.js';
import { portCases } from './ports.js';
import { rng } from './rng.js';
import { tlsCases } from './tls.js';
import { lbServiceCases } from './lb-services.js';
import type { BadCase, CorpusContext } from './types.js';

export function corpus(ctx: CorpusContext, seed: number): BadCase[] {
  const r = rng(seed);
  return [hostCases, pathCases, portCases, nameCases, tlsCases, annotationCases, duplicateCases, collisionCases, lbServiceCases].flatMap((f) => f(ctx, r));
}

export type { BadCase, CorpusContext, Manifest } from './types.js';
