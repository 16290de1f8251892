"""Pagination through avisdk: page_size and `next` on a raw GET, and get_objects_iter (which follows `next`
with page=2, 3, ...), over seven pools in a tenant of their own."""

import common


def run():
    args = common.parse_args()
    s = common.Steps()
    rec = common.Recorder()
    api = common.session(args, rec)
    api.post('tenant', data={'name': 'py-paging'})
    for i in range(1, 8):
        api.post('pool', data={'name': 'py-page-%d' % i}, tenant='py-paging')

    def first_page():
        body = api.get('pool', tenant='py-paging', params={'page_size': 3, 'sort': 'name'}).json()
        return {'count': body['count'], 'names': [o['name'] for o in body['results']], 'next': body.get('next')}
    s.step('first_page', first_page)

    def last_page():
        body = api.get('pool', tenant='py-paging', params={'page_size': 3, 'page': 3, 'sort': 'name'}).json()
        return {'count': body['count'], 'names': [o['name'] for o in body['results']], 'next': body.get('next')}
    s.step('last_page', last_page)

    before = len(rec.exchanges)
    s.step('iter_names', lambda: [o['name'] for o in api.get_objects_iter(
        'pool', tenant='py-paging', params={'page_size': 3, 'sort': 'name'})])
    s['iter_requests'] = [e['path'] for e in rec.exchanges[before:]]
    s.step('bad_page_size', lambda: common.answer(api.get('pool', params={'page_size': 'x'})))
    return s


common.main(run)
