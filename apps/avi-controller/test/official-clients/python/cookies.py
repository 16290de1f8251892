"""Two avisdk sessions for one user: they share avisdk's session cache (same controller/user/port/tenant key),
so after the second logs in, the first sends its own cookies from its jar AND the second's csrftoken/session
cookies, i.e. duplicate cookie names in one Cookie header. A real controller (Django) takes the last value of
a repeated cookie; the first session's writes must then succeed without a 401 and a re-login."""

import common


def run():
    args = common.parse_args()
    s = common.Steps()
    rec_a, rec_b = common.Recorder(), common.Recorder()
    a = common.session(args, rec_a)
    b = common.session(args, rec_b)
    s.step('a_post', lambda: common.answer(a.post('pool', data={'name': 'py-cookie-a'}))['status'])
    s.step('b_post', lambda: common.answer(b.post('pool', data={'name': 'py-cookie-b'}))['status'])
    s.step('a_put', lambda: common.answer(a.put_by_name('pool', 'py-cookie-a', data={'name': 'py-cookie-a', 'description': 'a'}))['status'])
    s.step('a_delete', lambda: common.answer(a.delete_by_name('pool', 'py-cookie-a'))['status'])
    s['a_exchanges'] = rec_a.exchanges
    s['b_exchanges'] = rec_b.exchanges
    return s


common.main(run)
