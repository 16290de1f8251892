"""PATCH through avisdk: the DOC-PATCH pool examples (add servers, delete one, replace lb_algorithm) and an
`add` to a nested list, internal_profile.dns_service_domain of an ipamdnsproviderprofile."""

import common


def v4(addr):
    return {'ip': {'addr': addr, 'type': 'V4'}}


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args)
    uuid = api.post('pool', data={'name': 'py-patch-pool', 'servers': [v4('1.1.1.0')]}).json()['uuid']

    def patch(op, data):
        rsp = api.patch('pool/' + uuid, data={op: data})
        body = rsp.json()
        return {'status': rsp.status_code, 'servers': [x['ip']['addr'] for x in body.get('servers', [])],
                'lb_algorithm': body.get('lb_algorithm')}
    s.step('add_servers', lambda: patch('add', {'servers': [v4('1.1.1.1'), v4('1.1.1.2')]}))
    s.step('delete_server', lambda: patch('delete', {'servers': [v4('1.1.1.2')]}))
    s.step('replace_lb_algorithm', lambda: patch('replace', {'lb_algorithm': 'LB_ALGORITHM_ROUND_ROBIN'}))
    s.step('bad_op', lambda: common.answer(api.patch('pool/' + uuid, data={'merge': {'description': 'x'}})))

    prof = api.post('ipamdnsproviderprofile', data={
        'name': 'py-patch-dns', 'type': 'IPAMDNS_TYPE_INTERNAL_DNS',
        'internal_profile': {'dns_service_domain': [{'domain_name': 'a.py.example'}]}}).json()

    def domains(body):
        return [d['domain_name'] for d in body.get('internal_profile', {}).get('dns_service_domain', [])]
    s.step('nested_add', lambda: domains(api.patch('ipamdnsproviderprofile/' + prof['uuid'], data={
        'add': {'internal_profile': {'dns_service_domain': [{'domain_name': 'b.py.example'}]}}}).json()))
    s.step('nested_add_get', lambda: domains(api.get('ipamdnsproviderprofile/' + prof['uuid']).json()))
    return s


common.main(run)
