"""Objects through avisdk: refs by name (`/api/pool?name=x`) and bare uuids (`pool-<uuid>`), get_object_by_name,
include_name, put, post(force_uuid=), the delete of a referenced object (refused), delete_by_name, and a GET of a deleted object."""

import common


def run():
    args = common.parse_args()
    s = common.Steps()
    api = common.session(args)
    ans = common.answer
    hm = api.get_object_by_name('healthmonitor', 'System-HTTP')
    s['system_http_uuid'] = hm['uuid']
    s.step('pool_create', lambda: ans(api.post('pool', data={
        'name': 'py-pool', 'health_monitor_refs': ['/api/healthmonitor?name=System-HTTP'],
        'servers': [{'ip': {'addr': '10.10.1.1', 'type': 'V4'}, 'port': 8080}]})))
    pool = api.get_object_by_name('pool', 'py-pool') or {}
    s.step('vsvip_create', lambda: ans(api.post('vsvip', data={
        'name': 'py-vip', 'vip': [{'vip_id': '0', 'ip_address': {'addr': '10.10.2.1', 'type': 'V4'}}]})))
    s.step('vs_name_refs', lambda: ans(api.post('virtualservice', data={
        'name': 'py-vs', 'services': [{'port': 80}], 'pool_ref': '/api/pool?name=py-pool',
        'vsvip_ref': '/api/vsvip?name=py-vip', 'application_profile_ref': '/api/applicationprofile?name=System-HTTP'})))

    s.step('vsvip2_create', lambda: ans(api.post('vsvip', data={
        'name': 'py-vip2', 'vip': [{'vip_id': '0', 'ip_address': {'addr': '10.10.2.2', 'type': 'V4'}}]})))
    vip2 = api.get_object_by_name('vsvip', 'py-vip2') or {}
    s['pool_uuid'] = pool.get('uuid')
    s['vsvip2_uuid'] = vip2.get('uuid')
    s.step('vs_uuid_refs', lambda: ans(api.post('virtualservice', data={
        'name': 'py-vs-uuid', 'services': [{'port': 81}], 'pool_ref': pool.get('uuid'), 'vsvip_ref': vip2.get('uuid')})))

    s.step('vs_by_name', lambda: api.get_object_by_name('virtualservice', 'py-vs', params={'include_name': True}))

    def put_pool():
        p = api.get_object_by_name('pool', 'py-pool')
        p['lb_algorithm'] = 'LB_ALGORITHM_ROUND_ROBIN'
        return ans(api.put_by_name('pool', 'py-pool', data=p))
    s.step('pool_put', put_pool)
    s.step('pool_delete_referenced', lambda: ans(api.delete('pool/%s' % pool.get('uuid'))))
    s.step('vs_delete_by_name', lambda: ans(api.delete_by_name('virtualservice', 'py-vs')))
    s.step('vs_uuid_delete_by_name', lambda: ans(api.delete_by_name('virtualservice', 'py-vs-uuid')))
    s.step('pool_delete', lambda: ans(api.delete('pool/%s' % pool.get('uuid'))))
    s.step('pool_get_deleted', lambda: ans(api.get('pool/%s' % pool.get('uuid'))))
    s.step('by_name_missing', lambda: api.get_object_by_name('pool', 'py-pool'))
    # avisdk's post(force_uuid=) sends `Slug: <uuid>` (the SDK's test_force_uuid cassette: pool-force-42).
    def forced():
        body = api.post('pool', data={'name': 'py-forced'}, force_uuid='pool-force-42').json()
        return {'uuid': body['uuid'], 'url': body['url']}
    s.step('force_uuid', forced)
    return s


common.main(run)
