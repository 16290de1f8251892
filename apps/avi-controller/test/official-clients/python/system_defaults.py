"""Two rules of a real controller the official clients run into: an empty ref (`"error_page_profile_ref": ""`,
what the Go AKO sends on every VS) means "not set", and system default objects cannot be deleted."""

import common


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args)
    api.post('pool', data={'name': 'py-empty-ref-pool'})
    api.post('vsvip', data={'name': 'py-empty-ref-vip', 'vip': [{'vip_id': '0', 'ip_address': {'addr': '10.10.3.1', 'type': 'V4'}}]})

    def vs_with_empty_refs():
        rsp = api.post('virtualservice', data={
            'name': 'py-empty-ref-vs', 'services': [{'port': 80}], 'pool_ref': '/api/pool?name=py-empty-ref-pool',
            'vsvip_ref': '/api/vsvip?name=py-empty-ref-vip', 'error_page_profile_ref': '', 'waf_policy_ref': '',
            'http_policies': [], 'ssl_key_and_certificate_refs': ['']})
        out = common.answer(rsp)
        body = out['body'] if isinstance(out['body'], dict) else {}
        return {'status': out['status'], 'error': body.get('error'),
                'set': sorted(k for k in ('error_page_profile_ref', 'waf_policy_ref', 'ssl_key_and_certificate_refs') if body.get(k))}
    s.step('vs_empty_refs', vs_with_empty_refs)
    for t, n in (('healthmonitor', 'System-HTTP'), ('applicationprofile', 'System-HTTP'), ('cloud', 'Default-Cloud'),
                 ('serviceenginegroup', 'Default-Group'), ('tenant', 'admin')):
        s.step('delete_%s_%s' % (t, n), lambda t=t, n=n: common.answer(api.delete_by_name(t, n)))
        s.step('still_there_%s_%s' % (t, n), lambda t=t, n=n: api.get_object_by_name(t, n) is not None)
    return s


common.main(run)
