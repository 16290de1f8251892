// parseRef reads `?name=...&tenant=...` as the WHATWG URL standard's application/x-www-form-urlencoded parser does
// (what URLSearchParams.get returns): https://url.spec.whatwg.org/#urlencoded-parsing. Expected values written by
// hand from that algorithm: split on &, first = splits key and value, + is a space, percent-decode the UTF-8 bytes
// (a % without two hex digits is kept), UTF-8 decode with U+FFFD for bad bytes, first pair of a key wins.
import { parseRef } from '../src/index.js';

const cases: Array<[query: string, name: string | null, tenant?: string]> = [
  ['name=web', 'web'],
  ['name=web&tenant=admin', 'web', 'admin'],
  ['tenant=t1&name=web', 'web', 't1'],
  ['name=a+b', 'a b'],
  ['name=a%2Bb', 'a+b'],
  ['name=a%2bb', 'a+b'],
  ['name=a%20b+c', 'a b c'],
  ['name=%', '%'],
  ['name=50%', '50%'],
  ['name=%zz', '%zz'],
  ['name=%2', '%2'],
  ['name=%%41', '%A'],
  ['name=%C3%A9t%C3%A9', 'été'],
  ['name=%C3', '\ufffd'],
  ['name=%FFx', '\ufffdx'],
  ['name=%E2%82', '\ufffd'],
  ['name=%C3%A9%', 'é%'],
  ['name=%ED%A0%80', '\ufffd\ufffd\ufffd'],
  ['name=%EF%BB%BFbom', '\ufeffbom'],
  ['name=%26%3D%23', '&=#'],
  ['name=a=b', 'a=b'],
  ['name=x&name=y', 'x'],
  ['name=&name=y', null],
  ['name', null],
  ['name=', null],
  ['tenant=admin', null],
  ['', null],
  ['&&name=web&&', 'web'],
  ['?name=web', 'web'],
  ['??name=web', null],
  ['n%61me=web&te%6Eant=t', 'web', 't'],
  ['name+=web', null],
  ['Name=web', null],
  ['name=web&tenant=', 'web'],
  ['name=web&tenant=a&tenant=b', 'web', 'a'],
  ['name=caf\u00e9', 'café'],
  ['name=\ud800x', '\ufffdx'],
  ['name=\ud83d\ude00%20', '\ud83d\ude00 '],
  ['name=\u00e9%%3D', 'é%='],
];

// Titles are built here: it.each printf-style titles hung jest on values with a % in them.
describe('parseRef reads a ?query as form-urlencoded', () => {
  it.each(cases.map(([query, name, tenant]) => ({ title: `${JSON.stringify(query)} -> ${JSON.stringify(name)}${tenant ? ` in tenant ${tenant}` : ''}`, query, name, tenant })))('$title', ({ query, name, tenant }) => {
    const expected = name === null ? null : tenant ? { by: 'name', type: 'pool', name, tenant } : { by: 'name', type: 'pool', name };
    expect(parseRef(`/api/pool?${query}`) ?? null).toEqual(expected);
    expect(parseRef(`https://ctl.example:443/api/pool/?${query}`) ?? null).toEqual(expected);
  });
});
