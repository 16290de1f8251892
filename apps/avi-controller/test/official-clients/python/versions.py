"""X-Avi-Version through avisdk (the session's api_version, or per call): a pool read at 20.1.1, 22.1.1 and
30.2.1. The swagger says which Pool fields are newer than the version asked for (append_port 21.1.1,
pool_type 22.1.1, graceful_hm_down_disable_timeout 30.2.1); the test asserts they are left out."""

import common

FIELDS = ('append_port', 'server_disable_type', 'pool_type', 'graceful_hm_down_disable_timeout', 'lb_algorithm')


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args, api_version='20.1.1')
    uuid = s.step('create_at_20_1_1', lambda: api.post('pool', data={'name': 'py-versioned'}).json()['uuid'])
    for v in ('20.1.1', '22.1.1', '30.2.1'):
        s.step('get_' + v, lambda v=v: sorted(k for k in FIELDS if k in api.get('pool/' + uuid, api_version=v).json()))
    old = common.session(args, api_version='20.1.1')
    s.step('session_20_1_1', lambda: sorted(k for k in FIELDS if k in old.get('pool/' + uuid).json()))
    s.step('newer_than_controller', lambda: common.answer(api.get('pool/' + uuid, api_version='99.1.1')))
    return s


common.main(run)
