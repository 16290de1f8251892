// The bad-input generator (test/bad-inputs): seeded and pure, at least 300 cases over every category, and no two
// objects of one kind share a namespace/name (each case is judged on its own object).
import { corpus, type CorpusContext } from './bad-inputs/corpus.js';
import { sans } from './bad-inputs/make.js';

const teams = ['bi1-t0', 'bi1-t1', 'bi1-t2', 'bi1-t3', 'bi1-t4'];
const ctx: CorpusContext = {
  base: 'bi1',
  teams,
  misc: 'bi1-a',
  collA: 'bi1-t0-a',
  bare: 'bi1',
  long: `bi1-${'l'.repeat(59)}`,
  domain: 'example.com',
  ingressClass: 'avi-lb',
  pems: { 'good.crt': 'G', 'good.key': 'K', 'other.key': 'O', 'expired.crt': 'E', 'expired.key': 'EK', 'future.crt': 'F', 'future.key': 'FK', 'cn-only.crt': 'C', 'cn-only.key': 'CK', 'encrypted-pkcs8.key': 'P', 'encrypted-rsa.key': 'R' },
  cert: { crt: 'crt', key: 'key' },
  validVips: ['127.1.2.10', '127.1.2.11'],
  net: '127.1.2',
};

test('the same seed gives the same corpus, another seed another one', () => {
  expect(JSON.stringify(corpus(ctx, 7))).toBe(JSON.stringify(corpus(ctx, 7)));
  expect(JSON.stringify(corpus(ctx, 8))).not.toBe(JSON.stringify(corpus(ctx, 7)));
});

test('at least 300 cases in every category, each object named once per kind and namespace', () => {
  const cases = corpus(ctx, 7);
  expect(cases.length).toBeGreaterThanOrEqual(300);
  expect(new Set(cases.map((c) => c.category))).toEqual(new Set(['host', 'path', 'port', 'name-length', 'tls', 'annotation', 'duplicate', 'collision', 'lb-service']));
  const keys = cases.flatMap((c) => c.objects.map((o) => `${o.kind}/${o.metadata.namespace}/${o.metadata.name}`));
  expect(keys.length - new Set(keys).size).toBe(0);
  expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  for (const c of cases) expect(c.objects.some((o) => o.kind === c.subject.kind && o.metadata.name === c.subject.name && o.metadata.namespace === c.subject.namespace)).toBe(true);
});

test('the certificate names cover every TLS host of the valid workload side a case collides with', () => {
  expect(sans({ teams, domain: 'example.com' })).toEqual(expect.arrayContaining(['*.t0.example.com', 'bi1-t0-lb-5']));
});
